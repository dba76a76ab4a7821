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
