"""The demo loader goes through the batch intake, only into an empty database."""

from collections import Counter

from services.cases import demo
from tests.integration.cases.conftest import ACTOR


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
    out = capsys.readouterr().out
    assert "refused" in out
    # the oldest cases are past their 5 years' retention: erased at once, and only those
    assert f"personal data of {events['case.personal_data_erased']} cases" in out
    assert events["case.personal_data_erased"] > 30
    oldest = rpc.list_cases(first=1000)["items"]
    for case in oldest:
        report = rpc.personal_data_report(case["id"], ACTOR)
        assert report["erased"] == report["expired"], report
        assert report["erased"] == (case["received_at"] < "2021-01-01" and
                                    case["status"] not in ("RECEIVED", "ASSIGNED",
                                                           "IN_MEDIATION")) or \
            "2021" <= case["received_at"][:4] <= "2022", case

    demo.load(cases.config["AMQP_URI"])  # a second run adds nothing
    assert rpc.list_cases(first=1)["total_count"] == loaded
    assert "already there" in capsys.readouterr().out
