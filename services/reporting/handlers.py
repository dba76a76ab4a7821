"""Write side: live events (idempotent, retried, dead-lettered), budgets, replays."""

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import eventlet
from eventlet.event import Event
from eventlet.semaphore import Semaphore
from sqlalchemy import and_, func, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from services.common import outbox
from services.common.errors import Conflict, NotFound, ValidationError
from services.common.events import Envelope, new_event, parse_event
from services.common.metrics import V2025_COMMUNE
from services.reporting import domain, models, pipeline
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


def consume(sessions: sessionmaker, projection: "Projection", body: dict,
            live: bool = True) -> str:
    """Apply one delivered event; returns applied / duplicate / stale / failed, or
    deferred while the projections wait for a rebuild (services/reporting/pipeline.py).

    Events arriving within the group commit's window are applied together
    (`GroupCommit`); if that batch fails, each of its events is retried on its own. Bad
    events, and events that still fail after `ATTEMPTS` tries (each in a fresh
    transaction), are stored as dead letters, so the queue moves on.
    """
    event_type = body.get("type") if isinstance(body, dict) else None
    try:
        envelope, _ = parse_event(body)
    except ValidationError as exc:
        return _dead(sessions, body, event_type, f"ValidationError: {exc}", 1)
    if live and pipeline.skipped(sessions, envelope.type):
        return "deferred"
    item = (envelope, body["payload"])  # validated by parse_event
    try:
        result = projection.group.submit(item, lambda batch: _apply_batch(
            sessions, projection.projector, projection.hot, batch))
    except Exception:  # the batch failed: this event goes on alone, with retries
        result = _apply_alone(sessions, projection.projector, projection.hot, body, item)
    if result != "failed":
        EVENTS_CONSUMED.labels("reporting", envelope.type, result).inc()
    if live and result == "applied":
        lag = (datetime.now(UTC) - envelope.occurred_at).total_seconds()
        PROJECTION_LAG.labels(envelope.type).observe(max(lag, 0.0))
    return result


def _apply_batch(sessions: sessionmaker, projector: Projector, hot: HotspotSettings,
                 batch: list[tuple[Envelope, dict]]) -> list[str]:
    with sessions.begin() as session:
        return apply_events(session, projector, hot, batch)


def _apply_alone(sessions: sessionmaker, projector: Projector, hot: HotspotSettings,
                 body: dict, item: tuple[Envelope, dict]) -> str:
    error = ""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _apply_batch(sessions, projector, hot, [item])[0]
        except Exception as exc:  # retried, then dead-lettered: never lost, never blocking
            error = "".join(traceback.format_exception_only(exc)).strip()
            log.warning("event %s failed (attempt %d): %s", item[0].id, attempt, error)
            time.sleep(0.05 * attempt)
    return _dead(sessions, body, item[0].type, error, ATTEMPTS)


class GroupCommit:
    """Workers hand in their event; one at a time applies everything handed in so far in
    one transaction and wakes the others. Under load this turns N small transactions
    that fight over the same province counters into one.

    The worker whose turn it is first waits `window` seconds for more events: a
    transaction costs ≈ 2.5 ms of CPU whatever its size, so at 200 events/s batches of
    one would take half a core from intake on the same machine (docs/performance.md)."""

    def __init__(self, window: float = 0.0):
        self.pending: list = []
        self.turn = Semaphore(1)
        self.window = window

    def submit(self, item, apply: Callable[[list], list[str]]) -> str:
        done = Event()
        self.pending.append((item, done))
        with self.turn:
            if not done.ready():
                if self.window:
                    eventlet.sleep(self.window)
                batch, self.pending = self.pending, []
                try:
                    results = apply([i for i, _ in batch])
                except Exception as exc:
                    for _, waiter in batch:
                        waiter.send_exception(exc)
                else:
                    for (_, waiter), result in zip(batch, results, strict=True):
                        waiter.send(result)
        return done.wait()


@dataclass
class Projection:
    """What applying events takes, one per service container (services/reporting/
    settings.py): the projector, the hot-spot thresholds and the consumers' group commit
    (which must be shared by the container's workers, and only by them)."""

    projector: Projector = field(default_factory=Projector)
    hot: HotspotSettings = field(default_factory=HotspotSettings)
    group: GroupCommit = field(default_factory=GroupCommit)


def apply_events(session: Session, projector: Projector, hot: HotspotSettings,
                 items: list[tuple[Envelope, dict]]) -> list[str]:
    """Apply events in one transaction; a result (applied/duplicate/stale) per event."""
    _lock(session, sorted({k for _, p in items if (k := _lock_key(p))}))
    fresh = outbox.first_deliveries(session, models.processed_events, [e for e, _ in items])
    changes = Changes()
    projector.load(session, changes, [i for i in items if i[0].id in fresh])
    results, checks = [], {}  # one hot-spot check per commune × category × day
    for envelope, payload in items:
        if envelope.id not in fresh:
            results.append("duplicate")
            continue
        fresh.discard(envelope.id)  # the same event twice in one batch
        if not projector.apply(changes, envelope, payload):
            results.append("stale")
            continue
        results.append("applied")
        if envelope.type in ("case.received", "case.escalated"):
            state = changes.cases[payload["case_id"]]
            day = state.escalated_on if envelope.type == "case.escalated" else state.received_on
            checks[(state.geo_version, state.commune_code, state.category, day)] = state
    projector.write(session, changes)  # places/teams learned even from stale events
    for key in sorted(checks):
        check_hotspot(session, hot, checks[key], key[-1])
    return results


def apply_event(session: Session, projector: Projector, hot: HotspotSettings,
                envelope: Envelope, payload: dict) -> str:
    return apply_events(session, projector, hot, [(envelope, payload)])[0]


def _lock_key(payload: dict) -> str | None:
    return payload.get("case_id") or payload.get("mediator_id") or payload.get("team_id")


def _lock(session: Session, keys: list[str]) -> None:
    """Serialise the events of one case (or team, mediator) across workers: each reads the
    record, then writes counters from the difference; two at once would both count.
    Keys are taken in sorted order, so two batches cannot deadlock on them."""
    if session.bind.dialect.name != "postgresql" or not keys:
        return  # SQLite: one pooled connection, transactions are already serial
    session.execute(text("SELECT count(pg_advisory_xact_lock(hashtext(k))) "
                         "FROM unnest(CAST(:keys AS text[])) AS k"), {"keys": keys})


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


def check_hotspot(session: Session, hot: HotspotSettings, state: domain.CaseState,
                  day: date) -> None:
    """Open an episode (and publish `hotspot.detected` once) or close it, after a case of
    `state`'s commune and category was received or escalated on `day`.

    The lock makes checks of one commune × category take turns, each after its own
    counts are written: the last one sees every earlier case.
    """
    key = (state.geo_version, state.commune_code, state.category)
    _lock(session, ["hotspot:" + ":".join(key)])
    d = models.daily_counts
    low = day - timedelta(days=hot.days + 365)
    rows = session.execute(select(d.c.day, d.c.kind, d.c.count).where(
        d.c.geo_version == key[0], d.c.commune_code == key[1], d.c.category == key[2],
        d.c.day.between(low, day + timedelta(days=hot.days)))).all()
    received = {r.day: r.count for r in rows if r.kind == "received"}
    escalated = {r.day: r.count for r in rows if r.kind == "escalated"}
    flag = domain.first_flag(received, escalated, day, hot.days, hot.min_count, hot.min_ratio)
    e = models.hotspot_episodes
    active = session.execute(select(e).where(
        e.c.geo_version == key[0], e.c.commune_code == key[1], e.c.category == key[2],
        e.c.ended_on.is_(None))).first()
    if flag and active is None:
        session.execute(insert(e).values(
            geo_version=key[0], commune_code=key[1], district_code=state.district_code,
            category=key[2], started_on=flag["as_of"], window_count=flag["window"],
            reason=flag["reason"]))
        outbox.add(session, models.outbox, new_event("hotspot.detected", {
            "commune_code": key[1], "district_code": state.district_code,
            "v2025_code": state.v2025_code, "category": key[2],
            "detected_on": flag["as_of"].isoformat(), "window_days": hot.days,
            "window_count": flag["window"], "baseline_monthly_mean": flag["baseline"] / 12,
            "ratio": flag["ratio"], "escalated_count": flag["escalated"],
            "reason": flag["reason"],
        }, unit_code=key[1], geo_version=key[0], aggregate_id=":".join(key)))
    elif flag is None and active is not None and day > active.started_on:
        session.execute(update(e).where(e.c.id == active.id).values(ended_on=day))
    else:
        return
    refresh_gauges(session)


def refresh_gauges(session: Session) -> None:
    """Set the gauges from the tables (right for every process, whoever wrote them)."""
    pending = session.execute(select(func.count()).select_from(models.dead_letters)
                              .where(models.dead_letters.c.replayed_at.is_(None))).scalar_one()
    DEAD_LETTERS.labels("reporting").set(pending)
    e, p = models.hotspot_episodes, models.places
    rows = session.execute(
        select(p.c.v2025_code, e.c.district_code, e.c.category, func.count())
        .outerjoin(p, and_(p.c.geo_version == e.c.geo_version,
                           p.c.commune_code == e.c.commune_code))
        .where(e.c.ended_on.is_(None))
        .group_by(p.c.v2025_code, e.c.district_code, e.c.category)).all()
    HOTSPOTS_ACTIVE.clear()
    for commune, district, category, n in rows:  # commune: its V2025 unit
        HOTSPOTS_ACTIVE.labels(V2025_COMMUNE(commune), district or "unknown", category).inc(n)


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
