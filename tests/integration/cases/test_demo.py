"""The demo loader goes through the batch intake, only into an empty database."""

from collections import Counter

from services.cases import demo


def test_demo_loads_cases_through_intake_once(rpc, directory, cases, monkeypatch, capsys):
    for _ in range(3):
        directory.team()
    monkeypatch.setattr(demo, "PER_YEAR", 30)
    demo.load(cases.config["AMQP_URI"])
    loaded = rpc.list_cases(first=1)["total_count"]
    recent = 4 * demo.OPEN_PER_STATE + demo.HOTSPOT_CASES
    assert 200 + recent < loaded <= len(demo.YEARS) * 30 + recent
    # open cases in every state, some past the 3-day start deadline
    for status in ("RECEIVED", "ASSIGNED", "IN_MEDIATION"):
        assert rpc.list_cases(status=status, first=1)["total_count"] >= demo.OPEN_PER_STATE
    assert rpc.list_overdue()["total_count"] >= demo.OPEN_PER_STATE
    events = Counter(e["type"] for e in rpc.history(0, 5000)["items"])
    assert events["case.received"] == loaded
    assert events["case.resolved"] > loaded / 2
    assert "refused" in capsys.readouterr().out

    demo.load(cases.config["AMQP_URI"])  # a second run adds nothing
    assert rpc.list_cases(first=1)["total_count"] == loaded
    assert "already there" in capsys.readouterr().out
