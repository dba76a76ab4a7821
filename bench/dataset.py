"""Cached benchmark data sets: N cases loaded once through the real intake path, kept
as PostgreSQL template databases (teams, cases, reporting), rebuilt when the schema or
the generator changes.

    python -m bench.dataset 500000        # find or build the 500k set; print its figures

A data set is three databases `hoagiai_ds_{size}_{key}_{service}`; `key` hashes the
Alembic migrations of the three services, the generator (bench/dataset*.py and the demo
generators it reuses), the size and the number of teams. A complete set is marked
`IS_TEMPLATE` (no connections allowed: a copy needs the source idle) and carries the
build's figures as JSON in the comment of its cases database; an incomplete one (a build
stopped halfway) is resumed by the next `ensure`. Sets of the same size with another key
are dropped. A run copies them with `CREATE DATABASE … TEMPLATE …` (bench/environment.py),
so it may write without spoiling the cache. How a set is built: bench/dataset_load.py.
"""

import hashlib
import json
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from bench.environment import PG, RUN_ID, admin
from scripts.system import ROOT

# HOAGIAI_BENCH_ID keeps runs apart here too: a branch with another schema builds its own
# sets instead of dropping (as stale) those another run on the machine uses.
PREFIX = "hoagiai_ds" + RUN_ID
DATABASES = ("teams", "cases", "reporting")
KEY_FILES = (
    *(f"services/{s}/migrations/**/*.py" for s in DATABASES),
    "bench/dataset_cases.py", "services/cases/demo.py", "services/teams/demo.py",
)


@dataclass
class DataSet:
    size: int
    key: str
    templates: dict[str, str]  # service → template database
    meta: dict  # the build's figures (see dataset_load.build)


def key(size: int, teams: int | None) -> str:
    digest = hashlib.sha256(f"{size}/{teams}".encode())
    files = sorted({p for pattern in KEY_FILES for p in ROOT.glob(pattern)})
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def names(prefix: str, size: int, key_: str) -> dict[str, str]:
    return {s: f"{prefix}_{size}_{key_}_{s}" for s in DATABASES}


def ensure(cases: int, *, teams: int | None = None, prefix: str = PREFIX,
           log_dir: Path | None = None) -> DataSet:
    """The data set of `cases` cases (on the demo registry, or on `teams` of its teams),
    building or finishing it first if needed. One builder at a time per set."""
    if cases < 1:
        raise ValueError("a data set needs at least one case")
    key_ = key(cases, teams)
    wanted = names(prefix, cases, key_)
    with admin() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (wanted["cases"],))
        if not cursor.fetchone()[0]:
            print(f"data set {cases}: another process is building it; waiting", flush=True)
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", (wanted["cases"],))
        drop_stale(cursor, prefix, cases, key_)
        meta = read_meta(cursor, wanted)
        if meta is None:
            from bench.dataset_load import build  # services and their clients: only to build

            resumed = bool(databases_like(cursor, wanted["cases"]))
            unmark(cursor, wanted)  # a set left incomplete: its databases take connections
            print(f"data set {cases}: {'finishing' if resumed else 'building'} "
                  f"{prefix}_{cases}_{key_} (once; Ctrl-C is safe: the next run resumes)",
                  flush=True)
            meta = build(cases, teams, wanted, log_dir or ROOT / "var" / "bench")
            mark_templates(cursor, wanted, meta)
        return DataSet(cases, key_, wanted, meta)


def read_meta(cursor, databases: dict[str, str]) -> dict | None:
    """The figures of a complete set, or None (absent, or its build did not finish)."""
    cursor.execute("SELECT datname, datistemplate, shobj_description(oid, 'pg_database') "
                   "FROM pg_database WHERE datname = ANY(%s)", (list(databases.values()),))
    found = {name: (template, comment) for name, template, comment in cursor.fetchall()}
    if len(found) < len(databases) or not all(t for t, _ in found.values()):
        return None
    comment = found[databases["cases"]][1]
    return json.loads(comment) if comment else None


def unmark(cursor, databases: dict[str, str]) -> None:
    for name in databases.values():
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone():
            cursor.execute(f'COMMENT ON DATABASE "{name}" IS NULL')
            cursor.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false '
                           "ALLOW_CONNECTIONS true")


def mark_templates(cursor, databases: dict[str, str], meta: dict) -> None:
    for name in databases.values():
        analyse(name)
        cursor.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
    # Last: the comment is what says the set is complete.
    cursor.execute(f'COMMENT ON DATABASE "{databases["cases"]}" IS %s', (json.dumps(meta),))


def analyse(database: str) -> None:
    """VACUUM ANALYZE, as autovacuum would have by then: copies start with fresh
    statistics and visibility maps instead of all doing it during the benchmark."""
    connection = psycopg2.connect(f"{PG}/{database}")
    connection.autocommit = True
    try:
        connection.cursor().execute("VACUUM ANALYZE")
    finally:
        connection.close()


def drop(cursor, name: str) -> None:
    unmark(cursor, {"": name})
    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def databases_like(cursor, start: str) -> list[str]:
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
                   (start.replace("_", r"\_") + "%",))
    return [name for (name,) in cursor.fetchall()]


def drop_stale(cursor, prefix: str, size: int, key_: str) -> None:
    """Sets of this size built with another key (older schema or generator), unless
    another process holds that set's lock (building it, e.g. from another checkout)."""
    for name in databases_like(cursor, f"{prefix}_{size}_"):
        if name.startswith(f"{prefix}_{size}_{key_}_"):
            continue
        lock = name.rsplit("_", 1)[0] + "_cases"
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (lock,))
        if cursor.fetchone()[0]:
            print(f"data set {size}: dropping stale {name}", flush=True)
            drop(cursor, name)
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", (lock,))


def drop_all(prefix: str) -> None:
    """Every set under `prefix` (tests clean up with this)."""
    with admin() as cursor:
        for name in databases_like(cursor, f"{prefix}_"):
            drop(cursor, name)


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so a build stops the services it started (they run
    in their own session and would outlive us)."""
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def main() -> None:
    stop_on_sigterm()
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    started = time.perf_counter()
    found = ensure(size)
    print(json.dumps({"templates": found.templates, **found.meta}, indent=2))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
