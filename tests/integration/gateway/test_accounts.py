"""Officers' accounts through the public API, on the real teams service (cases and
reporting are doubles) with two gateway replicas, on PostgreSQL and on `make run`'s
SQLite: the role × scope matrix of the account mutations, the one-time password flow,
disabling an account (its token refused by both replicas within a second), and bad input
(literals and variables) that is a typed error and stores nothing."""

import time

import pytest
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import func, select

from services.gateway.service import GatewayService
from services.teams.models import RevokedToken, User, outbox
from services.teams.service import TeamsService
from tests.integration.teams.conftest import ACTOR
from tests.support import gateway_backends as doubles
from tests.support.gateway_client import SECRET, GraphQLClient, codes
from tests.support.system import BACKENDS

PASSWORD = "a-long-pass-phrase"
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
    token mustChangePassword user { username role } } }"""
ME = "{ me { username } }"
CREATE = """mutation($i: CreateUserInput!) { createUser(input: $i) {
    user { username fullName role unit { code geoVersion } teamId active mustChangePassword }
    oneTimePassword errors { code field message } } }"""
SET_ACTIVE = """mutation($u: String!, $a: Boolean!) { setUserActive(username: $u, active: $a) {
    user { username active } errors { code field message } } }"""
RESET = """mutation($u: String!) { resetPassword(username: $u) {
    user { username mustChangePassword } oneTimePassword errors { code field message } } }"""
CHANGE = """mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n)
    { token user { username } errors { code field message } } }"""
USERS = """query($u: String, $r: Role) { users(unitCode: $u, role: $r, first: 100) { totalCount
    edges { node { username fullName role unit { code geoVersion } teamId active
    mustChangePassword } } } }"""


class World:
    def __init__(self, clients, rpc, db, home, away, home_team, away_team):
        self.clients, self.rpc, self.db = clients, rpc, db
        self.home, self.away, self.home_team, self.away_team = home, away, home_team, away_team
        self.tokens: dict[str, str] = {}

    def login(self, username, password=PASSWORD, replica=0) -> dict:
        return self.clients[replica].post(LOGIN, {"u": username, "p": password}).json()

    def token(self, username) -> str:
        if username not in self.tokens:
            body = self.login(username)
            assert body.get("data"), body
            self.tokens[username] = body["data"]["login"]["token"]
        return self.tokens[username]

    def run(self, username, query, variables=None, replica=0) -> dict:
        token = self.token(username) if username else None
        return self.clients[replica].post(query, variables, token=token).json()

    def snapshot(self) -> tuple:
        """The users (every column but none of the hashes' values), revocations, events."""
        with self.db.begin() as session:
            users = sorted((u.username, u.role, u.scope_code, u.team_id, u.active,
                            u.must_change_password, u.full_name, hash(u.password_hash))
                           for u in session.scalars(select(User)))
            return (users, session.scalar(select(func.count()).select_from(RevokedToken)),
                    session.scalar(select(func.count()).select_from(outbox)))


@pytest.fixture(params=BACKENDS)
def world(request, container_factory, service_config, rabbit_config, tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/teams.db"} \
        if request.param == "sqlite" else {}
    teams_config = service_config("teams", LOGIN_THROTTLE={
        "per_user": 5, "per_address": 100000, "window_seconds": 60}, **database)
    teams = container_factory(TeamsService, teams_config)
    teams.start()
    for double in (doubles.CasesDouble, doubles.ReportingDouble):
        container_factory(double, rabbit_config).start()
    clients = []
    for _ in range(2):
        gateway = container_factory(GatewayService, service_config(
            "gateway", JWT_SECRET=SECRET, LIMITS={"rate_per_second": 1000, "rate_burst": 1000}))
        gateway.start()
        clients.append(GraphQLClient(f"http://{gateway.config['WEB_SERVER_ADDRESS']}/graphql"))
    db = next(d for d in teams.dependencies if d.attr_name == "db").sessions
    with ServiceRpcProxy("teams", teams_config, timeout=30) as rpc:
        home, away = [u["code"] for u in rpc.list_units("COMMUNE", None, "V2025")[:2]]
        home_team, away_team = (rpc.form_team({"name": f"Tổ hòa giải {c}", "commune_code": c,
                                               "geo_version": "V2025",
                                               "formed_on": "2025-08-01"}, ACTOR)["id"]
                                for c in (home, away))
        users = [("province.officer", "PROVINCE_OFFICER", "20", None, "V2025"),
                 ("commune.home", "COMMUNE_OFFICER", home, None, "V2025"),
                 ("commune.away", "COMMUNE_OFFICER", away, None, "V2025"),
                 ("leader.home", "TEAM_LEADER", home, home_team, "V2025"),
                 ("viewer", "VIEWER", "20", None, "V2025"),
                 ("district.186", "DISTRICT_OFFICER", "186", None, "LEGACY"),
                 # the accounts the matrix acts on
                 ("target.commune", "COMMUNE_OFFICER", home, None, "V2025"),
                 ("target.leader", "TEAM_LEADER", home, home_team, "V2025"),
                 ("target.mediator", "MEDIATOR", away, away_team, "V2025"),
                 ("target.viewer", "VIEWER", away, None, "V2025")]
        rpc.create_users([{"username": u, "password": PASSWORD, "role": r, "scope_code": s,
                           "team_id": t, "scope_version": v} for u, r, s, t, v in users],
                         False, ACTOR)
        yield World(clients, rpc, db, home, away, home_team, away_team)


ACTORS = ("province.officer", "commune.home", "commune.away", "leader.home", "viewer",
          "district.186", None)


def creations(w: World) -> list[tuple[str, dict, set]]:
    """(what, input without username, the actors allowed)."""
    return [
        ("commune officer", {"fullName": "Lý Văn A", "role": "COMMUNE_OFFICER",
                             "unitCode": w.home}, {"province.officer"}),
        ("viewer", {"fullName": "Lý Văn B", "role": "VIEWER"}, {"province.officer"}),
        ("leader at home", {"fullName": "Lý Văn C", "role": "TEAM_LEADER",
                            "teamId": w.home_team}, {"commune.home"}),
        ("mediator away", {"fullName": "Lý Thị D", "role": "MEDIATOR",
                           "teamId": w.away_team}, {"commune.away"}),
        ("district officer", {"fullName": "Lý Văn E", "role": "DISTRICT_OFFICER",
                              "unitCode": "186"}, set()),
        ("province officer", {"fullName": "Lý Văn F", "role": "PROVINCE_OFFICER",
                              "unitCode": "20"}, set()),
    ]


# the target account → the actors that may reset, disable and enable it
MANAGED_BY = {"target.commune": {"province.officer"}, "target.viewer": {"province.officer"},
              "target.leader": {"commune.home"}, "target.mediator": {"commune.away"},
              "province.officer": set()}


def outcome(body: dict, field: str) -> str:
    found = codes(body)
    if "FORBIDDEN" in found or "UNAUTHENTICATED" in found:
        assert (body.get("data") or {}).get(field) is None, body
        return "deny"
    assert not found and body["data"][field]["errors"] == [], body
    return "allow"


def test_role_by_scope_for_the_account_mutations(world):
    mismatches = []

    def check(actor, field, query, variables, allowed, what):
        before = world.snapshot()
        body = world.run(actor, query, variables)
        got, want = outcome(body, field), "allow" if actor in allowed else "deny"
        if got != want:
            mismatches.append(f"{field} {what} by {actor}: {got}, expected {want}: {body}")
        if got == "deny" and world.snapshot() != before:
            mismatches.append(f"{field} {what} by {actor}: denied but stored")

    for n, actor in enumerate(ACTORS):
        for what, data, allowed in creations(world):
            check(actor, "createUser", CREATE, {"i": {**data, "username": f"new.{n}.{len(what)}"
                                                      f"{what[:3]}"}}, allowed, what)
    for target, allowed in MANAGED_BY.items():
        for actor in ACTORS:
            check(actor, "resetPassword", RESET, {"u": target}, allowed, target)
            check(actor, "setUserActive", SET_ACTIVE, {"u": target, "a": False}, allowed, target)
            check(actor, "setUserActive", SET_ACTIVE, {"u": target, "a": True}, allowed, target)
            world.tokens.pop(target, None)  # a reset revoked its token
    for actor in ("province.officer", "commune.home"):
        check(actor, "setUserActive", SET_ACTIVE, {"u": actor, "a": False}, set(), "itself")
        check(actor, "resetPassword", RESET, {"u": actor}, set(), "itself")
    assert mismatches == []


def test_created_accounts_get_a_one_time_password_and_are_listed_in_scope(world):
    body = world.run("province.officer", CREATE, {"i": {
        "username": "commune.new", "fullName": "Hoàng Thị Mai", "role": "COMMUNE_OFFICER",
        "unitCode": world.home}})["data"]["createUser"]
    assert body["errors"] == [] and len(body["oneTimePassword"]) >= 12
    assert body["user"] == {"username": "commune.new", "fullName": "Hoàng Thị Mai",
                            "role": "COMMUNE_OFFICER",
                            "unit": {"code": world.home, "geoVersion": "V2025"},
                            "teamId": None, "active": True, "mustChangePassword": True}
    made = world.run("commune.home", CREATE, {"i": {
        "username": "mediator.new", "fullName": "Nông Văn Hùng", "role": "MEDIATOR",
        "teamId": world.home_team}})["data"]["createUser"]
    assert made["errors"] == [] and made["user"]["unit"]["code"] == world.home
    listed = world.run("commune.home", USERS)["data"]["users"]
    names = {e["node"]["username"] for e in listed["edges"]}
    assert names == {"commune.home", "commune.new", "leader.home", "target.commune",
                     "target.leader", "mediator.new"}
    assert listed["totalCount"] == len(names)
    everyone = world.run("province.officer", USERS)["data"]["users"]
    assert everyone["totalCount"] == 12
    mediators = world.run("province.officer", USERS, {"r": "MEDIATOR"})["data"]["users"]
    assert {e["node"]["username"] for e in mediators["edges"]} == {"mediator.new",
                                                                   "target.mediator"}
    for actor, unit in (("commune.home", world.away), ("leader.home", None),
                        ("viewer", None), ("district.186", None)):
        assert codes(world.run(actor, USERS, {"u": unit})) == ["FORBIDDEN"], actor
    assert "password" not in str(everyone).lower().replace("mustchangepassword", "")


def test_the_one_time_password_must_be_changed_before_anything_else(world):
    made = world.run("province.officer", CREATE, {"i": {
        "username": "commune.otp", "fullName": "Lương Văn Sơn", "role": "COMMUNE_OFFICER",
        "unitCode": world.home}})["data"]["createUser"]
    otp = made["oneTimePassword"]
    login = world.login("commune.otp", otp)["data"]["login"]
    assert login["mustChangePassword"] is True
    token = login["token"]
    client = world.clients[0]
    me = client.post("{ me { username mustChangePassword } }", token=token).json()
    assert me["data"]["me"] == {"username": "commune.otp", "mustChangePassword": True}
    for document in ('{ teams { totalCount } }', USERS,
                     'mutation { formTeam(input: {communeCode: "' + world.home +
                     '", name: "Tổ 9", formedOn: "2025-09-01"}) { errors { code } } }'):
        body = client.post(document, token=token).json()
        assert codes(body) == ["FORBIDDEN"], body
        assert "changePassword" in body["errors"][0]["message"]
    for new, field in (("short", "newPassword"), ("Unbelievable", "newPassword"),
                       (otp, "newPassword")):
        refused = client.post(CHANGE, {"o": otp, "n": new}, token=token).json()
        assert refused["data"]["changePassword"]["errors"][0]["field"] == field, refused
    wrong = client.post(CHANGE, {"o": "not-the-password", "n": "Tổ hòa giải Nà Pàn 2025"},
                        token=token).json()["data"]["changePassword"]
    assert wrong["token"] is None and wrong["errors"][0] == {
        "code": "BAD_USER_INPUT", "field": "oldPassword", "message": "oldPassword: wrong password"}
    changed = client.post(CHANGE, {"o": otp, "n": "Tổ hòa giải Nà Pàn 2025"},
                          token=token).json()["data"]["changePassword"]
    assert changed["errors"] == [] and changed["user"] == {"username": "commune.otp"}
    fresh = changed["token"]
    assert client.post('{ teams { totalCount } }', token=fresh).json()["data"]["teams"]
    assert client.post(ME, token=token).status_code == 401  # the one-time token: revoked
    _refused_on(world.clients[1], token)
    assert world.login("commune.otp", otp)["errors"][0]["extensions"]["code"] == \
        "UNAUTHENTICATED"
    again = world.login("commune.otp", "Tổ hòa giải Nà Pàn 2025")["data"]["login"]
    assert again["mustChangePassword"] is False
    # a reset: a new one-time password, every token of the account refused
    reset = world.run("province.officer", RESET, {"u": "commune.otp"})["data"]["resetPassword"]
    assert reset["errors"] == [] and reset["user"]["mustChangePassword"] is True
    assert client.post(ME, token=fresh).status_code == 401
    _refused_on(world.clients[1], again["token"])
    relogin = world.login("commune.otp", reset["oneTimePassword"])["data"]["login"]
    assert relogin["mustChangePassword"] is True


def _refused_on(client, token):
    deadline = time.monotonic() + 1.0
    while client.post(ME, token=token).status_code != 401:
        assert time.monotonic() < deadline, "the other replica still takes the token"
        time.sleep(0.05)


def test_a_disabled_account_cannot_log_in_and_its_token_is_refused_by_both_replicas(world):
    token = world.token("target.commune")
    for client in world.clients:
        assert client.post(ME, token=token).json()["data"]["me"]["username"] == "target.commune"
    done = world.run("province.officer", SET_ACTIVE, {"u": "target.commune", "a": False})
    assert done["data"]["setUserActive"] == {"user": {"username": "target.commune",
                                                      "active": False}, "errors": []}
    assert world.clients[0].post(ME, token=token).status_code == 401  # at once
    _refused_on(world.clients[1], token)
    wrong = world.login("target.commune", "wrong-password-1")
    refused = world.login("target.commune")
    assert codes(refused) == codes(wrong) == ["UNAUTHENTICATED"]
    assert refused["errors"][0]["message"] == wrong["errors"][0]["message"]
    world.run("province.officer", SET_ACTIVE, {"u": "target.commune", "a": True})
    assert world.login("target.commune")["data"]["login"]["token"]


BAD_CREATES = [  # (input, error code, field)
    ({"username": "Bad Name", "fullName": "A", "role": "VIEWER"}, "BAD_USER_INPUT",
     "input.username"),
    ({"username": "x" * 500, "fullName": "A", "role": "VIEWER"}, "BAD_USER_INPUT",
     "input.username"),
    ({"username": "ok.name", "fullName": "", "role": "VIEWER"}, "BAD_USER_INPUT",
     "input.fullName"),
    ({"username": "ok.name", "fullName": "A", "role": "COMMUNE_OFFICER"}, "BAD_USER_INPUT",
     "input.unitCode"),
    ({"username": "ok.name", "fullName": "A", "role": "COMMUNE_OFFICER", "unitCode": "20"},
     "BAD_USER_INPUT", "input.unitCode"),
    ({"username": "ok.name", "fullName": "A", "role": "COMMUNE_OFFICER",
      "unitCode": "99999"}, "NOT_FOUND", "input.unitCode"),
    ({"username": "ok.name", "fullName": "A", "role": "VIEWER", "teamId": "t1"},
     "BAD_USER_INPUT", "input.teamId"),
    ({"username": "viewer", "fullName": "A", "role": "VIEWER"}, "CONFLICT", "input.username"),
    ({"username": "ok.name", "fullName": "A", "role": "KING"}, "BAD_USER_INPUT", None),
    ({"username": "ok.name", "fullName": "A"}, "BAD_USER_INPUT", None),
    ({"username": 12, "fullName": "A", "role": "VIEWER"}, "BAD_USER_INPUT", None),
]


def _error(body: dict, field: str) -> tuple[str, str | None]:
    if body.get("errors"):
        error = body["errors"][0]
        return error["extensions"]["code"], error["extensions"].get("field")
    error = body["data"][field]["errors"][0]
    return error["code"], error["field"]


def test_bad_input_is_a_typed_error_and_stores_nothing(world):
    before = world.snapshot()
    for data, code, field in BAD_CREATES:
        body = world.run("province.officer", CREATE, {"i": data})
        got = _error(body, "createUser")
        assert got[0] == code and (field is None or got[1] == field), (data, body)
    literal = world.run("province.officer", 'mutation { createUser(input: {username: "Bad Name",'
                        ' fullName: "A", role: VIEWER}) { errors { code field } } }')
    assert literal["data"]["createUser"]["errors"] == [{"code": "BAD_USER_INPUT",
                                                        "field": "input.username"}]
    literal = world.run("province.officer", 'mutation { createUser(input: {username: "a.b", '
                        'fullName: "A", role: KING}) { errors { code } } }')
    assert codes(literal) and all(literal_code for literal_code in codes(literal))
    for query, variables in ((SET_ACTIVE, {"u": "nobody", "a": False}),
                             (SET_ACTIVE, {"u": "target.viewer", "a": "yes"}),
                             (SET_ACTIVE, {"u": None, "a": True}),
                             (RESET, {"u": "nobody"}), (RESET, {"u": ""}),
                             (RESET, {"u": "x" * 5000}), (USERS, {"u": "99999"}),
                             (USERS, {"r": "KING"})):
        body = world.run("province.officer", query, variables)
        assert codes(body) and None not in codes(body) \
            and "INTERNAL_SERVER_ERROR" not in codes(body), (query, variables, body)
    for new in ("short", "Unbelievable", "x" * 201, PASSWORD):
        body = world.run("commune.home", CHANGE, {"o": PASSWORD, "n": new})
        assert _error(body, "changePassword") == ("BAD_USER_INPUT", "newPassword"), body
    assert codes(world.run("commune.home", CHANGE, {"o": PASSWORD, "n": 12}))
    literal = world.run("commune.home", 'mutation { changePassword(oldPassword: "x", '
                        'newPassword: "scandinavian") { token errors { code field } } }')
    assert literal["data"]["changePassword"] == {
        "token": None, "errors": [{"code": "BAD_USER_INPUT", "field": "newPassword"}]}
    assert world.snapshot() == before
