"""Walk every screen of the console as one user in headless Chromium and print what was
seen as JSON: the dashboard's figures and panels, each screen's text, axe-core's serious
and critical violations, the page width at 360 px, downloads, the registry's forms (for a
commune officer), every request's URL, and the storage after logout. Screenshots of each
screen at 1366×768 and 360 px go to DIR as <name>-<screen>-<width>.png.

    python -m tests.support.console_views_probe URL USERNAME PASSWORD NAME DIR [forms]

With `forms`, a commune officer also uses the registry's forms and downloads the reports.

In a process of its own (Playwright's sync API hangs under eventlet: see graphiql_probe).
"""

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.console_probe import STORAGE, axe, browser_page, date_field, log_in

# after the formation of any team the list may open first (the demo forms one 40 days ago)
ELECTED_ON = (datetime.now(UTC).date() - timedelta(days=10)).isoformat()
DECIDED_ON = (datetime.now(UTC).date() - timedelta(days=8)).isoformat()

ROWS = """() => [...document.querySelectorAll('#rates tbody tr')].map(r => ({...r.dataset,
  cells: [...r.children].map(c => c.textContent.trim())}))"""
LOADED = "() => !document.querySelector('[role=status]')?.textContent.includes('Đang tải')"
PANELS = """() => Object.fromEntries(['hotspots', 'overdue', 'non-compliant'].map(id =>
  [id, document.getElementById(id)?.dataset.count ?? null]))"""
SIZES = ((1366, 768), (360, 740))


def dd_mm_yyyy(iso: str) -> str:
    return "/".join(reversed(iso.split("-")))


def probe(url: str, username: str, password: str, name: str, directory: str,
          forms: str = "") -> dict:
    shots = Path(directory)
    with browser_page(accept_downloads=True) as (page, seen):
        page.goto(url, wait_until="networkidle", timeout=30_000)
        log_in(page, username, password)
        page.locator("#hotspots").wait_for(timeout=90_000)
        settle(page)
        seen["rows"] = page.evaluate(ROWS)
        seen["total"] = page.locator("#total").get_attribute("data-rate")
        seen["panels"] = page.evaluate(PANELS)
        seen["overdue_links"] = page.eval_on_selector_all(
            "#overdue a", "links => links.map(a => a.getAttribute('href'))")
        seen["trend"] = page.eval_on_selector_all(
            "#trend li", "items => items.map(i => [i.dataset.year, i.dataset.rate])")
        seen["screens"] = page.eval_on_selector_all(
            ".screens button", "buttons => buttons.map(b => b.id.replace('screen-', ''))")
        seen["drill"] = drill(page)
        seen["views"] = {}
        for screen in seen["screens"]:
            page.locator(f"#screen-{screen}").click()
            settle(page)
            seen["views"][screen] = look(page, shots, f"{name}-{screen}")
        if forms and "registry" in seen["screens"]:
            seen["registry"] = registry(page, shots, name)
        if forms and "reports" in seen["screens"]:
            seen["downloads"] = downloads(page)
        seen["csp_violations"] = page.evaluate("window.__csp || []")
        page.locator("#logout").click()
        page.locator("#login").wait_for(timeout=30_000)
        seen["storage_after_logout"] = page.evaluate(STORAGE)
        seen["after_logout"] = page.locator("main").inner_text()
    return seen


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(LOADED, timeout=90_000)


def look(page, shots: Path, prefix: str) -> dict:
    """The screen's text, axe's verdict and its width at each size, with screenshots."""
    seen = {"text": page.locator("main").inner_text(), "axe": axe(page)}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=shots / f"{prefix}-{width}.png", full_page=width == 360)
        seen[f"scroll_width_{width}"] = page.evaluate("document.documentElement.scrollWidth")
    seen["axe_360"] = axe(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    return seen


def drill(page) -> dict | None:
    """Follow the first unit's name one level down and come back by the breadcrumb."""
    target = page.locator("[data-drill]").first
    if not target.count():
        return None
    code = target.get_attribute("data-drill")
    target.click()
    page.locator("#crumb-top").wait_for(timeout=20_000)
    settle(page)
    seen = {"code": code, "heading": page.locator("#dashboard-title").inner_text(),
            "rows": page.evaluate(ROWS), "panels": page.evaluate(PANELS)}
    page.locator("#crumb-top").click()
    settle(page)
    seen["back"] = page.locator("#crumb-top").count() == 0
    return seen


def registry(page, shots: Path, name: str) -> dict:
    """Open the first team, add a mediator the API refuses (an election share of 40 %: its
    reason worded next to the field, at 1366 and 360 px, then in English), then one it
    takes; recognise that mediator (after an impossible decision date refused next to its
    field) and elect them leader. Dates are typed as dd/mm/yyyy."""
    page.locator("#screen-registry").click()
    settle(page)
    first = page.locator("[data-open]").first
    team = first.get_attribute("data-open")
    first.click()
    card = page.locator("#team-card")
    card.wait_for(timeout=30_000)
    before = card.locator("tbody tr").count()
    page.get_by_label("Họ và tên").fill("Lăng Thị Thử")
    page.locator("#am-elected").fill(dd_mm_yyyy(ELECTED_ON))
    page.get_by_label("Tỷ lệ hộ gia đình đồng ý (%)").fill("40")
    page.locator("#add-mediator button[type=submit]").click()
    page.locator("#am-share-error").wait_for(timeout=30_000)
    seen = {"team": team, "before": before, "elected_on": ELECTED_ON, "decided_on": DECIDED_ON,
            "share_error": page.locator("#am-share-error").inner_text(),
            "share_described_by": page.locator("#am-share").get_attribute("aria-describedby")}
    page.screenshot(path=shots / f"{name}-registry-error-1366.png", full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})  # the refusal's words on a phone
    page.locator("#am-share").scroll_into_view_if_needed()
    seen["share_error_360"] = page.locator("#am-share-error").inner_text()
    page.screenshot(path=shots / f"{name}-registry-error-360.png")
    page.set_viewport_size(size)
    page.locator("#language").click()  # the same error, reworded in English
    page.locator("#am-share-error", has_text="household").wait_for(timeout=30_000)
    seen["share_error_en"] = page.locator("#am-share-error").inner_text()
    page.locator("#language").click()
    page.locator("#am-share-error", has_text="hộ gia đình").wait_for(timeout=30_000)
    page.get_by_label("Tỷ lệ hộ gia đình đồng ý (%)").fill("75")
    page.locator("#add-mediator button[type=submit]").click()
    card.locator("tbody tr", has_text="Lăng Thị Thử").wait_for(timeout=30_000)
    seen["after"] = card.locator("tbody tr").count()
    page.select_option("#rc-mediator", label="Lăng Thị Thử")
    page.get_by_label("Số quyết định").fill("12/QĐ-UBND")
    seen["decision_date"] = date_field(page, "Ngày quyết định", DECIDED_ON, shots,
                                       f"{name}-registry-date-error")
    page.locator("#recognise button[type=submit]").click()
    card.locator("tbody tr", has_text="12/QĐ-UBND").wait_for(timeout=30_000)
    page.select_option("#el-mediator", label="Lăng Thị Thử")
    page.locator("#elect button[type=submit]").click()
    card.locator("tbody tr", has_text="tổ trưởng").filter(has_text="Lăng Thị Thử").wait_for(
        timeout=30_000)
    seen["recognised_row"] = card.locator("tbody tr", has_text="Lăng Thị Thử").inner_text()
    return seen


def downloads(page) -> dict:
    page.locator("#screen-reports").click()
    settle(page)
    # the screen is drawn after the click returns: wait for what this probe reads
    for drawn in ("#report-csv", "#report-table", "#log-book-xlsx"):
        page.locator(drawn).wait_for(timeout=30_000)
    found = {}
    for button in ("report-csv", "report-xlsx", "log-book-csv", "log-book-xlsx"):
        if page.locator(f"#{button}").count():
            with page.expect_download(timeout=20_000) as download:
                page.locator(f"#{button}").click()
            found[button] = {"filename": download.value.suggested_filename,
                             "size": Path(download.value.path()).stat().st_size}
    found["report_table"] = page.eval_on_selector_all(
        "#report-table tbody tr",
        "rows => rows.map(r => [r.dataset.category,"
        " ...[...r.children].map(c => c.textContent.trim())])")
    return found


if __name__ == "__main__":
    print(json.dumps(probe(*sys.argv[1:])))
