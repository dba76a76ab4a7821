"""The officers' web console (docs/console.md): a page at `/` and the ES modules it
loads from /console/, served from this package with the vendored files and the strict
Content-Security-Policy of graphiql.py. Unlike GraphiQL it is served in production too:
it is static files only and talks to the public /graphql like any other client."""

import json
from functools import cache
from pathlib import Path

from werkzeug.wrappers import Response

from services.gateway.graphiql import STATIC, respond, respond_listed, vendored

CONSOLE = STATIC / "console"
SHELL_VENDOR = ("htm-preact-standalone.module.js",)  # what the page imports; not GraphiQL


@cache
def _assets() -> dict[str, Path]:
    own = {path.name: path for path in CONSOLE.iterdir() if path.suffix in (".js", ".css")}
    return {**own, **{f"vendor/{name}": STATIC / "vendor" / name for name in vendored()}}


def page() -> Response:
    return respond(CONSOLE / "index.html")


def asset(name: str) -> Response:
    """One file the page loads, by its path under /console/; 404 for any other name."""
    if name == "shell.json":
        return _shell()
    return respond_listed(_assets(), name)


def worker() -> Response:
    """The service worker that keeps the app shell (sw.js): at the root, for scope /."""
    return respond(CONSOLE / "sw.js")


def _shell() -> Response:
    """What the service worker keeps: the page, its own files and the module it imports."""
    own = sorted(name for name in _assets() if not name.startswith("vendor/") and name != "sw.js")
    files = ["/", *(f"/console/{name}" for name in own),
             *(f"/console/vendor/{name}" for name in SHELL_VENDOR)]
    response = Response(json.dumps(files), mimetype="application/json")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
