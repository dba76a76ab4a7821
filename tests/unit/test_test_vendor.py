"""The files vendored for the tests (tests/support/vendor/manifest.json) are the ones
pinned there, with their licence, and the gateway serves none of them."""

import hashlib
import json
from pathlib import Path

from services.gateway import console

VENDOR = Path(__file__).resolve().parents[1] / "support" / "vendor"


def test_each_file_matches_its_pinned_sha256_and_has_its_licence():
    files = json.loads((VENDOR / "manifest.json").read_text())["files"]
    assert "axe.min.js" in files
    for name, entry in files.items():
        data = (VENDOR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        assert f"axe v{entry['version']}" in data[:40].decode() or entry["package"] != "axe-core"
        assert (VENDOR / entry["license"]).stat().st_size > 1000, entry["license"]


def test_the_gateway_serves_no_test_file():
    assert not any("axe" in name for name in console._assets())
    assert console.asset("vendor/axe.min.js").status_code == 404
