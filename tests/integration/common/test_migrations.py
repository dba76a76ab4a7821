"""Each service's Alembic history builds exactly the schema its models describe."""

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from services.common.db import make_engine, migrate


@pytest.mark.parametrize("service", ["teams", "cases", "reporting"])
def test_migrations_match_the_models(service, new_database):
    url = new_database(f"drift_{service}")
    migrate(service, url)
    metadata = importlib.import_module(f"services.{service}.models").metadata
    engine = make_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    engine.dispose()
    assert differences == []


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_teams_of_split_communes_formed_before_the_placement_column_are_assumed(
        backend, new_database, tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from services.common.db import SERVICES_DIR

    url = new_database("placement") if backend == "postgresql" else \
        f"sqlite:///{tmp_path}/teams.db"
    engine = make_engine(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(SERVICES_DIR / "teams" / "migrations"))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "b2d1f6c8e302")  # the revision before the column
        for team_id, commune in (("split", "06622"), ("whole", "05971")):
            connection.execute(text(
                "INSERT INTO teams (id, name, geo_version, commune_code, status, formed_on, "
                "version) VALUES (:id, 'Tổ 1', 'LEGACY', :c, 'ACTIVE', '2018-01-02', 0)"),
                {"id": team_id, "c": commune})
    engine.dispose()
    migrate("teams", url)
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT id, placement_assumed FROM teams")).all())
    engine.dispose()
    assert rows == {"split": True, "whole": False}
