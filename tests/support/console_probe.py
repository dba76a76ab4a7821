"""Drive the officers' console in headless Chromium and print what happened as JSON. Run
as `python -m tests.support.console_probe dashboard URL USERNAME PASSWORD YEAR OTHER_YEAR
DIR` or `… intake URL USERNAME PASSWORD DIR` in a process of its own (Playwright's sync
API hangs under eventlet: see graphiql_probe)."""

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support.browser import chromium_path
from tests.support.graphiql_probe import WATCH_CSP

ROWS = """() => [...document.querySelectorAll('#rates tbody tr')].map(r => ({code: r.dataset.code,
  rate: r.dataset.rate, received: r.dataset.received, successful: r.dataset.successful,
  unsuccessful: r.dataset.unsuccessful, inProgress: r.dataset.inProgress,
  target: r.dataset.target, cells: [...r.children].map(c => c.textContent.trim())}))"""
STORAGE = """() => ({session: {...sessionStorage}, local: {...localStorage}})"""


def probe(url: str, username: str, password: str, year: str, other_year: str,
          directory: str) -> dict:
    shots = Path(directory)
    with browser_page() as (page, seen):
        response = page.goto(url, wait_until="networkidle", timeout=30_000)
        seen["status"] = response.status
        seen["csp"] = response.headers.get("content-security-policy")
        page.screenshot(path=shots / "login-1366.png")
        log_in(page, username, password)  # by label and the keyboard, as a person would
        seen["rows"] = rows(page, year)
        seen["total"] = page.locator("#total").get_attribute("data-rate")
        seen["heading_vi"] = page.locator("h2").inner_text()
        page.screenshot(path=shots / "dashboard-1366.png")  # the first screen, 1366×768
        page.locator('[data-sort="rate"]').focus()  # sort by the rate, by keyboard
        page.keyboard.press("Enter")
        seen["sorted_by_rate"] = page.evaluate(ROWS)
        seen["rate_header"] = page.locator('th:has([data-sort="rate"])').get_attribute("aria-sort")
        page.select_option("#year", other_year)
        seen["other_rows"] = rows(page, other_year)
        page.select_option("#year", year)
        rows(page, year)
        page.reload(wait_until="networkidle")
        seen["after_reload"] = rows(page, year)
        seen["user_after_reload"] = page.locator("#username").inner_text()
        seen["storage"] = page.evaluate(STORAGE)
        page.locator("#language").click()
        seen["heading_en"] = page.locator("h2").inner_text()
        page.locator("#language").click()
        page.set_viewport_size({"width": 360, "height": 740})
        seen["scroll_width_360"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=shots / "dashboard-360.png", full_page=True)
        page.locator("#logout").click()
        page.locator("#login").wait_for(timeout=10_000)
        seen["storage_after_logout"] = page.evaluate(STORAGE)
        page.screenshot(path=shots / "login-360.png")
        seen["csp_violations"] = page.evaluate("window.__csp || []")
        seen["clean"] = {k: list(seen[k]) for k in ("failed", "console_errors")}
        log_in(page, username, password)  # then the token expires (here: becomes invalid)
        rows(page, year)
        page.evaluate("sessionStorage.setItem('hoagiai.token', 'expired.token.x')")
        page.reload(wait_until="networkidle")
        page.locator("#login").wait_for(timeout=10_000)
        seen["expired_notice"] = page.locator("#notice").inner_text()
        seen["storage_after_expiry"] = page.evaluate(STORAGE)
    return seen


def intake(url: str, username: str, password: str, directory: str) -> dict:
    """Log in, open the intake form by keyboard, submit a matter the API refuses, then a
    good one by double click; records every submitCase request's idempotency key."""
    shots = Path(directory)
    with browser_page() as (page, seen):
        seen["keys"] = []
        page.on("request", lambda r: "submitCase" in (r.post_data or "") and seen["keys"].append(
            r.post_data_json["variables"]["input"]["idempotencyKey"]))
        page.goto(url, wait_until="networkidle", timeout=30_000)
        log_in(page, username, password)
        page.locator("#screen-intake").focus()
        page.keyboard.press("Enter")
        form = page.locator("#intake")
        form.wait_for(timeout=20_000)
        seen["form_key"] = form.get_attribute("data-key")
        page.get_by_label("Nội dung vụ việc").fill("Tranh chấp lối đi sau nhà")
        page.get_by_label("Mô tả").fill("Hai nhà tranh chấp lối đi, một bên nói có trộm cắp.")
        for i, name in enumerate(("Nguyễn Văn Ẻ", "Hoàng Thị Gờ")):
            page.locator(f"#f-party-{i}").fill(name)
        page.locator("#intake-submit").click()
        seen["description_error"] = page.locator("#error-description").inner_text()
        seen["described_by"] = page.get_by_label("Mô tả").get_attribute("aria-describedby")
        page.screenshot(path=shots / "intake-1366.png", full_page=True)
        page.get_by_label("Mô tả").fill("Hai nhà tranh chấp lối đi chung.")
        page.locator("#intake-submit").dblclick()
        done = page.locator("#intake-done")
        done.wait_for(timeout=20_000)
        seen["case_id"], seen["done"] = done.get_attribute("data-case"), done.inner_text()
        page.set_viewport_size({"width": 360, "height": 740})
        page.locator("button", has_text="Tiếp nhận vụ việc khác").click()
        form.wait_for(timeout=10_000)
        seen["next_key"] = form.get_attribute("data-key")
        seen["scroll_width_360"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=shots / "intake-360.png", full_page=True)
        seen["csp_violations"] = page.evaluate("window.__csp || []")
    return seen


@contextmanager
def browser_page():
    """A 1366×768 page in headless Chromium, and what it saw: requests, failed responses,
    console errors."""
    seen = {"requests": [], "console_errors": [], "failed": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.add_init_script(WATCH_CSP)
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("response", lambda r: r.status >= 400 and seen["failed"].append(
            f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and seen["console_errors"].append(m.text))
        try:
            yield page, seen
        finally:
            browser.close()


def log_in(page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.keyboard.press("Enter")


def rows(page, year: str) -> list[dict]:
    page.locator(f'#rates[data-year="{year}"]').wait_for(timeout=20_000)
    return page.evaluate(ROWS)


if __name__ == "__main__":
    PROBES = {"dashboard": probe, "intake": intake}
    print(json.dumps(PROBES[sys.argv[1]](*sys.argv[2:])))
