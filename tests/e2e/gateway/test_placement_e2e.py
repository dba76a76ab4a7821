"""A team of a LEGACY commune split in 2025 through the gateway and the four real
services (processes), on the embedded SQLite default and on PostgreSQL: its current
commune is the crosswalk's default, shown as an assumption; the commune officer corrects
it; its cases move in cases' V2025 lists and in reporting's V2025 figures (rate, report,
remuneration), and a rebuild from history gives the same figures.

Bính Xá (LEGACY 06622, district 189) became part of 06613 (the default) or 06625."""

import time
import uuid
from datetime import UTC, datetime

import pytest

from services.teams import demo as teams_demo
from tests.support.gateway_client import GraphQLClient, codes
from tests.support.system import BACKENDS, databases, module_system

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-placement"
ACTOR = {"username": "e2e", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "V2025", "team_id": None}
WAIT = 60
USERS = {  # key: (username, role, scope, layout)
    "officer": ("commune.v2025.06613", "COMMUNE_OFFICER", "06613", "V2025"),
    "elsewhere": ("commune.v2025.06400", "COMMUNE_OFFICER", "06400", "V2025"),
    "bình xá": ("commune.legacy.06622", "COMMUNE_OFFICER", "06622", "LEGACY"),
    "province": ("province.officer", "PROVINCE_OFFICER", "20", "V2025"),
}
TEAM = """query($id: ID!) { team(id: $id) { id currentCommune { code geoVersion }
  legacyCommune { code geoVersion } unit { code geoVersion } placementAssumed
  issues { code severity } } }"""
CORRECT = """mutation($id: ID!, $c: String!) { correctTeamPlacement(teamId: $id, communeCode: $c)
  { team { currentCommune { code } legacyCommune { code } placementAssumed issues { code } }
    errors { code field } } }"""
SUBMIT = """mutation($t: ID!, $k: String!, $r: String!) {
  submitCase(input: {idempotencyKey: $k, teamId: $t, category: CONFLICT, receivedAt: $r,
    subject: "Tranh chấp lối đi", description: "Hai hộ tranh chấp lối đi chung",
    parties: [{fullName: "Nguyễn Văn Ẻ"}, {fullName: "Hoàng Thị Gờ"}]})
  { case { id } errors { code message } } }"""
STEPS = ["""mutation($id: ID!, $m: [ID!]!) { assignMediators(caseId: $id, mediatorIds: $m)
  { errors { code } } }""", """mutation($id: ID!) { startMediation(caseId: $id)
  { errors { code } } }""", """mutation($id: ID!) { recordOutcome(caseId: $id,
  outcome: SUCCESSFUL) { errors { code } } }"""]
CASES = """query($u: String!, $v: GeoVersion!) { cases(unitCode: $u, geoVersion: $v, first: 50)
  { totalCount edges { node { id } } } }"""
FIGURES = """query($u: String!, $v: GeoVersion!, $y: Int!, $paid: Int!) {
  successRate(unitCode: $u, year: $y, geoVersion: $v) { received successful }
  report(unitCode: $u, year: $y, geoVersion: $v) { total { received } teams mediators }
  remuneration(unitCode: $u, year: $paid, geoVersion: $v) { cases paid } }"""
UNITS = [("V2025", "06613"), ("V2025", "06625"), ("LEGACY", "06622"), ("LEGACY", "189"),
         ("V2025", "20")]
RECEIVED = {"before": "2025-06-20T09:00:00+07:00", "after": "2025-08-01T09:00:00+07:00"}


@pytest.fixture(scope="module", params=BACKENDS)
def world(vhost_pipeline, new_database, request, tmp_path_factory):
    amqp_uri, log_dir = request.config.getoption("RABBIT_AMQP_URI"), tmp_path_factory.mktemp("e2e")
    with module_system(vhost_pipeline, databases(request.param, new_database, log_dir),
                       amqp_uri, log_dir) as (system, rpc, _):
        client = GraphQLClient(system.url)
        rpc.teams.create_users([{"username": u, "password": PASSWORD, "role": r,
                                 "scope_code": s, "scope_version": v, "team_id": None}
                                for u, r, s, v in USERS.values()], True, ACTOR)
        tokens = {key: client.login(u, PASSWORD)["data"]["login"]["token"]
                  for key, (u, *_) in USERS.items()}
        commune = rpc.teams.get_unit("06622", "LEGACY")
        planned = teams_demo.Generator(seed=5).team(commune, "Thôn Nà Phai", False)
        [team_id] = rpc.teams.import_teams([planned], ACTOR)
        yield {"rpc": rpc, "client": client, "tokens": tokens, "team_id": team_id,
               "team": rpc.teams.get_team(team_id), "cases": {}}


def gql(world, who: str, query: str, **variables) -> dict:
    return world["client"].post(query, variables, world["tokens"][who]).json()


def submitted(body: dict) -> dict | None:
    """The body if it made a case (a NOT_FOUND on input.teamId: not in cases' directory yet)."""
    payload = (body.get("data") or {}).get("submitCase") or {}
    return body if payload.get("case") else None


def wait_until(check, what: str):
    deadline = time.monotonic() + WAIT
    while not (result := check()):
        assert time.monotonic() < deadline, f"{what}: not within {WAIT}s"
        time.sleep(0.5)
    return result


def listed(world, layout: str, code: str) -> set[str]:
    body = gql(world, "province", CASES, u=code, v=layout)
    return {e["node"]["id"] for e in body["data"]["cases"]["edges"]}


def figures(world) -> dict:
    year, paid = 2025, datetime.now(UTC).year
    return {(layout, code): gql(world, "province", FIGURES, u=code, v=layout, y=year,
                                paid=paid)["data"] for layout, code in UNITS}


def test_the_team_shows_its_assumed_current_commune(world):
    team = gql(world, "officer", TEAM, id=world["team_id"])["data"]["team"]
    assert team["currentCommune"] == {"code": "06613", "geoVersion": "V2025"}
    assert team["legacyCommune"] == team["unit"] == {"code": "06622", "geoVersion": "LEGACY"}
    assert team["placementAssumed"] is True
    assert {"code": "PLACEMENT_ASSUMED", "severity": "WARNING"} in team["issues"]


def test_a_split_communes_target_can_be_stated_and_a_wrong_one_is_refused(world):
    form = """mutation($c: String) { formTeam(input: {name: "Tổ 2", communeCode: "06622",
      geoVersion: LEGACY, formedOn: "2018-01-02", currentCommuneCode: $c})
      { team { id currentCommune { code } placementAssumed } errors { code field } } }"""
    body = gql(world, "bình xá", form, c="06637")
    assert body.get("data"), body
    bad = body["data"]["formTeam"]
    assert bad == {"team": None, "errors": [{"code": "BAD_USER_INPUT",
                                             "field": "input.currentCommuneCode"}]}
    good = gql(world, "bình xá", form, c="06625")["data"]["formTeam"]
    assert good["errors"] == [] and good["team"]["currentCommune"] == {"code": "06625"}
    assert good["team"]["placementAssumed"] is False
    world["stated_team"] = good["team"]["id"]


def test_cases_before_and_after_the_reform_count_in_the_assumed_commune(world):
    team = world["team"]
    for when, received_at in RECEIVED.items():
        variables = {"t": team["id"], "k": uuid.uuid4().hex, "r": received_at}
        # until cases' directory knows the team, submitCase is NOT_FOUND on input.teamId
        body = wait_until(lambda v=variables: submitted(gql(world, "officer", SUBMIT, **v)),
                          "cases learns of the team")
        case_id = body["data"]["submitCase"]["case"]["id"]
        for step in STEPS:
            # cases learns of the team's mediators from their own events, maybe after the
            # team's: until then assignMediators is NOT_FOUND on mediatorIds
            done = wait_until(lambda s=step, c=case_id: (d := gql(
                world, "officer", s, id=c, m=team["mediator_ids"][:2])) and
                codes(d) != ["NOT_FOUND"] and d, "cases learns of the mediators")
            assert not codes(done) and next(iter(done["data"].values()))["errors"] == [], done
        world["cases"][when] = case_id
    both = set(world["cases"].values())
    assert listed(world, "V2025", "06613") == both
    assert listed(world, "LEGACY", "06622") == {world["cases"]["before"]}
    got = wait_until(lambda: (f := figures(world))[("V2025", "06613")]["successRate"][
        "successful"] == 2 and f, "reporting counts both cases")
    assert got[("V2025", "06625")]["successRate"]["successful"] == 0
    assert got[("LEGACY", "06622")]["successRate"]["successful"] == 1  # before the reform
    world["before"] = got


def test_a_commune_officer_out_of_scope_may_not_correct_it(world):
    body = gql(world, "elsewhere", CORRECT, id=world["team_id"], c="06625")
    assert codes(body) == ["FORBIDDEN"] and body["data"] is None
    team = gql(world, "officer", TEAM, id=world["team_id"])["data"]["team"]
    assert (team["currentCommune"]["code"], team["placementAssumed"]) == ("06613", True)


def test_the_commune_officer_corrects_it_and_cases_and_figures_follow(world):
    wrong = gql(world, "officer", CORRECT, id=world["team_id"], c="06637")
    assert wrong["data"]["correctTeamPlacement"] == {
        "team": None, "errors": [{"code": "BAD_USER_INPUT", "field": "communeCode"}]}
    body = gql(world, "officer", CORRECT, id=world["team_id"], c="06625")
    assert body["data"]["correctTeamPlacement"] == {
        "team": {"currentCommune": {"code": "06625"}, "legacyCommune": {"code": "06622"},
                 "placementAssumed": False, "issues": []}, "errors": []}

    both = set(world["cases"].values())
    wait_until(lambda: listed(world, "V2025", "06625") == both, "cases follow the team")
    assert listed(world, "V2025", "06613") == set()
    assert listed(world, "LEGACY", "06622") == {world["cases"]["before"]}
    before = world["before"]
    after = wait_until(lambda: (f := figures(world))[("V2025", "06625")]["successRate"][
        "successful"] == 2 and f, "reporting moves the cases")
    old, new = ("V2025", "06613"), ("V2025", "06625")
    for figure in ("successRate", "remuneration"):
        assert (after[old][figure], after[new][figure]) == \
            (before[new][figure], before[old][figure])
    assert after[new]["remuneration"]["cases"] == 2
    mediators = len(world["team"]["mediator_ids"])
    assert (before[old]["report"]["teams"], before[old]["report"]["mediators"]) == \
        (1, mediators)
    assert (after[old]["report"]["teams"], after[old]["report"]["mediators"]) == (0, 0)
    assert (after[new]["report"]["teams"], after[new]["report"]["mediators"]) == \
        (2, mediators)  # with the team stated in 06625
    for unit in (("LEGACY", "06622"), ("LEGACY", "189"), ("V2025", "20")):
        assert after[unit] == before[unit], unit  # the LEGACY history stays put
    world["after"] = after


def test_a_rebuild_from_history_gives_the_same_figures(world):
    result = world["rpc"].reporting.rebuild()
    assert result["skipped"] == 0
    assert figures(world) == world["after"]


def test_success_rates_asked_together_equal_each_asked_alone(world):
    """A dashboard asks for its communes' rates in one request (aliases): the gateway
    fetches them in one call per layout, and each equals the rate asked alone."""
    fields = " ".join(f'u{i}: successRate(unitCode: "{code}", year: 2025, geoVersion: '
                      f'{layout}) {{ received successful }}'
                      for i, (layout, code) in enumerate(UNITS))
    body = gql(world, "province", f"{{ {fields} }}")
    assert "errors" not in body, body
    alone = figures(world)
    assert [body["data"][f"u{i}"] for i in range(len(UNITS))] == [
        {k: alone[unit]["successRate"][k] for k in ("received", "successful")}
        for unit in UNITS]
    unknown = gql(world, "province", f'{{ {fields} nope: successRate(unitCode: "99999", '
                                     'year: 2025) { received } }')
    assert codes(unknown) == ["NOT_FOUND"] and unknown["errors"][0]["path"] == ["nope"]
