"""Login and each role's view through HTTP against the real teams, cases and reporting
services, started as processes (tests/support/system.py). The current users are V2025:
the officer of V2025 Hữu Liên (06400) works with the teams of the LEGACY communes merged
into it, Yên Thịnh (LEGACY 06400) and the old Hữu Liên (LEGACY 06388); the officer of
district 186 (Hữu Lũng) is a history user."""

import time
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.gateway_client import GraphQLClient, codes
from tests.support.system import module_system

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-pass"
ACTOR = {"username": "e2e", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "V2025", "team_id": None}
HOME, AWAY = "06400", "06187"  # V2025 Hữu Liên; V2025 Kỳ Lừa
YEN_THINH, OLD_HUU_LIEN, DISTRICT = "06400", "06388", "186"  # LEGACY, merged into HOME
PRE_REFORM = "2025-03-01T08:00:00+07:00"


@pytest.fixture(scope="module")
def world(vhost_pipeline, new_database, request, tmp_path_factory):
    amqp_uri, log_dir = request.config.getoption("RABBIT_AMQP_URI"), tmp_path_factory.mktemp("e2e")
    with module_system(vhost_pipeline, new_database, amqp_uri, log_dir) as (system, rpc, amqp):
        client = GraphQLClient(system.url)
        client.amqp = amqp["AMQP_URI"]
        yield setup_world(rpc.teams, client)


def setup_world(teams, client: GraphQLClient) -> dict:
    communes = {c["code"]: c for c in teams.list_units("COMMUNE", None, "V2025")}
    home, away = communes[HOME], communes[AWAY]
    users = [("province.officer", "PROVINCE_OFFICER", "20", None),
             (f"district.{DISTRICT}", "DISTRICT_OFFICER", DISTRICT, None, "LEGACY"),
             (f"commune2025.{HOME}", "COMMUNE_OFFICER", HOME, None),
             (f"commune2025.{AWAY}", "COMMUNE_OFFICER", AWAY, None),
             ("viewer", "VIEWER", None, None)]
    teams.create_users([_user(*u) for u in users], True, ACTOR)
    world = {"client": client, "home": home, "away": away, "tokens": {}}
    for username, *_ in users:
        world["tokens"][username] = login(client, username)
    return world


def _user(username, role, scope, team_id, version="V2025"):
    return {"username": username, "password": PASSWORD, "role": role, "scope_code": scope,
            "scope_version": version, "team_id": team_id}


def login(client: GraphQLClient, username: str) -> str:
    body = client.login(username, PASSWORD)
    assert "errors" not in body, body
    return body["data"]["login"]["token"]


def run(world, username, query, variables=None) -> dict:
    token = world["tokens"].get(username)
    return world["client"].post(query, variables, token).json()


FORM = """mutation($c: String!, $g: GeoVersion, $n: String = "Tổ hòa giải E2E") {
  formTeam(input: {communeCode: $c, geoVersion: $g, name: $n, village: "Thôn Nà Pàn",
  formedOn: "2024-01-10"}) { team { id unit { code } } errors { code message } } }"""
ADD = """mutation($t: ID!, $n: String!, $g: Gender!) { addMediator(input: {teamId: $t,
  fullName: $n, gender: $g, ethnicity: "Tày", electedOn: "2024-01-12", electionShare: 0.7})
  { mediator { id fullName } errors { code message } } }"""
SUBMIT = """mutation($t: ID!, $k: String!, $r: String) { submitCase(input: {idempotencyKey: $k,
  teamId: $t, receivedAt: $r, category: CIVIL_FAMILY, subject: "Tranh chấp lối đi",
  description: "Hai nhà tranh chấp lối đi",
  parties: [{fullName: "Nguyễn Văn Ẻ", address: "Thôn 1"}, {fullName: "Hoàng Thị Gờ"}]})
  { case { id status } errors { code message field } } }"""
CASE = """query($id: ID!) { case(id: $id) { id status team { name } parties { fullName } } }"""


def test_login_and_me_through_the_real_teams_service(world):
    body = run(world, f"commune2025.{HOME}", "{ me { username role scopeCode scopeVersion "
                                             "scope { name geoVersion } } }")
    assert body["data"]["me"]["role"] == "COMMUNE_OFFICER"
    assert body["data"]["me"]["scopeVersion"] == "V2025"
    assert body["data"]["me"]["scope"] == {"name": "Xã Hữu Liên", "geoVersion": "V2025"}
    wrong = world["client"].login(f"commune2025.{HOME}", "not-the-password")
    assert codes(wrong) == ["UNAUTHENTICATED"]


def test_registry_and_cases_per_role(world):
    """A team of Yên Thịnh (LEGACY, merged into Hữu Liên) and a pre-reform case: Hữu Liên's
    officer and the district's history user read it, other communes do not."""
    officer, other = f"commune2025.{HOME}", f"commune2025.{AWAY}"
    denied = run(world, other, FORM, {"c": YEN_THINH, "g": "LEGACY"})
    assert codes(denied) == ["FORBIDDEN"]
    formed = run(world, officer, FORM, {"c": YEN_THINH, "g": "LEGACY"})["data"]["formTeam"]
    assert formed["errors"] == [], formed
    team_id = formed["team"]["id"]
    for name, gender in (("Hoàng Thị Mai", "FEMALE"), ("Nông Văn Hùng", "MALE"),
                         ("Lương Văn Sơn", "MALE")):
        added = run(world, officer, ADD, {"t": team_id, "n": name, "g": gender})
        assert added["data"]["addMediator"]["errors"] == [], added

    world["tokens"]["leader"] = _leader(world, team_id)
    case_id = _submit_when_cases_knows_the_team(world, officer, team_id)

    leader_view = run(world, "leader", CASE, {"id": case_id})
    assert leader_view["data"]["case"]["parties"][0]["fullName"] == "Nguyễn Văn Ẻ"
    district_view = run(world, f"district.{DISTRICT}", CASE, {"id": case_id})
    assert district_view["data"]["case"]["id"] == case_id
    assert district_view["data"]["case"]["parties"] is None
    assert codes(district_view) == ["FORBIDDEN"]  # the parties field only
    province_view = run(world, "province.officer", CASE, {"id": case_id})
    assert province_view["data"]["case"]["team"]["name"] == "Tổ hòa giải E2E"
    assert "Nguyễn Văn Ẻ" not in str(province_view)
    for outsider in (other, "viewer"):
        body = run(world, outsider, CASE, {"id": case_id})
        assert codes(body) == ["FORBIDDEN"] and body["data"]["case"] is None

    page = run(world, "province.officer", "{ cases(first: 100) { totalCount edges { node { id "
               "team { name mediators { fullName gender } } } } } }")
    assert page["data"]["cases"]["totalCount"] >= 1, page
    node = page["data"]["cases"]["edges"][0]["node"]
    assert len(node["team"]["mediators"]) == 3
    mine = run(world, officer, "{ teams { totalCount edges { node { id compliant } } } }")
    assert team_id in [e["node"]["id"] for e in mine["data"]["teams"]["edges"]]
    theirs = run(world, other, "{ teams { edges { node { id } } } }")
    assert team_id not in str(theirs)


def test_aggregates_are_open_to_everyone(world):
    for user in ("viewer", "province.officer", None):
        body = run(world, user, '{ successRate(unitCode: "20", year: 2025) '
                                "{ received rate target unit { geoVersion } } }")
        assert "errors" not in body, body
        assert body["data"]["successRate"]["target"] == 0.8


def _leader(world, team_id) -> str:
    home = HOME
    username = f"leader.{team_id}".lower()[:60]
    body = run(world, "province.officer", "{ health { service } }")
    assert body["data"]
    with ClusterRpcProxy({"AMQP_URI": world["client"].amqp}, timeout=30) as rpc:
        rpc.teams.create_users([_user(username, "TEAM_LEADER", home, team_id)], True, ACTOR)
    return login(world["client"], username)


def _submit_when_cases_knows_the_team(world, officer, team_id, received_at=PRE_REFORM) -> str:
    """cases learns of the team from teams' events: retry for a bounded while."""
    deadline = time.monotonic() + 20
    while True:
        body = run(world, officer, SUBMIT, {"t": team_id, "k": uuid.uuid4().hex,
                                            "r": received_at})
        result = (body.get("data") or {}).get("submitCase") or {}
        if result.get("case"):
            return result["case"]["id"]
        # not yet in cases' directory: NOT_FOUND on input.teamId, until its events arrive
        assert time.monotonic() < deadline, body
        time.sleep(0.5)


def _team_with_mediators(world, officer, commune, name) -> str:
    formed = run(world, officer, FORM, {"c": commune, "g": "LEGACY", "n": name})
    assert formed["data"]["formTeam"]["errors"] == [], formed
    team_id = formed["data"]["formTeam"]["team"]["id"]
    for mediator, gender in (("Hoàng Thị Lan", "FEMALE"), ("Vi Văn Tú", "MALE")):
        added = run(world, officer, ADD, {"t": team_id, "n": mediator, "g": gender})
        assert added["data"]["addMediator"]["errors"] == [], added
    return team_id


CASES = """query($u: String, $g: GeoVersion) { cases(unitCode: $u, geoVersion: $g, first: 100) {
  totalCount edges { node { id unit { code geoVersion } } } } }"""


def _ids(body) -> set[str]:
    assert "errors" not in body, body
    return {e["node"]["id"] for e in body["data"]["cases"]["edges"]}


def test_code_06400_in_each_layout_is_its_own_commune_and_never_leaks(world):
    """V2025 06400 is Hữu Liên, which took in LEGACY Yên Thịnh (06400) and the old Hữu Liên
    (06388); LEGACY 06400 is Yên Thịnh alone. Hữu Liên's officer reads the pre-reform cases
    of both merged communes and nothing outside; LEGACY 06400 never shows 06388's cases."""
    officer, other = f"commune2025.{HOME}", f"commune2025.{AWAY}"
    yen_thinh = _team_with_mediators(world, officer, YEN_THINH, "Tổ hòa giải Yên Thịnh")
    old_huu_lien = _team_with_mediators(world, officer, OLD_HUU_LIEN, "Tổ hòa giải Hữu Liên")
    away_team = _team_with_mediators(world, other, "05971", "Tổ hòa giải Kỳ Lừa")  # → 06187
    in_yen_thinh = _submit_when_cases_knows_the_team(world, officer, yen_thinh)
    in_old_huu_lien = _submit_when_cases_knows_the_team(world, officer, old_huu_lien)
    away = _submit_when_cases_knows_the_team(world, other, away_team)

    units = run(world, None, '{ current: unit(code: "06400") { name geoVersion } '
                             'legacy: unit(code: "06400", geoVersion: LEGACY) { name geoVersion '
                             "parent { code } } }")["data"]
    assert units["current"] == {"name": "Xã Hữu Liên", "geoVersion": "V2025"}
    assert units["legacy"] == {"name": "Xã Yên Thịnh", "geoVersion": "LEGACY",
                               "parent": {"code": DISTRICT}}

    mine = _ids(run(world, officer, CASES))
    assert {in_yen_thinh, in_old_huu_lien} <= mine and away not in mine
    assert _ids(run(world, officer, CASES, {"u": HOME})) == mine
    assert codes(run(world, officer, CASES, {"u": YEN_THINH, "g": "LEGACY"})) == ["FORBIDDEN"]
    assert not {in_yen_thinh, in_old_huu_lien} & _ids(run(world, other, CASES))

    current = _ids(run(world, "province.officer", CASES, {"u": "06400"}))
    legacy = _ids(run(world, "province.officer", CASES, {"u": "06400", "g": "LEGACY"}))
    assert {in_yen_thinh, in_old_huu_lien} <= current and away not in current
    assert in_yen_thinh in legacy and not {in_old_huu_lien, away} & legacy
    nodes = run(world, "province.officer", CASES, {"u": "06400", "g": "LEGACY"})
    assert {e["node"]["unit"]["geoVersion"] for e in nodes["data"]["cases"]["edges"]} \
        == {"LEGACY"}

    history = _ids(run(world, f"district.{DISTRICT}", CASES, {"u": "06400", "g": "LEGACY"}))
    assert in_yen_thinh in history and in_old_huu_lien not in history
    assert codes(run(world, f"district.{DISTRICT}", CASES, {"u": "06400"})) == ["FORBIDDEN"]


REVIEW = """mutation($t: ID!, $on: String!) { recordReview(input: {teamId: $t, reviewedOn: $on,
  findings: "Sổ theo dõi đầy đủ"}) { team { id } errors { code message } } }"""


def test_a_district_officer_records_history_only(world):
    team_id = _team_with_mediators(world, f"commune2025.{HOME}", YEN_THINH, "Tổ rà soát")
    district = f"district.{DISTRICT}"
    refused = run(world, district, REVIEW, {"t": team_id, "on": "2025-07-01"})
    assert codes(refused) == ["FORBIDDEN"] and refused["data"] is None, refused
    assert "districts ended on 1/7/2025" in refused["errors"][0]["message"]
    accepted = run(world, district, REVIEW, {"t": team_id, "on": "2025-06-30"})
    assert accepted["data"]["recordReview"]["errors"] == [], accepted
    current = run(world, f"commune2025.{HOME}", REVIEW, {"t": team_id, "on": "2025-07-01"})
    assert current["data"]["recordReview"]["errors"] == [], current


def _gateway_cursor(backend: str | None, offset: int = 0) -> str:
    """A cursor as the gateway wraps the cases service's (services/gateway/schema/common.py)."""
    import base64
    import json

    raw = json.dumps({"a": backend, "o": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _b64(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize("field", ["cases", "overdueCases"])
def test_bad_cursors_are_typed_errors_in_variables_and_literals(world, field):
    """Forged, foreign, old (page-number) and garbage cursors, through the real cases
    service: BAD_USER_INPUT naming `after`, never an internal error."""
    forged = [_b64("n:notanumber:x"), _b64("n:99999999999999999999:x"), _b64("o:40"),
              _b64("d:0:x" if field == "cases" else "n:0:x"), "%%%", "garbage"]
    cursors = ["garbage", *(_gateway_cursor(b) for b in forged)]
    query = f"query($a: String) {{ {field}(first: 5, after: $a) {{ totalCount }} }}"
    for cursor in cursors:
        by_variable = run(world, "province.officer", query, {"a": cursor})
        literal = run(world, "province.officer",
                      f'{{ {field}(first: 5, after: "{cursor}") {{ totalCount }} }}')
        for body in (by_variable, literal):
            assert codes(body) == ["BAD_USER_INPUT"], (cursor, body)
            assert body["errors"][0].get("extensions", {}).get("field", "after") == "after"


def test_case_pages_walk_through_the_gateway(world):
    query = """query($a: String) { cases(first: 1, after: $a) { totalCount
      pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    seen, after = [], None
    while True:
        page = run(world, "province.officer", query, {"a": after})["data"]["cases"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"] >= 1
