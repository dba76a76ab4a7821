"""Write side: live events (idempotent, retried, dead-lettered), budgets, replays."""

import logging
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from services.common import outbox
from services.common.errors import Conflict, NotFound, ValidationError
from services.common.events import Envelope, new_event, parse_event
from services.reporting import domain, models, queries
from services.reporting.metrics import (
    DEAD_LETTERS,
    EVENTS_CONSUMED,
    HOTSPOTS_ACTIVE,
    PROJECTION_LAG,
)
from services.reporting.projector import Changes, Projector

log = logging.getLogger(__name__)
ATTEMPTS = 3


@dataclass(frozen=True)
class HotspotSettings:
    days: int = 30
    min_count: int = 5
    min_ratio: float = 2.0


def consume(sessions: sessionmaker, projector: Projector, hot: HotspotSettings,
            body: dict, live: bool = True) -> str:
    """Apply one delivered event; returns applied / duplicate / stale / failed.

    Bad events and events that still fail after `ATTEMPTS` tries (each in a fresh
    transaction) are stored as dead letters, so the queue moves on.
    """
    event_type = body.get("type") if isinstance(body, dict) else None
    try:
        envelope, payload = parse_event(body)
    except ValidationError as exc:
        return _dead(sessions, body, event_type, f"ValidationError: {exc}", 1)
    error = ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with sessions.begin() as session:
                result = apply_event(session, projector, hot, envelope,
                                     payload.model_dump(mode="json"))
            break
        except Exception as exc:  # retried, then dead-lettered: never lost, never blocking
            error = "".join(traceback.format_exception_only(exc)).strip()
            log.warning("event %s failed (attempt %d): %s", envelope.id, attempt, error)
            time.sleep(0.05 * attempt)
    else:
        return _dead(sessions, body, envelope.type, error, ATTEMPTS)
    EVENTS_CONSUMED.labels("reporting", envelope.type, result).inc()
    if live and result == "applied":
        lag = (datetime.now(UTC) - envelope.occurred_at).total_seconds()
        PROJECTION_LAG.labels(envelope.type).observe(max(lag, 0.0))
    return result


def apply_event(session: Session, projector: Projector, hot: HotspotSettings,
                envelope: Envelope, payload: dict) -> str:
    _lock(session, payload)
    if not outbox.first_delivery(session, models.processed_events, envelope):
        return "duplicate"
    changes = Changes()
    projector.load(session, changes, [(envelope, payload)])
    if not projector.apply(changes, envelope, payload):
        projector.write(session, changes)  # places/teams learned even from a stale event
        return "stale"
    projector.write(session, changes)
    for state in changes.received:
        on = state.escalated_on if envelope.type == "case.escalated" else state.received_on
        check_hotspot(session, hot, state.geo_version, state.commune_code, state.category, on)
    return "applied"


def _lock(session: Session, payload: dict) -> None:
    """Serialise the events of one case (or team, mediator) across workers: each reads the
    record, then writes counters from the difference; two at once would both count."""
    if session.bind.dialect.name != "postgresql":
        return  # SQLite: one pooled connection, transactions are already serial
    key = payload.get("case_id") or payload.get("mediator_id") or payload.get("team_id")
    if key:
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def _dead(sessions: sessionmaker, body, event_type: str | None, error: str,
          attempts: int) -> str:
    event_id = body.get("id") if isinstance(body, dict) else None
    with sessions.begin() as session:
        session.execute(insert(models.dead_letters).values(
            event_id=str(event_id)[:64] if event_id else None,
            event_type=str(event_type)[:64] if event_type else None,
            body=body, error=error[:4000], attempts=attempts, created_at=datetime.now(UTC)))
        refresh_gauges(session)
    EVENTS_CONSUMED.labels("reporting", str(event_type or "unknown")[:64], "failed").inc()
    return "failed"


def replay_dead_letter(sessions: sessionmaker, projector: Projector, hot: HotspotSettings,
                       letter_id: int) -> dict:
    """Apply a dead letter again; on success it is marked replayed. Raises Conflict if it
    fails again (the letter stays, with the new error)."""
    with sessions.begin() as session:
        row = session.execute(select(models.dead_letters)
                              .where(models.dead_letters.c.id == letter_id)).first()
    if row is None:
        raise NotFound(f"no dead letter {letter_id}", field="id")
    if row.replayed_at is not None:
        raise Conflict(f"dead letter {letter_id} was already replayed", field="id")
    try:
        envelope, payload = parse_event(row.body)
        with sessions.begin() as session:
            result = apply_event(session, projector, hot, envelope,
                                 payload.model_dump(mode="json"))
            session.execute(update(models.dead_letters).where(models.dead_letters.c.id ==
                                                              letter_id)
                            .values(replayed_at=datetime.now(UTC)))
            refresh_gauges(session)
    except Exception as exc:
        error = "".join(traceback.format_exception_only(exc)).strip()
        with sessions.begin() as session:
            session.execute(update(models.dead_letters).where(models.dead_letters.c.id ==
                                                              letter_id)
                            .values(error=error[:4000], attempts=row.attempts + 1))
        raise Conflict(f"replay failed: {error}"[:500], field="id") from None
    EVENTS_CONSUMED.labels("reporting", envelope.type, result).inc()
    return {"id": letter_id, "result": result}


def check_hotspot(session: Session, hot: HotspotSettings, geo_version: str, commune: str,
                  category: str, on: date) -> None:
    """Open an episode (and publish `hotspot.detected` once) or close it, as of `on`."""
    _lock(session, {"case_id": f"hotspot:{geo_version}:{commune}:{category}"})
    rows = queries.hotspot_counts(session, on, hot.days, commune=(geo_version, commune),
                                  category=category)
    if not rows:
        return
    row = rows[0]
    surge, ratio = domain.is_hotspot(row["window"], row["baseline"], hot.days,
                                     hot.min_count, hot.min_ratio)
    reason = "SURGE" if surge else "ESCALATED" if row["escalated"] else None
    e = models.hotspot_episodes
    active = session.execute(select(e).where(
        e.c.geo_version == geo_version, e.c.commune_code == commune, e.c.category == category,
        e.c.ended_on.is_(None))).first()
    if reason and active is None:
        session.execute(insert(e).values(
            geo_version=geo_version, commune_code=commune, district_code=row["district_code"],
            category=category, started_on=on, window_count=row["window"], reason=reason))
        outbox.add(session, models.outbox, new_event("hotspot.detected", {
            "commune_code": commune, "district_code": row["district_code"],
            "v2025_code": row["v2025_code"], "category": category, "detected_on": on.isoformat(),
            "window_days": hot.days, "window_count": row["window"],
            "baseline_monthly_mean": row["baseline"] / 12, "ratio": ratio,
            "escalated_count": row["escalated"], "reason": reason,
        }, unit_code=commune, geo_version=geo_version, aggregate_id=f"{commune}:{category}"))
    elif reason is None and active is not None and on > active.started_on:
        session.execute(update(e).where(e.c.id == active.id).values(ended_on=on))
    else:
        return
    refresh_gauges(session)


def refresh_gauges(session: Session) -> None:
    """Set the gauges from the tables (right for every process, whoever wrote them)."""
    pending = session.execute(select(func.count()).select_from(models.dead_letters)
                              .where(models.dead_letters.c.replayed_at.is_(None))).scalar_one()
    DEAD_LETTERS.labels("reporting").set(pending)
    e = models.hotspot_episodes
    rows = session.execute(select(e.c.district_code, e.c.category, func.count())
                           .where(e.c.ended_on.is_(None))
                           .group_by(e.c.district_code, e.c.category)).all()
    HOTSPOTS_ACTIVE.clear()
    for district, category, n in rows:
        HOTSPOTS_ACTIVE.labels(district or "unknown", category).set(n)


def set_budget(session: Session, geo_version: str, commune_code: str, year: int, amount: int,
               actor: dict) -> dict:
    """Kinh phí: the commune's yearly budget for remuneration, entered by its officer."""
    p = models.places
    known = session.execute(select(p.c.commune_code).where(
        p.c.geo_version == geo_version, p.c.commune_code == commune_code)).first()
    if known is None:
        raise NotFound(f"unknown commune {commune_code} ({geo_version})", field="commune_code")
    b = models.budgets
    row = {"geo_version": geo_version, "commune_code": commune_code, "year": year,
           "amount": amount, "set_by": actor["username"], "set_at": datetime.now(UTC)}
    existing = session.execute(select(b.c.amount).where(
        b.c.geo_version == geo_version, b.c.commune_code == commune_code,
        b.c.year == year)).first()
    if existing is None:
        session.execute(insert(b).values(**row))
    else:
        session.execute(update(b).where(b.c.geo_version == geo_version,
                                        b.c.commune_code == commune_code, b.c.year == year)
                        .values(**row))
    return {k: v for k, v in row.items() if k != "set_at"} | {"set_at": row["set_at"].isoformat()}
