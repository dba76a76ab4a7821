"""Every root query and mutation × every role × an object inside and outside the role's
scope, through HTTP: allowed or denied as the table says, and a denial changes nothing.
The current users are scoped V2025 (a commune officer of a V2025 commune, team roles, the
province); the district officer is a LEGACY history user and so reads its targets in LEGACY.

The expectations are written out here, apart from services/gateway/policy.py, so a
change to the policy that is not also a change to this table fails."""

import pytest

from services.gateway.schema import schema
from tests.support import gateway_backends as doubles
from tests.support.gateway_client import codes

ROLES = {
    "ANONYMOUS": None, "VIEWER": "viewer", "MEDIATOR": "mediator.t1",
    "TEAM_LEADER": "leader.t1", "COMMUNE_OFFICER": "commune2025.06401",
    "DISTRICT_OFFICER": "district.186", "PROVINCE_OFFICER": "province.officer",
}
ALL = set(ROLES)
SCOPED = {"MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"}
OFFICERS = {"COMMUNE_OFFICER", "DISTRICT_OFFICER", "PROVINCE_OFFICER"}
TEAM = {"MEDIATOR", "TEAM_LEADER"}
PROVINCE = {"PROVINCE_OFFICER"}
NOBODY: set = set()

# {commune} in {layout}; {legacy}: a LEGACY commune (the pilot, budgets), merged into {commune}
IN = {"team": "t1", "case": "c1", "commune": "06401", "layout": "V2025", "legacy": "06400",
      "mediator": "t1-m1", "account": "acct.t1", "officer": "officer.in"}
OUT = {"team": "t2", "case": "c2", "commune": "06101", "layout": "V2025", "legacy": "06100",
       "mediator": "t2-m1", "account": "acct.t2", "officer": "officer.out"}
HISTORY = {"commune": "06400", "layout": "LEGACY"}, {"commune": "06100", "layout": "LEGACY"}


def targets(role: str) -> tuple[dict, dict]:
    """(in scope, outside): a district officer's communes are LEGACY ones."""
    if role == "DISTRICT_OFFICER":
        return {**IN, **HISTORY[0]}, {**OUT, **HISTORY[1]}
    return IN, OUT


# (root field, document with {team} {case} {commune} {mediator}, allowed in scope, outside)
QUERIES = [
    ("me", "{ me { username } }", ALL, ALL),
    ("health", "{ health { service } }", ALL, ALL),
    ("pipeline", "{ pipeline { caughtUp pendingEvents } }", ALL, ALL),
    ("unit", '{ unit(code: "{commune}", geoVersion: {layout}) { code name } }', ALL, ALL),
    ("units", "{ units(geoVersion: {layout}) { code } }", ALL, ALL),
    ("team", '{ team(id: "{team}") { id name mediators { fullName } } }', SCOPED, PROVINCE),
    ("teams", '{ teams(unitCode: "{commune}", geoVersion: {layout}) '
              '{ totalCount edges { node { id } } } }',
     SCOPED, PROVINCE),
    ("mediator", '{ mediator(id: "{mediator}") { id fullName } }', SCOPED, PROVINCE),
    ("nonCompliantTeams", '{ nonCompliantTeams(unitCode: "{commune}", geoVersion: {layout}) '
                          '{ id } }',
     SCOPED, PROVINCE),
    ("pilot", "{ pilot(year: 2019) { year communes { unit { code } currentUnit { code } } } }",
     ALL, ALL),
    ("case", '{ case(id: "{case}") { id status team { name } timeline { step actor at } } }',
     SCOPED, PROVINCE),
    ("cases", '{ cases(unitCode: "{commune}", geoVersion: {layout}) '
              '{ totalCount edges { node { id } } } }',
     SCOPED, PROVINCE),
    ("overdueCases", '{ overdueCases(unitCode: "{commune}", geoVersion: {layout}) '
                     '{ totalCount } }',
     SCOPED, PROVINCE),
    ("logBook", '{ logBook(teamId: "{team}", year: 2025) { filename } }',
     TEAM | {"COMMUNE_OFFICER"}, NOBODY),
    ("successRate", '{ successRate(unitCode: "{commune}", year: 2025, geoVersion: {layout}) '
                    '{ rate target } }', ALL, ALL),
    ("report", '{ report(unitCode: "{commune}", year: 2025, geoVersion: {layout}) '
               '{ total { received } byCategory { category } } }', ALL, ALL),
    ("reportFile", '{ reportFile(unitCode: "{commune}", year: 2025, geoVersion: {layout}) '
                   '{ filename } }', ALL, ALL),
    ("hotspots", '{ hotspots(unitCode: "{commune}", geoVersion: {layout}) '
                 '{ cases unit { code } } }',
     ALL, ALL),
    ("remuneration", '{ remuneration(unitCode: "{commune}", year: 2025, '
                     'geoVersion: {layout}) { paid } }',
     OFFICERS, PROVINCE),
    ("auditLog", '{ auditLog(unitCode: "{commune}", geoVersion: {layout}) { totalCount } }',
     OFFICERS, PROVINCE),
    ("team", '{ team(id: "{team}") { id successRate(year: 2025) { rate target } } }',
     SCOPED, PROVINCE),
    ("inspections", '{ inspections(unitCode: "{commune}", year: 2025, '
                    'geoVersion: {layout}) { id findings } }',
     OFFICERS, PROVINCE),
    ("commendations", '{ commendations(unitCode: "{commune}", geoVersion: {layout}) '
                      '{ id reason team { id } } }',
     SCOPED, PROVINCE),
    ("pilotEvaluation", "{ pilotEvaluation(year: 2018) { year teamsMeetingTarget "
                        "modelTeams { teamId rate currentCommune { code } } "
                        "districts { meetsMinimum } } }", ALL, ALL),
    ("multiYearSummary", '{ multiYearSummary(unitCode: "{commune}", fromYear: 2019, '
                         "toYear: 2021, geoVersion: {layout}) { years { year rate } "
                         "total { received } } }", ALL, ALL),
    ("deadLetters", "{ deadLetters { totalCount edges { node { id } } } }", PROVINCE, PROVINCE),
    ("users", '{ users(unitCode: "{commune}", geoVersion: {layout}) '
              '{ totalCount edges { node { username unit { code } } } } }',
     {"COMMUNE_OFFICER", "PROVINCE_OFFICER"}, PROVINCE),
    ("personalDataReport", '{ personalDataReport(caseId: "{case}") { caseId erased '
                           'parties { fullName address } texts { field text } } }',
     {"COMMUNE_OFFICER"}, NOBODY),
]
# account mutations: {account} is a team account of {team}, {officer} a commune officer's
# of {commune}; a province officer manages commune officers, a commune officer its teams'
ACCOUNT_MUTATIONS = [
    ("createUser", 'mutation { createUser(input: {username: "new.leader", fullName: "Lý Văn C",'
                   ' role: TEAM_LEADER, teamId: "{team}"}) { user { username } errors { code } }'
                   ' }', {"COMMUNE_OFFICER"}, NOBODY),
    ("createUser", 'mutation { createUser(input: {username: "new.officer", fullName: "Lý Văn D",'
                   ' role: COMMUNE_OFFICER, unitCode: "{commune}"}) { user { username } '
                   'errors { code } } }', PROVINCE, PROVINCE),
    ("createUser", 'mutation { createUser(input: {username: "new.district", fullName: "Lý E",'
                   ' role: DISTRICT_OFFICER, unitCode: "{commune}"}) { errors { code } } }',
     NOBODY, NOBODY),
    ("createUser", 'mutation { createUser(input: {username: "new.province", fullName: "Lý F",'
                   ' role: PROVINCE_OFFICER, unitCode: "20"}) { errors { code } } }',
     NOBODY, NOBODY),
    ("setUserActive", 'mutation { setUserActive(username: "{account}", active: false) '
                      '{ user { active } errors { code } } }', {"COMMUNE_OFFICER"}, NOBODY),
    ("setUserActive", 'mutation { setUserActive(username: "{officer}", active: false) '
                      '{ user { active } errors { code } } }', PROVINCE, PROVINCE),
    ("resetPassword", 'mutation { resetPassword(username: "{account}") '
                      '{ oneTimePassword errors { code } } }', {"COMMUNE_OFFICER"}, NOBODY),
    ("resetPassword", 'mutation { resetPassword(username: "{officer}") '
                      '{ oneTimePassword errors { code } } }', PROVINCE, PROVINCE),
    ("resetPassword", 'mutation { resetPassword(username: "province.officer") '
                      '{ oneTimePassword errors { code } } }', NOBODY, NOBODY),
    ("changePassword", 'mutation { changePassword(oldPassword: "demo", newPassword: '
                       '"Tổ hòa giải Nà Pàn") { token errors { code } } }',
     ALL - {"ANONYMOUS"}, ALL - {"ANONYMOUS"}),
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
    ("formTeam", 'mutation { formTeam(input: {communeCode: "{commune}", geoVersion: {layout}, '
                 'name: "Tổ 9", village: "Thôn 9", formedOn: "2025-01-02"}) '
                 '{ team { id } errors { code } } }',
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
    ("correctTeamPlacement", 'mutation { correctTeamPlacement(teamId: "{team}", '
                             'communeCode: "06401") { errors { code } } }',
     {"COMMUNE_OFFICER"}, NOBODY),
    ("recordReview", 'mutation { recordReview(input: {teamId: "{team}", reviewedOn: '
                     '"2025-01-02", findings: "ok"}) '
                     '{ errors { code } } }', OFFICERS, PROVINCE),
    ("recordInspection", 'mutation { recordInspection(input: {unitCode: "{commune}", '
                         'geoVersion: {layout}, inspectedOn: "2025-01-02", '
                         'body: "Sở Tư pháp", findings: "ok"}) '
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
                           '"{legacy}", selectedOn: "2018-03-10") { errors { code } } }',
     {"DISTRICT_OFFICER", "PROVINCE_OFFICER"}, PROVINCE),
    ("selectModelTeam", 'mutation { selectModelTeam(year: 2018, teamId: "{team}", '
                        'selectedOn: "2018-03-15") { errors { code } } }', OFFICERS, PROVINCE),
    ("setBudget", 'mutation { setBudget(communeCode: "{commune}", geoVersion: {layout}, '
                  'year: 2025, amount: 5e6) { errors { code } } }',
     {"COMMUNE_OFFICER", "PROVINCE_OFFICER"}, PROVINCE),
    ("setPilotProgramme", 'mutation { setPilotProgramme(input: {year: 2026, deadline: '
                          '"2026-03-20", periodStart: "2026-04-01", periodEnd: "2027-12-31"}) '
                          '{ pilot { year } errors { code } } }', PROVINCE, PROVINCE),
    ("replayDeadLetter", 'mutation { replayDeadLetter(id: "1") { replayed errors { code } } }',
     PROVINCE, PROVINCE),
    ("erasePersonalData", 'mutation { erasePersonalData(caseId: "{case}", reason: "yêu cầu") '
                          '{ alreadyErased report { erased } errors { code } } }',
     {"COMMUNE_OFFICER"}, NOBODY),
    ("logout", "mutation { logout { revoked } }", ALL - {"ANONYMOUS"}, ALL - {"ANONYMOUS"}),
    *ACCOUNT_MUTATIONS,
]
REVOKING = ("logout", "changePassword")  # they revoke the caller's token: a new one after


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
        inner, outer = targets(role)
        for where, target, allowed in (("in", inner, inside), ("out", outer, outside)):
            doubles.WRITES.clear()
            if field in REVOKING:  # it revokes the token: each call and later tests a new one
                gateway.tokens.pop(username, None)
            body = gateway.run(_fill(document, target), as_user=username)
            if field in REVOKING:
                gateway.tokens.pop(username, None)
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
        for where, target in zip(("in", "out"), targets(role), strict=True):
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
    body = gateway.run('{ cases(unitCode: "186", geoVersion: LEGACY, first: 100) '
                       "{ totalCount } }", as_user="district.186")
    assert body["data"]["cases"]["totalCount"] == 1 + doubles.BULK_CASES
    other = gateway.run('{ cases(unitCode: "180", geoVersion: LEGACY) { totalCount } }',
                        as_user="district.186")
    assert codes(other) == ["FORBIDDEN"]
    # districts are no V2025 units: asked in the default layout, the code names nothing
    current = gateway.run('{ cases(unitCode: "186") { totalCount } }', as_user="district.186")
    assert codes(current) == ["NOT_FOUND"] and current["errors"][0]["extensions"]["field"] \
        == "unitCode"


def test_a_missing_object_and_a_forbidden_one_look_the_same(gateway):
    missing = gateway.run('{ case(id: "nope") { id } }', as_user="commune2025.06401")
    forbidden = gateway.run('{ case(id: "c2") { id } }', as_user="commune2025.06401")
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


# (mutation, its date argument's place in the document) for every write a district
# officer may make: dated after 30/6/2025 it is refused, dated before it is accepted.
DISTRICT_WRITES = [
    ("recordReview", 'mutation { recordReview(input: {teamId: "t1", reviewedOn: "{on}", '
                     'findings: "ok"}) { errors { code } } }'),
    ("recordTraining", 'mutation { recordTraining(input: {mediatorId: "t1-m1", training: '
                       '"Luật HGCS", trainedOn: "{on}"}) { errors { code } } }'),
    ("recordContest", 'mutation { recordContest(input: {mediatorId: "t1-m1", contest: '
                      '"Hội thi", heldOn: "{on}", result: "Giải nhì"}) { errors { code } } }'),
    ("recordInspection", 'mutation { recordInspection(input: {unitCode: "06400", geoVersion: '
                         'LEGACY, inspectedOn: "{on}", body: "Phòng Tư pháp", findings: "ok"})'
                         ' { errors { code } } }'),
    ("recordCommendation", 'mutation { recordCommendation(input: {teamId: "t1", level: '
                           'DISTRICT, awardedOn: "{on}", reason: "good"}) { errors { code } } }'),
    ("selectPilotCommune", 'mutation { selectPilotCommune(year: 2018, communeCode: "06400", '
                           'selectedOn: "{on}") { errors { code } } }'),
    ("selectModelTeam", 'mutation { selectModelTeam(year: 2018, teamId: "t1", '
                        'selectedOn: "{on}") { errors { code } } }'),
]


@pytest.mark.parametrize("field, document", DISTRICT_WRITES, ids=[w[0] for w in DISTRICT_WRITES])
def test_a_district_officer_writes_history_only(gateway, field, document):
    for on in ("2025-07-01", "2026-01-05"):
        doubles.WRITES.clear()
        body = gateway.run(document.replace("{on}", on), as_user="district.186")
        assert codes(body) == ["FORBIDDEN"], body
        assert "districts ended on 1/7/2025" in body["errors"][0]["message"]
        assert body["data"] is None and doubles.WRITES == []
    body = gateway.run(document.replace("{on}", "2025-06-30"), as_user="district.186")
    assert not codes(body) and body["data"][field]["errors"] == [], body
    assert len(doubles.WRITES) == 1
    # the province, today's users, may write the same today
    doubles.WRITES.clear()
    body = gateway.run(document.replace("{on}", "2025-07-01"), as_user="province.officer")
    assert not codes(body) and doubles.WRITES, body


def test_a_district_officers_undated_pilot_choice_is_dated_today_and_refused(gateway):
    body = gateway.run('mutation { selectPilotCommune(year: 2018, communeCode: "06400") '
                       '{ errors { code } } }', as_user="district.186")
    assert codes(body) == ["FORBIDDEN"] and doubles.WRITES == []


def test_a_code_is_read_in_the_layout_asked_and_never_crosses(gateway):
    officer = "commune2025.06401"
    mine = gateway.run("{ cases(first: 100) { totalCount edges { node { id unit { code } } } }"
                       " }", as_user=officer)["data"]["cases"]
    # its commune's cases are the pre-reform cases of LEGACY 06400, merged into it
    assert mine["totalCount"] == 1 + doubles.BULK_CASES
    assert {e["node"]["unit"]["code"] for e in mine["edges"]} == {"06400"}
    legacy = gateway.run('{ cases(unitCode: "06400", geoVersion: LEGACY) { totalCount } }',
                         as_user=officer)
    assert codes(legacy) == ["FORBIDDEN"]  # another unit in another layout, same code or not
    for document in ('{ cases(unitCode: "06400") { totalCount } }',  # no V2025 unit 06400
                     '{ teams(unitCode: "186") { totalCount } }',
                     '{ overdueCases(unitCode: "06401", geoVersion: LEGACY) { totalCount } }',
                     '{ inspections(unitCode: "99999") { id } }',
                     '{ nonCompliantTeams(unitCode: "06400") { id } }',
                     '{ remuneration(unitCode: "06400", year: 2025) { paid } }'):
        for user in (officer, "province.officer"):
            body = gateway.run(document, as_user=user)
            assert codes(body) == ["NOT_FOUND"], (document, user, body)
            assert body["errors"][0]["extensions"]["field"] == "unitCode"
    formed = gateway.run('mutation { formTeam(input: {communeCode: "06400", name: "Tổ 9", '
                         'formedOn: "2025-01-02"}) { team { id } errors { code } } }',
                         as_user=officer)
    assert codes(formed) == ["NOT_FOUND"] and doubles.WRITES == []
    assert formed["errors"][0]["extensions"]["field"] == "input.communeCode"


def test_every_unit_in_a_response_says_its_layout(gateway):
    body = gateway.run('{ case(id: "c1") { unit { code geoVersion } } '
                       'pilot(year: 2018) { communes { unit { code geoVersion } '
                       'currentUnit { code geoVersion } } } '
                       'pilotEvaluation(year: 2018) { modelTeams { commune { geoVersion } '
                       'currentCommune { code geoVersion } } '
                       'districts { unit { geoVersion } pilotCommunes { currentUnit { code } } } }'
                       ' me { scope { code geoVersion } } }', as_user="province.officer")
    assert "errors" not in body, body
    data = body["data"]
    assert data["case"]["unit"] == {"code": "06400", "geoVersion": "LEGACY"}
    assert data["pilot"]["communes"][0] == {"unit": {"code": "06400", "geoVersion": "LEGACY"},
                                            "currentUnit": {"code": "06401",
                                                            "geoVersion": "V2025"}}
    team = data["pilotEvaluation"]["modelTeams"][0]
    assert team == {"commune": {"geoVersion": "LEGACY"},
                    "currentCommune": {"code": "06401", "geoVersion": "V2025"}}
    district = data["pilotEvaluation"]["districts"][0]
    assert district["unit"]["geoVersion"] == "LEGACY"
    assert district["pilotCommunes"][0]["currentUnit"] == {"code": "06401"}
    assert data["me"]["scope"] == {"code": "20", "geoVersion": "V2025"}
