"""Time the province dashboard in headless Chromium: log in through the form, then reload
(a navigation with the session kept) and wait until the figures are drawn. Prints JSON:
the time from navigation start, the GraphQL requests of that navigation and their server
times. Run as `python -m bench.console_dashboard URL USERNAME PASSWORD` in a process of
its own (Playwright's sync API hangs under eventlet, see tests/support/graphiql_probe)."""

import json
import sys

from playwright.sync_api import sync_playwright

from tests.support.browser import chromium_path
from tests.support.console_probe import log_in

# Drawn: the unit's total, a row per child unit, and the panels (trend, hot spots, ...).
DRAWN = """() => document.querySelector('#total') && document.querySelector('#rates tbody tr')
  && document.querySelector('#hotspots') ? performance.now() : null"""
RUNS = 3  # the best of a few navigations: the machine is shared


def measure(url: str, username: str, password: str) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(),
                                             args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(url, wait_until="networkidle", timeout=60_000)
        log_in(page, username, password)
        page.wait_for_function(DRAWN, timeout=60_000)  # warm: the app shell is cached
        runs = [navigation(page) for _ in range(RUNS)]
        browser.close()
    return min(runs, key=lambda run: run["ms"])


def navigation(page) -> dict:
    requests = []
    listen = lambda r: r.url.endswith("/graphql") and requests.append(r)  # noqa: E731
    page.on("requestfinished", listen)
    page.reload(wait_until="commit", timeout=60_000)
    drawn = page.wait_for_function(DRAWN, polling="raf", timeout=60_000).json_value()
    page.wait_for_load_state("networkidle")  # requests made after the figures count too
    page.remove_listener("requestfinished", listen)
    # responseStart - requestStart: the gateway's time as the browser saw it (loopback)
    server = [r.timing["responseStart"] - r.timing["requestStart"] for r in requests]
    return {"ms": drawn, "requests": len(requests), "server_ms": sum(server)}


if __name__ == "__main__":
    print(json.dumps(measure(*sys.argv[1:4])))
