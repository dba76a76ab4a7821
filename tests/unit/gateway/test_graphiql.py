"""GraphiQL's vendored files and the content negotiation that serves its page."""

import hashlib
import re

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import graphiql
from services.gateway.http import _wants_html
from tests.support.browser import CHROMIUM_ACCEPT


@pytest.mark.parametrize("name", sorted(graphiql.vendored()))
def test_each_vendored_file_matches_the_sha256_in_its_manifest(name):
    entry = graphiql.vendored()[name]
    data = (graphiql.STATIC / "vendor" / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert entry["package"] in ("graphiql", "react", "react-dom", "htm") and entry["version"]
    assert (graphiql.STATIC / "vendor" / entry["license"]).is_file()


def test_the_page_loads_only_local_scripts_and_no_inline_code():
    html = (graphiql.STATIC / "graphiql.html").read_text()
    sources = re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", html)
    assert sources and all(s.startswith("/graphiql/") or s == "data:," for s in sources)
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    for path in (s for s in sources if s.startswith("/graphiql/")):
        assert graphiql.asset(path.removeprefix("/graphiql/")).status_code == 200, path
    assert "'unsafe-inline'" not in graphiql.CONTENT_SECURITY_POLICY


def test_an_unknown_or_escaping_asset_name_is_not_found():
    for name in ("", "../http.py", "vendor/manifest.json", "graphiql.html", "vendor/../service.py"):
        assert graphiql.asset(name).status_code == 404, name


def _request(accept: str | None, query: str = "") -> Request:
    headers = {"Accept": accept} if accept is not None else {}
    environ = EnvironBuilder(path="/graphql", query_string=query, headers=headers).get_environ()
    return Request(environ)


@pytest.mark.parametrize("accept, html", [
    (CHROMIUM_ACCEPT, True),  # the whole header: a shortened one hides the bug
    ("text/html", True),
    ("text/html,application/json;q=0.9", True),
    (None, False),
    ("*/*", False),
    ("application/json", False),
    ("application/graphql-response+json, text/html;q=0.5", False),
    ("text/html;q=0.8, application/json", False),
])
def test_the_page_goes_to_clients_that_prefer_html_to_json(accept, html):
    assert _wants_html(_request(accept)) is html


def test_a_browser_s_get_with_a_query_runs_it():
    assert _wants_html(_request(CHROMIUM_ACCEPT, "query=%7B+health+%7B+service+%7D+%7D")) is False
