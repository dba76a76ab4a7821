"""The officers' console in headless Chromium against the real system (SQLite, as
`make run` has it): a province officer logs in through the form and sees the success
rates the API gives, keeps the session over a reload, switches language, logs out, and
is sent back to login when the token no longer holds; a commune officer scoped V2025
submits a case, the date received typed as dd/mm/yyyy in the console's date field (an
impossible date refused next to it first). Screenshots go to var/screenshots/."""

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import pytest
import requests

from services.cases import demo as cases_demo
from services.gateway import console, graphiql
from tests.e2e.gateway.console_world import (
    COMMUNE_OFFICER,
    PASSWORD,
    SCREENSHOTS,
    console_system,
    load_teams,
    probe,
)
from tests.support.gateway_client import GraphQLClient

pytestmark = pytest.mark.e2e
YEAR = datetime.now(UTC).year
CASES_PER_YEAR = 150
RATES = """query($c: String!, $y: Int!) { unit(code: $c) { children { code } }
  successRate(unitCode: $c, year: $y) { rate received } }"""
CHILD = """query($c: String!, $y: Int!) { successRate(unitCode: $c, year: $y) {
  received successful unsuccessful inProgress rate target } }"""


@pytest.fixture(scope="module")
def world(vhost_pipeline, request, tmp_path_factory):
    with console_system(vhost_pipeline, request, tmp_path_factory) as (system, rpc, client):
        load_cases(rpc, client)
        yield {"system": system, "client": client}


def load_cases(rpc, client: GraphQLClient) -> None:
    """The tests' teams and users (console_world), and demo cases of this year and the
    last; waits until reporting counts them all."""
    load_teams(rpc)
    cases = cases_demo.Generator(rpc.cases.directory_teams(), datetime.now(UTC))
    for year in (YEAR - 1, YEAR):
        batch = [c for c in (cases.case(year, n) for n in range(CASES_PER_YEAR)) if c]
        results = rpc.cases.submit_cases(batch, cases_demo.ACTOR)
        assert not [r for r in results if "error" in r]
        wait_for_reporting(client, year, len(batch))


def wait_for_reporting(client: GraphQLClient, year: int, received: int) -> None:
    deadline = time.monotonic() + 60
    while client.run(RATES, {"c": "20", "y": year})["data"]["successRate"]["received"] < received:
        assert time.monotonic() < deadline, "reporting did not count the cases in time"
        time.sleep(0.3)


def api_rows(client: GraphQLClient, year: int) -> dict[str, dict]:
    """The province's V2025 communes' figures, asked one by one as any API client would."""
    children = client.run(RATES, {"c": "20", "y": year})["data"]["unit"]["children"]
    return {c["code"]: client.run(CHILD, {"c": c["code"], "y": year})["data"]["successRate"]
            for c in children}


def as_api(row: dict) -> dict:
    """A table row's data attributes, as the API's types."""
    number = {"rate": float, "target": float}
    return {key: (number.get(key, int)(row[key]) if row[key] != "" else None)
            for key in ("received", "successful", "unsuccessful", "inProgress", "rate", "target")}


def test_the_console_and_its_files_are_served_with_a_strict_policy(world):
    base = world["system"].url.removesuffix("/graphql")
    page = requests.get(base + "/", timeout=5)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == graphiql.CONTENT_SECURITY_POLICY
    assert '<script type="module" src="/console/app.js">' in page.text
    for name in ("app.js", "vendor/htm-preact-standalone.module.js", "console.css"):
        asset = requests.get(f"{base}/console/{name}", timeout=5)
        assert asset.status_code == 200 and "content-security-policy" in asset.headers, name
    assert requests.get(base + "/console/../config.yaml", timeout=5).status_code == 404
    assert set(console._assets()) >= {"app.js", "api.js", "i18n.js", "dashboard.js"}


def test_a_province_officer_uses_the_dashboard_in_headless_chromium(world):
    client, base = world["client"], world["system"].url.removesuffix("/graphql")
    seen = probe("dashboard", base + "/", "province.officer", PASSWORD, str(YEAR),
                 str(YEAR - 1), str(SCREENSHOTS))
    assert seen["status"] == 200 and seen["csp"] == graphiql.CONTENT_SECURITY_POLICY
    # the figures are the API's, unit by unit, for both years; some units have a rate
    for year, rows in ((YEAR, seen["rows"]), (YEAR - 1, seen["other_rows"])):
        expected = api_rows(client, year)
        assert {row["code"]: as_api(row) for row in rows} == expected, (year, rows[:3])
        assert any(row["rate"] is not None for row in expected.values())
    total = client.run(RATES, {"c": "20", "y": YEAR})["data"]["successRate"]["rate"]
    assert float(seen["total"]) == total
    # shown in Vietnamese formats: 80 % as "80%", the rate with a decimal comma
    rated = next(r for r in seen["rows"] if r["rate"])
    assert rated["cells"][6] == "80%" and "." not in rated["cells"][5]
    by_rate = [float(row["rate"]) for row in seen["sorted_by_rate"] if row["rate"]]
    assert by_rate == sorted(by_rate, reverse=True) and seen["rate_header"] == "descending"
    assert len(seen["sorted_by_rate"]) == len(seen["rows"])
    assert seen["heading_vi"].startswith("Tỷ lệ hòa giải thành")
    assert seen["heading_en"].startswith("Mediation success rate")
    # the session: kept over a reload in sessionStorage only, dropped by logout and expiry
    assert seen["after_reload"] == seen["rows"] and seen["user_after_reload"] == "province.officer"
    assert seen["storage"]["session"].get("hoagiai.token")
    assert "hoagiai.token" not in seen["storage"]["local"]
    assert seen["storage_after_logout"]["session"] == {}
    # and logout revoked the token in the API, not only in the browser
    token = seen["storage"]["session"]["hoagiai.token"]
    assert client.post("{ me { username } }", token=token).status_code == 401
    assert seen["storage_after_expiry"]["session"] == {}
    assert "hết hạn" in seen["expired_notice"]
    # nothing from another host, no CSP violation, no error until the token was spoiled
    assert {urlparse(url).hostname for url in seen["requests"]} == {"127.0.0.1"}
    assert seen["csp_violations"] == [] and seen["clean"] == {"failed": [],
                                                              "console_errors": []}
    assert seen["scroll_width_360"] <= 360  # no sideways scrolling on a phone
    for name in ("login-1366", "dashboard-1366", "dashboard-360", "login-360"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 5_000, name


def test_a_commune_officer_submits_a_case_through_the_intake_form(world):
    client, base = world["client"], world["system"].url.removesuffix("/graphql")
    yesterday = (datetime.now(UTC) + timedelta(hours=7) - timedelta(days=1)).date().isoformat()
    seen = probe("intake", base + "/", COMMUNE_OFFICER, PASSWORD, yesterday, str(SCREENSHOTS))
    # the API's refusal, in Vietnamese by its reason, is shown next to the description,
    # tied to it for screen readers, and the officer's override is offered
    assert "dấu hiệu tội phạm" in seen["description_error"]
    assert seen["described_by"] == "error-description" and seen["override_offered"]
    # the date field: dd/mm/yyyy (today by default), ↓ and ↑ by keyboard, an impossible
    # date refused next to the field in Vietnamese before any request; the day typed as
    # dd/mm/yyyy goes to the API as that ISO date
    date = seen["date"]
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    assert date["default"] == today.strftime("%d/%m/%Y")
    assert "ngày/tháng/năm" in date["hint"].lower()
    assert date["after_arrow_down"] == (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert date["after_arrow_up"] == date["default"]
    assert "Ngày không hợp lệ" in date["error"] and date["posts"] == 0
    assert date["described_by"] == "f-received-hint f-received-error"
    assert date["invalid"] == "true" and date["focused"]
    assert date["axe"] == [] and date["axe_360"] == [] and date["scroll_width_360"] <= 360
    assert date["shown"] == date["typed"] == "/".join(reversed(yesterday.split("-")))
    assert date["error_after"] == 0
    # the channel, the date received and a party's related mediator went to the API
    sent = seen["inputs"][-1]
    assert (sent["channel"], sent["receivedAt"]) == ("PHONE", f"{yesterday}T12:00:00+07:00")
    assert seen["related_offered"] and len(sent["parties"][0]["relatedMediatorIds"]) == 1
    assert seen["axe"] == []
    # the refused try and the double click all carried the form's one key: one case
    assert len(seen["keys"]) >= 2 and set(seen["keys"]) == {seen["form_key"]}
    token = client.login(COMMUNE_OFFICER, PASSWORD)["data"]["login"]["token"]
    body = client.post("{ cases(first: 100) { edges { node { id subject status channel "
                       "receivedAt } } } }", token=token).json()
    made = [e["node"] for e in body["data"]["cases"]["edges"]
            if e["node"]["subject"] == "Tranh chấp lối đi sau nhà"
            and e["node"]["status"] == "RECEIVED"]
    assert [case["id"] for case in made] == [seen["case_id"]]
    assert made[0]["channel"] == "PHONE" and made[0]["receivedAt"].startswith(yesterday)
    assert "Đã tiếp nhận vụ việc" in seen["done"]
    assert seen["next_key"] != seen["form_key"]  # a new form, a new key
    assert {urlparse(url).hostname for url in seen["requests"]} == {"127.0.0.1"}
    assert seen["csp_violations"] == [] and seen["failed"] == [] and not seen["console_errors"]
    assert seen["scroll_width_360"] <= 360
