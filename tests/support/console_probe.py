"""Drive the officers' console in headless Chromium and print what happened as JSON. Run
as `python -m tests.support.console_probe dashboard URL USERNAME PASSWORD YEAR OTHER_YEAR
DIR`, `… intake URL USERNAME PASSWORD DIR`, `… cases URL USERNAME PASSWORD PARTY
OTHER_CASE DIR` or `… offline URL USERNAME PASSWORD DIR` in a process of its own
(Playwright's sync API hangs under eventlet: see graphiql_probe)."""

import contextlib
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from tests.support.browser import chromium_path
from tests.support.graphiql_probe import WATCH_CSP

ROWS = """() => [...document.querySelectorAll('#rates tbody tr')].map(r => ({code: r.dataset.code,
  rate: r.dataset.rate, received: r.dataset.received, successful: r.dataset.successful,
  unsuccessful: r.dataset.unsuccessful, inProgress: r.dataset.inProgress,
  target: r.dataset.target, cells: [...r.children].map(c => c.textContent.trim())}))"""
STORAGE = """() => ({session: {...sessionStorage}, local: {...localStorage}})"""
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# axe-core runs through the DevTools protocol (page.evaluate), which the page's CSP does
# not govern: the console itself never loads it.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""


def axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.evaluate(AXE.read_text())
    return page.evaluate(AXE_RUN)


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


def intake(url: str, username: str, password: str, yesterday: str, directory: str) -> dict:
    """Log in, open the intake form by keyboard, submit a matter the API refuses, then a
    good one (by phone, received `yesterday`, a party related to a mediator) by double
    click; records every submitCase request's input."""
    shots = Path(directory)
    with browser_page() as (page, seen):
        seen["keys"], seen["inputs"] = [], []
        page.on("request", lambda r: "submitCase" in (r.post_data or "") and (
            seen["inputs"].append(r.post_data_json["variables"]["input"]),
            seen["keys"].append(r.post_data_json["variables"]["input"]["idempotencyKey"])))
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
        seen["override_offered"] = page.locator("#f-override").count() == 1
        page.screenshot(path=shots / "intake-1366.png", full_page=True)
        page.get_by_label("Mô tả").fill("Hai nhà tranh chấp lối đi chung.")
        page.get_by_label("Hình thức tiếp nhận").select_option("PHONE")
        seen["date"] = date_field(page, "Ngày tiếp nhận", yesterday, shots, "intake-date-error")
        related = page.locator("[id^=f-related-0-]").first
        seen["related_offered"] = related.count() == 1
        if seen["related_offered"]:
            related.check()
        seen["axe"] = axe(page)
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


def date_field(page, label: str, day: str, shots: Path, shot: str) -> dict:
    """The console's date field labelled `label` (dd/mm/yyyy): its default, ↓ by keyboard,
    an impossible date typed and the form submitted (refused next to the field, with
    screenshots `shot`-{1366,360} and axe's verdict, no mutation sent), then `day` (ISO)
    typed as dd/mm/yyyy."""
    field = page.get_by_label(label, exact=True)
    field_id = field.get_attribute("id")
    seen = {"default": field.input_value(), "hint": page.locator(f"#{field_id}-hint").inner_text()}
    field.focus()
    for key, seen_as in (("ArrowDown", "after_arrow_down"), ("ArrowUp", "after_arrow_up")):
        before = field.input_value()
        page.keyboard.press(key)
        with contextlib.suppress(PlaywrightTimeout):  # the field re-renders after the key
            page.wait_for_function("([el, v]) => el.value !== v",
                                   arg=[field.element_handle(), before], timeout=5_000)
        seen[seen_as] = field.input_value()
    posts = []
    def posted(request):
        if request.method == "POST":
            posts.append(request.url)
    page.on("request", posted)
    field.fill("31/02/" + day[:4])
    field.locator("xpath=ancestor::form").locator("button[type=submit]").last.click()
    error = page.locator(f"#{field_id}-error")
    error.wait_for(timeout=10_000)
    time.sleep(0.5)  # a request the click would have sent is on its way by now
    page.remove_listener("request", posted)
    seen.update(error=error.inner_text(), posts=len(posts),
                described_by=field.get_attribute("aria-describedby"),
                invalid=field.get_attribute("aria-invalid"),
                focused=page.evaluate("document.activeElement.id") == field_id)
    seen["axe"] = axe(page)
    page.screenshot(path=shots / f"{shot}-1366.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    seen["axe_360"] = axe(page)
    seen["scroll_width_360"] = page.evaluate("document.documentElement.scrollWidth")
    error.scroll_into_view_if_needed()
    page.screenshot(path=shots / f"{shot}-360.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    typed = "/".join(reversed(day.split("-")))  # 2025-07-05 → 05/07/2025
    field.fill(typed)
    field.blur()
    seen.update(typed=typed, shown=field.input_value(), error_after=error.count())
    return seen


@contextmanager
def browser_page(accept_downloads: bool = False):
    """A 1366×768 page in headless Chromium, and what it saw: requests, failed responses,
    console errors."""
    seen = {"requests": [], "console_errors": [], "failed": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 768},
                                      accept_downloads=accept_downloads)
        page = context.new_page()
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


def cases(url: str, username: str, password: str, party: str, other_case: str,
          directory: str) -> dict:
    """A commune officer's day: a case through the form (double click), found in the list
    by its filter, walked to SUCCESSFUL by the case page's buttons (first assigning the
    mediator named like a party: refused next to the field), the log book, the 0403 XLSX,
    the dashboard's rate; then another commune's case by URL."""
    shots = Path(directory)
    with browser_page(accept_downloads=True) as (page, seen):
        seen["keys"] = []
        page.on("request", lambda r: "submitCase" in (r.post_data or "") and seen["keys"].append(
            r.post_data_json["variables"]["input"]["idempotencyKey"]))
        page.goto(url, wait_until="networkidle", timeout=30_000)
        log_in(page, username, password)
        seen["rate_before"] = total_rate(page)
        page.locator("#screen-intake").click()
        page.locator("#intake").wait_for(timeout=20_000)
        page.get_by_label("Nội dung vụ việc").fill("Tranh chấp ranh giới vườn")
        page.get_by_label("Mô tả").fill("Hai nhà tranh chấp ranh giới vườn chè.")
        for i, name in enumerate((party, "Hoàng Thị Gờ")):
            page.locator(f"#f-party-{i}").fill(name)
        page.locator("#intake-submit").dblclick()
        done = page.locator("#intake-done")
        done.wait_for(timeout=20_000)
        case_id = seen["case_id"] = done.get_attribute("data-case")

        page.locator("#screen-cases").click()
        page.locator("#cases tbody tr").first.wait_for(timeout=20_000)
        seen["listed"] = list_ids(page)
        page.select_option("#filter-status", "RECEIVED")
        # the rows read in the same evaluation that finds them all RECEIVED: the table is
        # re-rendered (and empty for a moment) while the filtered page loads
        seen["listed_received"] = until(
            page, "() => { const rows = [...document.querySelectorAll('#cases tbody tr')]; "
                  "return !!document.querySelector('#cases-count') && rows.length > 0 && "
                  "rows.every(r => r.dataset.status === 'RECEIVED') && "
                  "rows.map(r => r.dataset.id); }")
        seen["list_text"] = page.locator("main").inner_text()
        seen["axe"] = {"cases": axe(page)}
        page.screenshot(path=shots / "cases-1366.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        seen["scroll_width_360"] = {"cases": page.evaluate("document.documentElement.scrollWidth")}
        seen["axe"]["cases-360"] = axe(page)
        page.screenshot(path=shots / "cases-360.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        with page.expect_download(timeout=20_000) as report:
            page.locator("#download-report").click()
        seen["report"] = downloaded(report.value)

        page.locator(f'#cases tr[data-id="{case_id}"] a').click()
        wait_status(page, "RECEIVED")
        seen["axe"]["case"] = axe(page)
        page.screenshot(path=shots / "case-1366.png", full_page=True)
        page.get_by_label(party, exact=True).check()  # a party: a conflict of interest
        page.locator("#do-assign").click()
        error = page.locator("#assign-mediatorIds-error")
        error.wait_for(timeout=20_000)
        seen["conflict"] = error.inner_text()
        seen["conflict_described_by"] = page.locator("#assign-mediatorIds").get_attribute(
            "aria-describedby")
        seen["status_after_conflict"] = page.locator("#case").get_attribute("data-status")
        seen["axe"]["case-with-error"] = axe(page)
        error.scroll_into_view_if_needed()
        page.screenshot(path=shots / "case-conflict-1366.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        seen["axe"]["case-with-error-360"] = axe(page)
        seen["scroll_width_360"]["case-with-error"] = page.evaluate(
            "document.documentElement.scrollWidth")
        page.screenshot(path=shots / "case-conflict-360.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.locator("#language").click()  # the same error, reworded in English
        page.locator("#assign-mediatorIds legend", has_text="Mediators").wait_for(timeout=10_000)
        seen["conflict_en"] = error.inner_text()
        page.locator("#language").click()
        page.locator("#assign-mediatorIds legend", has_text="Hòa giải viên").wait_for(
            timeout=10_000)
        page.get_by_label(party, exact=True).uncheck()
        page.locator("#assign-mediatorIds label").filter(has_not_text=party).first.locator(
            "input").check()
        page.locator("#do-assign").click()
        wait_status(page, "ASSIGNED")
        page.locator("#do-start").focus()  # by keyboard
        page.keyboard.press("Enter")
        wait_status(page, "IN_MEDIATION")
        page.select_option("#outcome-outcome", "SUCCESSFUL")
        page.get_by_label("Nội dung thỏa thuận").fill("Hai bên thống nhất cắm mốc ranh giới.")
        page.locator("#do-outcome").click()
        wait_status(page, "SUCCESSFUL")
        page.locator("#do-followUp").click()
        page.locator('#timeline li[data-step="follow_up"]').wait_for(timeout=20_000)
        seen["timeline"] = page.evaluate("""() => [...document.querySelectorAll('#timeline li')]
          .map(li => ({step: li.dataset.step, actor: li.dataset.actor, at: li.dataset.at,
                       text: li.textContent.replace(/\\s+/g, ' ').trim()}))""")
        seen["actions_left"] = page.locator("form.action").count()
        page.screenshot(path=shots / "case-walked-1366.png", full_page=True)
        with page.expect_download(timeout=20_000) as log_book:
            page.locator("#download-log-book").click()
        seen["log_book"] = downloaded(log_book.value)
        page.set_viewport_size({"width": 360, "height": 740})
        seen["scroll_width_360"]["case"] = page.evaluate("document.documentElement.scrollWidth")
        seen["axe"]["case-walked-360"] = axe(page)
        page.screenshot(path=shots / "case-360.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})

        page.locator("#screen-dashboard").click()
        seen["rate_after"] = total_rate(page, until_not=seen["rate_before"])
        page.goto(f"{url}#/cases/{other_case}")
        page.locator("#case-denied").wait_for(timeout=20_000)
        seen["other_case_text"] = page.locator("main").inner_text()
        seen["csp_violations"] = page.evaluate("window.__csp || []")
    return seen


def offline(url: str, username: str, password: str, directory: str) -> dict:
    """Offline intake: two forms submitted offline wait in the queue, survive a reload
    (the service worker serves the shell) and are sent once back online; a form left at a
    logout is kept (and sent after the next login) or discarded, as the user answers."""
    shots = Path(directory)
    with browser_page() as (page, seen):
        context = page.context
        page.goto(url, wait_until="networkidle", timeout=30_000)
        log_in(page, username, password)
        page.locator("#screen-intake").click()
        page.locator("#intake").wait_for(timeout=20_000)
        seen["shell_kept"] = page.evaluate("""async () => { await navigator.serviceWorker.ready;
          for (let i = 0; i < 100; i++) {
            const kept = await (await caches.open('hoagiai-shell-v1')).keys();
            if (kept.length > 5) return kept.map(r => new URL(r.url).pathname);
            await new Promise(r => setTimeout(r, 100));
          } return []; }""")
        context.set_offline(True)
        seen["subjects"] = ["Tranh chấp nước tưới ruộng", "Mâu thuẫn về tiếng ồn"]
        seen["keys"] = [fill_and_submit(page, subject, queued=True)
                        for subject in seen["subjects"]]
        seen["queued"] = queue_count(page, len(seen["keys"]))
        page.screenshot(path=shots / "offline-queue-1366.png", full_page=True)
        page.reload()
        page.locator("#queue").wait_for(timeout=20_000)
        seen["queued_after_reload"] = queue_count(page, len(seen["keys"]))
        seen["user_after_reload"] = page.locator("#username").inner_text()
        page.set_viewport_size({"width": 360, "height": 740})
        seen["scroll_width_360"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=shots / "offline-queue-360.png", full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        context.set_offline(False)
        page.locator("#queue").wait_for(state="detached", timeout=30_000)

        # a queued form the API refuses once online: corrected in the form, sent again
        context.set_offline(True)
        seen["refused_key"] = fill_and_submit(page, "Tranh chấp gà vịt", queued=True,
                                              description="Hàng xóm nói có trộm cắp gà.")
        context.set_offline(False)
        page.locator("#queue button.edit").wait_for(timeout=30_000)
        seen["refused_in_queue"] = page.locator("#queue li").inner_text()
        page.locator("#queue button.edit").click()
        seen["edit_error"] = page.locator("#error-description").inner_text()
        seen["edit_key"] = page.locator("#intake").get_attribute("data-key")
        page.get_by_label("Mô tả").fill("Gà vịt nhà bên sang phá vườn rau.")
        page.locator("#intake-submit").click()
        seen["edited_case"] = page.locator("#intake-done").get_attribute("data-case",
                                                                           timeout=20_000)

        # a form left at a logout: kept, then sent after the next login
        seen["answers"] = {}
        for answer, subject in (("keep", "Tranh chấp chuồng trâu"),
                                ("discard", "Tranh chấp bờ rào")):
            context.set_offline(True)
            fill_and_submit(page, subject, queued=True)
            page.locator("#logout").click()
            question = page.locator("#logout-question")
            question.wait_for(timeout=10_000)
            seen["answers"][answer] = question.inner_text()
            if answer == "keep":
                page.screenshot(path=shots / "logout-question-1366.png")
            page.locator(f"#{answer}-unsent").click()
            page.locator("#login").wait_for(timeout=10_000)
            context.set_offline(False)
            log_in(page, username, password)
            page.locator("#username").wait_for(timeout=20_000)
            page.locator("#screen-intake").click()
            page.locator("#intake").wait_for(timeout=20_000)
            page.locator("#queue").wait_for(state="detached", timeout=30_000)
        # the session expires under a form in progress: login, and the form is still there
        form = page.locator("#intake")
        seen["expiry_key"] = form.get_attribute("data-key")
        page.get_by_label("Nội dung vụ việc").fill("Tranh chấp mương nước")
        page.get_by_label("Mô tả").fill("Hai nhà tranh chấp mương nước chung.")
        for i, name in enumerate(("Lương Văn Hải", "Chu Thị Hoa")):
            page.locator(f"#f-party-{i}").fill(name)
        page.evaluate("sessionStorage.setItem('hoagiai.token', 'expired.token.x')")
        page.locator("#intake-submit").click()
        page.locator("#login").wait_for(timeout=10_000)
        seen["expiry_notice"] = page.locator("#notice").inner_text()
        log_in(page, username, password)
        form.wait_for(timeout=20_000)
        seen["kept_subject"] = page.get_by_label("Nội dung vụ việc").input_value()
        seen["kept_key"] = form.get_attribute("data-key")
        page.locator("#intake-submit").click()
        page.locator("#intake-done").wait_for(timeout=20_000)
        seen["left_in_browser"] = page.evaluate("""() => new Promise((resolve) => {
          const open = indexedDB.open('hoagiai', 1);
          open.onsuccess = () => {
            const store = open.result.transaction('intake-queue').objectStore('intake-queue');
            const all = store.getAll();
            all.onsuccess = () => resolve(all.result.length); };
          })""")
        seen["csp_violations"] = page.evaluate("window.__csp || []")
    return seen


def queue_count(page, expected: int) -> str | None:
    """The queue's count once it shows `expected` (its IndexedDB write and redraw follow
    the form's own "queued" notice), or as it stands after 10 s."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("n => document.querySelector('#queue')?.dataset.count == n",
                               arg=str(expected), timeout=10_000)
    return page.locator("#queue").get_attribute("data-count")


def fill_and_submit(page, subject: str, queued: bool,
                    description: str = "Các bên nhờ tổ hòa giải giúp.") -> str:
    """Fill a new intake form and submit it; its idempotency key."""
    again = page.locator("button", has_text="Tiếp nhận vụ việc khác")
    if again.count():
        again.click()
    form = page.locator("#intake")
    form.wait_for(timeout=20_000)
    key = form.get_attribute("data-key")
    page.get_by_label("Nội dung vụ việc").fill(subject)
    page.get_by_label("Mô tả").fill(description)
    for i, name in enumerate(("Lương Văn Hải", "Chu Thị Hoa")):
        page.locator(f"#f-party-{i}").fill(name)
    page.locator("#intake-submit").click()
    page.locator("#intake-queued" if queued else "#intake-done").wait_for(timeout=20_000)
    return key


def total_rate(page, until_not: str | None = "-", timeout: float = 60) -> str | None:
    """The dashboard's own-unit rate; with `until_not`, reloaded until it differs (the
    figures follow the cases' events)."""
    deadline = time.monotonic() + timeout
    while True:
        page.locator("#total").wait_for(timeout=20_000)
        rate = page.locator("#total").get_attribute("data-rate")
        if until_not == "-" or rate != until_not or time.monotonic() > deadline:
            return rate
        time.sleep(1)
        page.reload()


def until(page, predicate: str, timeout: float = 20):
    """Poll `predicate` (a JS function) until truthy and return its value:
    wait_for_function evaluates strings, which the console's CSP (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(predicate)):
        assert time.monotonic() < deadline, predicate
        time.sleep(0.2)
    return value


def list_ids(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('#cases tbody tr')].map(r => r.dataset.id)")


def wait_status(page, status: str) -> None:
    page.locator(f'#case[data-status="{status}"]').wait_for(timeout=20_000)


def downloaded(download) -> dict:
    content = Path(download.path()).read_bytes()
    return {"filename": download.suggested_filename, "size": len(content),
            "zip": content[:2] == b"PK"}


if __name__ == "__main__":
    PROBES = {"dashboard": probe, "intake": intake, "cases": cases, "offline": offline}
    print(json.dumps(PROBES[sys.argv[1]](*sys.argv[2:])))
