"""The officers' web console (docs/console.md): a page at `/` and the ES modules it
loads from /console/, served from this package with the vendored files and the strict
Content-Security-Policy of graphiql.py. Unlike GraphiQL it is served in production too:
it is static files only and talks to the public /graphql like any other client."""

from functools import cache
from pathlib import Path

from werkzeug.wrappers import Response

from services.gateway.graphiql import STATIC, respond, respond_listed, vendored

CONSOLE = STATIC / "console"


@cache
def _assets() -> dict[str, Path]:
    own = {path.name: path for path in CONSOLE.iterdir() if path.suffix in (".js", ".css")}
    return {**own, **{f"vendor/{name}": STATIC / "vendor" / name for name in vendored()}}


def page() -> Response:
    return respond(CONSOLE / "index.html")


def asset(name: str) -> Response:
    """One file the page loads, by its path under /console/; 404 for any other name."""
    return respond_listed(_assets(), name)
