"""Keyset pages and the case counters (services/cases/paging.py, counts.py): the counters
equal count(*) after every kind of write, pages neither repeat nor skip a case (equal
received_at, cases arriving between pages), and bad cursors are typed refusals. Run on
PostgreSQL here and on SQLite in test_on_sqlite.py."""

import base64
from collections import Counter

import pytest
from sqlalchemy import text

from services.common.db import make_engine
from services.common.errors import Conflict, NotFound, ValidationError

from .conftest import ACTOR, ago, case_payload

ACTUAL = text("""
SELECT team_id, COALESCE(v2025_code, ''),
       CASE WHEN geo_version = 'LEGACY' THEN commune_code ELSE '' END,
       COALESCE(district_code, ''), status, category, COUNT(*)
FROM cases GROUP BY 1, 2, 3, 4, 5, 6""")
KEPT = text("SELECT team_id, v2025_code, legacy_commune, district_code, status, category, n "
            "FROM case_counts WHERE n <> 0")


def assert_counters_exact(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            actual = {tuple(r[:6]): r[6] for r in connection.execute(ACTUAL)}
            kept = {tuple(r[:6]): r[6] for r in connection.execute(KEPT)}
    finally:
        engine.dispose()
    every_team = Counter()
    for key, n in actual.items():
        every_team[("", *key[1:])] += n
    assert {k: n for k, n in kept.items() if k[0]} == actual
    assert {k: n for k, n in kept.items() if not k[0]} == every_team
    return sum(actual.values())


def walk(list_page, **filters) -> list[str]:
    ids, after = [], None
    while True:
        page = list_page(first=3, after=after, **filters)
        ids += [c["id"] for c in page["items"]]
        if not page["has_next_page"]:
            return ids
        after = page["end_cursor"]


def test_the_counters_equal_count_after_every_kind_of_write(rpc, team, cases_config):
    team_id, mediators = team
    url = cases_config["DATABASE_URL"]
    one = rpc.submit_case(case_payload(team_id, received_at=ago(hours=30)), ACTOR)
    two = rpc.submit_case(case_payload(team_id, category="CONFLICT"), ACTOR)
    rpc.submit_case(case_payload(team_id, received_at="2025-06-01T08:00:00+07:00"), ACTOR)
    steps = [{"action": "assign", "mediator_ids": mediators[:1], "at": ago(hours=3)},
             {"action": "start", "at": ago(hours=2)}]
    rpc.submit_cases([case_payload(team_id, received_at=ago(hours=4), steps=steps),
                      case_payload(team_id, received_at=ago(hours=4), steps=steps[1:]),
                      case_payload(team_id, category="NOPE"), case_payload(team_id)], ACTOR)
    assert_counters_exact(url)
    rpc.assign_mediators(one["id"], mediators[:2], actor=ACTOR, at=ago(hours=3))
    rpc.start_mediation(one["id"], actor=ACTOR, at=ago(hours=2))
    rpc.record_outcome(one["id"], "SUCCESSFUL", actor=ACTOR, at=ago(hours=1))
    rpc.refer_case(two["id"], "UBND xã", actor=ACTOR)
    with pytest.raises(Conflict):
        rpc.start_mediation(two["id"], actor=ACTOR)  # refused: nothing moves
    with pytest.raises(NotFound):
        rpc.submit_case(case_payload("no-such-team"), ACTOR)
    total = assert_counters_exact(url)
    assert rpc.list_cases()["total_count"] == total == 5  # 2 batch items refused
    assert rpc.list_cases(status="REFERRED")["total_count"] == 1
    assert rpc.list_cases(category="CONFLICT", team_id=team_id)["total_count"] == 1
    assert rpc.list_cases(unit_code="178")["total_count"] == 1  # the LEGACY district
    assert rpc.list_cases(unit_code="06001", geo_version="V2025")["total_count"] == 5


def test_concurrent_intakes_lose_no_count(rpc, team, cases_config):
    calls = [rpc.submit_case.call_async(case_payload(team[0]), ACTOR) for _ in range(30)]
    calls += [rpc.submit_cases.call_async([case_payload(team[0]) for _ in range(5)], ACTOR)
              for _ in range(4)]
    for call in calls:
        call.result()
    assert assert_counters_exact(cases_config["DATABASE_URL"]) == 50
    assert rpc.list_cases()["total_count"] == 50


def test_pages_walk_every_case_once_with_equal_times_and_arrivals(rpc, team):
    team_id, mediators = team
    same = ago(hours=5)
    made = [rpc.submit_case(case_payload(team_id, received_at=same), ACTOR)["id"]
            for _ in range(5)]
    made += [rpc.submit_case(case_payload(team_id, received_at=ago(hours=h)), ACTOR)["id"]
             for h in (1, 9, 9)]
    assert sorted(walk(rpc.list_cases)) == sorted(made)
    first = rpc.list_cases(first=4)
    # Cases arriving between pages: a newer one sorts before the cursor (the next pages
    # neither show it nor shift by it), an older one after it (they show it once).
    newer = rpc.submit_case(case_payload(team_id, received_at=ago(minutes=1)), ACTOR)
    older = rpc.submit_case(case_payload(team_id), ACTOR)  # 10 days ago
    rest = rpc.list_cases(first=100, after=first["end_cursor"])
    seen = [c["id"] for c in first["items"] + rest["items"]]
    assert sorted(seen) == sorted([*made, older["id"]])
    assert rest["total_count"] == 10 and not rest["has_next_page"]
    times = [c["received_at"] for c in first["items"] + rest["items"]]
    assert times == sorted(times, reverse=True)
    assert walk(rpc.list_cases, unit_code="06001", geo_version="V2025")[0] == newer["id"]


def test_legacy_unit_pages_merge_commune_and_district(rpc, team):
    """A LEGACY code is read as a commune and as a district, each from its index."""
    june = "2025-06-02T08:00:00+07:00"
    made = sorted(rpc.submit_case(case_payload(team[0], received_at=june), ACTOR)["id"]
                  for _ in range(4))
    rpc.submit_case(case_payload(team[0]), ACTOR)  # V2025: in neither
    assert walk(rpc.list_cases, unit_code="178") == made[::-1]  # equal times: id order
    assert walk(rpc.list_cases, unit_code="06001") == made[::-1]
    assert rpc.list_cases(unit_code="06001", first=1)["total_count"] == 4


def test_overdue_pages_walk_every_overdue_case_once(rpc, team):
    team_id, mediators = team
    overdue = []
    for hours in (200, 150, 150, 120, 100):
        case = rpc.submit_case(case_payload(team_id, received_at=ago(hours=hours + 1)), ACTOR)
        rpc.assign_mediators(case["id"], mediators[:1], actor=ACTOR, at=ago(hours=hours))
        overdue.append(case["id"])
    fresh = rpc.submit_case(case_payload(team_id), ACTOR)
    rpc.assign_mediators(fresh["id"], mediators[:1], actor=ACTOR)  # not overdue yet
    assert walk(rpc.list_overdue)[:1] == overdue[:1]
    assert sorted(walk(rpc.list_overdue)) == sorted(overdue)
    assert rpc.list_overdue(first=2)["total_count"] == 5


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


@pytest.mark.parametrize("after", [
    "garbage", _cursor("o:40"), _cursor("n:notanumber:x"), _cursor("n:99999999999999999999:x"),
    _cursor("d:0:x"), _cursor("n:12:"), "%%%", _cursor("\u00e9:1:x")])
def test_bad_cursors_are_typed_refusals(rpc, team, after):
    with pytest.raises(ValidationError) as refused:
        rpc.list_cases(after=after)
    assert refused.value.field == "after"


def test_a_cursor_of_one_list_is_refused_by_the_other(rpc, make_case):
    make_case()
    make_case()
    cursor = rpc.list_cases(first=1)["end_cursor"]
    with pytest.raises(ValidationError):
        rpc.list_overdue(after=cursor)


def test_old_cursors_say_why(rpc, team):
    with pytest.raises(ValidationError, match="older version"):
        rpc.list_cases(after=_cursor("o:100"))


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_the_migration_fills_the_counters_from_the_cases_there_are(backend, new_database,
                                                                   tmp_path):
    from alembic import command
    from alembic.config import Config

    from services.common.db import SERVICES_DIR, migrate

    url = new_database("counts") if backend == "postgresql" else \
        f"sqlite:///{tmp_path}/cases.db"
    cfg = Config()
    cfg.set_main_option("script_location", str(SERVICES_DIR / "cases" / "migrations"))
    engine = make_engine(url)
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "c4e8a1f2d3b6")  # the revision before the counters
        for n, (geo, commune, district, status) in enumerate(
                [("LEGACY", "06001", "178", "RECEIVED"), ("LEGACY", "06001", "178", "RECEIVED"),
                 ("V2025", "06400", None, "ASSIGNED"), ("LEGACY", "06002", "178", "REFERRED")]):
            connection.execute(text(
                "INSERT INTO cases (id, idempotency_key, payload_hash, team_id, category, "
                "subject, channel, commune_code, geo_version, district_code, v2025_code, "
                "status, received_at, mediator_ids, last_step_at, sequence, created_by) "
                "VALUES (:id, :id, 'h', :team, 'OTHER', 's', 'IN_PERSON', :c, :g, :d, "
                "'06400', :s, '2025-01-01', '[]', '2025-01-01', 1, 'x')"),
                {"id": f"c{n}", "team": f"t{n % 2}", "c": commune, "g": geo, "d": district,
                 "s": status})
    engine.dispose()
    migrate("cases", url)
    assert assert_counters_exact(url) == 4
