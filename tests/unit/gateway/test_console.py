"""The console's files: a page with no inline code, ES modules that import only files the
gateway serves, and the same words in both languages."""

import json
import re

from services.gateway import console, graphiql

KEY = re.compile(r"(?:^|[{,])\s*(\w+):", re.M)  # a key, not a colon in a sentence
IMPORT = re.compile(r"""^\s*import\b[^"']*["']([^"']+)["']""", re.M)


def test_the_page_loads_only_its_own_files_and_no_inline_code():
    html = (console.CONSOLE / "index.html").read_text()
    sources = re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", html)
    assert sources and all(s.startswith("/console/") or s == "data:," for s in sources)
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    for path in (s for s in sources if s.startswith("/console/")):
        assert console.asset(path.removeprefix("/console/")).status_code == 200, path
    assert console.page().headers["Content-Security-Policy"] == graphiql.CONTENT_SECURITY_POLICY


def test_every_module_imports_only_files_the_gateway_serves():
    modules = [p for p in console.CONSOLE.iterdir() if p.suffix == ".js"]
    imported = {m for p in modules for m in IMPORT.findall(p.read_text())}
    assert "/console/vendor/htm-preact-standalone.module.js" in imported
    for name in imported:  # absolute paths: no bare specifier needs an (inline) import map
        assert name.startswith("/console/"), name
        assert console.asset(name.removeprefix("/console/")).status_code == 200, name


def test_an_unknown_or_escaping_asset_name_is_not_found():
    for name in ("", "index.html", "../graphiql.py", "vendor/manifest.json",
                 "vendor/../console.py", "../console/app.js"):
        assert console.asset(name).status_code == 404, name


def test_both_languages_have_the_same_words():
    text = (console.CONSOLE / "i18n.js").read_text()
    vi, en = (re.findall(rf"^  {lang}: \{{(.*?)^  \}},", text, re.S | re.M)
              for lang in ("vi", "en"))
    assert len(vi) == len(en) >= 3  # the shell's words, the views', the case screens'
    for vi_block, en_block in zip(vi, en, strict=True):
        keys = [set(KEY.findall(block)) for block in (vi_block, en_block)]
        assert keys[0] == keys[1]
    words = set(KEY.findall("".join(vi)))
    assert {"login", "logout", "rate", "sessionExpired", "timeline", "unsentQuestion",
            "report0403", "registry", "hotspots"} <= words


def test_the_service_worker_keeps_files_the_gateway_serves():
    worker = console.worker()
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Content-Security-Policy"] == graphiql.CONTENT_SECURITY_POLICY
    shell = json.loads(console.asset("shell.json").get_data())
    assert shell[0] == "/" and "/console/offline.js" in shell and "/console/sw.js" not in shell
    for path in shell[1:]:
        assert console.asset(path.removeprefix("/console/")).status_code == 200, path
    assert not any("graphiql" in path for path in shell)


def test_dates_and_the_api_s_errors_go_through_the_shared_helpers():
    """No native date field (it shows the browser's own format): datefield.js's DateField;
    the API's errors worded by forms.js's errorText, not by a second table of words."""
    modules = {p.name: p.read_text() for p in console.CONSOLE.iterdir() if p.suffix == ".js"}
    for name, text in modules.items():
        code = re.sub(r"^\s*//.*$", "", text, flags=re.M)  # not the comments
        assert not re.search(r"""type=["']?date\b""", code), name
    for name in ("intake.js", "registry.js"):
        assert 'from "/console/datefield.js"' in modules[name], name
    for name in ("intake.js", "case.js", "offline.js"):
        assert re.search(r'import \{[^}]*\berrorText\b[^}]*\} from "/console/forms.js"',
                         modules[name]), name
        assert "e.message" not in modules[name], name
    tables = re.compile(r"\b(?:refusals|errorCodes|fieldErrors)\s*:")  # the words' tables
    assert [n for n, text in modules.items() if tables.search(text)] == ["i18n.js"]


def test_every_refusal_reason_has_words_in_both_languages():
    """errorText words a refusal by its reason (UserError.reason): each reason the API names
    has a sentence in `refusals`, Vietnamese and English, and each registry reason is one
    the teams service gives."""
    from pathlib import Path

    from services.common import vocabulary

    text = (console.CONSOLE / "i18n.js").read_text()
    blocks = re.findall(r"^    refusals: \{(.*?)^    \},", text, re.S | re.M)
    assert len(blocks) == 2  # vi, en
    for block in blocks:
        assert set(KEY.findall(block)) == set(vocabulary.values(vocabulary.RefusalReason))
    service = Path(__file__).resolve().parents[3] / "services" / "teams"
    teams = "".join(p.read_text() for p in service.glob("*.py"))
    for reason in vocabulary.values(vocabulary.RegistryRefusal):
        assert f'"{reason}"' in teams, reason
