"""scripts/demo.py: an interrupted load is noticed from its markers; only a resumable
loader gets to finish it, the others are reported every run until var/ is cleared."""

import sys
import types

import pytest

from scripts import demo, system


@pytest.fixture
def loaders(monkeypatch):
    calls = []
    for name in ("fake_resumable", "fake_once"):
        module = types.ModuleType(name)
        module.load = lambda uri, name=name: calls.append((name, uri))
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(demo, "LOADERS", ["fake_resumable", "fake_once"])
    monkeypatch.setattr(demo, "RESUMABLE", {"fake_resumable"})
    return calls


def test_a_clean_run_marks_each_loader_done(loaders, tmp_path, capsys):
    assert demo.load("amqp://x", tmp_path) == []
    assert loaders == [("fake_resumable", "amqp://x"), ("fake_once", "amqp://x")]
    assert {p.name for p in tmp_path.iterdir()} == {
        f"{n}.{s}" for n in ("fake_resumable", "fake_once") for s in ("started", "done")}
    assert "stopped halfway" not in capsys.readouterr().out


def test_an_interrupted_load_is_resumed_or_reported(loaders, tmp_path, capsys):
    for name in ("fake_resumable", "fake_once"):
        (tmp_path / f"{name}.started").touch()  # Ctrl-C before either finished
    assert demo.load("amqp://x", tmp_path) == ["fake_once"]
    out = capsys.readouterr().out
    assert "fake_once was stopped halfway" in out and "rm -rf var" in out
    assert "fake_resumable was" not in out
    assert (tmp_path / "fake_resumable.done").exists()
    assert not (tmp_path / "fake_once.done").exists()
    assert demo.load("amqp://x", tmp_path) == ["fake_once"]  # said again next time
    assert "fake_once was stopped halfway" in capsys.readouterr().out


def test_the_banner_names_the_demo_logins_and_password(monkeypatch):
    monkeypatch.setenv("HOAGIAI_DEMO_PASSWORD", "s3cret")
    text = system.banner("http://127.0.0.1:8000/graphql")
    assert "province.officer" in text and "district.186" in text and "s3cret" in text
