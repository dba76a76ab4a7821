"""Pure rules: case state under any event order, counter deltas, rates, pay, hot spots."""

import itertools
from datetime import UTC, date, datetime

import pytest

from services.reporting import domain

REF = {"case_id": "C1", "team_id": "T1", "category": "CONFLICT", "commune_code": "05977",
       "geo_version": "LEGACY", "district_code": "178", "v2025_code": "26000"}
EVENTS = [
    ("case.received", 1, {"received_at": "2019-12-30T09:00:00+00:00"}),
    ("case.assigned", 2, {}),
    ("case.mediation_started", 3, {}),
    ("case.escalated", 4, {"escalated_at": "2020-01-02T09:00:00+00:00"}),
    ("case.resolved", 5, {"outcome": "SUCCESSFUL", "resolved_at": "2020-01-05T09:00:00+00:00"}),
    ("case.followed_up", 6, {}),
]


def run(order) -> tuple[domain.CaseState, dict]:
    state, counters = None, {}
    for event_type, seq, extra in order:
        after = domain.apply_case_event(state, event_type, seq,
                                        datetime(2020, 1, seq, tzinfo=UTC), {**REF, **extra})
        for key, n in domain.delta(state, after).items():
            counters[key] = counters.get(key, 0) + n
        state = after
    return state, {k: n for k, n in counters.items() if n}


def test_every_order_and_repetition_ends_in_the_same_state_and_counters():
    expected = run(EVENTS)
    assert expected[0].status == "SUCCESSFUL" and expected[0].received_on == date(2019, 12, 30)
    assert expected[0].closed_on == date(2020, 1, 5)
    assert expected[1][("unit", "LEGACY", "20", 2019, 12, "CONFLICT", "SUCCESSFUL")] == 1
    assert expected[1][("daily", "LEGACY", "05977", "CONFLICT", date(2020, 1, 2),
                        "escalated")] == 1
    assert all(n == 1 for n in expected[1].values())
    for order in itertools.permutations(EVENTS):
        assert run(list(order) + list(order[:3])) == expected


def test_case_counts_in_every_level_of_both_layouts():
    keys = domain.unit_keys("LEGACY", "05977", "178", "26000")
    assert sorted(keys) == [("LEGACY", "05977"), ("LEGACY", "178"), ("LEGACY", "20"),
                            ("V2025", "20"), ("V2025", "26000")]
    assert sorted(domain.unit_keys("V2025", "26000", None, None)) == [
        ("LEGACY", "20"), ("V2025", "20"), ("V2025", "26000")]


@pytest.mark.parametrize("counts, rate, meets", [
    ({}, None, None),
    ({"SUCCESSFUL": 4, "UNSUCCESSFUL": 1, "RECEIVED": 3}, 0.8, True),
    ({"SUCCESSFUL": 3, "UNSUCCESSFUL": 1, "STOPPED": 2}, 0.75, False),
])
def test_rate_summary(counts, rate, meets):
    summary = domain.rate_summary(counts)
    assert (summary["rate"], summary["meets_target"]) == (rate, meets)
    assert summary["received"] == sum(counts.values())


def test_rate_summary_with_model_team_target():
    assert domain.rate_summary({"SUCCESSFUL": 18, "UNSUCCESSFUL": 2}, 0.9)["meets_target"]
    assert not domain.rate_summary({"SUCCESSFUL": 17, "UNSUCCESSFUL": 2}, 0.9)["meets_target"]


def test_remuneration_uses_the_rate_in_force_and_the_cap():
    rates = [{"province": "20", "from": "2014-01-01", "amount": 150_000},
             {"province": "20", "from": "2019-07-01", "amount": 250_000},
             {"province": "01", "from": "2014-01-01", "amount": 100_000}]
    assert domain.remuneration_amount(rates, 200_000, "20", date(2019, 6, 30)) == 150_000
    assert domain.remuneration_amount(rates, 200_000, "20", date(2019, 7, 1)) == 200_000
    assert domain.remuneration_amount(rates, 200_000, "20", date(2013, 1, 1)) == 0


@pytest.mark.parametrize("window, baseline, flagged", [
    (5, 12, True),    # 5 against a mean of 1 a month
    (4, 0, False),    # too few, however new
    (5, 0, True),     # no history at all: the count decides
    (5, 36, False),   # 5 against 3 a month: below 2×
])
def test_is_hotspot(window, baseline, flagged):
    assert domain.is_hotspot(window, baseline, 30, 5, 2.0)[0] is flagged


def test_periods():
    assert domain.period_months(2019) == (1, 12)
    assert domain.period_months(2019, 2) == (7, 12)
    assert domain.hotspot_window(date(2019, 1, 30), 30)[:2] == (date(2019, 1, 1),
                                                                date(2018, 1, 1))


def test_first_flag_finds_the_first_window_that_holds_the_surge():
    baseline = {date(2018, m, 1): 1 for m in range(1, 13)}
    surge = {date(2019, 1, 10 + i): 1 for i in range(5)}
    flag = domain.first_flag({**baseline, **surge}, {}, date(2019, 1, 10), 30, 5, 2.0)
    assert (flag["as_of"], flag["window"], flag["baseline"], flag["reason"]) == \
        (date(2019, 1, 14), 5, 12, "SURGE")
    assert domain.first_flag(baseline, {}, date(2018, 6, 1), 30, 5, 2.0) is None
    escalated = domain.first_flag(baseline, {date(2018, 6, 3): 1}, date(2018, 6, 1), 30, 5, 2.0)
    assert (escalated["as_of"], escalated["reason"]) == (date(2018, 6, 3), "ESCALATED")
