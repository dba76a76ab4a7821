"""A small, hand-counted history of cases and teams, as event envelopes.

Communes (LEGACY → V2025): 05977 and 05980 in district 178 → 26000; 06040 in
district 181 → 26010. Cases received in 2019 (one in 2018):

| team | commune | successful | unsuccessful | in progress | stopped | referred |
|------|---------|-----------:|-------------:|------------:|--------:|---------:|
| T1   | 05977   | 4          | 1            | 1           |         |          |
| T2   | 05980   | 2          | 2            |             |         |          |
| T3   | 06040   | 3          |              |             | 1       | 1        |
"""

from datetime import UTC, date, datetime, timedelta

from services.common.events import new_event

PLACES = {"05977": ("178", "26000"), "05980": ("178", "26000"), "06040": ("181", "26010")}
TEAMS = {"T1": "05977", "T2": "05980", "T3": "06040"}
CATEGORIES = ("CONFLICT", "CIVIL_FAMILY", "OTHER")


def ref(case_id: str, team_id: str, category: str) -> dict:
    commune = TEAMS[team_id]
    district, v2025 = PLACES[commune]
    return {"case_id": case_id, "team_id": team_id, "category": category,
            "commune_code": commune, "geo_version": "LEGACY", "district_code": district,
            "v2025_code": v2025}


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def case_events(case_id: str, team_id: str, category: str, received: date,
                end: str | None) -> list[dict]:
    """The envelopes of one case's life; `end` is an outcome, REFERRED or None (open)."""
    base = ref(case_id, team_id, category)
    steps = [
        ("case.received", {"channel": "IN_PERSON", "received_at": at(received).isoformat()}),
        ("case.assigned", {"mediator_ids": ["M1"], "assigned_at": at(received, 10).isoformat(),
                           "start_deadline": at(received + timedelta(days=3)).isoformat()}),
        ("case.mediation_started", {"started_at": at(received + timedelta(days=1)).isoformat()}),
    ]
    closed = at(received + timedelta(days=5))
    if end == "REFERRED":
        steps.append(("case.referred", {"referred_at": closed.isoformat(), "authority": "UBND"}))
    elif end is not None:
        steps.append(("case.resolved", {"outcome": end, "resolved_at": closed.isoformat(),
                                        "mediator_ids": ["M1"]}))
    out = []
    for seq, (event_type, extra) in enumerate(steps, start=1):
        when = datetime.fromisoformat(next(v for k, v in extra.items() if k.endswith("_at")))
        out.append(new_event(event_type, {**base, **extra}, unit_code=base["commune_code"],
                             geo_version="LEGACY", aggregate_id=case_id, sequence=seq,
                             occurred_at=when).model_dump(mode="json"))
    return out


def cases() -> list[dict]:
    plan = {"T1": ["SUCCESSFUL"] * 4 + ["UNSUCCESSFUL", None],
            "T2": ["SUCCESSFUL"] * 2 + ["UNSUCCESSFUL"] * 2,
            "T3": ["SUCCESSFUL"] * 3 + ["STOPPED", "REFERRED"]}
    events = []
    for team_id, ends in plan.items():
        for i, end in enumerate(ends):
            events += case_events(f"{team_id}-C{i}", team_id, CATEGORIES[i % 3],
                                  date(2019, 1 + i, 10), end)
    events += case_events("T1-OLD", "T1", "CONFLICT", date(2018, 11, 5), "SUCCESSFUL")
    return events


def team_events() -> list[dict]:
    events = []
    for team_id, commune in TEAMS.items():
        district, v2025 = PLACES[commune]
        place = {"team_id": team_id, "commune_code": commune, "geo_version": "LEGACY",
                 "district_code": district, "v2025_code": v2025}
        events.append(new_event("team.formed", {**place, "name": f"Tổ {team_id}",
                                                "formed_on": "2017-06-01"},
                                aggregate_id=team_id, sequence=1).model_dump(mode="json"))
        for n in range(3):
            mediator = f"{team_id}-M{n}"
            events.append(new_event("mediator.added", {
                **place, "mediator_id": mediator, "full_name": f"Người {mediator}",
                "gender": "FEMALE" if n == 0 else "MALE", "elected_on": "2017-06-01"},
                aggregate_id=mediator, sequence=1).model_dump(mode="json"))
    t1 = {"team_id": "T1", "commune_code": "05977", "geo_version": "LEGACY",
          "district_code": "178", "v2025_code": "26000"}
    events.append(new_event("pilot.team_selected", {
        **t1, "programme_year": 2019, "selected_on": "2018-03-15",
        "period_start": "2019-01-01", "period_end": "2019-12-31"},
        aggregate_id="T1", sequence=2).model_dump(mode="json"))
    for commune in ("05977", "05980"):
        events.append(new_event("pilot.commune_selected", {
            "programme_year": 2019, "commune_code": commune, "district_code": "178",
            "selected_on": "2018-03-10", "on_time": True}).model_dump(mode="json"))
    events.append(new_event("pilot.commune_selected", {
        "programme_year": 2019, "commune_code": "06040", "district_code": "181",
        "selected_on": "2018-03-25", "on_time": False}).model_dump(mode="json"))
    return events


def rate(successful: int, unsuccessful: int, received: int, in_progress: int,
         stopped: int = 0, referred: int = 0, target: float = 0.8) -> dict:
    value = successful / (successful + unsuccessful) if successful + unsuccessful else None
    return {"received": received, "successful": successful, "unsuccessful": unsuccessful,
            "in_progress": in_progress, "stopped": stopped, "referred": referred,
            "rate": value, "target": target,
            "meets_target": None if value is None else value >= target}


# Hand-counted, year 2019: (layout, unit) → SuccessRate fields.
EXPECTED_2019 = {
    ("LEGACY", "05977"): rate(4, 1, 6, 1),
    ("LEGACY", "05980"): rate(2, 2, 4, 0),
    ("LEGACY", "06040"): rate(3, 0, 5, 0, stopped=1, referred=1),
    ("LEGACY", "178"): rate(6, 3, 10, 1),
    ("LEGACY", "181"): rate(3, 0, 5, 0, stopped=1, referred=1),
    ("LEGACY", "20"): rate(9, 3, 15, 1, stopped=1, referred=1),
    ("V2025", "26000"): rate(6, 3, 10, 1),
    ("V2025", "26010"): rate(3, 0, 5, 0, stopped=1, referred=1),
    ("V2025", "20"): rate(9, 3, 15, 1, stopped=1, referred=1),
}
