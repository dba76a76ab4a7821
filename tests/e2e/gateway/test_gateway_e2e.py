"""Login and each role's view through HTTP against the real teams, cases and reporting
services, started as processes (tests/support/system.py)."""

import time
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from tests.support.gateway_client import GraphQLClient, codes
from tests.support.system import module_system

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-pass"
ACTOR = {"username": "e2e", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}


@pytest.fixture(scope="module")
def world(vhost_pipeline, new_database, request, tmp_path_factory):
    amqp_uri, log_dir = request.config.getoption("RABBIT_AMQP_URI"), tmp_path_factory.mktemp("e2e")
    with module_system(vhost_pipeline, new_database, amqp_uri, log_dir) as (system, rpc, amqp):
        client = GraphQLClient(system.url)
        client.amqp = amqp["AMQP_URI"]
        yield setup_world(rpc.teams, client)


def setup_world(teams, client: GraphQLClient) -> dict:
    communes = teams.list_units("COMMUNE", None, "LEGACY")
    home = communes[0]
    away = next(c for c in communes if c["parent_code"] != home["parent_code"])
    users = [("province.officer", "PROVINCE_OFFICER", "20", None),
             (f"district.{home['parent_code']}", "DISTRICT_OFFICER", home["parent_code"], None),
             (f"commune.{home['code']}", "COMMUNE_OFFICER", home["code"], None),
             (f"commune.{away['code']}", "COMMUNE_OFFICER", away["code"], None),
             ("viewer", "VIEWER", None, None)]
    teams.create_users([_user(*u) for u in users], True, ACTOR)
    world = {"client": client, "home": home, "away": away, "tokens": {}}
    for username, *_ in users:
        world["tokens"][username] = login(client, username)
    return world


def _user(username, role, scope, team_id):
    return {"username": username, "password": PASSWORD, "role": role, "scope_code": scope,
            "scope_version": "LEGACY", "team_id": team_id}


def login(client: GraphQLClient, username: str) -> str:
    body = client.login(username, PASSWORD)
    assert "errors" not in body, body
    return body["data"]["login"]["token"]


def run(world, username, query, variables=None) -> dict:
    token = world["tokens"].get(username)
    return world["client"].post(query, variables, token).json()


FORM = """mutation($c: String!) { formTeam(input: {communeCode: $c, name: "Tổ hòa giải E2E",
  village: "Thôn Nà Pàn", formedOn: "2024-01-10"}) { team { id unit { code } } errors { code
  message } } }"""
ADD = """mutation($t: ID!, $n: String!, $g: Gender!) { addMediator(input: {teamId: $t,
  fullName: $n, gender: $g, ethnicity: "Tày", electedOn: "2024-01-12", electionShare: 0.7})
  { mediator { id fullName } errors { code message } } }"""
SUBMIT = """mutation($t: ID!, $k: String!) { submitCase(input: {idempotencyKey: $k, teamId: $t,
  category: CIVIL_FAMILY, subject: "Tranh chấp lối đi", description: "Hai nhà tranh chấp lối đi",
  parties: [{fullName: "Nguyễn Văn Ẻ", address: "Thôn 1"}, {fullName: "Hoàng Thị Gờ"}]})
  { case { id status } errors { code message field } } }"""
CASE = """query($id: ID!) { case(id: $id) { id status team { name } parties { fullName } } }"""


def test_login_and_me_through_the_real_teams_service(world):
    home = world["home"]["code"]
    body = run(world, f"commune.{home}", "{ me { username role scopeCode scope { name } } }")
    assert body["data"]["me"]["role"] == "COMMUNE_OFFICER"
    assert body["data"]["me"]["scope"]["name"] == world["home"]["name"]
    wrong = world["client"].login(f"commune.{home}", "not-the-password")
    assert codes(wrong) == ["UNAUTHENTICATED"]


def test_registry_and_cases_per_role(world):
    home, away = world["home"]["code"], world["away"]["code"]
    officer, other = f"commune.{home}", f"commune.{away}"
    denied = run(world, other, FORM, {"c": home})
    assert codes(denied) == ["FORBIDDEN"]
    formed = run(world, officer, FORM, {"c": home})["data"]["formTeam"]
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
    district_view = run(world, f"district.{world['home']['parent_code']}", CASE, {"id": case_id})
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
        body = run(world, user, '{ successRate(unitCode: "20", year: 2025, geoVersion: LEGACY) '
                                "{ received rate target } }")
        assert "errors" not in body, body
        assert body["data"]["successRate"]["target"] == 0.8


def _leader(world, team_id) -> str:
    home = world["home"]["code"]
    username = f"leader.{team_id}".lower()[:60]
    body = run(world, "province.officer", "{ health { service } }")
    assert body["data"]
    with ClusterRpcProxy({"AMQP_URI": world["client"].amqp}, timeout=30) as rpc:
        rpc.teams.create_users([_user(username, "TEAM_LEADER", home, team_id)], True, ACTOR)
    return login(world["client"], username)


def _submit_when_cases_knows_the_team(world, officer, team_id) -> str:
    """cases learns of the team from teams' events: retry for a bounded while."""
    deadline = time.monotonic() + 20
    while True:
        body = run(world, officer, SUBMIT, {"t": team_id, "k": uuid.uuid4().hex})
        result = body["data"]["submitCase"]
        if result["case"]:
            return result["case"]["id"]
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
