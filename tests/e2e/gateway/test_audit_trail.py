"""The audit trail through the gateway and the four real services, on the SQLite default
and on PostgreSQL: a commune officer's scripted day (a wrong then a right login, a team
formed, mediators added, a case taken to SUCCESSFUL, its parties read, the log book
downloaded, one refused step) leaves exactly the expected entries, in order, each with
its request's correlation id; the officer sees the trail of their commune only, the
province officer sees the refusal too, and team roles and viewers see none of it."""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.support.gateway_client import GraphQLClient, codes
from tests.support.hostile import ADD, FORM, SUBMIT
from tests.support.system import BACKENDS, databases, module_system

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-audit-trail"
ACTOR = {"username": "e2e", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "V2025", "team_id": None}
HOME, AWAY = "06400", "06613"
OFFICER, OUTSIDER = f"commune2025.{HOME}", f"commune2025.{AWAY}"
USERS = [(OFFICER, "COMMUNE_OFFICER", HOME), (OUTSIDER, "COMMUNE_OFFICER", AWAY),
         ("province.officer", "PROVINCE_OFFICER", "20"), ("viewer", "VIEWER", None)]
LOGIN = """mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }"""
ASSIGN = """mutation($id: ID!, $m: [ID!]!) { assignMediators(caseId: $id, mediatorIds: $m)
  { errors { code } } }"""
START = """mutation($id: ID!) { startMediation(caseId: $id) { errors { code } } }"""
OUTCOME = """mutation($id: ID!) { recordOutcome(caseId: $id, outcome: SUCCESSFUL)
  { errors { code } } }"""
PARTIES = """query($id: ID!) { case(id: $id) { parties { fullName } } }"""
LOG_BOOK = """query($t: ID!, $y: Int!) { logBook(teamId: $t, year: $y, format: CSV)
  { filename } }"""
AUDIT = """query($u: String, $a: String, $act: String, $first: Int, $after: String,
  $since: String, $until: String) {
  auditLog(unitCode: $u, actor: $a, action: $act, first: $first, after: $after,
           from: $since, to: $until) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { actor role action objectType objectId unit correlationId outcome
                   service } } } }"""
WAIT = 60


def until(check, what: str):
    deadline = time.monotonic() + WAIT
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what}: not within {WAIT}s"
        time.sleep(0.3)
    return found


@pytest.fixture(scope="module", params=BACKENDS)
def day(vhost_pipeline, new_database, request, tmp_path_factory):
    """The officer's day, through the API; yields what it made and the clients."""
    amqp_uri, log_dir = request.config.getoption("RABBIT_AMQP_URI"), tmp_path_factory.mktemp("e2e")
    with module_system(vhost_pipeline, databases(request.param, new_database, log_dir),
                       amqp_uri, log_dir) as (system, rpc, _):
        client = GraphQLClient(system.url)
        rpc.teams.create_users([{"username": u, "password": PASSWORD, "role": r,
                                 "scope_code": s, "scope_version": "V2025", "team_id": None}
                                for u, r, s in USERS], True, ACTOR)
        tokens = {}

        def post(cid: str, query: str, who: str = OFFICER, **variables) -> dict:
            return client.post(query, variables, tokens.get(who),
                               headers={"X-Request-ID": cid}).json()

        def step(cid: str, query: str, who: str = OFFICER, **variables) -> dict:
            body = post(cid, query, who, **variables)
            assert body.get("data") is not None, body
            return body["data"]

        assert codes(post("d01", LOGIN, u=OFFICER, p="not the password")) == [
            "UNAUTHENTICATED"]
        tokens[OFFICER] = step("d02", LOGIN, u=OFFICER, p=PASSWORD)["login"]["token"]
        for username, *_ in USERS[1:]:
            tokens[username] = client.login(username, PASSWORD)["data"]["login"]["token"]
        team = step("d03", FORM, c=HOME, n="Tổ hòa giải Nhật Ký", v="Thôn Bản Chắt")
        team_id = team["formTeam"]["team"]["id"]
        mediators = [step(f"d0{4 + i}", ADD, t=team_id, n=name, g="FEMALE", e="Tày")
                     ["addMediator"]["mediator"]["id"]
                     for i, name in enumerate(("Hoàng Thị Mai", "Lương Thị Sen"))]
        variables = {"t": team_id, "k": uuid.uuid4().hex, "s": "Tranh chấp lối đi",
                     "d": "Hai nhà tranh chấp lối đi", "p1": "Nguyễn Văn Ẻ", "a1": "Thôn 1",
                     "p2": "Hoàng Thị Gờ"}
        # cases learns of the team and its mediators from their events: until then these
        # are refused (NOT_FOUND, in the province's trail only); the last try is the step
        case_id = until(lambda: ((post("d06", SUBMIT, **variables).get("data") or {})
                                 .get("submitCase") or {}).get("case"),
                        "cases learns of the team")["id"]
        until(lambda: (post("d07", ASSIGN, id=case_id, m=mediators).get("data") or {})
              .get("assignMediators") == {"errors": []}, "cases learns of the mediators")
        assert step("d08", START, id=case_id)["startMediation"]["errors"] == []
        assert step("d09", OUTCOME, id=case_id)["recordOutcome"]["errors"] == []
        assert step("d10", PARTIES, id=case_id)["case"]["parties"]
        assert step("d11", LOG_BOOK, t=team_id, y=time.gmtime().tm_year)["logBook"]
        refused = step("d12", START, id=case_id)["startMediation"]["errors"]
        assert [e["code"] for e in refused] == ["CONFLICT"]
        yield {"client": client, "tokens": tokens, "team_id": team_id, "case_id": case_id,
               "mediators": mediators, "gateway_port": system.ports["gateway"]}


def audit(day, who: str, **variables) -> dict:
    body = day["client"].post(AUDIT, variables, day["tokens"][who]).json()
    return body


def entries(body: dict) -> list[tuple]:
    assert "errors" not in body, body
    return [(n["correlationId"], n["action"], n["objectType"], n["outcome"])
            for n in (e["node"] for e in body["data"]["auditLog"]["edges"])]


def test_the_officers_day_is_in_the_trail_exactly_and_in_order(day):
    team, case = day["team_id"], day["case_id"]
    body = audit(day, OFFICER, a=OFFICER, first=100)
    assert entries(body) == [
        ("d01", "login", "user", "UNAUTHENTICATED"),
        ("d02", "login", "user", "ok"),
        ("d03", "form_team", "team", "ok"),
        ("d04", "add_mediator", "mediator", "ok"),
        ("d05", "add_mediator", "mediator", "ok"),
        ("d06", "submit_case", "case", "ok"),
        ("d06", "get_case_parties", "case", "ok"),  # the form's answer shows the parties
        ("d07", "assign_mediators", "case", "ok"),
        ("d08", "start_mediation", "case", "ok"),
        ("d09", "record_outcome", "case", "ok"),
        ("d10", "get_case_parties", "case", "ok"),
        ("d11", "log_book", "case", "ok"),
    ], body
    nodes = [e["node"] for e in body["data"]["auditLog"]["edges"]]
    assert {n["objectId"] for n in nodes[5:]} == {case}
    assert nodes[2]["objectId"] == team and nodes[0]["objectId"] == OFFICER
    assert {(n["actor"], n["role"], n["unit"]) for n in nodes[1:]} == {
        (OFFICER, "COMMUNE_OFFICER", HOME)}
    assert body["data"]["auditLog"]["totalCount"] == len(nodes)


def test_pages_follow_each_other_without_gap_or_repeat(day):
    whole = entries(audit(day, OFFICER, a=OFFICER, first=100))
    seen, after = [], None
    while True:
        body = audit(day, OFFICER, a=OFFICER, first=3, after=after)
        seen += entries(body)
        info = body["data"]["auditLog"]["pageInfo"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert seen == whole


def test_reading_the_parties_adds_one_entry(day):
    def parties_reads() -> int:
        return audit(day, OFFICER, act="get_case_parties")["data"]["auditLog"]["totalCount"]

    before = parties_reads()
    read = day["client"].post(PARTIES, {"id": day["case_id"]}, day["tokens"][OFFICER]).json()
    assert read["data"]["case"]["parties"], read
    assert parties_reads() == before + 1


def test_the_province_sees_the_refusal_and_the_officer_of_elsewhere_nothing(day):
    province = entries(audit(day, "province.officer", a=OFFICER, act="start_mediation"))
    assert province == [("d08", "start_mediation", "case", "ok"),
                        ("d12", "start_mediation", "case", "CONFLICT")]
    elsewhere = audit(day, OUTSIDER, a=OFFICER)
    assert entries(elsewhere) == [] and elsewhere["data"]["auditLog"]["totalCount"] == 0
    assert codes(audit(day, OUTSIDER, u=HOME)) == ["FORBIDDEN"]
    assert codes(audit(day, "viewer")) == ["FORBIDDEN"]
    anonymous = day["client"].post(AUDIT, {}).json()
    assert codes(anonymous) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("variables, field", [
    ({"first": -1}, "first"), ({"after": "not-a-cursor"}, "after"),
    ({"after": "WzEsMiwzXQ=="}, "after"), ({"since": "yesterday"}, "from"),
    ({"since": "2026-01-01T00:00:00"}, "from")])
def test_bad_arguments_are_typed_errors(day, variables, field):
    body = audit(day, OFFICER, **variables)
    assert codes(body) == ["BAD_USER_INPUT"], body
    assert body["errors"][0]["extensions"]["field"] == field


def test_a_time_window_and_the_page_size_limit(day):
    assert codes(audit(day, OFFICER, first=101)) == ["PAGE_SIZE_TOO_LARGE"]
    future = audit(day, OFFICER, since="2999-01-01T00:00:00+07:00")
    assert entries(future) == []
    past = audit(day, OFFICER, until="2999-01-01T00:00:00+07:00", a=OFFICER, first=100)
    assert entries(past) == entries(audit(day, OFFICER, a=OFFICER, first=100))


def gathered_batches(day) -> tuple[float, float]:
    """The gateway's intake batches so far: (calls to cases, cases sent in them)."""
    text = requests.get(f"http://127.0.0.1:{day['gateway_port']}/metrics", timeout=10).text
    samples = {s.name: s.value for family in text_string_to_metric_families(text)
               for s in family.samples if s.name.startswith("hoagiai_gateway_intake_batch")}
    return (samples.get("hoagiai_gateway_intake_batch_size_count", 0),
            samples.get("hoagiai_gateway_intake_batch_size_sum", 0))


def test_concurrent_submissions_are_each_answered_and_audited_as_their_own(day):
    """Run last: it adds to the officer's trail. Twelve officers' requests at once are
    gathered into batches (the metric shows it) and still answered and audited apart."""
    def submit(cid: str) -> dict:
        excluded = cid.endswith("05")  # an excluded matter: refused with its reason
        variables = {"t": day["team_id"], "k": uuid.uuid4().hex, "s": f"Tranh chấp {cid}",
                     "d": "Nghi trộm cắp trâu của hàng xóm" if excluded else "Lối đi chung",
                     "p1": "Nguyễn Văn Ẻ", "a1": None, "p2": "Hoàng Thị Gờ"}
        return day["client"].post(SUBMIT, variables, day["tokens"][OFFICER],
                                  headers={"X-Request-ID": cid}).json()

    before = gathered_batches(day)
    for round_ in range(5):  # until at least one batch held more than one case
        cids = [f"c{round_}{n:02d}" for n in range(12)]
        with ThreadPoolExecutor(len(cids)) as pool:
            answers = dict(zip(cids, pool.map(submit, cids), strict=True))
        for cid, body in answers.items():
            payload = body["data"]["submitCase"]
            if cid.endswith("05"):
                assert [e["code"] for e in payload["errors"]] == ["BAD_USER_INPUT"], body
            else:
                assert payload["errors"] == [] and payload["case"]["subject"] == f"Tranh chấp {cid}"
        ids = [b["data"]["submitCase"]["case"]["id"] for c, b in answers.items()
               if not c.endswith("05")]
        assert len(set(ids)) == 11
        # refusals carry no place: the province's trail shows them (as above)
        trail = entries(audit(day, "province.officer", a=OFFICER, act="submit_case",
                              first=100))
        for cid in cids:
            outcome = "BAD_USER_INPUT" if cid.endswith("05") else "ok"
            assert [e for e in trail if e[0] == cid] == [
                (cid, "submit_case", None if outcome != "ok" else "case", outcome)], trail
        calls, cases = gathered_batches(day)
        if cases - before[1] > calls - before[0]:
            return
    raise AssertionError("no two of twelve concurrent submissions were gathered")
