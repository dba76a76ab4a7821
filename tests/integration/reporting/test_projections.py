"""Rates on every level from events alone, whatever the delivery order or repetition."""

import random

import pytest

from services.common.errors import ValidationError
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import snapshot


def rates(rpc, year: int = 2019) -> dict:
    return {(layout, code): {k: v for k, v in rpc.success_rate(code, year, layout).items()
                             if k not in ("unit_code", "geo_version", "year")}
            for layout, code in dataset.EXPECTED_2019}


def test_rates_on_every_level_match_the_hand_count(reporting):
    feeder = reporting()
    feeder.deliver(dataset.team_events() + dataset.cases())
    with feeder.rpc() as rpc:
        assert rates(rpc) == dataset.EXPECTED_2019
        assert rpc.success_rate("20", 2018, "LEGACY")["successful"] == 1
        assert rpc.success_rate("20", 2020, "LEGACY")["rate"] is None
        team = rpc.team_success_rate("T1", 2019)
    assert (team["rate"], team["target"], team["meets_target"]) == (0.8, 0.9, False)


def test_province_total_is_the_same_in_both_layouts(reporting):
    feeder = reporting()
    feeder.deliver(dataset.cases())
    with feeder.rpc() as rpc:
        legacy = rpc.success_rate("20", 2019, "LEGACY")
        v2025 = rpc.success_rate("20", 2019, "V2025")
        districts = [rpc.success_rate(d, 2019, "LEGACY") for d in ("178", "181")]
        units = [rpc.success_rate(u, 2019, "V2025") for u in ("26000", "26010")]
    strip = ("geo_version",)
    assert {k: v for k, v in legacy.items() if k not in strip} == \
           {k: v for k, v in v2025.items() if k not in strip}
    assert sum(d["received"] for d in districts) == sum(u["received"] for u in units) == 15


def test_each_event_three_times_in_shuffled_order_gives_the_same_numbers(reporting):
    events = (dataset.team_events() + dataset.cases()) * 3
    random.Random(7).shuffle(events)
    feeder = reporting()
    feeder.deliver(events)
    with feeder.rpc() as rpc:
        assert rates(rpc) == dataset.EXPECTED_2019
        assert rpc.remuneration("20", 2019, "LEGACY")["cases"] == 12


def test_in_order_and_shuffled_delivery_end_in_identical_projections(reporting):
    ordered, shuffled = reporting(), reporting()
    events = dataset.team_events() + dataset.cases()
    ordered.deliver(events)
    mixed = list(reversed(events)) + events[::2]
    shuffled.deliver(mixed)
    assert snapshot(ordered.sessions) == snapshot(shuffled.sessions)


@pytest.mark.parametrize("args, field", [
    (("20", "2019x", "LEGACY"), "year"),
    (("20", 2019, "V2019"), "geo_version"),
    (("", 2019, "LEGACY"), "unit_code"),
    (("20", 1800, "LEGACY"), "year"),
])
def test_bad_arguments_are_typed_errors(reporting, args, field):
    feeder = reporting()
    with feeder.rpc() as rpc, pytest.raises(ValidationError) as error:
        rpc.success_rate(*args)
    assert error.value.field == field


def test_the_embedded_sqlite_database_gives_the_same_numbers(reporting, registry, tmp_path):
    feeder = reporting(DATABASE_URL=f"sqlite:///{tmp_path}/reporting.db")
    events = (dataset.team_events() + dataset.cases()) * 2
    random.Random(11).shuffle(events)
    feeder.deliver(events)
    with feeder.rpc() as rpc:
        assert rates(rpc) == dataset.EXPECTED_2019
        assert rpc.report_file("20", 2019, None, "LEGACY", "xlsx")["filename"].endswith(".xlsx")
