"""The metric names the services export: the catalogue in docs/contracts.md ("Metrics")
and the collectors services/common/metrics.py defines; plus what Prometheus adds."""

import re

import promql_parser
from prometheus_client import REGISTRY, Metric

from services.common import metrics
from tests.deploy.tools import PROMETHEUS, ROOT

SERIES_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "gauge": ("",),
}
PROMETHEUS_OWN = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}


def catalogue() -> dict[str, str]:
    """{metric name: type} from the table in docs/contracts.md."""
    text = (ROOT / "docs" / "contracts.md").read_text().split("## Metrics", 1)[1]
    rows = re.findall(r"^\|\s*`(hoagiai_[a-z0-9_]+)`\s*\|\s*(counter|gauge|histogram)\s*\|",
                      text, re.MULTILINE)
    return dict(rows)


def defined_in_code() -> dict[str, str]:
    """{name: type} of the collectors in services/common/metrics.py."""
    found = {}
    for value in vars(metrics).values():
        describe = getattr(value, "describe", None)
        if callable(describe) and getattr(value, "_name", "").startswith("hoagiai_"):
            for family in describe():
                found[family.name] = family.type
    return found


def _series(name: str, kind: str) -> set[str]:
    base = name.removesuffix("_total") if kind == "counter" else name
    return {base + suffix for suffix in SERIES_SUFFIXES[kind]} | {name}


def exported_series() -> set[str]:
    """Every series name a query may use."""
    names = set(PROMETHEUS_OWN)
    for source in (catalogue(), defined_in_code()):
        for name, kind in source.items():
            names |= _series(name, kind)
    family: Metric
    for family in REGISTRY.collect():  # process_* and python_* default collectors
        if not family.name.startswith("hoagiai_"):
            names |= {sample.name for sample in family.samples} | {family.name}
    return names


def recorded_series() -> set[str]:
    """Names the recording rules define (queries may use them too)."""
    import yaml

    groups = yaml.safe_load((PROMETHEUS / "rules" / "recording.yml").read_text())["groups"]
    return {rule["record"] for group in groups for rule in group["rules"]}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (parsed, not pattern-matched)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            found.add(node.name or _name_matcher(node))
            return
        for attr in ("vector_selector", "expr", "lhs", "rhs", "param"):
            child = getattr(node, attr, None)
            if child is not None and not isinstance(child, str | int | float):
                walk(child)
        for arg in getattr(node, "args", None) or ():
            walk(arg)

    walk(promql_parser.parse(expr))
    return found


def _name_matcher(selector) -> str:
    for matcher in selector.matchers.matchers:
        if matcher.name == "__name__":
            return matcher.value
    raise AssertionError(f"selector without a metric name: {selector}")
