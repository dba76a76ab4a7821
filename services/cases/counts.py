"""Exact case counts without counting cases: `case_counts` holds how many cases there are
of each (team, V2025 commune, LEGACY commune, LEGACY district, status, category), and the
same without the team (team_id '': every team), so the `totalCount` of any list filter
the API allows is a SUM over a few rows: a team's filter over its own rows (tens), any
other over the rows of all teams (a few thousand in the province, whatever the number of
cases).

Every write of a case moves them in its own transaction (services/cases/unit_of_work.py):
a new case adds one to its keys, a change of status or place moves one from the old keys
to the new. Moves are added up per key and written with one UPSERT (`n = n + excluded.n`):
concurrent writers never lose a count, and every writer locks the rows it moves in key
order (the all-teams row first), so two writers never deadlock. PostgreSQL's
one-statement intake upserts its case's two rows in that statement
(services/cases/intake.py).
"""

from collections import Counter
from collections.abc import Callable

from sqlalchemy import Table, func, inspect, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.cases.models import Case, CaseCount

TABLE: Table = CaseCount.__table__
ALL_TEAMS = ""  # the team_id of the rows that count every team's cases
KEY = ("team_id", "v2025_code", "legacy_commune", "district_code", "status", "category")


def key_of(get: Callable[[str], object]) -> tuple:
    """The counter key of a case, from a getter of its columns (a dict's or a row's)."""
    legacy = get("commune_code") if get("geo_version") == "LEGACY" else ""
    return (get("team_id"), get("v2025_code") or "", legacy or "",
            get("district_code") or "", get("status"), get("category"))


def key_of_values(values: dict) -> tuple:
    return key_of(values.get)


def with_all_teams(key: tuple) -> list[tuple]:
    """The rows a case of `key` counts in: every team's first (the lock order)."""
    return [(ALL_TEAMS, *key[1:]), key]


def rows(moves: Counter) -> list[dict]:
    """The non-zero moves, in the team's rows and every team's, as rows to upsert in key
    order (the order rows are locked)."""
    both: Counter = Counter()
    for key, n in moves.items():
        for row in with_all_teams(key):
            both[row] += n
    return [dict(zip(KEY, key, strict=True), n=n) for key, n in sorted(both.items()) if n]


def adding(statement):
    """`statement` (a dialect's INSERT into the counters) made to add to a row already
    there: ON CONFLICT (key) DO UPDATE SET n = n + excluded.n."""
    return statement.on_conflict_do_update(
        index_elements=list(KEY), set_={"n": TABLE.c.n + statement.excluded.n})


def upsert(dialect_name: str):
    """The counters' UPSERT of rows given as parameters, for this dialect."""
    return adding((postgresql if dialect_name == "postgresql" else sqlite).insert(TABLE))


_UPSERTS: dict[str, object] = {}


def write(session: Session, moves: Counter) -> None:
    """Add `moves` (key → delta) to the counters, in one statement."""
    if not (values := rows(moves)):
        return
    name = session.bind.dialect.name
    if (statement := _UPSERTS.get(name)) is None:
        statement = _UPSERTS[name] = upsert(name)
    session.execute(statement, values)


def total(session: Session, *, unit: list, status=None, category=None,
          team_id=None) -> int:
    """How many cases match a `list_cases` filter: `unit` is `queries.unit_filter`'s
    [(column, code), …] (any one matches; empty: the province)."""
    t = TABLE.c
    query = select(func.coalesce(func.sum(t.n), 0)).where(t.team_id == (team_id or ALL_TEAMS))
    if unit:
        query = query.where(or_(*(t[column] == code for column, code in unit)))
    for column, wanted in (("status", status), ("category", category)):
        if wanted:
            query = query.where(t[column] == wanted)
    return int(session.scalar(query))


def moves_in_flush(session: Session) -> Counter:
    """The counter moves of the Case rows this flush will write: new ones (+1), deleted
    ones (-1), and changed ones whose key changed (-1 old key, +1 new key)."""
    moves: Counter = Counter()
    for case in session.new:
        if isinstance(case, Case):
            moves[key_of(lambda name, c=case: getattr(c, name))] += 1
    for case in session.deleted:
        if isinstance(case, Case):
            moves[_key_before(case)] -= 1
    for case in session.dirty:
        if isinstance(case, Case):
            before, after = _key_before(case), key_of(lambda name, c=case: getattr(c, name))
            if before != after:
                moves[before] -= 1
                moves[after] += 1
    return moves


def _key_before(case: Case) -> tuple:
    """The key as the database has it (before this flush's changes)."""
    attrs = inspect(case).attrs

    def loaded(name: str):
        history = attrs[name].history
        return history.deleted[0] if history.deleted else getattr(case, name)

    return key_of(loaded)
