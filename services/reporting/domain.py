"""Pure rules of the reporting projections: no nameko, no SQLAlchemy.

A case is projected as one small state record (`CaseState`). Every aggregate counter
is a function of that record (`contributions`), so an event changes the counters by
the difference between the record before and after it: redelivered, tripled or
shuffled events end in the same numbers.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from services.common.vocabulary import Category, values

PROVINCE = "20"  # Lạng Sơn: the root of both layouts
IN_PROGRESS = ("RECEIVED", "ASSIGNED", "IN_MEDIATION")
CLOSED_PAID = ("SUCCESSFUL", "UNSUCCESSFUL")  # paid per case, successful or not (Decree 15)
CATEGORIES = values(Category)
DEFAULT_TARGET = 0.8
MODEL_TEAM_TARGET = 0.9

_REF = ("team_id", "category", "commune_code", "geo_version", "district_code", "v2025_code")
# Status an event moves its case to; events not listed leave the status alone.
STATUS_OF = {
    "case.received": "RECEIVED",
    "case.assigned": "ASSIGNED",
    "case.mediation_started": "IN_MEDIATION",
    "case.referred": "REFERRED",
}


@dataclass(frozen=True)
class CaseState:
    case_id: str
    team_id: str
    category: str
    commune_code: str
    geo_version: str
    district_code: str | None
    v2025_code: str | None
    status: str
    status_seq: int  # sequence of the event that set `status`
    ref_seq: int  # sequence of the event the place/category came from
    received_on: date
    received_known: bool  # False while only later events have arrived
    escalated_on: date | None = None
    closed_on: date | None = None

    @classmethod
    def from_row(cls, row) -> "CaseState":
        """From a `case_state` row (its columns are the fields, in order), without the
        frozen `__init__`'s call per field (the rebuild reads back every case)."""
        state = object.__new__(cls)
        state.__dict__.update(zip(_FIELDS, row, strict=True))
        return state

    def as_row(self) -> tuple:
        return tuple(map(self.__dict__.__getitem__, _FIELDS))

    def changed(self, changes: dict) -> "CaseState":
        """A copy with `changes`: `dataclasses.replace` without its per-field __init__
        (≈ 5× the cost; the rebuild makes one per event). The copy is as frozen."""
        copy = object.__new__(CaseState)
        copy.__dict__.update(self.__dict__, **changes)
        return copy


_FIELDS = tuple(f.name for f in fields(CaseState))


def _day(value: str | datetime | date) -> date:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


def apply_case_event(state: CaseState | None, event_type: str, sequence: int | None,
                     occurred_at: datetime, payload: dict) -> CaseState:
    """The case's state after one event, whatever order the events come in."""
    seq = sequence or 0
    if state is None:
        state = CaseState(case_id=payload["case_id"], status="RECEIVED", status_seq=-1,
                          ref_seq=-1, received_on=_day(occurred_at), received_known=False,
                          **{k: payload.get(k) for k in _REF})
    changes: dict = {}
    if seq > state.ref_seq:  # the place and category of the newest event win
        changes.update({k: payload.get(k) for k in _REF}, ref_seq=seq)
    if event_type == "case.received":
        changes.update(received_on=_day(payload["received_at"]), received_known=True)
    elif not state.received_known:  # provisional: the earliest date seen so far
        changes["received_on"] = min(state.received_on, _day(occurred_at))
    if event_type == "case.escalated":
        escalated = _day(payload["escalated_at"])
        if state.escalated_on is None or escalated < state.escalated_on:
            changes["escalated_on"] = escalated
    status = payload["outcome"] if event_type == "case.resolved" else STATUS_OF.get(event_type)
    if status is not None and seq > state.status_seq:
        closed = None
        if event_type == "case.resolved":
            closed = _day(payload["resolved_at"])
        elif event_type == "case.referred":
            closed = _day(payload["referred_at"])
        changes.update(status=status, status_seq=seq, closed_on=closed)
    return state.changed(changes) if changes else state


def unit_keys(geo_version: str, commune_code: str, district_code: str | None,
              v2025_code: str | None) -> list[tuple[str, str]]:
    """(layout, unit code) of every level a case or team counts in.

    LEGACY: commune → district → province; V2025: commune → province. A case recorded
    in the 2025 layout has no legacy commune; it still counts in both provinces.
    """
    keys = [("LEGACY", PROVINCE), ("V2025", PROVINCE)]
    if geo_version == "LEGACY":
        keys.append(("LEGACY", commune_code))
    if district_code:
        keys.append(("LEGACY", district_code))
    v2025 = v2025_code or (commune_code if geo_version == "V2025" else None)
    if v2025:
        keys.append(("V2025", v2025))
    return keys


def contributions(state: CaseState | None) -> dict[tuple, int]:
    """Every counter this case adds 1 to: units × month × category × status, the team,
    the commune's daily intake (for hot spots) and its escalations."""
    if state is None:
        return {}
    month = (state.received_on.year, state.received_on.month)
    out: dict[tuple, int] = {}
    for layout, code in unit_keys(state.geo_version, state.commune_code,
                                  state.district_code, state.v2025_code):
        out[("unit", layout, code, *month, state.category, state.status)] = 1
    out[("team", state.team_id, *month, state.category, state.status)] = 1
    place = (state.geo_version, state.commune_code, state.category)
    out[("daily", *place, state.received_on, "received")] = 1
    if state.escalated_on is not None:
        out[("daily", *place, state.escalated_on, "escalated")] = 1
    return out


def delta(before: CaseState | None, after: CaseState | None) -> dict[tuple, int]:
    """Counter changes that turn `before`'s contributions into `after`'s."""
    changes = dict.fromkeys(contributions(before), -1)
    for key, n in contributions(after).items():
        changes[key] = changes.get(key, 0) + n
    return {key: n for key, n in changes.items() if n}


def success_rate(successful: int, unsuccessful: int) -> float | None:
    """Tỷ lệ hòa giải thành: successful ÷ (successful + unsuccessful); None when both are 0."""
    decided = successful + unsuccessful
    return successful / decided if decided else None


def rate_summary(counts: dict[str, int], target: float = DEFAULT_TARGET) -> dict:
    """The `SuccessRate` shape from per-status counts."""
    successful, unsuccessful = counts.get("SUCCESSFUL", 0), counts.get("UNSUCCESSFUL", 0)
    rate = success_rate(successful, unsuccessful)
    return {
        "received": sum(counts.values()),
        "successful": successful,
        "unsuccessful": unsuccessful,
        "in_progress": sum(counts.get(s, 0) for s in IN_PROGRESS),
        "stopped": counts.get("STOPPED", 0),
        "referred": counts.get("REFERRED", 0),
        "rate": rate,
        "target": target,
        "meets_target": None if rate is None else rate >= target,
    }


def period_months(year: int, half: int | None = None) -> tuple[int, int]:
    """First and last month of a year (half None) or a half-year (1: Jan–Jun, 2: Jul–Dec)."""
    if half is None:
        return 1, 12
    return (1, 6) if half == 1 else (7, 12)


def remuneration_amount(rates: list[dict], cap: int, province: str, on: date) -> int:
    """Thù lao per closed case: the province's rate in force on `on`, never above the cap."""
    applicable = [r for r in rates if str(r["province"]) == province
                  and _day(str(r["from"])) <= on]
    if not applicable:
        return 0
    latest = max(applicable, key=lambda r: _day(str(r["from"])))
    return min(int(latest["amount"]), cap)


def hotspot_window(as_of: date, days: int) -> tuple[date, date, date]:
    """(window start, baseline start, as_of): the window is the last `days` days up to
    `as_of`; the baseline the 365 days before the window."""
    start = as_of - timedelta(days=days - 1)
    return start, start - timedelta(days=365), as_of


def is_hotspot(window_count: int, baseline_count: int, days: int, min_count: int,
               min_ratio: float) -> tuple[bool, float | None]:
    """Flag when the window's cases reach `min_count` and are at least `min_ratio` times
    the commune's own trailing-12-month monthly mean, scaled to the window's length."""
    expected = baseline_count / 12 * (days / 30)
    ratio = window_count / expected if expected else None
    flagged = window_count >= min_count and (ratio is None or ratio >= min_ratio)
    return flagged, ratio


def first_flag(received: dict[date, int], escalated: dict[date, int], day: date, days: int,
               min_count: int, min_ratio: float) -> dict | None:
    """The first window that contains `day` and is a hot spot, or None.

    A case on `day` belongs to every window ending on day .. day + days - 1, so all of
    them are checked: the answer then does not depend on the order cases arrive in.
    """
    for offset in range(days):
        as_of = day + timedelta(days=offset)
        start, baseline_start, _ = hotspot_window(as_of, days)
        window = sum(n for d, n in received.items() if start <= d <= as_of)
        baseline = sum(n for d, n in received.items() if baseline_start <= d < start)
        escalations = sum(n for d, n in escalated.items() if start <= d <= as_of)
        surge, ratio = is_hotspot(window, baseline, days, min_count, min_ratio)
        if surge or escalations:
            return {"as_of": as_of, "window": window, "baseline": baseline, "ratio": ratio,
                    "escalated": escalations, "reason": "SURGE" if surge else "ESCALATED"}
    return None
