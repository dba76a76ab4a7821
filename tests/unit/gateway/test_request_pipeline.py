"""The request pipeline's shortcuts (http.py, limits.py, metrics.py, service.py): what a
document alone decides is worked out once, what the variables decide is not, variables
are coerced once, and refusals (bad variables, NUL, a wrong signature) stay typed."""

import json
from types import SimpleNamespace

import pytest
from graphql import FragmentDefinitionNode, get_operation_ast, parse
from nameko.exceptions import IncorrectSignature
from prometheus_client import REGISTRY
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import http, metrics
from services.gateway.auth import Revocations, Tokens
from services.gateway.context import Context
from services.gateway.limits import LimitExceeded, Limits, Measures, RateLimiter, measure
from services.gateway.loaders import Backend, SharedCaches
from services.gateway.schema import schema
from services.gateway.schema.common import selects
from services.gateway.service import GatewayService, _HttpEntrypoint

SUBMIT = """mutation($input: SubmitCaseInput!) { submitCase(input: $input) {
  case { id status } errors { code message } } }"""
TEAM = {"id": "t1", "commune_code": "06400", "district_code": "186", "v2025_code": "06401",
        "geo_version": "LEGACY"}
OFFICER = {"username": "commune.06400", "role": "COMMUNE_OFFICER", "scope_code": "06400",
           "scope_version": "LEGACY"}


def _measures(query: str) -> tuple[Measures, object]:
    document = parse(query)
    return Measures(schema.graphql_schema, document), get_operation_ast(document)


def test_a_cost_without_variables_is_measured_once():
    measures, operation = _measures("{ cases(first: 10) { edges { node { id } } } }")
    first = measures(operation, None)
    assert first == measure(schema.graphql_schema, measures.document, operation, None)
    assert measures.fixed == {id(operation): first}
    assert measures(operation, {"unused": 1}) == first


def test_a_cost_that_a_variable_decides_is_measured_on_every_request():
    measures, operation = _measures(
        "query($n: Int) { cases(first: $n) { edges { node { id } } } }")
    small, big = measures(operation, {"n": 1}), measures(operation, {"n": 100})
    assert big[1] > small[1] and measures.fixed == {}
    with pytest.raises(LimitExceeded, match="over the page size limit"):
        measures(operation, {"n": 101})


def test_a_literal_page_over_the_limit_is_refused_every_time():
    measures, operation = _measures("{ cases(first: 1000) { totalCount } }")
    for _ in range(2):
        with pytest.raises(LimitExceeded) as refused:
            measures(operation, None)
        assert refused.value.code == "PAGE_SIZE_TOO_LARGE"
    assert measures.fixed == {}


class _Reply:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Cases:
    """The cases backend, recording each submit_case."""

    def __init__(self):
        self.submitted = []

    def call_async(self, data, actor):
        self.submitted.append(data)
        return _Reply({"id": "c1", "status": "RECEIVED", "team_id": "t1"})


@pytest.fixture()
def gateway():
    revocations = Revocations()
    revocations.load([])
    tokens = Tokens("x" * 40, revocations=revocations)
    settings = SimpleNamespace(tokens=tokens, limits=Limits(rate_per_second=0),
                               rate_limiter=RateLimiter(0, 1), production=False)
    shared = SharedCaches()
    shared.team_places["t1"] = TEAM
    cases = _Cases()
    backend = Backend(SimpleNamespace(cases=SimpleNamespace(submit_case=cases)))

    def post(query: str, variables: dict | None) -> dict:
        environ = EnvironBuilder(path="/graphql", method="POST", headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {tokens.issue(OFFICER)}",
        }, data=json.dumps({"query": query, "variables": variables})).get_environ()
        request = Request(environ)
        response = http.handle(request, settings, lambda principal: Context(
            backend=backend, principal=principal, tokens=tokens, shared=shared,
            request=request))
        return json.loads(response.get_data())

    return SimpleNamespace(post=post, cases=cases)


def _input(**changes) -> dict:
    return {"idempotencyKey": "k1", "teamId": "t1", "category": "CIVIL_FAMILY",
            "subject": "Lối đi", "description": "Hai nhà tranh chấp lối đi",
            "parties": [{"fullName": "Nguyễn Văn Ẻ"}, {"fullName": "Hoàng Thị Gờ"}], **changes}


def test_good_variables_are_coerced_for_the_resolver(gateway):
    body = gateway.post(SUBMIT, {"input": _input()})
    assert body == {"data": {"submitCase": {"case": {"id": "c1", "status": "RECEIVED"},
                                            "errors": []}}}
    assert gateway.cases.submitted == [{
        "idempotency_key": "k1", "team_id": "t1", "category": "CIVIL_FAMILY",
        "subject": "Lối đi", "description": "Hai nhà tranh chấp lối đi",
        "channel": "IN_PERSON",
        "parties": [{"full_name": "Nguyễn Văn Ẻ"}, {"full_name": "Hoàng Thị Gờ"}]}]


@pytest.mark.parametrize("variables, field", [
    ({"input": _input(category="BOGUS")}, "input.category"),
    ({"input": _input(parties=[{"fullName": "A"}, {"fullName": None}])},
     "input.parties.1.fullName"),
    ({"input": {k: v for k, v in _input().items() if k != "teamId"}}, "input.teamId"),
    ({"input": _input(surprise=1)}, "input.surprise"),
    ({"input": None}, "input"),
    ({}, "input"),
])
def test_bad_variables_are_bad_user_input_at_their_path_and_run_nothing(
        gateway, variables, field):
    for _ in range(2):  # the document is remembered after the first request
        body = gateway.post(SUBMIT, variables)
        assert "data" not in body and len(body["errors"]) == 1, body
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert gateway.cases.submitted == []


def test_a_bad_literal_is_still_a_validation_error(gateway):
    body = gateway.post(SUBMIT.replace("($input: SubmitCaseInput!)", "")
                        .replace("input: $input", 'input: {teamId: "t1"}'), None)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert gateway.cases.submitted == []


@pytest.mark.parametrize("query, variables", [
    (SUBMIT, {"input": _input(subject="Lối\x00đi")}),  # json.dumps writes it \u0000
    (SUBMIT, {"input": _input(parties=[{"fullName": "A"}, {"fullName": "B\x00"}])}),
    (SUBMIT.replace("($input: SubmitCaseInput!)", "").replace(
        "input: $input", 'input: {idempotencyKey: "k", teamId: "t1", category: CIVIL_FAMILY, '
        'subject: "s\\u0000", description: "d", parties: [{fullName: "A"}, {fullName: "B"}]}'),
     None),
])
def test_nul_characters_are_refused_in_variables_and_literals(gateway, query, variables):
    body = gateway.post(query, variables)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert "NUL" in body["errors"][0]["message"] and gateway.cases.submitted == []


def test_an_escaped_backslash_before_u0000_is_no_nul(gateway):
    body = gateway.post(SUBMIT, {"input": _input(subject="C:\\u0000")})
    assert body["data"]["submitCase"]["errors"] == []
    assert gateway.cases.submitted[0]["subject"] == "C:\\u0000"


def test_metrics_count_each_operation_and_error_code():
    def sample(name: str, **labels) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    operations = {"operation_type": "mutation", "operation": "SubmitIt"}
    before = sample("hoagiai_graphql_operations_total", **operations)
    forbidden = sample("hoagiai_graphql_errors_total", code="FORBIDDEN")
    for _ in range(2):
        metrics.record("mutation", "SubmitIt", 3, [{"extensions": {"code": "FORBIDDEN"}}])
    assert sample("hoagiai_graphql_operations_total", **operations) == before + 2
    assert sample("hoagiai_graphql_errors_total", code="FORBIDDEN") == forbidden + 2


def test_the_http_entrypoint_still_refuses_a_wrong_signature():
    entrypoint = _HttpEntrypoint("GET", "/graphiql/<path:name>")
    entrypoint.container = SimpleNamespace(service_cls=GatewayService)
    entrypoint.method_name = "graphiql_asset"
    for _ in range(2):  # the second check of a shape is remembered
        entrypoint.check_signature((object(),), {"name": "a.js"})
    assert entrypoint.shapes_checked == {(1, "name")}
    with pytest.raises(IncorrectSignature):
        entrypoint.check_signature((object(),), {"other": "a.js"})
    with pytest.raises(IncorrectSignature):
        entrypoint.check_signature((), {"name": "a.js"})


@pytest.mark.parametrize(("query", "asked"), [
    ("{ teams { totalCount edges { node { id } } } }", True),
    ("{ teams { edges { node { id } } } }", False),
    ("{ teams { ...C } } fragment C on TeamConnection { totalCount }", True),
    ("{ teams { ... on TeamConnection { pageInfo { hasNextPage } totalCount } } }", True),
    ("{ teams { edges { node { id name } } pageInfo { endCursor } } }", False),
])
def test_a_list_knows_whether_its_count_is_asked_for(query, asked):
    document = parse(query)
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    field = document.definitions[0].selection_set.selections[0]
    info = SimpleNamespace(field_nodes=[field], fragments=fragments)
    assert selects(info, "totalCount") is asked
