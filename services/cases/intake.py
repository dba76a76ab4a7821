"""Intake in one round trip on PostgreSQL: the case, its details, its audit row, its
`case.received` outbox row and its counter (services/cases/counts.py) in one statement
(data-modifying CTEs), instead of five; prepared once per connection (`Prepared`), so the
server parses and plans its 6 KB once.

Every value is known before the insert (the case id is ours; the team's place comes from
a cache, and the statement checks that the team is still active and in the commune the
cache says), and the three
dependent inserts select from the case insert's RETURNING, so when the idempotency key
already exists (ON CONFLICT DO NOTHING) or the team was dissolved, none of them writes
anything. Measured in docs/performance.md; SQLite keeps the statement-per-row path in
`handlers`.
"""

from sqlalchemy import (
    bindparam,
    cast,
    exists,
    insert,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql

from services.cases import counts, models
from services.cases.models import Case, CaseDetails, Team, Transition, audit_log
from services.common.db import Prepared


def _given(table) -> list[str]:
    """The columns of a following row given as parameters (not the case id, nor those
    the database fills)."""
    return [c.name for c in table.c if c.name not in ("case_id", "id", "seq", "tx_id")]


def _statement(followers: tuple):
    cases = Case.__table__
    values = [cast(bindparam(f"case_{c.name}", type_=c.type), c.type) for c in cases.c]
    # Active, and still where the (cached) place says: a corrected placement moves it.
    team_active = exists().where(
        Team.id == bindparam("case_team_id"), Team.active,
        Team.v2025_code.is_not_distinct_from(bindparam("case_v2025_code")))
    new_case = (postgresql.insert(cases)
                .from_select([c.name for c in cases.c], select(*values).where(team_active))
                .on_conflict_do_nothing(index_elements=["idempotency_key"])
                .returning(cases.c.id).cte("new_case"))

    def follow(table, prefix: str):
        """Insert one row into `table` for each row of `new_case` (one, or none)."""
        names = _given(table)
        columns = (["case_id"] if "case_id" in table.c else []) + names
        values = [cast(bindparam(f"{prefix}_{n}", type_=table.c[n].type), table.c[n].type)
                  for n in names]
        head = [new_case.c.id] if "case_id" in table.c else []
        return insert(table).from_select(columns, select(*head, *values)
                                         .select_from(new_case)).cte(f"new_{prefix}")

    tails = [follow(table, _FOLLOWERS[table]) for table in followers]
    return select(new_case.c.id).add_cte(*tails, _count(new_case))


def _count(new_case):
    """One more case in the new case's counter rows (every team's first: the lock order
    of services/cases/counts.py), if it was written."""
    table = counts.TABLE
    values = [cast(bindparam(f"count_{name}", type_=table.c[name].type), table.c[name].type)
              for name in counts.KEY[1:]]
    teams = [literal(counts.ALL_TEAMS, table.c.team_id.type),
             cast(bindparam("count_team_id", type_=table.c.team_id.type), table.c.team_id.type)]
    return counts.adding(postgresql.insert(table).from_select([*counts.KEY, "n"], union_all(*(
        select(team, *values, literal_column("1")).select_from(new_case) for team in teams)))
    ).cte("new_count")


# The rows that follow the case's, and the prefix of their parameters.
_FOLLOWERS = {CaseDetails.__table__: "details", Transition.__table__: "audit",
              models.outbox: "outbox", audit_log: "trail"}
# by the tables that follow: the audit trail's entry is there when an actor submits
_STATEMENTS: dict[tuple, Prepared] = {}


def insert_received(session, case: dict, rows: list[tuple]) -> bool:
    """Write the case and its `rows` (details, audit, outbox, the audit trail's entry: one
    each, collected by the unit of work); False (nothing written) if the idempotency key
    exists, or the team is not active or has moved commune since its place was cached."""
    params = {f"case_{k}": v for k, v in case.items()}
    params.update({f"count_{name}": value for name, value
                   in zip(counts.KEY, counts.key_of_values(case), strict=True)})
    for table, values in rows:
        prefix = _FOLLOWERS[table]
        params.update({f"{prefix}_{name}": values.get(name) for name in _given(table)})
    followers = tuple(table for table, _ in rows)
    if (statement := _STATEMENTS.get(followers)) is None:
        name = f"hoagiai_intake_{len(_STATEMENTS)}"
        statement = _STATEMENTS[followers] = Prepared(name, _statement(followers))
    return statement.execute(session, params).first() is not None
