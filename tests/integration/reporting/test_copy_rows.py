"""`copy_rows`, the rebuild's bulk write: COPY on PostgreSQL outside eventlet (the
command line, the benchmark), INSERTs on SQLite and under eventlet's wait callback (in a
service, and in this test process: the COPY case lifts the callback for its duration).
A `None` is written as NULL and an empty string stays one; a case state read back is the
state written."""

from datetime import date

import psycopg2.extensions
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from services.common.db import make_engine, migrate
from services.reporting import domain, models
from services.reporting.projector import _green_psycopg, copy_rows


@pytest.fixture(params=["postgresql COPY", "postgresql INSERT", "sqlite"])
def sessions(request, new_database, tmp_path):
    url = new_database("reporting") if request.param.startswith("postgresql") else \
        f"sqlite:///{tmp_path}/reporting.db"
    migrate("reporting", url)
    engine = make_engine(url)
    green = psycopg2.extensions.get_wait_callback()
    if request.param == "postgresql COPY":
        psycopg2.extensions.set_wait_callback(None)
    try:
        if request.param != "sqlite":  # the path this case means to take
            assert _green_psycopg() == (request.param == "postgresql INSERT")
        yield sessionmaker(engine, expire_on_commit=False)
    finally:
        psycopg2.extensions.set_wait_callback(green)
        engine.dispose()


STATES = [
    domain.CaseState(case_id="C1", team_id="T1", category="CONFLICT", commune_code="05977",
                     geo_version="LEGACY", district_code=None, v2025_code="",
                     status="SUCCESSFUL", status_seq=4, ref_seq=1,
                     received_on=date(2019, 12, 30), received_known=True,
                     escalated_on=None, closed_on=date(2020, 1, 5)),
    domain.CaseState(case_id="C2, \"quoted\"", team_id="T2", category="LAND",
                     commune_code="26000", geo_version="V2025", district_code="178",
                     v2025_code=None, status="RECEIVED", status_seq=1, ref_seq=1,
                     received_on=date(2025, 7, 1), received_known=False,
                     escalated_on=date(2025, 7, 2), closed_on=None),
]


def test_rows_come_back_as_written(sessions):
    with sessions.begin() as session:
        copy_rows(session, models.case_state, [state.as_row() for state in STATES])
    with sessions() as session:
        rows = session.execute(select(models.case_state).order_by(
            models.case_state.c.case_id)).all()
    assert [domain.CaseState.from_row(row) for row in rows] == STATES
    assert rows[0].district_code is None and rows[0].v2025_code == ""
    assert rows[1].v2025_code is None and rows[1].case_id == 'C2, "quoted"'

