"""The layout in force on a case's received date, at Vietnam's midnight."""

from datetime import UTC, datetime

import pytest

from services.common.geography import place_on

LEGACY_TEAM = {"commune_code": "06400", "geo_version": "LEGACY", "district_code": "186",
               "v2025_code": "06388"}
V2025_TEAM = {"commune_code": "06400", "geo_version": "V2025", "district_code": None,
              "v2025_code": "06400"}


@pytest.mark.parametrize("received_at, layout", [
    (datetime(2019, 5, 1, tzinfo=UTC), "LEGACY"),
    (datetime(2025, 6, 30, 16, 59, tzinfo=UTC), "LEGACY"),  # 23:59 on 30/6 in Vietnam
    (datetime(2025, 6, 30, 17, 0, tzinfo=UTC), "V2025"),  # 00:00 on 1/7 in Vietnam
    (datetime(2026, 1, 1, tzinfo=UTC), "V2025"),
])
def test_a_legacy_teams_case_lands_in_the_layout_of_its_day(received_at, layout):
    place = place_on(LEGACY_TEAM, received_at)
    if layout == "LEGACY":
        assert place == LEGACY_TEAM
    else:
        assert place == {"commune_code": "06388", "geo_version": "V2025",
                         "district_code": None, "v2025_code": "06388"}


def test_a_team_formed_in_2025_has_no_legacy_place():
    assert place_on(V2025_TEAM, datetime(2019, 5, 1, tzinfo=UTC)) == V2025_TEAM
