"""Pure rules of a mediation case (vụ việc hòa giải): the lifecycle state machine, the
start deadline, conflict of interest and the non-mediable screen.

No nameko, no SQLAlchemy: functions take plain values and raise `services.common.errors`.
An illegal transition is a `Conflict` (the request is well-formed; the case's state
forbids it).
"""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from services.common import vocabulary
from services.common.errors import Conflict, ValidationError

RECEIVED, ASSIGNED, IN_MEDIATION = "RECEIVED", "ASSIGNED", "IN_MEDIATION"
SUCCESSFUL, UNSUCCESSFUL, STOPPED, REFERRED = "SUCCESSFUL", "UNSUCCESSFUL", "STOPPED", "REFERRED"
OPEN = (RECEIVED, ASSIGNED, IN_MEDIATION)
OUTCOMES = vocabulary.values(vocabulary.Outcome)
STATUSES = vocabulary.values(vocabulary.CaseStatus)

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": ((RECEIVED, ASSIGNED), ASSIGNED),  # re-assignment before the start is allowed
    "start": ((ASSIGNED,), IN_MEDIATION),
    "resolve": ((IN_MEDIATION,), None),  # the outcome names the state
    "refer": (OPEN, REFERRED),
    "guide": ((UNSUCCESSFUL,), None),  # art. 25 after a failed mediation: the outcome stays
    "escalate": (OPEN, None),  # a flag, the state stays
    "follow_up": ((SUCCESSFUL,), None),
}

START_DEADLINE = timedelta(days=3)  # Law 35/2013 art. 20
CLOCK_SKEW = timedelta(seconds=5)  # clients' clocks may run a little ahead


def check_transition(action: str, status: str) -> str:
    """The state after `action` from `status`, or Conflict if the lifecycle forbids it."""
    allowed, target = TRANSITIONS[action]
    if status not in allowed:
        raise Conflict(f"cannot {action.replace('_', ' ')} a case that is {status}",
                       field="status", details={"status": status, "action": action})
    return target or status


def referral(status: str, already_referred: bool) -> str:
    """Art. 25: which step a referral to the competent authority is. An open case leaves
    mediation (`refer` → REFERRED). After an UNSUCCESSFUL mediation the team guides the
    parties there (`guide`): recorded once, and the outcome stays UNSUCCESSFUL."""
    action = "guide" if status == UNSUCCESSFUL else "refer"
    check_transition(action, status)
    if action == "guide" and already_referred:
        raise Conflict("the parties were already guided to the competent authority",
                       field="case_id", details={"status": status, "action": action})
    return action


def resolved_status(outcome: str) -> str:
    if outcome not in OUTCOMES:
        raise ValidationError(f"unknown outcome {outcome}", field="outcome")
    return outcome


def start_deadline(assigned_at: datetime) -> datetime:
    return assigned_at + START_DEADLINE


def is_start_overdue(deadline: datetime | None, started_at: datetime | None,
                     now: datetime) -> bool:
    """Mediation had not started by the deadline (art. 20)."""
    if deadline is None:
        return False
    return (started_at or now) > deadline


def step_time(at: datetime | None, previous: datetime, now: datetime,
              field: str = "at") -> datetime:
    """When a step happened: `at` (back-dated history) or now; never in the future,
    never before the case's previous step."""
    when = at if at is not None else now
    if when > now + CLOCK_SKEW:
        raise ValidationError(f"{field} is in the future", field=field)
    if when < previous:
        raise ValidationError(f"{field} is before the case's previous step", field=field)
    return when


def check_not_future(value: datetime, now: datetime, field: str) -> datetime:
    if value > now + CLOCK_SKEW:
        raise ValidationError(f"{field} is in the future", field=field)
    return value


# --- conflict of interest (art. 18) -------------------------------------------------

def normalise_name(name: str) -> str:
    """NFC, case-folded, whitespace collapsed: "  Nguyễn  Văn A" == "nguyễn văn a"."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def check_no_conflict_of_interest(mediators: dict[str, str], parties: list[dict]) -> None:
    """`mediators`: id -> full name; `parties`: {"full_name", "related_mediator_ids"}.
    A mediator who is a party, or whom a party declared related, may not mediate."""
    party_names = {normalise_name(p["full_name"]) for p in parties}
    related = {m for p in parties for m in p.get("related_mediator_ids") or ()}
    for mediator_id, full_name in mediators.items():
        if mediator_id in related or normalise_name(full_name) in party_names:
            raise Conflict("a mediator with an interest in the case may not mediate it "
                           "(Law 35/2013 art. 18)", field="mediator_ids",
                           details={"mediator_id": mediator_id})


# --- matters that may not be mediated (Decree 15/2014 art. 5) ----------------------

NON_MEDIABLE_REASONS = vocabulary.values(vocabulary.NonMediableReason)

# Phrases that point to a matter the law excludes. Matched without diacritics, on whole
# words, so "trộm cắp" and "trom cap" both hit. A screen, not a judgement: see docs/cases.md.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "CRIME": (
        "giết người", "cố ý gây thương tích", "gây thương tích", "trộm cắp", "trộm",
        "cướp", "cưỡng đoạt", "lừa đảo", "hiếp dâm", "cưỡng dâm", "ma túy", "ma tuý",
        "bắt cóc", "mua bán người", "buôn bán người", "đánh bạc", "tổ chức đánh bạc",
        "buôn lậu", "tham nhũng", "nhận hối lộ", "đưa hối lộ", "bạo lực gia đình nghiêm trọng",
        "loạn luân", "mại dâm", "tàng trữ vũ khí",
    ),
    "ADMINISTRATIVE_VIOLATION": (
        "vi phạm hành chính", "xử phạt hành chính", "xử phạt vi phạm",
        "xây dựng trái phép", "lấn chiếm đất công",
    ),
    "AGAINST_LAW_OR_MORALITY": (
        "tảo hôn", "cưỡng ép kết hôn", "mua bán trẻ em", "mang thai hộ vì mục đích thương mại",
    ),
}


def strip_diacritics(text: str) -> str:
    """"Trộm cắp" -> "trom cap" (đ -> d too), lower case, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


# One pattern per reason, its phrases as alternatives (one search per reason instead of
# one per phrase: the screen was 7 % of the intake's CPU in-process).
_PATTERNS = [
    (reason, re.compile(r"\b(?:" + "|".join(re.escape(strip_diacritics(phrase))
                                              for phrase in phrases) + r")\b"))
    for reason, phrases in KEYWORDS.items()
]


def screen_text(text: str) -> str | None:
    """The reason code of the first excluded matter (in `KEYWORDS` order) whose phrases
    `text` contains, or None."""
    plain = strip_diacritics(text)
    for reason, pattern in _PATTERNS:
        if pattern.search(plain):
            return reason
    return None


def non_mediable_reason(declared: str | None, texts: list[str], override: bool) -> str | None:
    """Why intake must refuse the matter, or None. A declared reason always refuses;
    the keyword screen can be overridden by an officer who checked the matter."""
    if declared:
        return declared
    if override:
        return None
    for text in texts:
        if reason := screen_text(text):
            return reason
    return None


def now_utc() -> datetime:
    return datetime.now(UTC)
