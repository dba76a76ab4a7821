"""Business counters of the cases service (names in docs/contracts.md), counted from the
events a transaction emitted, only after it committed: a rolled-back write counts nothing."""

from prometheus_client import Counter

from services.common.errors import Conflict, HoagiaiError, NotFound, ValidationError
from services.common.events import Envelope
from services.common.metrics import V2025_COMMUNE

# `commune`: the case's V2025 commune (today's layout); `district`: its LEGACY district, for
# history (cases placed in V2025 have none: "unknown").
SUBMITTED = Counter("hoagiai_cases_submitted_total", "Cases received.",
                    ["category", "commune", "district", "channel"])
RESOLVED = Counter("hoagiai_cases_resolved_total", "Cases resolved, by outcome.",
                   ["category", "commune", "district", "outcome"])
ESCALATED = Counter("hoagiai_cases_escalated_total", "Cases escalated.",
                    ["commune", "district", "kind"])
START_OVERDUE = Counter("hoagiai_cases_start_overdue_total",
                        "Cases whose mediation did not start within 3 days of assignment.",
                        ["commune", "district"])
INTAKE_REJECTIONS = Counter("hoagiai_intake_rejections_total", "Refused intakes, by reason.",
                            ["reason"])

# Labels stay bounded: the 11 LEGACY districts of Lạng Sơn, the V2025 communes
# (services.common.metrics.V2025_COMMUNE), or "unknown".
DISTRICTS = {"178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189"}
REJECTION_REASONS = {"CRIME", "ADMINISTRATIVE_VIOLATION", "AGAINST_LAW_OR_MORALITY",
                     "OTHER_EXCLUDED", "BAD_INPUT", "UNKNOWN_TEAM", "IDEMPOTENCY_CONFLICT"}


def district(payload: dict) -> str:
    code = payload.get("district_code")
    return code if code in DISTRICTS else "unknown"


def commune(payload: dict) -> str:
    return V2025_COMMUNE(payload.get("v2025_code"))


def record(events: list[Envelope]) -> None:
    for event in events:
        event_type, payload = event.type, event.payload
        place = commune(payload), district(payload)
        if event_type == "case.received":
            SUBMITTED.labels(payload["category"], *place, payload["channel"]).inc()
        elif event_type == "case.resolved":
            RESOLVED.labels(payload["category"], *place, payload["outcome"]).inc()
        elif event_type == "case.escalated":
            ESCALATED.labels(*place, payload["kind"]).inc()
        elif event_type == "case.start_overdue":
            START_OVERDUE.labels(*place).inc()


def rejected(refusal: HoagiaiError) -> None:
    reason = rejection_reason(refusal)
    INTAKE_REJECTIONS.labels(reason if reason in REJECTION_REASONS else "BAD_INPUT").inc()


def rejection_reason(exc: HoagiaiError) -> str:
    if isinstance(exc, ValidationError) and exc.details.get("reason"):
        return exc.details["reason"]
    if isinstance(exc, NotFound) and exc.field == "team_id":
        return "UNKNOWN_TEAM"
    if isinstance(exc, Conflict) and exc.field == "idempotency_key":
        return "IDEMPOTENCY_CONFLICT"
    return "BAD_INPUT"
