"""Queries and mutations generated from the gateway's schema, posted to the real system on
PostgreSQL and on SQLite: literals (hypothesis-graphql) and `$variables` for every root
field's arguments (tests/security/variables.py). No 5xx, no INTERNAL_SERVER_ERROR, every
error typed, a refused document or input changes nothing, and no service logged an ERROR.
`make test` runs a small derandomized set; `make chaos` runs FUZZ_EXAMPLES (10,000) of them."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema

from services.gateway.schema import schema
from tests.security.variables import document, operations, value_for
from tests.support.hostile import PASSWORD

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
SCHEMA = schema.graphql_schema
USERS = ("province.officer", None, "viewer", "commune")
FUZZ = settings(max_examples=EXAMPLES, derandomize=not os.environ.get("FUZZ_RANDOM"),
                deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
DOCUMENTS = st.one_of(from_schema(SCHEMA), from_schema(SCHEMA, mode=Mode.NEGATIVE))


def check_response(world, user: str | None, document: str, variables: dict | None = None):
    user = world.officer if user == "commune" else user
    before = world.counts()
    response = world.client.post(document, variables,
                                 token=world.tokens.get(user) if user else None)
    assert response.status_code < 500, (document, variables, response.text[:500])
    if user and "logout" in document:  # it may have revoked the world's token: a new one
        world.tokens[user] = world.client.login(user, PASSWORD)["data"]["login"]["token"]
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code and code != "INTERNAL_SERVER_ERROR", (document, variables, error)
        assert "Traceback" not in error["message"] and 'File "' not in error["message"]
    if body.get("errors") and body.get("data") is None or _refused_in_payload(body):
        assert world.counts() == before, (document, variables, body)


def _refused_in_payload(body: dict) -> bool:
    return any(isinstance(result, dict) and result.get("errors")
               for result in (body.get("data") or {}).values())


@FUZZ
@given(user=st.sampled_from(USERS), document=DOCUMENTS)
def test_generated_documents_never_break_the_gateway(fuzz_system, user, document):
    check_response(fuzz_system.world, user, document)


@FUZZ
@given(user=st.sampled_from(USERS), operation=operations(SCHEMA))
def test_generated_variables_never_break_the_gateway(fuzz_system, user, operation):
    check_response(fuzz_system.world, user, *operation)


# Personal data (issue 20) with the world's real case among the ids, so the resolvers and
# the cases service's rules run, not only the scope check. Its case is open: no erasure
# may ever succeed, and its parties stay held.
PERSONAL_DATA = [("query", "personalDataReport"), ("mutation", "erasePersonalData")]
HELD = 'query($id: ID!) { personalDataReport(caseId: $id) { erased parties { fullName } } }'


@st.composite
def personal_data_operations(draw, case_id: st.SearchStrategy):
    kind, name = draw(st.sampled_from(PERSONAL_DATA))
    root = SCHEMA.query_type if kind == "query" else SCHEMA.mutation_type
    field = root.fields[name]
    variables = {arg: draw(value_for(a.type)) for arg, a in field.args.items()
                 if draw(st.integers(0, 9))}  # an argument is sometimes left out
    if "caseId" in variables and draw(st.booleans()):
        variables["caseId"] = draw(case_id)
    return document(kind, name, field), variables


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 10))
@given(user=st.sampled_from(USERS), data=st.data())
def test_generated_personal_data_operations_never_break_the_gateway(fuzz_system, user, data):
    world = fuzz_system.world
    operation = data.draw(personal_data_operations(st.just(world.case_id)))
    check_response(world, user, *operation)
    held = world.run(world.officer, HELD, {"id": world.case_id})["data"]["personalDataReport"]
    assert held["erased"] is False and len(held["parties"]) == 2, (operation, held)


def test_the_fuzz_logged_no_error(fuzz_system):
    """Refusals are the clients' mistakes: no service logs them at ERROR (nor a traceback)."""
    lines = fuzz_system.log_path.read_text(errors="replace").splitlines()
    errors = [line for line in lines if _level(line) in ("ERROR", "CRITICAL")]
    assert errors == [], errors[:5]


def _level(line: str) -> str | None:
    """A JSON log line's level (honcho prefixes each line with its time and process)."""
    start = line.find("{")
    try:
        return json.loads(line[start:]).get("level") if start >= 0 else None
    except ValueError:
        return "ERROR" if "Traceback" in line else None
