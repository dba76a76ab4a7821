"""The gateway's GraphQL metrics (docs/contracts.md), with bounded labels."""

import re
from functools import cache

from prometheus_client import Counter, Histogram

from services.common.metrics import BoundedLabel

OPERATIONS = Counter("hoagiai_graphql_operations_total", "GraphQL operations executed.",
                     ["operation_type", "operation"])
ERRORS = Counter("hoagiai_graphql_errors_total", "GraphQL errors returned, by code.", ["code"])
COST = Histogram("hoagiai_graphql_query_cost", "Computed cost of each GraphQL operation.",
                 buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000))
INTAKE_BATCH = Histogram("hoagiai_gateway_intake_batch_size",
                         "submitCase requests sent to cases in one call (gathered).",
                         buckets=(1, 2, 5, 10, 20, 50))

MAX_NAMES = 100  # distinct operation names kept as labels in this process; the rest: anonymous
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
operation_label = BoundedLabel(MAX_NAMES, _NAME.match, fallback="anonymous")


def record(operation_type: str, name: str | None, cost: int | None, errors: list[dict]) -> None:
    _operations(operation_type, operation_label(name)).inc()
    if cost is not None:
        COST.observe(cost)
    record_errors(errors)


def record_errors(errors: list[dict]) -> None:
    for error in errors:
        _errors(error.get("extensions", {}).get("code", "UNKNOWN")).inc()


# Each series' child, looked up once: `labels()` checks and locks on every call (half of
# `record`'s time). No more entries than the registry's own children of each metric.
_operations = cache(OPERATIONS.labels)
_errors = cache(ERRORS.labels)
