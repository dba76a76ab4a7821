"""The registry's findings in the public API: the gateway on the real teams service (cases
and reporting are doubles), so the flags come from the real rules."""

import pytest

from services.gateway.auth import Tokens
from services.gateway.service import GatewayService
from services.teams.service import TeamsService
from tests.support import gateway_backends as doubles
from tests.support.gateway_client import SECRET, GraphQLClient, codes

OFFICER = {"username": "commune2025.06187", "role": "COMMUNE_OFFICER", "scope_code": "06187",
           "scope_version": "V2025", "team_id": None}
TEAM = "team { id compliant complianceReasons issues { code severity message } }"
MEDIATOR = ("mediator { id electedOn recognition { decisionNumber decisionDate late "
            "workingDays } }")


@pytest.fixture
def api(container_factory, rabbit_config, service_config):
    container_factory(TeamsService, service_config("teams")).start()
    for double in (doubles.CasesDouble, doubles.ReportingDouble):
        container_factory(double, rabbit_config).start()
    gateway = container_factory(GatewayService, service_config(
        "gateway", JWT_SECRET=SECRET, RPC_TIMEOUT=10,
        LIMITS={"rate_per_second": 1000, "rate_burst": 1000}))
    gateway.start()
    client = GraphQLClient(f"http://{gateway.config['WEB_SERVER_ADDRESS']}/graphql")
    token = Tokens(SECRET).issue(OFFICER)
    yield lambda query, **variables: client.post(query, variables, token).json()


def _form(api) -> str:
    body = api("""mutation { formTeam(input: {communeCode: "06187", name: "Tổ hòa giải khối 1",
        formedOn: "2018-01-02"}) { team { id } errors { code message } } }""")
    assert body["data"]["formTeam"]["errors"] == [], body
    return body["data"]["formTeam"]["team"]["id"]


def _add(api, team_id: str, name: str, gender: str, ethnicity: str = "Kinh",
         elected_on: str = "2018-01-08") -> dict:
    return api("""mutation($t: ID!, $n: String!, $g: Gender!, $e: String, $d: String) {
        addMediator(input: {teamId: $t, fullName: $n, gender: $g, ethnicity: $e,
        electedOn: $d, electionShare: 0.7}) { MEDIATOR errors { code message } } }"""
               .replace("MEDIATOR", MEDIATOR),
               t=team_id, n=name, g=gender, e=ethnicity, d=elected_on)["data"]["addMediator"]


def test_team_flags_and_a_late_recognition_show_in_the_api(api):
    team_id = _form(api)
    added = [_add(api, team_id, name, gender) for name, gender in (
        ("Hoàng Thị Mai", "FEMALE"), ("Nông Văn Hùng", "MALE"), ("Lương Văn Sơn", "MALE"))]
    assert all(a["errors"] == [] for a in added), added
    team = api("query($id: ID!) { " + TEAM.replace("team {", "team(id: $id) {") + " }",
               id=team_id)["data"]["team"]
    assert team["compliant"] is False  # three members, no leader elected
    assert team["issues"] == [
        {"code": "NO_LEADER", "severity": "RULE", "message": "no team leader elected"},
        {"code": "NO_ETHNIC_MINORITY_MEDIATOR", "severity": "WARNING",
         "message": "no ethnic-minority mediator"}]

    leader = added[0]["mediator"]["id"]
    elected = api("""mutation($t: ID!, $m: ID!) { electLeader(teamId: $t, mediatorId: $m,
        electedOn: "2018-01-10") { TEAM errors { code } } }""".replace("TEAM", TEAM),
                  t=team_id, m=leader)
    assert elected["data"]["electLeader"]["team"]["compliant"] is True
    assert [i["code"] for i in elected["data"]["electLeader"]["team"]["issues"]] == \
        ["NO_ETHNIC_MINORITY_MEDIATOR"]

    # Elected Monday 8/1/2018; the decision of Friday 2/2/2018 is 19 working days later:
    # 14 past the 5 that Art. 8 allows.
    recognised = api("""mutation($m: ID!) { recogniseMediator(input: {mediatorId: $m,
        decisionNumber: "12/QĐ-UBND", decisionDate: "2018-02-02"}) { MEDIATOR errors { code } }
        }""".replace("MEDIATOR", MEDIATOR), m=leader)["data"]["recogniseMediator"]
    assert recognised["errors"] == []
    assert recognised["mediator"]["electedOn"] == "2018-01-08"
    assert recognised["mediator"]["recognition"] == {
        "decisionNumber": "12/QĐ-UBND", "decisionDate": "2018-02-02", "late": True,
        "workingDays": 19}
    assert added[1]["mediator"]["recognition"] is None


def test_an_election_in_the_future_is_refused(api):
    team_id = _form(api)
    refused = _add(api, team_id, "Hoàng Thị Mai", "FEMALE", elected_on="2030-01-02")
    assert refused["mediator"] is None
    assert [e["code"] for e in refused["errors"]] == ["BAD_USER_INPUT"]
    assert "in the future" in refused["errors"][0]["message"]
    body = api("query($id: ID!) { team(id: $id) { mediators { id } } }", id=team_id)
    assert body["data"]["team"]["mediators"] == [] and codes(body) == []


def test_a_registry_refusal_names_its_reason(api):
    """Refusals sharing a field and a code (CONFLICT on mediatorId) differ by their reason,
    which the console words them by."""
    team_id, other_id = _form(api), _form(api)
    mediator = _add(api, team_id, "Hoàng Thị Mai", "FEMALE")["mediator"]["id"]
    errors = "errors { field code message reason }"
    share = api("""mutation($t: ID!) { addMediator(input: {teamId: $t, fullName: "Nông Văn Hùng",
        gender: MALE, electionShare: 0.4}) { mediator { id } ERRORS } }""".replace(
        "ERRORS", errors), t=team_id)["data"]["addMediator"]
    assert share["mediator"] is None
    assert share["errors"] == [{
        "field": "input.electionShare", "code": "BAD_USER_INPUT",
        "reason": "ELECTION_SHARE_TOO_LOW",
        "message": "a mediator needs more than 50% of the household representatives (Art. 8)"}]
    outsider = api("""mutation($t: ID!, $m: ID!) { electLeader(teamId: $t, mediatorId: $m,
        electedOn: "2018-01-10") { team { id } ERRORS } }""".replace("ERRORS", errors),
                   t=other_id, m=mediator)["data"]["electLeader"]
    assert [(e["field"], e["code"], e["reason"]) for e in outsider["errors"]] == [
        ("mediatorId", "CONFLICT", "LEADER_NOT_A_MEMBER")]
    early = api("""mutation($m: ID!) { recogniseMediator(input: {mediatorId: $m,
        decisionNumber: "1/QĐ-UBND", decisionDate: "2018-01-05"}) { mediator { id } ERRORS }
        }""".replace("ERRORS", errors), m=mediator)["data"]["recogniseMediator"]
    assert [(e["field"], e["reason"]) for e in early["errors"]] == [
        ("input.decisionDate", "DECISION_BEFORE_ELECTION")]
