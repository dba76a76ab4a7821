"""Queries and mutations generated from the gateway's schema (hypothesis-graphql), posted
to the real system: no 5xx, no INTERNAL_SERVER_ERROR, every error typed, and a refused
document changes nothing. `make test` runs a small derandomized set; `make chaos` runs
FUZZ_EXAMPLES (10,000) of them."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema

from services.gateway.schema import schema

pytestmark = pytest.mark.e2e
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
SCHEMA = schema.graphql_schema
USERS = ("province.officer", None, "viewer", "commune")
FUZZ = settings(max_examples=EXAMPLES, derandomize=not os.environ.get("FUZZ_RANDOM"),
                deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
DOCUMENTS = st.one_of(from_schema(SCHEMA), from_schema(SCHEMA, mode=Mode.NEGATIVE))


def check_response(world, user: str | None, document: str) -> None:
    user = world.officer if user == "commune" else user
    before = world.counts()
    response = world.client.post(document, token=world.tokens.get(user) if user else None)
    assert response.status_code < 500, (document, response.text[:500])
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code and code != "INTERNAL_SERVER_ERROR", (document, error)
        assert "Traceback" not in error["message"] and 'File "' not in error["message"]
    if body.get("data") is None and body.get("errors"):
        assert world.counts() == before, (document, body)


@FUZZ
@given(user=st.sampled_from(USERS), document=DOCUMENTS)
def test_generated_documents_never_break_the_gateway(world, user, document):
    check_response(world, user, document)
