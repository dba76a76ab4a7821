"""What every benchmark module shares: the run context and a result row."""

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

import requests
from prometheus_client.parser import text_string_to_metric_families


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
    system: object = None  # scripts.system.System of this run
    ports: dict[str, int] = field(default_factory=dict)  # HTTP port of each service
    # Cached data sets (bench/dataset.py): "big" is what the system runs on, "small" the
    # 10k set the size-independence figures compare it with.
    datasets: dict[str, object] = field(default_factory=dict)


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes (VmRSS from /proc), in MB."""
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmRSS:"))
    return total / 1024


def rpc_count(ports: dict[str, int], services=("teams", "cases", "reporting")) -> int:
    """RPCs the backends have served so far (their `hoagiai_entrypoint_requests_total`
    with kind="rpc"): the difference around a request counts its RPCs."""
    total = 0
    for service in services:
        text = requests.get(f"http://127.0.0.1:{ports[service]}/metrics", timeout=10).text
        for family in text_string_to_metric_families(text):
            if family.name == "hoagiai_entrypoint_requests":
                total += sum(int(s.value) for s in family.samples
                             if s.name.endswith("_total") and s.labels.get("kind") == "rpc")
    return total


def rate(fn, seconds: float, warmup: int = 20) -> float:
    """Calls per second of `fn` over about `seconds`, after a short warm-up."""
    for _ in range(warmup):
        fn()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - started)


ROUNDS = 3  # odd: the median is one round's own pair


def median_round(pair: Callable[[int], tuple[float, float]],
                 rounds: int = ROUNDS) -> tuple[float, float]:
    """`pair(i)` measures (figure, baseline) in round i, one right after the other; the
    pair of the round whose ratio is the median. A baseline drifts within a run (ping
    alone moved 129–343 calls/s, the raw intake's CPU 2.4–4.5 ms, in 10-s windows of one
    quiet run), so one pair measured minutes apart could land either side of a target."""
    return sorted((pair(i) for i in range(rounds)), key=lambda p: p[0] / p[1])[rounds // 2]


class GraphQLClient:
    """A lean keep-alive HTTP client for the load: `requests` spent ≈ 1 ms of CPU per call
    on the same two cores as the system it measured (the raw baseline's nameko client
    spends ≈ 0.7 ms), so the load generator itself lowered the figures."""

    def __init__(self, url: str, token: str | None = None):
        parts = urlsplit(url)
        self.path = parts.path or "/"
        self.connection = HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def post(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}})
        self.connection.request("POST", self.path, body, self.headers)
        return json.loads(self.connection.getresponse().read())
