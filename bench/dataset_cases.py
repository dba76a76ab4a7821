"""What a benchmark data set holds: the demo generators' teams and cases, at any size.

The Lạng Sơn demo registry (services/teams/demo.py), and cases made by the demo case
generator (services/cases/demo.py: realistic steps, per-district success rates, a few
escalations, referrals and late starts) spread evenly over 2021-2025, with `OPEN_SHARE`
of them left in mediation. Each batch has its own seed and its cases deterministic
idempotency keys (`ds-{serial}`), so a stopped build resumes with the same cases.
This file is part of a data set's cache key (bench/dataset.py): change it and every
set is rebuilt.
"""

from datetime import UTC, datetime

from services.cases import demo as cases_demo

YEARS = range(2021, 2026)
NOW = datetime(2026, 1, 1, tzinfo=UTC)  # the generator's "now": every step before it
BATCH = 250  # cases per submit_cases call (at most 1000)
OPEN_SHARE = 0.05  # still in mediation (the demo's own open cases are only those near "now")
SEED = 2021
OPEN_STEPS = ("escalate", "assign", "start")


def batch_count(size: int) -> int:
    return -(-size // BATCH)


def batch(teams: list[dict], index: int, size: int) -> list[dict]:
    """Batch `index` of a set of `size` cases on `teams` (the cases directory's)."""
    generator = cases_demo.Generator(teams, NOW, seed=SEED * 1_000_003 + index)
    items = []
    for serial in range(index * BATCH, min(size, (index + 1) * BATCH)):
        year = YEARS[serial % len(YEARS)]
        while (item := generator.case(year, serial)) is None:  # drawn after NOW: again
            pass
        item["idempotency_key"] = f"ds-{serial}"
        if generator.rng.random() < OPEN_SHARE:
            item["steps"] = [s for s in item["steps"] if s["action"] in OPEN_STEPS]
        items.append(item)
    return items
