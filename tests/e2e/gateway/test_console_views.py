"""Every screen of the officers' console as each role, in headless Chromium, against the
real system on SQLite (as `make run` has it), with demo teams, cases of this year and the
last, open cases in every state (some overdue, a hot spot) and non-compliant teams.

Each role logs in through the form; the dashboard's figures and its panels' counts are the
API's for the same unit, year and layout and token; no screen shows a party's name or a
team out of scope, and the API refuses such a team; axe-core finds no serious or critical
violation on any screen at 1366 or 360 px; no request leaves 127.0.0.1; logout drops the
token. A commune officer also uses the registry's forms (a refused election share shown
next to its field, then a mediator added, recognised and elected leader) and downloads
the 0403 report and a log book. Screenshots: var/screenshots/<role>-<screen>-<width>.png.
"""

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from urllib.parse import urlparse

import pytest

from services.cases import demo as cases_demo
from services.teams import demo as teams_demo
from services.teams import demo_activity
from tests.e2e.gateway.console_world import ROOT, SCREENSHOTS, console_system
from tests.support.gateway_client import GraphQLClient

pytestmark = pytest.mark.e2e
PASSWORD = "views-pass"
YEAR = datetime.now(UTC).year
CASES_PER_YEAR = 120
COMMUNES = ("05971", "06079", "06400")  # LEGACY communes, each with demo teams
COMMUNE = COMMUNES[-1]
# each role's layout: today's (V2025), the districts' history (LEGACY), a team's own
LAYOUTS = {"province": "V2025", "district": "LEGACY", "commune": "V2025", "leader": "LEGACY",
           "viewer": "V2025"}
FIGURES = "received successful unsuccessful inProgress rate target"
UNIT_RATE = f"""query($c: String!, $y: Int!, $g: GeoVersion!) {{
  successRate(unitCode: $c, year: $y, geoVersion: $g) {{ {FIGURES} }} }}"""
TEAM_RATE = f"""query($id: ID!, $y: Int!) {{ team(id: $id) {{ successRate(year: $y) {{
  {FIGURES} }} }} }}"""
PANELS = """query($c: String!, $g: GeoVersion!) {
  hotspots(unitCode: $c, days: 30, geoVersion: $g) { cases } }"""
# first: 10 as the console asks
SCOPED_PANELS = """query($c: String!, $g: GeoVersion!) {
  overdueCases(unitCode: $c, geoVersion: $g, first: 10) { totalCount }
  nonCompliantTeams(unitCode: $c, geoVersion: $g) { id } }"""
TEAM = "query($id: ID!) { team(id: $id) { name } }"
ROLES = ["province", "district", "commune", "leader", "viewer"]


@pytest.fixture(scope="module")
def world(vhost_pipeline, request, tmp_path_factory):
    with console_system(vhost_pipeline, request, tmp_path_factory) as (system, rpc, client):
        yield {"system": system, "client": client, **load(rpc, client)}


def load(rpc, client: GraphQLClient) -> dict:
    """Demo teams in three communes (and a non-compliant one in each), one user per role,
    cases of this year and the last and the demo's open cases; waits for reporting."""
    communes = {c["code"]: c for c in rpc.teams.list_units("COMMUNE", None, "LEGACY")}
    gen = teams_demo.Generator()
    ids = rpc.teams.import_teams([gen.team(communes[code], village, False)
                                  for code in COMMUNES
                                  for village in gen.villages(communes[code], 2)],
                                 teams_demo.ACTOR)
    demo_activity.form_new_teams(rpc.teams, datetime.now(UTC).date())
    teams = {t["id"]: t for code in COMMUNES
             for t in rpc.teams.list_teams(code, "LEGACY", 100)["items"]}
    own = rpc.teams.list_teams(COMMUNE, "LEGACY", 1)["items"][0]
    district = communes[COMMUNE]["parent_code"]
    current = rpc.teams.map_legacy_unit(COMMUNE)["code"]  # the V2025 commune it merged into
    users = {"province": ("province.views", "PROVINCE_OFFICER", "20", None),
             "district": ("district.views", "DISTRICT_OFFICER", district, None),
             "commune": ("commune.views", "COMMUNE_OFFICER", current, None),
             "leader": ("leader.views", "TEAM_LEADER", COMMUNE, own["id"]),
             "viewer": ("viewer.views", "VIEWER", "20", None)}
    rpc.teams.create_users([{"username": name, "password": PASSWORD, "role": role,
                             "scope_code": scope, "scope_version": LAYOUTS[key], "team_id": team}
                            for key, (name, role, scope, team) in users.items()], True,
                           teams_demo.ACTOR)
    cases_demo.wait_for_directory(rpc.cases, timeout=60)
    generator = cases_demo.Generator(rpc.cases.directory_teams(), datetime.now(UTC))
    batch = [c for year in (YEAR - 1, YEAR) for n in range(CASES_PER_YEAR)
             if (c := generator.case(year, n))] + generator.open_cases()
    results = rpc.cases.submit_cases(batch, cases_demo.ACTOR)
    assert not [r for r in results if "error" in r]
    wait_for_reporting(client, sum(1 for c in batch if c["received_at"][:4] == str(YEAR)))
    parties = {p["full_name"] for c in batch for p in c["parties"]}
    assert len(ids) == 6
    return {"users": users, "teams": teams, "own_team": own["id"], "parties": parties,
            "district": district, "current": current}


def wait_for_reporting(client: GraphQLClient, received: int) -> None:
    deadline = time.monotonic() + 90
    while client.run(UNIT_RATE, {"c": "20", "y": YEAR, "g": "V2025"})["data"][
            "successRate"]["received"] < received:
        assert time.monotonic() < deadline, "reporting did not count the cases in time"
        time.sleep(0.5)


def walk(world, role: str, *options: str) -> dict:
    base = world["system"].url.removesuffix("/graphql")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run(
        [sys.executable, "-m", "tests.support.console_views_probe", base + "/",
         world["users"][role][0], PASSWORD, role, str(SCREENSHOTS), *options],
        capture_output=True, text=True, timeout=420, cwd=ROOT)
    assert probe.returncode == 0, probe.stderr[-3000:]
    return json.loads(probe.stdout)


def api_rows(client: GraphQLClient, token: str, rows: list[dict], geo: str) -> dict:
    """What the API gives this user for each unit or team the table shows."""
    found = {}
    for row in rows:
        if row["level"] == "TEAM":
            body = client.post(TEAM_RATE, {"id": row["code"], "y": YEAR}, token).json()
            found[row["code"]] = body["data"]["team"]["successRate"]
        else:
            body = client.post(UNIT_RATE, {"c": row["code"], "y": YEAR, "g": geo}, token).json()
            found[row["code"]] = body["data"]["successRate"]
    return found


def in_scope(world, role: str, team_id: str, team: dict) -> bool:
    return {"commune": team["v2025_code"] == world["current"],
            "district": team["district_code"] == world["district"],
            "leader": team_id == world["own_team"]}.get(role, True)


def as_api(row: dict) -> dict:
    number = {"rate": float, "target": float}
    return {key: (number.get(key, int)(row[key]) if row[key] != "" else None)
            for key in ("received", "successful", "unsuccessful", "inProgress", "rate",
                        "target")}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_api_s_figures_and_nothing_out_of_scope(world, role):
    client = world["client"]
    username, _, scope, _ = world["users"][role]
    token = client.login(username, PASSWORD)["data"]["login"]["token"]
    seen = walk(world, role)
    geo = LAYOUTS[role]

    # the dashboard: the API's figures, row by row, and the panels' counts
    assert seen["rows"], "the dashboard shows no unit"
    assert {r["code"]: as_api(r) for r in seen["rows"]} == api_rows(
        client, token, seen["rows"], geo)
    # this year's cases are all placed in V2025: a district (history) has no rate this year
    assert any(r["rate"] for r in seen["rows"]) or role in ("leader", "district")
    hotspots = client.post(PANELS, {"c": scope, "g": geo}, token).json()["data"]["hotspots"]
    assert int(seen["panels"]["hotspots"]) == len(hotspots)
    if role == "viewer":
        assert seen["panels"]["overdue"] is None and seen["panels"]["non-compliant"] is None
        assert seen["screens"] == ["dashboard", "reports"]
    else:
        panels = client.post(SCOPED_PANELS, {"c": scope, "g": geo},
                             token).json()["data"]
        assert int(seen["panels"]["overdue"]) == panels["overdueCases"]["totalCount"]
        assert int(seen["panels"]["non-compliant"]) == len(panels["nonCompliantTeams"])
        assert len(seen["overdue_links"]) == min(10, panels["overdueCases"]["totalCount"])
    if role in ("province", "commune"):
        assert int(seen["panels"]["overdue"]) > 0 and int(seen["panels"]["non-compliant"]) > 0
    if role == "province":
        assert int(seen["panels"]["hotspots"]) > 0
        assert [year for year, rate in seen["trend"] if rate] == [str(YEAR - 1), str(YEAR)]
    if seen["drill"]:  # one level down and back
        assert all(r["level"] in ("COMMUNE", "TEAM") for r in seen["drill"]["rows"])
        assert seen["drill"]["back"]

    # no party's name anywhere; no team out of scope shown, and the API refuses it
    text = "\n".join(view["text"] for view in seen["views"].values())
    assert not [name for name in world["parties"] if name in text]
    out = {tid: t for tid, t in world["teams"].items() if not in_scope(world, role, tid, t)}
    assert bool(out) == (role in ("commune", "district", "leader"))
    for team_id, team in out.items():
        assert team["name"] not in text or any(  # a name two communes share is not a leak
            t["name"] == team["name"] and in_scope(world, role, i, t)
            for i, t in world["teams"].items()), team["name"]
        refused = client.post(TEAM, {"id": team_id}, token).json()
        assert refused["data"]["team"] is None and refused["errors"], team_id
    if role == "viewer":
        refused = client.post(TEAM, {"id": world["own_team"]}, token).json()
        assert refused["data"]["team"] is None and refused["errors"]

    # every screen: no serious or critical accessibility violation, no sideways
    # scrolling on a phone, screenshots at both sizes
    for screen, view in seen["views"].items():
        assert view["axe"] == [] and view["axe_360"] == [], (screen, view["axe"],
                                                              view["axe_360"])
        assert view["scroll_width_360"] <= 360, screen
        for width in (1366, 360):
            assert (SCREENSHOTS / f"{role}-{screen}-{width}.png").stat().st_size > 5_000
    assert {urlparse(url).hostname for url in seen["requests"]} == {"127.0.0.1"}
    assert seen["csp_violations"] == [] and seen["failed"] == []
    assert seen["console_errors"] == []
    # logout drops the token and shows the login form
    assert seen["storage_after_logout"]["session"] == {}
    assert "Đăng nhập" in seen["after_logout"]


def test_a_commune_officer_keeps_the_registry_and_downloads_reports(world):
    seen = walk(world, "commune", "forms")
    assert seen["screens"] == ["dashboard", "cases", "intake", "registry", "reports"]
    registry = seen["registry"]
    assert registry["share_described_by"] == "am-share-error"
    # the refusal's reason (ELECTION_SHARE_TOO_LOW) in the console's words, not the API's English
    assert registry["share_error"] == registry["share_error_360"] == (
        "Hòa giải viên phải được quá nửa tổng số đại diện hộ gia đình đồng ý "
        "(Điều 8 Luật Hòa giải ở cơ sở).")
    assert (SCREENSHOTS / "commune-registry-error-360.png").stat().st_size > 5_000
    assert registry["share_error_en"] == (
        "A mediator needs more than half of the household representatives (Law 35 Art. 8).")
    assert registry["after"] == registry["before"] + 1
    assert "12/QĐ-UBND" in registry["recognised_row"]
    assert "tổ trưởng" in registry["recognised_row"]
    client = world["client"]
    token = client.login("commune.views", PASSWORD)["data"]["login"]["token"]
    team = client.post("query($id: ID!) { team(id: $id) { leader { fullName electedOn "
                       "recognition { decisionDate } } } }",
                       {"id": registry["team"]}, token).json()["data"]["team"]
    assert team["leader"]["fullName"] == "Lăng Thị Thử"
    # the dates typed as dd/mm/yyyy reached the API as these ISO dates
    assert team["leader"]["electedOn"] == registry["elected_on"]
    assert team["leader"]["recognition"]["decisionDate"] == registry["decided_on"]
    # an impossible decision date: refused next to its field, in Vietnamese, nothing sent
    date = registry["decision_date"]
    assert "Ngày không hợp lệ" in date["error"] and date["posts"] == 0
    assert date["described_by"] == "rc-date-hint rc-date-error" and date["invalid"] == "true"
    assert date["focused"], date
    assert date["default"] == "" and date["axe"] == [] and date["axe_360"] == []
    assert date["scroll_width_360"] <= 360 and date["error_after"] == 0
    for width in (1366, 360):
        assert (SCREENSHOTS / f"commune-registry-date-error-{width}.png").stat().st_size > 5_000
    downloads = seen["downloads"]
    assert downloads["report-csv"]["filename"].endswith(".csv")
    assert downloads["report-xlsx"]["filename"].endswith(".xlsx")
    assert downloads["log-book-xlsx"]["filename"].endswith(".xlsx")
    assert all(d["size"] > 0 for k, d in downloads.items() if k != "report_table")
    total = next(row for row in downloads["report_table"] if row[0] == "TOTAL")
    assert total[1] == "Tổng cộng"


def test_the_dashboard_says_when_its_figures_are_still_being_built(world):
    """While the API's `pipeline` says reporting has not caught up (here its first answer,
    as after a first load), the dashboard says its figures are not complete; once it has,
    the notice goes and the figures are asked for again."""
    base = world["system"].url.removesuffix("/graphql")
    probe = subprocess.run(
        [sys.executable, "-m", "tests.support.console_pipeline_probe", base + "/",
         world["users"]["province"][0], PASSWORD, str(SCREENSHOTS)],
        capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout)
    assert "Số liệu đang được tổng hợp" in seen["notice"] and "12.345" in seen["notice"]
    assert seen["pending"] == "12345" and seen["axe"] == []
    assert seen["pipeline_answers"][:2] == ["building", "real"]
    assert seen["figure_requests"] == 2  # the first load, and again once caught up
    assert seen["console_errors"] == []
    for width in (1366, 360):
        assert (SCREENSHOTS / f"pipeline-notice-{width}.png").stat().st_size > 5_000
