"""The gateway against the four real services (processes, tests/support/system.py):
each role's view of cases inside and outside its scope, cases submitted and resolved
through the gateway reaching reporting (success rate and report at V2025 commune and
province level, the report download), the business counters on every service's
`/metrics`, label cardinality after demo-like data, and the correlation id in the
cases service's JSON log lines.

The tests share one system and run in file order, once on the embedded SQLite default
(as `make run` configures it) and once on PostgreSQL; the aggregates are compared with
the ledger of what this module submitted, so the bulk load comes last."""

import base64
import csv
import io
import json
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from services.cases import demo as cases_demo
from services.teams import demo as teams_demo
from services.teams import geography
from tests.support.gateway_client import GraphQLClient, codes
from tests.support.system import BACKENDS, databases, module_system

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-pipeline"
ACTOR = {"username": "e2e", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "V2025", "team_id": None}
YEAR = datetime.now(UTC).year
CROSSWALK = {row["legacy_code"]: row["v2025_code"] for row in geography.read()["crosswalk"]}
# LEGACY Yên Thịnh (06400) and the old Hữu Liên (06388), district 186, both merged into
# V2025 Hữu Liên (06400); a LEGACY commune of the same district merged elsewhere; one of
# another district (Hoàng Văn Thụ, 178 → V2025 06187).
HOME, MERGED, AWAY = "06400", "06388", "05971"
PRE_REFORM = "2025-03-01T08:00:00+07:00"
WAIT = 60  # seconds: events through the broker to reporting, on a busy 2-core machine


@pytest.fixture(scope="module", params=BACKENDS)
def world(vhost_pipeline, new_database, request, tmp_path_factory):
    """The system on the embedded SQLite default (as `make run`), then on PostgreSQL."""
    amqp_uri, log_dir = request.config.getoption("RABBIT_AMQP_URI"), tmp_path_factory.mktemp("e2e")
    urls = databases(request.param, new_database, log_dir)
    with module_system(vhost_pipeline, urls, amqp_uri, log_dir,
                       LOG_LEVEL="DEBUG") as (system, rpc, _):  # DEBUG: nameko logs each worker
        world = setup_world(rpc, GraphQLClient(system.url))
        world.update(rpc=rpc, system=system, log_path=log_dir / "services.log")
        yield world


def setup_world(rpc, client: GraphQLClient) -> dict:
    """LEGACY teams in two communes merged into one V2025 commune (home, merged), in a
    commune of the same LEGACY district merged elsewhere (sibling) and in another district
    (away); the current users of those V2025 communes, the district's history user, and a
    user of every other role."""
    communes = {c["code"]: c for c in rpc.teams.list_units("COMMUNE", None, "LEGACY")}
    home, merged, away = communes[HOME], communes[MERGED], communes[AWAY]
    district = home["parent_code"]
    sibling = next(c for c in communes.values() if c["parent_code"] == district
                   and CROSSWALK[c["code"]] != CROSSWALK[HOME])
    gen = teams_demo.Generator(seed=11)
    planned = [gen.team(c, f"Thôn E2E {i}", non_compliant=False)
               for i, c in enumerate((home, merged, sibling, away))]
    home_team, merged_team, sibling_team, away_team = [
        rpc.teams.get_team(i) for i in rpc.teams.import_teams(planned, ACTOR)]
    current = {key: CROSSWALK[c["code"]] for key, c in
               (("home", home), ("sibling", sibling), ("away", away))}
    users = {"province": ("province.officer", "PROVINCE_OFFICER", "20", None),
             "district": (f"district.{district}", "DISTRICT_OFFICER", district, None),
             "commune": (f"commune2025.{current['home']}", "COMMUNE_OFFICER",
                         current["home"], None),
             "sibling": (f"commune2025.{current['sibling']}", "COMMUNE_OFFICER",
                         current["sibling"], None),
             "away": (f"commune2025.{current['away']}", "COMMUNE_OFFICER", current["away"],
                      None),
             "leader": (f"leader.{home_team['id']}", "TEAM_LEADER", current["home"],
                        home_team["id"]),
             "mediator": (f"mediator.{home_team['mediator_ids'][1]}", "MEDIATOR",
                          current["home"], home_team["id"]),
             "viewer": ("viewer", "VIEWER", None, None)}
    rpc.teams.create_users([
        {"username": u, "password": PASSWORD, "role": r, "scope_code": s,
         "scope_version": "LEGACY" if r == "DISTRICT_OFFICER" else "V2025", "team_id": t}
        for u, r, s, t in users.values()], True, ACTOR)
    tokens = {}
    for key, (username, role, *_) in users.items():
        body = client.login(username, PASSWORD)
        assert "errors" not in body, body
        assert body["data"]["login"]["user"]["role"] == role
        tokens[key] = body["data"]["login"]["token"]
    return {"client": client, "tokens": tokens, "home": home, "sibling": sibling,
            "away": away, "district": district, "current": current, "teams": {
                "home": home_team, "merged": merged_team, "sibling": sibling_team,
                "away": away_team},
            "ledger": [], "mutations": 0}  # (V2025 commune, category, channel, outcome or None)


def gql(world, who: str | None, query: str, variables: dict | None = None,
        headers: dict | None = None) -> dict:
    token = world["tokens"][who] if who else None
    if query.startswith("mutation"):
        world["mutations"] += 1
    return world["client"].post(query, variables, token, headers=headers or {}).json()


SUBMIT = """mutation($t: ID!, $k: String!, $c: CaseCategory!, $ch: Channel!, $r: String) {
  submitCase(input: {idempotencyKey: $k, teamId: $t, category: $c, channel: $ch, receivedAt: $r,
    subject: "Tranh chấp ranh giới đất", description: "Hai hộ tranh chấp ranh giới vườn",
    parties: [{fullName: "Nguyễn Văn Ẻ", address: "Thôn 1"}, {fullName: "Hoàng Thị Gờ"}]})
  { case { id status } errors { code message field } } }"""
ASSIGN = """mutation($id: ID!, $m: [ID!]!) { assignMediators(caseId: $id, mediatorIds: $m)
  { errors { code message } } }"""
START = """mutation($id: ID!) { startMediation(caseId: $id) { errors { code message } } }"""
OUTCOME = """mutation($id: ID!, $o: Outcome!, $a: String) { recordOutcome(caseId: $id,
  outcome: $o, agreementText: $a, note: "e2e") { errors { code message } } }"""
CASE = """query($id: ID!) { case(id: $id) { id status team { id } description
  parties { fullName } } }"""


def submit(world, who: str, team_key: str, category: str, channel: str,
           outcome: str | None = None, headers: dict | None = None,
           received_at: str | None = None) -> str:
    """One case through the gateway (cases learns of new teams from events: retry a
    bounded while), taken to `outcome` if given; recorded in the ledger (this year's)."""
    team = world["teams"][team_key]
    variables = {"t": team["id"], "k": uuid.uuid4().hex, "c": category, "ch": channel,
                 "r": received_at}
    deadline = time.monotonic() + WAIT
    while True:
        body = gql(world, who, SUBMIT, variables, headers)
        result = body["data"]["submitCase"]
        if result["case"]:
            case_id = result["case"]["id"]
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
    if outcome:
        for query, extra in ((ASSIGN, {"m": team["mediator_ids"][:2]}), (START, {}),
                             (OUTCOME, {"o": outcome, "a": "Hai bên thống nhất ranh giới"
                                        if outcome == "SUCCESSFUL" else None})):
            done = gql(world, who, query, {"id": case_id, **extra})
            assert not codes(done) and not next(iter(done["data"].values()))["errors"], done
    if received_at is None:
        world["ledger"].append((team["v2025_code"], category, channel, outcome))
    return case_id


# ---- roles and scope ------------------------------------------------------------------

def test_each_role_reads_cases_inside_its_scope_only_and_parties_do_not_leak(world):
    """Pre-reform cases: the V2025 commune officer reads those of both LEGACY communes
    merged into its commune; the district's history user reads its district's."""
    home_case = submit(world, "commune", "home", "CONFLICT", "IN_PERSON",
                       received_at=PRE_REFORM)
    merged_case = submit(world, "commune", "merged", "CIVIL_FAMILY", "IN_PERSON",
                         received_at=PRE_REFORM)
    away_case = submit(world, "away", "away", "OTHER", "PHONE", received_at=PRE_REFORM)
    expected = {  # role → (home case, merged commune's case, away case) readable
        "province": (True, True, True), "district": (True, True, False),
        "commune": (True, True, False), "sibling": (False, False, False),
        "away": (False, False, True), "leader": (True, False, False),
        "mediator": (True, False, False), "viewer": (False, False, False),
        None: (False, False, False)}
    handling = {home_case: {"commune", "leader", "mediator"}, merged_case: {"commune"},
                away_case: {"away"}}
    for who, readable in expected.items():
        for case_id, allowed in zip((home_case, merged_case, away_case), readable,
                                    strict=True):
            body = gql(world, who, CASE, {"id": case_id})
            case = (body.get("data") or {}).get("case")
            text = json.dumps(body, ensure_ascii=False)
            if not allowed:
                assert case is None and codes(body) in (["FORBIDDEN"], ["UNAUTHENTICATED"]), \
                    (who, body)
                assert "Nguyễn Văn Ẻ" not in text and "Hai hộ" not in text
                continue
            assert case["id"] == case_id, (who, body)
            sees_parties = who in handling[case_id]  # the handling team and its commune
            assert ("Nguyễn Văn Ẻ" in text) == sees_parties, (who, body)
            assert ("Hai hộ tranh chấp" in text) == sees_parties, (who, body)


# ---- the business counters on /metrics ------------------------------------------------

def scrape(world, service: str) -> dict[tuple, float]:
    port = world["system"].ports[service]
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def moved(before: dict, after: dict, name: str) -> Counter:
    """Per label set, how far a counter moved between two scrapes."""
    return Counter({dict(labels).__repr__(): value - before.get((n, labels), 0)
                    for (n, labels), value in after.items()
                    if n == name and value != before.get((n, labels), 0)})


def labels(**kw) -> str:
    return dict(sorted(kw.items())).__repr__()


def test_submitted_and_resolved_counters_move_by_exactly_what_was_sent(world):
    before = {s: scrape(world, s) for s in ("teams", "cases", "reporting", "gateway")}
    mutations = world["mutations"]
    commune = world["current"]["home"]
    sent = [("CONFLICT", "IN_PERSON", "SUCCESSFUL"), ("CONFLICT", "IN_PERSON", "SUCCESSFUL"),
            ("CIVIL_FAMILY", "PHONE", "UNSUCCESSFUL"), ("CIVIL_FAMILY", "PHONE", None),
            ("OTHER", "ONLINE", "SUCCESSFUL")]
    for category, channel, outcome in sent:
        submit(world, "leader", "home", category, channel, outcome)
    after = scrape(world, "cases")
    submitted = moved(before["cases"], after, "hoagiai_cases_submitted_total")
    # received today: placed in the V2025 commune, with no LEGACY district (the label says so)
    place = {"commune": commune, "district": "unknown"}
    assert submitted == Counter({
        labels(category="CONFLICT", channel="IN_PERSON", **place): 2,
        labels(category="CIVIL_FAMILY", channel="PHONE", **place): 2,
        labels(category="OTHER", channel="ONLINE", **place): 1})
    resolved = moved(before["cases"], after, "hoagiai_cases_resolved_total")
    assert resolved == Counter({
        labels(category="CONFLICT", outcome="SUCCESSFUL", **place): 2,
        labels(category="CIVIL_FAMILY", outcome="UNSUCCESSFUL", **place): 1,
        labels(category="OTHER", outcome="SUCCESSFUL", **place): 1})

    # reporting applies the same events, each once
    key = ("hoagiai_events_consumed_total",
           tuple(sorted({"service": "reporting", "event_type": "case.received",
                         "result": "applied"}.items())))
    deadline = time.monotonic() + WAIT
    while scrape(world, "reporting").get(key, 0) - before["reporting"].get(key, 0) < len(sent):
        assert time.monotonic() < deadline, "reporting did not apply the cases in time"
        time.sleep(0.5)
    time.sleep(1)  # and no more than that
    assert scrape(world, "reporting")[key] - before["reporting"].get(key, 0) == len(sent)
    # the gateway counted its operations; teams still answers its own /metrics
    gateway = moved(before["gateway"], scrape(world, "gateway"),
                    "hoagiai_graphql_operations_total")
    assert gateway == Counter({labels(operation="anonymous", operation_type="mutation"):
                               world["mutations"] - mutations})  # submit, assign, start, …
    assert any(n.startswith("hoagiai_") for n, _ in scrape(world, "teams"))


# ---- reporting agrees with the cases, in today's layout (the default) -----------------

FIGURES = """query($u: String!, $y: Int!) {
  successRate(unitCode: $u, year: $y) { received successful unsuccessful rate
    unit { geoVersion } }
  report(unitCode: $u, year: $y) { total { received successful
    unsuccessful } byCategory { category received successful unsuccessful } }
  reportFile(unitCode: $u, year: $y) { filename contentType
    contentBase64 } }"""


def expected(ledger: list, communes: set[str] | None) -> dict:
    rows = [r for r in ledger if communes is None or r[0] in communes]
    return {"received": len(rows),
            "successful": sum(r[3] == "SUCCESSFUL" for r in rows),
            "unsuccessful": sum(r[3] == "UNSUCCESSFUL" for r in rows)}


def test_success_rate_and_report_match_the_cases_at_every_level(world):
    """This year's cases, by V2025 commune (the home one takes in the merged commune's
    team) and for the province."""
    submit(world, "commune", "merged", "CIVIL_FAMILY", "IN_PERSON", "SUCCESSFUL")
    submit(world, "sibling", "sibling", "CONFLICT", "IN_PERSON", "UNSUCCESSFUL")
    submit(world, "away", "away", "CIVIL_FAMILY", "PHONE", "SUCCESSFUL")
    current = world["current"]
    levels = {current["home"]: {current["home"]}, current["sibling"]: {current["sibling"]},
              "20": None}
    for unit, communes in levels.items():
        want = expected(world["ledger"], communes)
        assert want["received"] > 0
        deadline = time.monotonic() + WAIT
        while True:  # reporting catches up through the broker
            body = gql(world, "viewer", FIGURES, {"u": unit, "y": YEAR})
            assert "errors" not in body, body
            rate = body["data"]["successRate"]
            assert rate["unit"]["geoVersion"] == "V2025"
            got = {k: rate[k] for k in want}
            if got == want:
                break
            assert time.monotonic() < deadline, (unit, got, want)
            time.sleep(0.5)
        decided = want["successful"] + want["unsuccessful"]
        assert rate["rate"] == pytest.approx(want["successful"] / decided)
        report = body["data"]["report"]
        assert {k: report["total"][k] for k in want} == want
        for row in report["byCategory"]:
            rows = [r for r in world["ledger"] if (communes is None or r[0] in communes)
                    and r[1] == row["category"]]
            assert row["received"] == len(rows), (unit, row)
        download = body["data"]["reportFile"]
        assert download["contentType"] == "text/csv" and unit in download["filename"]
        table = list(csv.reader(io.StringIO(
            base64.b64decode(download["contentBase64"]).decode("utf-8-sig"))))
        total_row = next(r for r in table if "Tổng cộng" in r)
        assert str(want["received"]) in total_row and str(want["successful"]) in total_row


# ---- correlation id in the cases service's log lines ----------------------------------

def test_the_gateway_request_id_reaches_the_cases_service_log(world):
    request_id = "e2e-" + uuid.uuid4().hex
    submit(world, "commune", "home", "OTHER", "IN_PERSON", headers={"X-Request-ID": request_id})
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in world["log_path"].read_text(errors="replace").splitlines()
                 if request_id in line]
        cases_lines = [_json(line) for line in lines if _source(line) == "cases"]
        if any(e and "cases.submit_case" in e["message"] for e in cases_lines):
            break
        assert time.monotonic() < deadline, lines[:5]
        time.sleep(0.3)
    assert all(e and e["correlation_id"] == request_id for e in cases_lines), cases_lines[:3]
    assert any(_source(line) == "gateway" for line in lines)


def _source(line: str) -> str:
    """honcho's prefix: `12:00:00 cases.1 | {json}` → cases."""
    head = line.split("|", 1)[0].split()
    return head[-1].split(".")[0] if head else ""


def _json(line: str) -> dict | None:
    try:
        return json.loads(line.split("|", 1)[1])
    except (IndexError, ValueError):
        return None


def test_alembic_stays_quiet_at_start(world):
    text = world["log_path"].read_text(errors="replace")
    assert '"logger": "alembic' not in text  # its INFO lines are off even at DEBUG
    assert '"logger": "nameko' in text  # while the rest of DEBUG is there: the check can fail


# ---- label cardinality after demo-like data -------------------------------------------

MAX_VALUES = 50


def test_no_metric_label_has_more_than_50_values_after_demo_like_data(world):
    rpc = world["rpc"]
    communes = rpc.teams.list_units("COMMUNE", None, "LEGACY")
    by_district: dict[str, list] = {}
    for commune in communes:
        by_district.setdefault(commune["parent_code"], []).append(commune)
    gen = teams_demo.Generator(seed=5)
    picked = [c for group in by_district.values() for c in group[:3]]  # 33 communes
    new = set(rpc.teams.import_teams(
        [gen.team(c, f"Thôn Nhãn {c['code']}", False) for c in picked], ACTOR))
    deadline = time.monotonic() + WAIT
    while True:  # cases learns of teams, then of their mediators, from teams' events
        directory = [t for t in rpc.cases.directory_teams()
                     if t["team_id"] in new and len(t["mediator_ids"]) >= 2]
        if len(directory) == len(new):
            break
        assert time.monotonic() < deadline, "cases did not learn of the teams in time"
        time.sleep(0.5)
    generator = cases_demo.Generator(directory, datetime.now(UTC))
    planned = [c for c in (generator.case(y, n) for y in cases_demo.YEARS for n in range(40))
               if c]  # ≈ 320 cases 2018-2025 with their steps, as the demo makes them
    results = [r for start in range(0, len(planned), 100)
               for r in rpc.cases.submit_cases(planned[start:start + 100], ACTOR)]
    loaded = [r for r in results if "case" in r]
    assert len(loaded) >= 200, f"only {len(loaded)} cases; a reduced demo wants a few hundred"
    districts = {t["district_code"] for t in directory}
    assert len(districts) == 11

    wanted = ("hoagiai_events_consumed_total", (("event_type", "case.received"),
                                               ("result", "applied"), ("service", "reporting")))
    deadline = time.monotonic() + WAIT * 2
    while scrape(world, "reporting").get(wanted, 0) < len(world["ledger"]) + len(loaded):
        assert time.monotonic() < deadline, "reporting did not catch up in time"
        time.sleep(1)

    too_many, label_values = [], {}
    for service in ("teams", "cases", "reporting", "gateway"):
        for (name, labelset), _ in scrape(world, service).items():
            for label, value in labelset:
                label_values.setdefault((service, name, label), set()).add(value)
    for key, values in label_values.items():
        if len(values) > MAX_VALUES:
            too_many.append(f"{key}: {len(values)} values, e.g. {sorted(values)[:5]}")
    assert too_many == []
    seen = {label: {v for (s, n, name), vals in label_values.items()
                    if s == "cases" and n == "hoagiai_cases_submitted_total"
                    and name == label for v in vals} for label in ("district", "commune")}
    assert districts <= seen["district"]  # the labels really saw all 11 districts
    assert {CROSSWALK[t["commune_code"]] for t in directory} <= seen["commune"]  # V2025
