"""CPU time per operation, summed over every process that takes part (the services, the
broker, the PostgreSQL backends of this run's databases, the benchmark's own client).

Throughput on two shared cores moves ±30 % with whatever else runs; the CPU an
operation costs moves much less, so it tells whether a change made the work cheaper.
The broker is shared with anything else on the machine: run on a quiet one.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path

import psycopg2

from bench.environment import PG

TICKS = os.sysconf("SC_CLK_TCK")


def seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def pids_running(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def database_backends(databases: list[str]) -> list[int]:
    """The server processes of the connections open to `databases` (pools keep them)."""
    connection = psycopg2.connect(f"{PG}/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s)",
                           (databases,))
            return [pid for (pid,) in cursor.fetchall()]
    finally:
        connection.close()


def per_call(groups: dict[str, list[int]], call: Callable[[], object],
             duration: float) -> tuple[int, dict[str, float]]:
    """Run `call` repeatedly for `duration` seconds; (calls, CPU ms per call by group)."""
    before = {name: seconds(pids) for name, pids in groups.items()}
    count, stop = 0, time.perf_counter() + duration
    while time.perf_counter() < stop:
        call()
        count += 1
    return count, {name: (seconds(pids) - before[name]) * 1000 / count
                   for name, pids in groups.items()}
