"""GraphiQL in a real browser: headless Chromium loads /graphql with its own Accept header,
gets the page from the gateway's vendored files only, and runs a query through the UI."""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import requests

from services.gateway import graphiql
from tests.support.browser import CHROMIUM_ACCEPT

ROOT = Path(__file__).resolve().parents[3]
QUERY = "{ health { service } }"


def test_chromium_s_accept_header_gets_the_graphiql_page(gateway):
    page = requests.get(gateway.url, headers={"accept": CHROMIUM_ACCEPT}, timeout=5)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script src=\"/graphiql/graphiql-start.js\">" in page.text
    assert page.headers["content-security-policy"] == graphiql.CONTENT_SECURITY_POLICY
    for name in ("graphiql-start.js", "vendor/graphiql.min.js", "vendor/graphiql.min.css"):
        asset = requests.get(gateway.url.replace("/graphql", f"/graphiql/{name}"), timeout=5)
        assert asset.status_code == 200, name
    unknown = requests.get(gateway.url.replace("/graphql", "/graphiql/../config.yaml"), timeout=5)
    assert unknown.status_code == 404


def test_graphiql_runs_a_query_in_headless_chromium_with_nothing_from_another_host(
        gateway, tmp_path):
    screenshot = tmp_path / "graphiql.png"
    probe = subprocess.run(
        [sys.executable, "-m", "tests.support.graphiql_probe", gateway.url, QUERY,
         str(screenshot)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout)
    assert seen["status"] == 200 and seen["content_type"].startswith("text/html")
    # The browser's own header (this Chromium also lists image/jxl), with the part that
    # `accept_mimetypes.best` ranked first.
    assert seen["accept"].startswith("text/html,")
    assert seen["accept"].endswith(",application/signed-exchange;v=b3;q=0.7")
    hosts = {urlparse(r["url"]).hostname for r in seen["requests"]}
    assert hosts == {"127.0.0.1"}, seen["requests"]
    assert seen["csp_violations"] == [] and seen["failed"] == [] and not seen["console_errors"]
    assert seen["editor"] == QUERY
    expected = gateway.post(QUERY).json()
    assert json.loads(seen["result"]) == expected and seen["result_visible"]
    assert screenshot.stat().st_size > 10_000
