"""The retention rule of parties' personal data (services/cases/personal_data.py): kept a
number of years after the case closed (its last step once no longer open), never erased
while the case is open; 29 February ends on 28 February."""

from datetime import UTC, datetime, timedelta

import pytest

from services.cases import personal_data as pd

CLOSED_AT = datetime(2021, 3, 10, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("status", ["RECEIVED", "ASSIGNED", "IN_MEDIATION"])
def test_an_open_case_never_expires(status):
    assert pd.closed_at(status, CLOSED_AT) is None
    assert pd.retention_ends_at(status, CLOSED_AT, 5) is None
    assert not pd.is_expired(status, CLOSED_AT, 0, datetime(2100, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("status", ["SUCCESSFUL", "UNSUCCESSFUL", "STOPPED", "REFERRED"])
def test_a_closed_case_is_kept_the_retention_years_after_its_last_step(status):
    assert pd.closed_at(status, CLOSED_AT) == CLOSED_AT
    ends = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    assert pd.retention_ends_at(status, CLOSED_AT, 5) == ends
    assert not pd.is_expired(status, CLOSED_AT, 5, ends - timedelta(seconds=1))
    assert pd.is_expired(status, CLOSED_AT, 5, ends)


def test_the_demo_day_erases_what_closed_more_than_five_years_before():
    today = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert pd.is_expired("SUCCESSFUL", datetime(2021, 11, 27, tzinfo=UTC), 5, today)
    assert not pd.is_expired("SUCCESSFUL", datetime(2021, 11, 29, tzinfo=UTC), 5, today)


def test_a_retention_of_zero_years_expires_at_closing():
    assert pd.is_expired("STOPPED", CLOSED_AT, 0, CLOSED_AT)


def test_29_february_ends_on_28_february():
    leap = datetime(2024, 2, 29, 8, tzinfo=UTC)
    assert pd.add_years(leap, 1) == datetime(2025, 2, 28, 8, tzinfo=UTC)
    assert pd.add_years(leap, 4) == datetime(2028, 2, 29, 8, tzinfo=UTC)
    assert pd.add_years(datetime(2025, 2, 28, tzinfo=UTC), -1) == datetime(2024, 2, 28,
                                                                          tzinfo=UTC)


@pytest.mark.parametrize("closed", [datetime(2020, 2, 29, tzinfo=UTC),
                                    datetime(2020, 3, 1, tzinfo=UTC),
                                    datetime(2019, 12, 31, 23, 59, tzinfo=UTC)])
@pytest.mark.parametrize("years", [0, 1, 5])
def test_the_jobs_scan_finds_every_expired_case(closed, years):
    """The job's query takes last steps up to `scan_cutoff`; the rule decides each."""
    for day in range(0, 3 * 366, 7):
        now = closed + timedelta(days=day, hours=5)
        if pd.is_expired("SUCCESSFUL", closed, years, now):
            assert closed <= pd.scan_cutoff(now, years), (closed, years, now)


def test_settings_come_from_the_config_and_are_checked():
    config = {"PERSONAL_DATA": {"retention_years": "2", "batch_size": 10}}
    assert pd.Settings.from_config(config) == pd.Settings(retention_years=2, batch_size=10)
    assert pd.Settings.from_config({}) == pd.Settings(retention_years=5)
    with pytest.raises(ValueError):
        pd.Settings.from_config({"PERSONAL_DATA": {"retention_years": -1}})
