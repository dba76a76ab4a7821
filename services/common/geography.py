"""What every service knows of Lạng Sơn's two layouts (the units themselves live in teams).

LEGACY: 11 districts and their communes, in force until 30/6/2025. V2025: the communes
directly under the province, from 1/7/2025 (Resolution 1672/NQ-UBTVQH15).
"""

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
REFORM_DATE = date(2025, 7, 1)  # the first day of the V2025 layout


def local_date(moment: datetime) -> date:
    """The date in Vietnam of an aware moment: layouts change at local midnight."""
    return moment.astimezone(VIETNAM).date()


def place_on(team: dict, received_at: datetime) -> dict:
    """Where a case of `team` received at `received_at` is placed: the layout in force
    that day. `team` has `commune_code`, `geo_version`, `district_code` and `v2025_code`
    (the team's current commune). A team formed in V2025 has no LEGACY place."""
    if team["geo_version"] == "LEGACY" and local_date(received_at) < REFORM_DATE:
        return {k: team[k] for k in ("commune_code", "geo_version", "district_code",
                                     "v2025_code")}
    return {"commune_code": team["v2025_code"], "geo_version": "V2025", "district_code": None,
            "v2025_code": team["v2025_code"]}
