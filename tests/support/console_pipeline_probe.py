"""The dashboard while reporting is still building its figures: the API's first
`pipeline` answer is replaced by a "not caught up" one (as after a first load), later
ones pass through to the real system. Prints as JSON what the notice said, whether it
went away and how often the dashboard's figures were asked for; screenshots of the notice
at 1366 and 360 px go to DIR as pipeline-notice-<width>.png.

    python -m tests.support.console_pipeline_probe URL USERNAME PASSWORD DIR
"""

import json
import sys
from pathlib import Path

from tests.support.console_probe import axe, browser_page, log_in

BUILDING = {"data": {"pipeline": {"caughtUp": False, "pendingEvents": 12345}}}


def probe(url: str, username: str, password: str, directory: str) -> dict:
    shots = Path(directory)
    with browser_page() as (page, seen):
        seen["pipeline_answers"], seen["figure_requests"] = [], 0

        def answer(route):
            body = route.request.post_data or ""
            if "pipeline" in body and not seen["pipeline_answers"]:
                seen["pipeline_answers"].append("building")
                route.fulfill(status=200, content_type="application/json",
                              body=json.dumps(BUILDING))
                return
            if "pipeline" in body:
                seen["pipeline_answers"].append("real")
            if "children" in body:  # the dashboard's unit and its children's figures
                seen["figure_requests"] += 1
            route.continue_()

        page.route("**/graphql", answer)
        page.goto(url, wait_until="networkidle", timeout=30_000)
        log_in(page, username, password)
        notice = page.locator("#pipeline-notice")
        notice.wait_for(timeout=30_000)
        seen["notice"] = notice.inner_text()
        seen["pending"] = notice.get_attribute("data-pending")
        seen["axe"] = axe(page)
        page.screenshot(path=str(shots / "pipeline-notice-1366.png"))
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path=str(shots / "pipeline-notice-360.png"))
        page.set_viewport_size({"width": 1366, "height": 768})
        notice.wait_for(state="detached", timeout=30_000)  # the next poll: caught up
        page.locator("#rates, #rates-empty").first.wait_for(timeout=30_000)
        page.wait_for_load_state("networkidle")
        return seen


if __name__ == "__main__":
    print(json.dumps(probe(*sys.argv[1:5])))
