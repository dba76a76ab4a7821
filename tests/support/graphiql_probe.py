"""Drive GraphiQL in headless Chromium and print what happened as JSON. Run as
`python -m tests.support.graphiql_probe URL QUERY SCREENSHOT` in a process of its own:
Playwright's sync API hangs on exit under the eventlet monkey-patching of the test run."""

import json
import sys
import time

from playwright.sync_api import sync_playwright

from tests.support.browser import chromium_path

# Collects Content-Security-Policy violations from inside the page (an init script is
# injected by the browser, so the page's own policy does not block it).
WATCH_CSP = """document.addEventListener("securitypolicyviolation", e =>
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI));"""

EDITOR = "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
RESULT = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"


def probe(url: str, query: str, screenshot: str) -> dict:
    seen = {"requests": [], "console_errors": [], "failed": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.add_init_script(WATCH_CSP)
        page.on("request", lambda r: seen["requests"].append(
            {"url": r.url, "method": r.method}))
        page.on("response", lambda r: r.status >= 400 and seen["failed"].append(
            f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and seen["console_errors"].append(m.text))
        response = page.goto(url, wait_until="networkidle", timeout=30_000)
        seen["status"] = response.status
        seen["accept"] = response.request.all_headers().get("accept")  # as sent on the wire
        seen["content_type"] = response.headers.get("content-type")
        seen["csp"] = response.headers.get("content-security-policy")
        editor = page.locator(".graphiql-query-editor .CodeMirror").first
        editor.wait_for(timeout=20_000)
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(query)
        seen["editor"] = page.evaluate(EDITOR)
        page.locator(".graphiql-execute-button").click()
        seen["result"] = _wait_for_result(page)
        seen["result_visible"] = page.locator(".graphiql-response .CodeMirror").is_visible()
        seen["csp_violations"] = page.evaluate("window.__csp || []")
        page.screenshot(path=screenshot, full_page=True)
        browser.close()
    return seen


def _wait_for_result(page, timeout: float = 20) -> str:
    """Poll from here: wait_for_function evaluates a string, which the page's CSP refuses."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = page.evaluate(RESULT)
        if '"data"' in text or '"errors"' in text:
            return text
        time.sleep(0.2)
    raise TimeoutError(f"no result in GraphiQL within {timeout:.0f} s")


if __name__ == "__main__":
    print(json.dumps(probe(*sys.argv[1:4])))
