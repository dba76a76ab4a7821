"""Every refusal is typed: a bad variable is BAD_USER_INPUT, a code that is no unit of the
asked layout is NOT_FOUND in the public aggregates, scoped reads keep one FORBIDDEN, and
error fields name the argument's path as the client wrote it."""

import pytest

from tests.support.gateway_client import codes

pytestmark = pytest.mark.e2e
CASES_BY_STATUS = "query($s: CaseStatus) { cases(status: $s) { totalCount } }"
SUBMIT_WITH_CATEGORY = """mutation($i: SubmitCaseInput!) { submitCase(input: $i) {
  case { id } errors { field code } } }"""
ADD_MEDIATOR = """mutation($i: AddMediatorInput!) { addMediator(input: $i) {
  mediator { id } errors { field code message } } }"""


def _submit_input(world, **changes) -> dict:
    return {"idempotencyKey": "typed-errors-1", "teamId": world.team_id, "category": "CIVIL_FAMILY",
            "subject": "Lối đi", "description": "Hai nhà tranh chấp lối đi",
            "parties": [{"fullName": "Nguyễn Văn Ẻ"}, {"fullName": "Hoàng Thị Gờ"}], **changes}


def _only_error(body: dict) -> dict:
    assert len(body.get("errors") or []) == 1, body
    return body["errors"][0]


@pytest.mark.parametrize("variables, field", [
    ({"s": "BOGUS"}, "s"),
    ({"s": 3}, "s"),
    ({"s": ["RECEIVED"]}, "s"),
])
def test_a_bad_enum_variable_is_bad_user_input(world, variables, field):
    error = _only_error(world.run("province.officer", CASES_BY_STATUS, variables))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, error


def test_a_bad_variable_inside_an_input_names_its_path_and_stores_nothing(world):
    before = world.counts()
    bad = {
        "category": ({"i": _submit_input(world, category="BOGUS")}, "i.category"),
        "null party name": ({"i": _submit_input(world, parties=[
            {"fullName": "Nguyễn Văn Ẻ"}, {"fullName": None}])}, "i.parties.1.fullName"),
        "missing team": ({"i": {k: v for k, v in _submit_input(world).items()
                                if k != "teamId"}}, "i.teamId"),
        "no input": ({"i": None}, "i"),
    }
    for name, (variables, field) in bad.items():
        error = _only_error(world.run(world.officer, SUBMIT_WITH_CATEGORY, variables))
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, (name, error)
    assert world.counts() == before


def test_payload_errors_name_the_input_path_in_camel_case(world):
    cases = {
        "input.receivedAt": _submit_input(world, receivedAt="yesterday"),
        "input.parties.1.fullName": _submit_input(world, parties=[
            {"fullName": "Nguyễn Văn Ẻ"}, {"fullName": ""}]),
    }
    for field, data in cases.items():
        body = world.run(world.officer, SUBMIT_WITH_CATEGORY, {"i": data})
        assert body["data"]["submitCase"]["errors"] == [
            {"field": field, "code": "BAD_USER_INPUT"}], body
    body = world.run(world.officer, ADD_MEDIATOR, {"i": {
        "teamId": world.team_id, "fullName": "Lò Văn Tư", "gender": "MALE",
        "electedOn": "2024-01-12", "electionShare": 1.5}})
    [error] = body["data"]["addMediator"]["errors"]
    assert error["field"] == "input.electionShare" and error["code"] == "BAD_USER_INPUT", body
    # the message names the field as the client wrote it, not in the service's snake_case
    assert error["message"].startswith("input.electionShare: "), error
    assert "election_share" not in error["message"], error


@pytest.mark.parametrize("query", [
    '{ successRate(unitCode: "99999", year: 2024) { received } }',
    '{ successRate(unitCode: "99999", year: 2024) { unit { name } } }',
    '{ report(unitCode: "186", year: 2024) { unit { name } } }',
    '{ reportFile(unitCode: "186", year: 2024) { filename } }',
    '{ hotspots(unitCode: "99999") { cases } }',
    '{ multiYearSummary(unitCode: "99999", fromYear: 2023, toYear: 2024) { unit { name } } }',
])
def test_a_code_that_is_no_unit_of_the_layout_is_not_found(world, query):
    for user in ("province.officer", "viewer", None):
        body = world.run(user, query)
        assert codes(body) == ["NOT_FOUND"], (user, body)
        assert body["errors"][0]["extensions"]["field"] == "unitCode", body


def test_a_legacy_code_is_found_in_the_legacy_layout(world):
    body = world.run("viewer", '{ report(unitCode: "186", year: 2024, geoVersion: LEGACY) '
                               '{ unit { name } total { received } } }')
    assert "errors" not in body, body
    assert body["data"]["report"]["unit"]["name"]


def test_scoped_reads_say_not_found_for_no_unit_and_forbidden_outside_scope(world):
    """Units are public (issue 17): a code that is no unit of the asked layout is NOT_FOUND
    in the scoped lists too; a unit outside the caller's scope stays FORBIDDEN."""
    unknown = world.run(world.officer, '{ cases(unitCode: "99999") { totalCount } }')
    away = world.run(world.officer, 'query($c: String) { cases(unitCode: $c) { totalCount } }',
                     {"c": world.away["code"]})
    assert codes(unknown) == ["NOT_FOUND"], unknown
    assert unknown["errors"][0]["extensions"]["field"] == "unitCode"
    assert codes(away) == ["FORBIDDEN"], away
