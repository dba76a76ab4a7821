"""RPC cost of a page (DataLoader batching), every limit with its code, the transport,
correlation ids and metrics."""

import pytest
import requests

from tests.integration.gateway.conftest import start_gateway
from tests.support import gateway_backends as doubles
from tests.support.browser import CHROMIUM_ACCEPT
from tests.support.gateway_client import GraphQLClient, codes

PAGE = """query CasePage($first: Int) { cases(first: $first) { totalCount
  pageInfo { hasNextPage endCursor }
  edges { cursor node { id status team { id name mediators { id fullName gender } } } } } }"""


def test_a_page_of_100_cases_with_teams_and_mediators_costs_three_rpc_calls(gateway):
    gateway.run(PAGE, {"first": 1}, as_user="province.officer")  # warm the unit cache
    doubles.CALLS.clear()
    body = gateway.run(PAGE, {"first": 100}, as_user="province.officer")
    edges = body["data"]["cases"]["edges"]
    assert len(edges) == 100 and "errors" not in body
    assert {len(e["node"]["team"]["mediators"]) for e in edges} == {3}
    assert len({e["node"]["team"]["id"] for e in edges}) > 10
    assert sorted(doubles.CALLS) == [("cases", "list_cases"), ("teams", "get_teams"),
                                     ("teams", "list_mediators")]


def test_pages_follow_on_from_any_edge_cursor(gateway):
    first = gateway.run(PAGE, {"first": 5}, as_user="province.officer")["data"]["cases"]
    ids = [e["node"]["id"] for e in first["edges"]]
    assert first["pageInfo"]["hasNextPage"] and first["totalCount"] == 2 + doubles.BULK_CASES
    rest = gateway.run('query($a: String) { cases(first: 3, after: $a) { edges { node { id } } '
                       'pageInfo { endCursor } } }', {"a": first["pageInfo"]["endCursor"]},
                       as_user="province.officer")["data"]["cases"]
    from_edge = gateway.run('query($a: String) { cases(first: 2, after: $a) { edges { node '
                            '{ id } } } }', {"a": first["edges"][1]["cursor"]},
                            as_user="province.officer")["data"]["cases"]
    all_ids = [e["node"]["id"] for e in
               gateway.run(PAGE, {"first": 8}, as_user="province.officer")
               ["data"]["cases"]["edges"]]
    assert ids + [e["node"]["id"] for e in rest["edges"]] == all_ids
    assert [e["node"]["id"] for e in from_edge["edges"]] == all_ids[2:4]
    bad = gateway.run('{ cases(after: "garbage") { totalCount } }', as_user="province.officer")
    assert codes(bad) == ["BAD_USER_INPUT"]


def test_first_over_100_is_refused(gateway):
    body = gateway.run(PAGE, {"first": 1000}, as_user="province.officer")
    assert codes(body) == ["PAGE_SIZE_TOO_LARGE"] and "data" not in body
    inline = gateway.run("{ teams(first: 101) { totalCount } }", as_user="province.officer")
    assert codes(inline) == ["PAGE_SIZE_TOO_LARGE"]
    assert doubles.CALLS == []


def test_a_deep_query_is_refused(gateway):
    deep = "{ mediator(id: \"t1-m1\") { " + "team { leader { " * 5 + "id" + " } }" * 5 + " } }"
    body = gateway.run(deep, as_user="province.officer")
    assert codes(body) == ["QUERY_TOO_DEEP"] and doubles.CALLS == []


def test_a_costly_query_with_aliases_is_refused(gateway):
    page = "cases(first: 100) { edges { node { id team { mediators { id fullName } } } } }"
    one = gateway.run("{ " + page + " }", as_user="province.officer")
    assert "errors" not in one
    aliased = "{ " + " ".join(f"a{i}: {page}" for i in range(10)) + " }"
    body = gateway.run(aliased, as_user="province.officer")
    assert codes(body) == ["QUERY_TOO_COSTLY"] and "budget" in body["errors"][0]["message"]


def test_a_huge_body_is_refused_with_413(gateway):
    response = gateway.post("{ me { username } }" + " " * 70_000)
    assert response.status_code == 413 and codes(response.json()) == ["REQUEST_TOO_LARGE"]


def test_transport_follows_graphql_over_http(gateway):
    get = requests.get(gateway.url, params={"query": "{ units { code } }"}, timeout=5)
    assert get.status_code == 200 and get.headers["content-type"].startswith("application/json")
    mutation = requests.get(gateway.url, params={"query": "mutation { login(username: \"a\", "
                                                          "password: \"b\") { token } }"},
                            timeout=5)
    assert mutation.status_code == 405 and mutation.headers["Allow"] == "POST"
    spec = requests.post(gateway.url, json={"query": "{ nope }"}, timeout=5,
                         headers={"accept": "application/graphql-response+json"})
    assert spec.status_code == 400
    assert codes(spec.json()) == ["GRAPHQL_VALIDATION_FAILED"]
    form = requests.post(gateway.url, data="query={me{username}}", timeout=5,
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415
    bad_token = gateway.post("{ me { username } }", token="not.a.token")
    assert bad_token.status_code == 401 and codes(bad_token.json()) == ["UNAUTHENTICATED"]


def test_the_request_id_travels_to_the_backends_and_back(gateway):
    response = gateway.post("{ team(id: \"t1\") { name } }", token=gateway.token("leader.t1"),
                            headers={"X-Request-ID": "req-42"})
    assert response.headers["X-Request-ID"] == "req-42"
    assert doubles.CORRELATION_IDS and set(doubles.CORRELATION_IDS) == {"req-42"}
    made = gateway.post("{ me { username } }", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["X-Request-ID"]) == 32


def test_bad_mutation_input_comes_back_in_the_payload_and_changes_nothing(gateway):
    body = gateway.run('mutation { submitCase(input: {idempotencyKey: "k", teamId: "t1", '
                       'category: CONFLICT, subject: "s", description: "d", '
                       'parties: [{fullName: "only one"}]}) { case { id } '
                       'errors { field code message } } }', as_user="leader.t1")
    assert body["data"]["submitCase"] == {"case": None, "errors": [
        {"field": "input.parties", "code": "BAD_USER_INPUT",
         "message": "a case has at least two parties"}]}
    assert doubles.WRITES == []
    conflict = gateway.run('mutation { electLeader(teamId: "t1", mediatorId: "t2-m1") '
                           '{ errors { code } } }', as_user="commune2025.06401")
    assert conflict["data"]["electLeader"]["errors"] == [{"code": "CONFLICT"}]
    budget = gateway.run('mutation { setBudget(communeCode: "06401", year: 2025, amount: 1.5) '
                         '{ errors { field code } } }', as_user="commune2025.06401")
    assert budget["data"]["setBudget"]["errors"] == [{"field": "amount",
                                                      "code": "BAD_USER_INPUT"}]
    assert doubles.WRITES == []


def test_metrics_count_operations_errors_and_cost(gateway):
    gateway.run("query TeamsOfMine { teams { totalCount } }", as_user="leader.t1")
    gateway.run("{ case(id: \"c2\") { id } }", as_user="leader.t1")
    text = requests.get(gateway.url.replace("/graphql", "/metrics"), timeout=5).text
    assert 'hoagiai_graphql_operations_total{operation="TeamsOfMine",operation_type="query"}' \
        in text
    assert 'hoagiai_graphql_operations_total{operation="anonymous",operation_type="query"}' in text
    assert 'hoagiai_graphql_errors_total{code="FORBIDDEN"}' in text
    assert "hoagiai_graphql_query_cost_count" in text


def test_production_refuses_introspection_graphiql_and_limits_the_rate(vhost_pipeline,
                                                                        request):
    config, _, stop = start_gateway(vhost_pipeline, request, PRODUCTION="true",
                                    LIMITS={"rate_per_second": 0.01, "rate_burst": 4})
    try:
        client = GraphQLClient(f"http://{config['WEB_SERVER_ADDRESS']}/graphql")
        introspection = client.post("{ __schema { types { name } } }").json()
        assert set(codes(introspection)) == {"INTROSPECTION_DISABLED"}
        page = requests.get(client.url, headers={"accept": CHROMIUM_ACCEPT}, timeout=5)
        assert "<html" not in page.text
        script = client.url.replace("/graphql", "/graphiql/graphiql-start.js")
        assert requests.get(script, timeout=5).status_code == 404
        # the burst of 4 so far: the introspection query, the page, and these two
        statuses = [client.post("{ me { username } }").status_code for _ in range(2)]
        limited = client.post("{ me { username } }")
        assert statuses == [200, 200] and limited.status_code == 429
        assert codes(limited.json()) == ["RATE_LIMITED"] and limited.headers["Retry-After"]
        other_user = client.post("{ me { username } }", token=client.token("viewer"))
        assert other_user.status_code == 200  # buckets are per caller
    finally:
        stop()


def test_production_will_not_start_with_the_default_secret(rabbit_config):
    from nameko.containers import ServiceContainer

    from services.gateway.service import GatewayService

    container = ServiceContainer(GatewayService, {**rabbit_config, "PRODUCTION": "true",
                                                  "JWT_SECRET": None})
    try:
        with pytest.raises(RuntimeError, match="JWT_SECRET"):
            container.start()
    finally:
        container.kill()


def test_a_team_roles_overdue_count_does_not_depend_on_the_page_size(gateway):
    """The team's own cases, counted by the cases service (it counted the page, or the
    whole commune, before)."""
    query = "query($n: Int) { overdueCases(first: $n) { totalCount edges { node { id } } } }"
    for first in (1, 20):
        body = gateway.run(query, {"n": first}, as_user="leader.t1")
        page = body["data"]["overdueCases"]
        assert page["totalCount"] == 1 and [e["node"]["id"] for e in page["edges"]] == ["c1"]
