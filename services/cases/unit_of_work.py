"""The cases service's unit of work and the cache of where teams work."""

from collections import Counter

from cachetools import TTLCache
from nameko.extensions import DependencyProvider
from sqlalchemy import Table, event
from sqlalchemy.orm import Session

from services.cases import counts, models
from services.common.unit_of_work import UnitOfWork


class TeamPlaces:
    """Team id → where the team works and whether it is active, as last read. Bounded
    and short-lived: a team's place may be corrected, and PostgreSQL's intake statement
    checks it anyway (a stale entry costs one retry, never a misplaced case)."""

    def __init__(self, maxsize: int = 100_000, ttl: float = 600.0):
        self._places: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl)

    def get(self, team_id: str) -> dict | None:
        return self._places.get(team_id)

    def remember(self, team_id: str, place: dict) -> None:
        self._places[team_id] = place

    def forget(self, team_id: str) -> None:
        self._places.pop(team_id, None)


class TeamPlacesProvider(DependencyProvider):
    """One `TeamPlaces` per service container (tests run several containers, each on
    its own database, in one process)."""

    def setup(self) -> None:
        self.places = TeamPlaces()

    def get_dependency(self, worker_ctx) -> TeamPlaces:
        return self.places


class CasesUnitOfWork(UnitOfWork):
    """A cases command's transaction (services/common/unit_of_work.py). A batch fills
    `mediators` and `parties` with what it read up front, so the handlers it runs find
    them without a query per case.

    It keeps the case counters (services/cases/counts.py) whatever the write path: a
    case row inserted through it (`wrote`: a batch's, SQLite's intake), or added,
    changed or deleted through the session (each flush: a status change, a corrected
    place) moves its counter; `finish` writes the moves before the commit. PostgreSQL's
    one-statement intake moves its counter in that statement."""

    def __init__(self, session: Session, places: TeamPlaces, audit_table=None, caller=None):
        super().__init__(session, models.outbox, audit_table, caller)
        self.places = places
        self.mediators: dict[str, models.Mediator] = {}
        self.parties: dict[str, list[dict]] = {}
        self.moves: Counter = Counter()
        if isinstance(session, Session):
            event.listen(session, "before_flush", self._flushing)

    def _flushing(self, session: Session, _context, _instances) -> None:
        self.moves.update(counts.moves_in_flush(session))

    def wrote(self, table: Table, rows: list[dict]) -> None:
        if table is models.Case.__table__:
            self.moves.update(counts.key_of_values(values) for values in rows)

    def finish(self) -> None:
        self.session.flush()
        counts.write(self.session, self.moves)
        self.moves.clear()
