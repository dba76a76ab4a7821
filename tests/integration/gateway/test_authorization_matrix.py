"""Every root query and mutation × every role × an object inside and outside the role's
scope, through HTTP: allowed or denied as the table says, and a denial changes nothing.

The expectations are written out here, apart from services/gateway/policy.py, so a
change to the policy that is not also a change to this table fails."""

import pytest

from services.gateway.schema import schema
from tests.support import gateway_backends as doubles
from tests.support.gateway_client import codes

ROLES = {
    "ANONYMOUS": None, "VIEWER": "viewer", "MEDIATOR": "mediator.t1",
    "TEAM_LEADER": "leader.t1", "COMMUNE_OFFICER": "commune.06400",
    "DISTRICT_OFFICER": "district.186", "PROVINCE_OFFICER": "province.officer",
}
ALL = set(ROLES)
SCOPED = {"MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"}
OFFICERS = {"COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"}
TEAM = {"MEDIATOR", "TEAM_LEADER"}
PROVINCE = {"PROVINCE_OFFICER"}
NOBODY: set = set()

IN = {"team": "t1", "case": "c1", "commune": "06400", "mediator": "t1-m1"}
OUT = {"team": "t2", "case": "c2", "commune": "06100", "mediator": "t2-m1"}

# (root field, document with {team} {case} {commune} {mediator}, allowed in scope, outside)
QUERIES = [
    ("me", "{ me { username } }", ALL, ALL),
    ("health", "{ health { service } }", ALL, ALL),
    ("pipeline", "{ pipeline { caughtUp pendingEvents } }", ALL, ALL),
    ("unit", '{ unit(code: "{commune}", geoVersion: LEGACY) { code name } }', ALL, ALL),
    ("units", "{ units(geoVersion: LEGACY) { code } }", ALL, ALL),
    ("team", '{ team(id: "{team}") { id name mediators { fullName } } }', SCOPED, PROVINCE),
    ("teams", '{ teams(unitCode: "{commune}") { totalCount edges { node { id } } } }',
     SCOPED, PROVINCE),
    ("mediator", '{ mediator(id: "{mediator}") { id fullName } }', SCOPED, PROVINCE),
    ("nonCompliantTeams", '{ nonCompliantTeams(unitCode: "{commune}") { id } }',
     SCOPED, PROVINCE),
    ("pilot", "{ pilot(year: 2019) { year communes { unit { code } } } }", ALL, ALL),
    ("case", '{ case(id: "{case}") { id status team { name } } }', SCOPED, PROVINCE),
    ("cases", '{ cases(unitCode: "{commune}") { totalCount edges { node { id } } } }',
     SCOPED, PROVINCE),
    ("overdueCases", '{ overdueCases(unitCode: "{commune}") { totalCount } }',
     SCOPED, PROVINCE),
    ("logBook", '{ logBook(teamId: "{team}", year: 2025) { filename } }',
     TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("successRate", '{ successRate(unitCode: "{commune}", year: 2025, geoVersion: LEGACY) '
                    '{ rate target } }', ALL, ALL),
    ("report", '{ report(unitCode: "{commune}", year: 2025, geoVersion: LEGACY) '
               '{ total { received } byCategory { category } } }', ALL, ALL),
    ("reportFile", '{ reportFile(unitCode: "{commune}", year: 2025, geoVersion: LEGACY) '
                   '{ filename } }', ALL, ALL),
    ("hotspots", '{ hotspots(unitCode: "{commune}", geoVersion: LEGACY) { cases unit { code } } }',
     ALL, ALL),
    ("remuneration", '{ remuneration(unitCode: "{commune}", year: 2025) { paid } }',
     OFFICERS, PROVINCE),
    ("team", '{ team(id: "{team}") { id successRate(year: 2025) { rate target } } }',
     SCOPED, PROVINCE),
    ("inspections", '{ inspections(unitCode: "{commune}", year: 2025) { id findings } }',
     OFFICERS, PROVINCE),
    ("commendations", '{ commendations(unitCode: "{commune}") { id reason team { id } } }',
     SCOPED, PROVINCE),
    ("pilotEvaluation", "{ pilotEvaluation(year: 2018) { year teamsMeetingTarget "
                        "modelTeams { teamId rate } districts { meetsMinimum } } }", ALL, ALL),
    ("multiYearSummary", '{ multiYearSummary(unitCode: "{commune}", fromYear: 2019, '
                         "toYear: 2021, geoVersion: LEGACY) { years { year rate } "
                         "total { received } } }", ALL, ALL),
    ("deadLetters", "{ deadLetters { totalCount edges { node { id } } } }", PROVINCE, PROVINCE),
]

PARTIES = '[{fullName: "A"}, {fullName: "B"}]'
MUTATIONS = [
    ("login", 'mutation { login(username: "viewer", password: "demo") { token } }', ALL, ALL),
    ("submitCase", 'mutation { submitCase(input: {idempotencyKey: "k-{team}", teamId: "{team}",'
                   ' category: CONFLICT, subject: "s", description: "d", parties: ' + PARTIES +
                   '}) { case { id } errors { code } } }', TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("assignMediators", 'mutation { assignMediators(caseId: "{case}", mediatorIds: ["x"]) '
                        '{ errors { code } } }', {"TEAM_LEADER", "COMMUNE_OFFICER"}, NOBODY),
    ("startMediation", 'mutation { startMediation(caseId: "{case}") { errors { code } } }',
     TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("recordOutcome", 'mutation { recordOutcome(caseId: "{case}", outcome: SUCCESSFUL) '
                      '{ errors { code } } }', TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("escalateCase", 'mutation { escalateCase(caseId: "{case}", reason: "mass dispute", '
                     'kind: MASS_OR_COMPLEX) '
                     '{ errors { code } } }', TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("referCase", 'mutation { referCase(caseId: "{case}", authority: "UBND", reason: "r") '
                  '{ errors { code } } }', TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("followUp", 'mutation { followUp(caseId: "{case}", carriedOut: true) { errors { code } } }',
     TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("formTeam", 'mutation { formTeam(input: {communeCode: "{commune}", name: "Tổ 9", '
                 'village: "Thôn 9", formedOn: "2025-01-02"}) { team { id } errors { code } } }',
     {"COMMUNE_OFFICER"}, NOBODY),
    ("addMediator", 'mutation { addMediator(input: {teamId: "{team}", fullName: "Lý Thị C", '
                    'gender: FEMALE}) { errors { code } } }', {"COMMUNE_OFFICER"}, NOBODY),
    ("recogniseMediator", 'mutation { recogniseMediator(input: {mediatorId: "{mediator}", '
                          'decisionNumber: "12/QĐ", decisionDate: "2025-01-02"}) '
                          '{ errors { code } } }', {"COMMUNE_OFFICER"}, NOBODY),
    ("electLeader", 'mutation { electLeader(teamId: "{team}", mediatorId: "{team}-m2") '
                    '{ errors { code } } }', {"COMMUNE_OFFICER"}, NOBODY),
    ("dissolveTeam", 'mutation { dissolveTeam(teamId: "{team}", dissolvedOn: "2025-07-01") '
                     '{ errors { code } } }', {"COMMUNE_OFFICER"}, NOBODY),
    ("recordReview", 'mutation { recordReview(input: {teamId: "{team}", reviewedOn: '
                     '"2025-01-02", findings: "ok"}) '
                     '{ errors { code } } }', OFFICERS, PROVINCE),
    ("recordInspection", 'mutation { recordInspection(input: {unitCode: "{commune}", '
                         'inspectedOn: "2025-01-02", body: "Sở Tư pháp", findings: "ok"}) '
                         '{ errors { code } } }', {"DISTRICT_OFFICER", "PROVINCE_OFFICER"},
     PROVINCE),
    ("recordCommendation", 'mutation { recordCommendation(input: {teamId: "{team}", '
                           'level: DISTRICT, awardedOn: "2025-01-02", reason: "good"}) '
                           '{ errors { code } } }',
     {"DISTRICT_OFFICER", "PROVINCE_OFFICER"}, PROVINCE),
    ("recordTraining", 'mutation { recordTraining(input: {mediatorId: "{mediator}", training: '
                       '"Luật HGCS", trainedOn: "2025-05-01"}) { errors { code } } }',
     OFFICERS, PROVINCE),
    ("recordContest", 'mutation { recordContest(input: {mediatorId: "{mediator}", contest: '
                      '"Hội thi", heldOn: "2025-05-01", result: "Giải nhì"}) { errors { code } } }',
     OFFICERS, PROVINCE),
    ("selectPilotCommune", 'mutation { selectPilotCommune(year: 2018, communeCode: '
                           '"{commune}") { errors { code } } }',
     {"DISTRICT_OFFICER", "PROVINCE_OFFICER"}, PROVINCE),
    ("selectModelTeam", 'mutation { selectModelTeam(year: 2018, teamId: "{team}") '
                        '{ errors { code } } }', OFFICERS, PROVINCE),
    ("setBudget", 'mutation { setBudget(communeCode: "{commune}", year: 2025, amount: 5e6) '
                  '{ errors { code } } }', {"COMMUNE_OFFICER", "PROVINCE_OFFICER"}, PROVINCE),
    ("setPilotProgramme", 'mutation { setPilotProgramme(input: {year: 2026, deadline: '
                          '"2026-03-20", periodStart: "2026-04-01", periodEnd: "2027-12-31"}) '
                          '{ pilot { year } errors { code } } }', PROVINCE, PROVINCE),
    ("replayDeadLetter", 'mutation { replayDeadLetter(id: "1") { replayed errors { code } } }',
     PROVINCE, PROVINCE),
]


def test_the_table_covers_every_root_field():
    graphql = schema.graphql_schema
    assert {row[0] for row in QUERIES} == set(graphql.query_type.fields)
    assert {row[0] for row in MUTATIONS} == set(graphql.mutation_type.fields)


def _fill(document: str, target: dict) -> str:
    for key, value in target.items():
        document = document.replace("{" + key + "}", value)
    return document


def _outcome(body: dict, field: str) -> str:
    found = codes(body)
    if "FORBIDDEN" in found or "UNAUTHENTICATED" in found:
        assert (body.get("data") or {}).get(field) is None
        return "deny"
    assert not found, body
    result = (body.get("data") or {}).get(field)
    assert result is not None or field == "me", body  # me: null for anonymous callers
    if isinstance(result, dict):
        assert result.get("errors", []) == [], body
    return "allow"


@pytest.mark.parametrize("field, document, inside, outside",
                         QUERIES + MUTATIONS, ids=[r[0] for r in QUERIES + MUTATIONS])
def test_role_by_scope(gateway, field, document, inside, outside):
    mismatches = []
    for role, username in ROLES.items():
        for where, target, allowed in (("in", IN, inside), ("out", OUT, outside)):
            doubles.WRITES.clear()
            body = gateway.run(_fill(document, target), as_user=username)
            got = _outcome(body, field)
            want = "allow" if role in allowed else "deny"
            if got != want:
                mismatches.append(f"{role}/{where}: {got}, expected {want}: {body}")
            if got == "deny" and doubles.WRITES:
                mismatches.append(f"{role}/{where}: denied but wrote {doubles.WRITES}")
    assert mismatches == []


PERSONAL = '{ case(id: "{case}") { id description parties { fullName address } } }'
PERSONAL_LIST = '{ cases(first: 100) { edges { node { id team { id } description ' \
                'parties { fullName } } } } }'
MAY_SEE = {("MEDIATOR", "in"), ("TEAM_LEADER", "in"), ("COMMUNE_OFFICER", "in")}


def test_no_personal_data_leaks_out_of_scope(gateway):
    leaks, seen = [], []
    for role, username in ROLES.items():
        for where, target in (("in", IN), ("out", OUT)):
            text = gateway.post(_fill(PERSONAL, target),
                                token=gateway.token(username) if username else None).text
            names = [n for n in ("Nguyễn Văn A", "Sự việc") if n in text]
            if names and (role, where) not in MAY_SEE:
                leaks.append(f"{role}/{where}: {text[:300]}")
            if names:
                seen.append((role, where))
    assert leaks == []
    assert set(seen) == MAY_SEE  # the allowed ones do see it: the check above can fail


def test_a_page_of_cases_shows_personal_data_of_the_callers_own_cases_only(gateway):
    shown = {}
    for role, username in ROLES.items():
        body = gateway.run(PERSONAL_LIST, as_user=username)
        edges = (body.get("data") or {}).get("cases", {"edges": []})["edges"]
        shown[role] = {e["node"]["team"]["id"] for e in edges
                       if e["node"]["description"] or e["node"]["parties"]}
    assert shown["MEDIATOR"] == shown["TEAM_LEADER"] == {"t1"}
    assert shown["COMMUNE_OFFICER"] and "t2" not in shown["COMMUNE_OFFICER"]
    assert shown["DISTRICT_OFFICER"] == shown["PROVINCE_OFFICER"] == set()
    assert shown["VIEWER"] == shown["ANONYMOUS"] == set()


def test_a_district_officer_sees_communes_of_their_district_only(gateway):
    body = gateway.run('{ cases(unitCode: "186", first: 100) { totalCount } }',
                       as_user="district.186")
    assert body["data"]["cases"]["totalCount"] == 1 + doubles.BULK_CASES
    other = gateway.run('{ cases(unitCode: "180") { totalCount } }', as_user="district.186")
    assert codes(other) == ["FORBIDDEN"]


def test_a_missing_object_and_a_forbidden_one_look_the_same(gateway):
    missing = gateway.run('{ case(id: "nope") { id } }', as_user="commune.06400")
    forbidden = gateway.run('{ case(id: "c2") { id } }', as_user="commune.06400")
    assert missing == forbidden and codes(missing) == ["FORBIDDEN"]
    assert codes(gateway.run('{ case(id: "nope") { id } }', as_user="province.officer")) \
        == ["NOT_FOUND"]


def test_commendations_and_model_teams_show_only_what_the_caller_may_read(gateway):
    seen = {}
    for role, username in ROLES.items():
        listed = gateway.run("{ commendations { team { id } } }", as_user=username)
        pilot = gateway.run("{ pilotEvaluation(year: 2018) { modelTeams { team { name } } } }",
                            as_user=username)
        seen[role] = ({c["team"]["id"] for c in (listed["data"] or {}).get("commendations")
                       or []}, pilot["data"]["pilotEvaluation"]["modelTeams"][0]["team"])
    assert seen["MEDIATOR"][0] == seen["TEAM_LEADER"][0] == {"t1"}
    assert seen["COMMUNE_OFFICER"][0] == seen["DISTRICT_OFFICER"][0] == {"t1"}
    assert seen["PROVINCE_OFFICER"][0] == {"t1", "t2"}
    assert seen["VIEWER"] == seen["ANONYMOUS"] == (set(), None)  # figures, no registry
    assert seen["PROVINCE_OFFICER"][1] == {"name": "Tổ hòa giải t1"}


def test_a_bad_pilot_programme_is_a_payload_error_and_writes_nothing(gateway):
    body = gateway.run('mutation { setPilotProgramme(input: {year: 2026, deadline: "2026-03-20",'
                       ' periodStart: "2027-04-01", periodEnd: "2026-12-31"}) '
                       '{ pilot { year } errors { code field } } }', as_user="province.officer")
    assert body["data"]["setPilotProgramme"] == {
        "pilot": None, "errors": [{"code": "BAD_USER_INPUT", "field": "input.periodEnd"}]}
    assert doubles.WRITES == []
