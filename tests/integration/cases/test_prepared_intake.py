"""Intake on PostgreSQL is one prepared statement (services/cases/intake.py): PREPAREd
once per connection, then only EXECUTEd; a new connection prepares it again."""

from datetime import UTC, datetime

from sqlalchemy import event, func, select, text

from services.cases import handlers, models, schemas
from services.cases.unit_of_work import CasesUnitOfWork, TeamPlaces
from services.common.db import migrate, sessions_of

ACTOR = schemas.Actor(username="officer1", role="COMMUNE_OFFICER")


def _submit(sessions, places: TeamPlaces, n: int) -> None:
    cmd = schemas.SubmitCase.model_validate({
        "idempotency_key": f"prepared-{n}", "team_id": "T1", "category": "CIVIL_FAMILY",
        "subject": "Tranh chấp lối đi", "description": "Hai hộ tranh chấp lối đi chung.",
        "parties": [{"full_name": "Nông Văn A"}, {"full_name": "Hoàng Thị B"}],
        "received_at": "2026-11-02T08:00:00+07:00", "channel": "IN_PERSON"})
    with sessions.begin() as session:
        _, created = handlers.submit_case(CasesUnitOfWork(session, places), cmd, ACTOR,
                                          datetime.now(UTC))
    assert created


def _prepared_here(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(text("SELECT name FROM pg_prepared_statements")))


def test_intake_prepares_once_per_connection_and_again_on_a_new_one(new_database):
    url = new_database("prepared")
    migrate("cases", url)
    all_sessions = sessions_of(url)
    with all_sessions.begin() as session:
        session.add(models.Team(id="T1", commune_code="06001", geo_version="LEGACY",
                                district_code="178", v2025_code="06001", active=True))
    sessions, places = all_sessions.single_statement, TeamPlaces()
    engine = sessions.kw["bind"]
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2].split()[0]))

    _submit(sessions, places, 0)  # looks the team up, then prepares (not through events)
    sent.clear()
    for n in (1, 2):
        _submit(sessions, places, n)
    assert sent == ["EXECUTE", "EXECUTE"]
    assert [name.startswith("hoagiai_intake_") for name in _prepared_here(sessions)] == [True]

    engine.dispose()  # the next intake has a connection that never saw the PREPARE
    assert _prepared_here(sessions) == []
    _submit(sessions, places, 3)
    assert len(_prepared_here(sessions)) == 1
    with all_sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Case)) == 4
        assert session.scalar(select(func.count()).select_from(models.outbox)) == 4
    all_sessions.kw["bind"].dispose()
    engine.dispose()
