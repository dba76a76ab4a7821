"""GraphiQL for browsers outside production: the page, its own start-up script and style,
and the GraphiQL and React files vendored from npm (static/vendor/manifest.json). Nothing
is fetched from another host, and a strict Content-Security-Policy allows no inline script."""

import json
from functools import cache
from pathlib import Path

from werkzeug.wrappers import Response

STATIC = Path(__file__).parent / "static"
VENDOR_MANIFEST = STATIC / "vendor" / "manifest.json"
# Everything from this origin only; data: for the fonts and icons inlined in graphiql.min.css.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
    "font-src 'self' data:", "img-src 'self' data:", "base-uri 'none'", "form-action 'none'",
    "frame-ancestors 'none'",
])
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}


def vendored() -> dict[str, dict]:
    """The vendored files: name → package, version, path in the package, sha256."""
    return json.loads(VENDOR_MANIFEST.read_text())["files"]


@cache
def _assets() -> dict[str, Path]:
    own = {name: STATIC / name for name in ("graphiql-start.js", "graphiql.css")}
    return {**own, **{f"vendor/{name}": STATIC / "vendor" / name for name in vendored()}}


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def page() -> Response:
    return respond(STATIC / "graphiql.html")


def asset(name: str) -> Response:
    """One file the page loads, by its path under /graphiql/; 404 for any other name."""
    return respond_listed(_assets(), name)


def respond_listed(assets: dict[str, Path], name: str) -> Response:
    """The file `assets` lists under `name`; 404 for any name it does not list."""
    path = assets.get(name)
    if path is None:
        return Response("not found", status=404, mimetype="text/plain")
    return respond(path)


def respond(path: Path) -> Response:
    response = Response(_read(path), mimetype=MEDIA_TYPES[path.suffix])
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
