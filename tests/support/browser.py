"""Headless Chromium for tests (../shared stack: Debian's chromium driven by Playwright).
`make test` installs the browser through scripts/ensure_browser.sh; a missing one fails
with how to install it, never skips."""

import shutil

import pytest

# Chromium's own Accept header for a page load: the whole header, since a shortened one
# hides the content-negotiation bug that `accept_mimetypes.best` had.
CHROMIUM_ACCEPT = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                   "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


def chromium_path() -> str:
    found = shutil.which("chromium")
    if not found:
        pytest.fail("chromium is not installed: run `make test` (scripts/ensure_browser.sh)")
    return found
