"""A populated world on a running system, for hostile-client and fuzzing tests: users of
each role (current users: V2025), a team of three mediators in a home V2025 commune, one
case, and a count of what is stored (to prove a refused request changed nothing)."""

import time
import uuid
from dataclasses import dataclass, field

from tests.support.gateway_client import GraphQLClient

PASSWORD = "security-pass"
ACTOR = {"username": "security", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "V2025", "team_id": None}
MEDIATORS = (("Hoàng Thị Mai", "FEMALE"), ("Nông Văn Hùng", "MALE"), ("Lương Văn Sơn", "MALE"))

FORM = """mutation($c: String!, $n: String!, $v: String) { formTeam(input: {communeCode: $c,
  name: $n, village: $v, formedOn: "2024-01-10"}) { team { id name village }
  errors { code message field } } }"""
ADD = """mutation($t: ID!, $n: String!, $g: Gender!, $e: String) { addMediator(input: {
  teamId: $t, fullName: $n, gender: $g, ethnicity: $e, electedOn: "2024-01-12",
  electionShare: 0.7}) { mediator { id fullName ethnicity } errors { code message field } } }"""
SUBMIT = """mutation($t: ID!, $k: String!, $s: String!, $d: String!, $p1: String!,
  $a1: String, $p2: String!) { submitCase(input: {idempotencyKey: $k, teamId: $t,
  category: CIVIL_FAMILY, subject: $s, description: $d,
  parties: [{fullName: $p1, address: $a1}, {fullName: $p2}]})
  { case { id status subject description parties { fullName address } }
    errors { code message field } } }"""
COUNTS = """{ cases(first: 1) { totalCount } teams(first: 100) { totalCount
  edges { node { id mediators { id } } } } users(first: 100) { totalCount
  edges { node { username active mustChangePassword } } } }"""


@dataclass
class World:
    client: GraphQLClient
    secret: str
    home: dict
    away: dict
    team_id: str = ""
    mediator_ids: list[str] = field(default_factory=list)
    case_id: str = ""
    tokens: dict[str, str] = field(default_factory=dict)

    def run(self, username: str | None, query: str, variables: dict | None = None) -> dict:
        token = self.tokens.get(username) if username else None
        return self.client.post(query, variables, token).json()

    @property
    def officer(self) -> str:
        return f"commune2025.{self.home['code']}"

    @property
    def outsider(self) -> str:
        return f"commune2025.{self.away['code']}"

    def counts(self) -> dict:
        """What is stored, as the province officer sees it: cases, teams, mediators, the
    accounts and their state."""
        body = self.run("province.officer", COUNTS)
        assert "errors" not in body, body
        teams = body["data"]["teams"]
        return {"cases": body["data"]["cases"]["totalCount"], "teams": teams["totalCount"],
                "mediators": sum(len(e["node"]["mediators"]) for e in teams["edges"]),
                "users": [e["node"] for e in body["data"]["users"]["edges"]]}

    def submit(self, username: str | None = None, **fields) -> dict:
        values = {"t": self.team_id, "k": uuid.uuid4().hex, "s": "Tranh chấp lối đi",
                  "d": "Hai nhà tranh chấp lối đi", "p1": "Nguyễn Văn Ẻ", "a1": "Thôn 1",
                  "p2": "Hoàng Thị Gờ", **fields}
        return self.run(username or self.officer, SUBMIT, values)


def build_world(teams, client: GraphQLClient, secret: str) -> World:
    communes = teams.list_units("COMMUNE", None, "V2025")
    home, away = communes[0], communes[1]
    world = World(client, secret, home, away)
    users = [("province.officer", "PROVINCE_OFFICER", "20"),
             (world.officer, "COMMUNE_OFFICER", home["code"]),
             (world.outsider, "COMMUNE_OFFICER", away["code"]),
             ("viewer", "VIEWER", None)]
    teams.create_users([_user(*u) for u in users], True, ACTOR)
    for username, *_ in users:
        body = client.login(username, PASSWORD)
        assert "errors" not in body, body
        world.tokens[username] = body["data"]["login"]["token"]
    formed = world.run(world.officer, FORM, {"c": home["code"], "n": "Tổ hòa giải An Toàn",
                                             "v": "Thôn Nà Pàn"})["data"]["formTeam"]
    assert formed["errors"] == [], formed
    world.team_id = formed["team"]["id"]
    for name, gender in MEDIATORS:
        added = world.run(world.officer, ADD, {"t": world.team_id, "n": name, "g": gender,
                                               "e": "Tày"})["data"]["addMediator"]
        assert added["errors"] == [], added
        world.mediator_ids.append(added["mediator"]["id"])
    world.case_id = _first_case(world)
    return world


def _user(username, role, scope):
    return {"username": username, "password": PASSWORD, "role": role, "scope_code": scope,
            "scope_version": "V2025", "team_id": None}


def _first_case(world: World) -> str:
    """cases learns of the team (and its mediators) from teams' events: retry, bounded."""
    deadline = time.monotonic() + 30
    while True:
        body = world.submit()
        result = (body.get("data") or {}).get("submitCase") or {}
        if result.get("case"):
            return result["case"]["id"]
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
