"""What every benchmark module shares: the run context and a result row."""

import time
from dataclasses import asdict, dataclass, field


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    baseline: float | None = None  # measured in this run
    target: str = "-"  # e.g. ">=0.5x", "<1.0", "<=3"
    passed: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio}


def check(value: float, target: str) -> bool:
    """`target` is an operator and a number (a trailing x means a ratio)."""
    for op in (">=", "<=", ">", "<"):
        if target.startswith(op):
            limit = float(target[len(op):].rstrip("x"))
            return {">=": value >= limit, "<=": value <= limit,
                    ">": value > limit, "<": value < limit}[op]
    raise ValueError(f"bad target {target!r}")


@dataclass
class Context:
    amqp_uri: str
    gateway_url: str
    seconds: float
    quick: bool
    baselines: dict[str, float] = field(default_factory=dict)


def rate(fn, seconds: float, warmup: int = 20) -> float:
    """Calls per second of `fn` over about `seconds`, after a short warm-up."""
    for _ in range(warmup):
        fn()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - started)
