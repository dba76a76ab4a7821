"""Where a case is placed: in the layout in force on the day it was received, and in its
team's current commune once that is corrected (`team.placement_corrected`). Collected
again on SQLite (test_on_sqlite.py)."""

import pytest
from nameko.standalone.events import event_dispatcher

from services.common.events import new_event
from services.common.metrics import EVENTS_CONSUMED
from tests.integration.cases.conftest import ACTOR, case_payload, wait_for
from tests.integration.cases.test_pages_and_counts import assert_counters_exact

BEFORE, AFTER = "2025-06-30T12:00:00+07:00", "2025-07-01T09:00:00+07:00"
YEN_THINH = {"commune_code": "06400", "geo_version": "LEGACY", "district_code": "186",
             "v2025_code": "06388"}  # LEGACY 06400, merged into V2025 06388 in 2025
HUU_LIEN = {"commune_code": "06400", "geo_version": "V2025", "district_code": None,
            "v2025_code": "06400"}  # V2025 06400: the same code, another commune
BINH_XA = {"commune_code": "06622", "geo_version": "LEGACY", "district_code": "189",
           "v2025_code": "06613"}  # split: 06613 (the crosswalk's default) or 06625


def place(case: dict) -> tuple:
    return tuple(case[k] for k in ("geo_version", "commune_code", "district_code",
                                   "v2025_code"))


def ids(page: dict) -> set[str]:
    return {c["id"] for c in page["items"]}


def submit(rpc, team_id: str, received_at: str) -> dict:
    return rpc.submit_case(case_payload(team_id, received_at=received_at), ACTOR)


def test_the_received_date_decides_the_layout(rpc, directory):
    old, _ = directory.team(**YEN_THINH)
    new, _ = directory.team(**HUU_LIEN)
    before, after = submit(rpc, old, BEFORE), submit(rpc, old, AFTER)
    assert place(before) == ("LEGACY", "06400", "186", "06388")
    assert place(after) == ("V2025", "06388", None, "06388")
    v2025_team = submit(rpc, new, BEFORE)  # formed in V2025: no LEGACY place, whatever the date
    assert place(v2025_team) == ("V2025", "06400", None, "06400")

    assert ids(rpc.list_cases(unit_code="06400", geo_version="LEGACY")) == {before["id"]}
    assert ids(rpc.list_cases(unit_code="186", geo_version="LEGACY")) == {before["id"]}
    assert ids(rpc.list_cases(unit_code="06400", geo_version="V2025")) == {v2025_team["id"]}
    # a V2025 commune holds the pre-reform history of the communes merged into it
    assert ids(rpc.list_cases(unit_code="06388", geo_version="V2025")) == \
        {before["id"], after["id"]}


def test_a_batch_places_cases_as_the_live_intake_does(rpc, directory):
    team_id, _ = directory.team(**YEN_THINH)
    live = [submit(rpc, team_id, at) for at in (BEFORE, AFTER)]
    loaded = [item["case"] for item in rpc.submit_cases(
        [case_payload(team_id, received_at=at) for at in (BEFORE, AFTER)], ACTOR)]
    assert [place(c) for c in loaded] == [place(c) for c in live] == [
        ("LEGACY", "06400", "186", "06388"), ("V2025", "06388", None, "06388")]


def publish(config: dict, event_type: str, ref: dict, sequence: int, **fields) -> None:
    event = new_event(event_type, {**ref, **fields}, unit_code=ref["commune_code"],
                      geo_version=ref["geo_version"], aggregate_id=ref["team_id"],
                      sequence=sequence)
    event_dispatcher(config)("teams", event_type, event.model_dump(mode="json"))


def test_a_corrected_placement_moves_the_teams_cases(rpc, cases, directory, team_places,
                                                     cases_config):
    team_id, _ = directory.team(**BINH_XA)
    before, after = submit(rpc, team_id, BEFORE), submit(rpc, team_id, AFTER)
    assert ids(rpc.list_cases(unit_code="06613", geo_version="V2025")) == \
        {before["id"], after["id"]}
    stale_place = team_places.get(team_id)  # PostgreSQL's intake caches it, SQLite's not

    ref = {"team_id": team_id, **BINH_XA}
    publish(cases.config, "team.placement_corrected", {**ref, "v2025_code": "06625"}, 5,
            previous_v2025_code="06613")
    moved = wait_for(lambda: ids(rpc.list_cases(unit_code="06625", geo_version="V2025")))
    assert moved == {before["id"], after["id"]}
    assert rpc.list_cases(unit_code="06613", geo_version="V2025")["total_count"] == 0
    assert assert_counters_exact(cases_config["DATABASE_URL"]) == 2  # they moved too
    assert place(rpc.get_case(before["id"])) == ("LEGACY", "06622", "189", "06625")
    assert place(rpc.get_case(after["id"])) == ("V2025", "06625", None, "06625")
    assert ids(rpc.list_cases(unit_code="06622", geo_version="LEGACY")) == {before["id"]}
    events = [e for e in rpc.history(0, 1000)["items"]
              if e["type"] == "case.place_corrected"]
    assert sorted((e["aggregate_id"], e["sequence"], e["payload"]["previous_v2025_code"],
                   e["payload"]["v2025_code"]) for e in events) == \
        sorted([(before["id"], 2, "06613", "06625"), (after["id"], 2, "06613", "06625")])

    # An older team event delivered late keeps the newer place.
    elected = EVENTS_CONSUMED.labels("cases", "team.leader_elected", "applied")
    count = elected._value.get()
    publish(cases.config, "team.leader_elected", ref, 4, mediator_id="m-late",
            elected_on="2018-01-05")
    wait_for(lambda: elected._value.get() > count)
    # Another process may still hold the team's old place in its cache: the intake
    # statement notices that the team moved.
    if stale_place is not None:
        team_places.remember(team_id, stale_place)
    later = submit(rpc, team_id, "2025-09-01T09:00:00+07:00")
    assert place(later) == ("V2025", "06625", None, "06625")


@pytest.mark.parametrize("received_at", [BEFORE, AFTER])
def test_code_06400_never_crosses_layouts(rpc, directory, received_at):
    old, _ = directory.team(**YEN_THINH)
    new, _ = directory.team(**HUU_LIEN)
    mine = {layout: submit(rpc, team, received_at)["id"]
            for layout, team in (("LEGACY", old), ("V2025", new))}
    legacy = ids(rpc.list_cases(unit_code="06400", geo_version="LEGACY"))
    v2025 = ids(rpc.list_cases(unit_code="06400", geo_version="V2025"))
    assert mine["V2025"] in v2025 and mine["V2025"] not in legacy
    assert mine["LEGACY"] not in v2025
    assert (mine["LEGACY"] in legacy) == (received_at == BEFORE)
