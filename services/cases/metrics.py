"""Business counters of the cases service (names in docs/contracts.md), counted from the
events a transaction emitted, only after it committed: a rolled-back write counts nothing."""

from prometheus_client import Counter

SUBMITTED = Counter("hoagiai_cases_submitted_total", "Cases received.",
                    ["category", "district", "channel"])
RESOLVED = Counter("hoagiai_cases_resolved_total", "Cases resolved, by outcome.",
                   ["category", "district", "outcome"])
ESCALATED = Counter("hoagiai_cases_escalated_total", "Cases escalated.", ["district", "kind"])
START_OVERDUE = Counter("hoagiai_cases_start_overdue_total",
                        "Cases whose mediation did not start within 3 days of assignment.",
                        ["district"])
INTAKE_REJECTIONS = Counter("hoagiai_intake_rejections_total", "Refused intakes, by reason.",
                            ["reason"])

# Labels stay bounded: the 11 LEGACY districts of Lạng Sơn, or "unknown".
DISTRICTS = {"178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189"}
REJECTION_REASONS = {"CRIME", "ADMINISTRATIVE_VIOLATION", "AGAINST_LAW_OR_MORALITY",
                     "OTHER_EXCLUDED", "BAD_INPUT", "UNKNOWN_TEAM", "IDEMPOTENCY_CONFLICT"}


def district(payload: dict) -> str:
    code = payload.get("district_code")
    return code if code in DISTRICTS else "unknown"


def record(events: list[tuple[str, dict]]) -> None:
    for event_type, payload in events:
        if event_type == "case.received":
            SUBMITTED.labels(payload["category"], district(payload), payload["channel"]).inc()
        elif event_type == "case.resolved":
            RESOLVED.labels(payload["category"], district(payload), payload["outcome"]).inc()
        elif event_type == "case.escalated":
            ESCALATED.labels(district(payload), payload["kind"]).inc()
        elif event_type == "case.start_overdue":
            START_OVERDUE.labels(district(payload)).inc()


def rejected(reason: str) -> None:
    INTAKE_REJECTIONS.labels(reason if reason in REJECTION_REASONS else "BAD_INPUT").inc()
