"""pipeline.cached_mode: one read of the mode per MODE_TTL, however many workers ask at
once (a burst of events used to make a query each)."""

import eventlet
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from services.reporting import models, pipeline


class SlowSessions:
    """A sessionmaker whose every query takes a while (as a green PostgreSQL read)."""

    def __init__(self):
        engine = create_engine("sqlite://", poolclass=StaticPool)  # one in-memory db
        models.projection_state.metadata.create_all(engine, [models.projection_state])
        self.make, self.queries = sessionmaker(engine), 0

    def __call__(self):
        self.queries += 1
        eventlet.sleep(0.05)
        return self.make()


def test_workers_asking_at_once_share_one_read():
    sessions = SlowSessions()
    pipeline.forget(sessions)
    pool = eventlet.GreenPool()
    answers = list(pool.imap(lambda _: pipeline.cached_mode(sessions), range(20)))
    assert answers == [pipeline.LIVE] * 20
    assert sessions.queries == 1


def test_a_stale_mode_is_read_again(monkeypatch):
    sessions = SlowSessions()
    pipeline.forget(sessions)
    monkeypatch.setattr(pipeline, "MODE_TTL", 0.0)
    for _ in range(3):
        pipeline.cached_mode(sessions)
    assert sessions.queries == 3
