"""`make bench`: every benchmark in one run, each figure next to its same-run baseline.

Each `bench/bench_*.py` module has `run(ctx) -> list[Row]`; they run in name order
against one isolated system, whose databases are copies of a cached data set
(bench/dataset.py: `HOAGIAI_BENCH_CASES` cases, default 500,000, 20,000 with --quick,
loaded once through intake; a missing set is built first, with progress and ETA).
Prints one table and writes var/bench/results.json and var/bench/results.png (the
previous run's files are kept as results.prev.*, and the chart shows both runs).
"""

import argparse
import importlib
import json
import os
import pkgutil
import time
from pathlib import Path

import bench
from bench import dataset
from bench.core import Context, Row, check, rss_mb
from bench.environment import bench_amqp_uri, running_baseline, running_system
from scripts.system import SERVICES
from services.common.json_codec import register_amqp_json

OUT = Path("var/bench")
SMALL = 10_000  # the size-independence figures compare the big set with this one


def data_sets(quick: bool) -> dict[str, dataset.DataSet]:
    """The cached sets the run needs (built once, minutes to an hour: not timed)."""
    size = int(os.environ.get("HOAGIAI_BENCH_CASES", 20_000 if quick else 500_000))
    big = dataset.ensure(size, log_dir=OUT)
    return {"big": big, "small": big if size == SMALL else dataset.ensure(SMALL, log_dir=OUT)}


def modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__)
                  if m.name.startswith("bench_"))


def memory_rows(system, when: str, limit: int) -> list[Row]:
    return [Row(f"memory (RSS) of {service}, {when}", rss_mb(system.service_pids(service)),
                "MB", target=f"<={limit}") for service in SERVICES]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--only", help="run only modules whose name contains this (or one "
                        "of these, comma-separated)")
    args = parser.parse_args()
    register_amqp_json()  # this process's RPC clients read replies as the gateway does
    dataset.stop_on_sigterm()  # the services run in their own session: stop them on the way out
    OUT.mkdir(parents=True, exist_ok=True)
    sets = data_sets(args.quick)
    amqp_uri = bench_amqp_uri()
    rows: list[Row] = []
    started = time.perf_counter()
    print(f"copying the {sets['big'].size}-case data set and starting the system ...",
          flush=True)
    with (running_baseline(amqp_uri, OUT),
          running_system(amqp_uri, OUT, sets["big"].templates) as system):
        print(f"system up in {time.perf_counter() - started:.0f} s", flush=True)
        ctx = Context(amqp_uri, system.url, 2.0 if args.quick else 10.0, args.quick,
                      system=system, ports=system.ports, datasets=sets)
        time.sleep(2)  # let start-up settle before the idle memory reading
        idle = memory_rows(system, "idle", 150)
        for name in modules():
            if args.only and name != "bench_skeleton" \
                    and not any(part in name for part in args.only.split(",")):
                continue
            print(f"running {name} ({time.perf_counter() - started:.0f} s so far) ...",
                  flush=True)
            rows += importlib.import_module(f"bench.{name}").run(ctx)
        rows += idle + memory_rows(system, "after the load", 300)
    for row in rows:
        if row.target != "-":
            row.passed = check(row.ratio if row.target.endswith("x") else row.value, row.target)
    print_table(rows)
    print(f"\n{len(rows)} figures in {time.perf_counter() - started:.0f} s")
    save(rows)


def print_table(rows: list[Row]) -> None:
    print(f"\n{'figure':<60} {'value':>9} {'unit':<8} {'baseline':>9} {'ratio':>7} "
          f"{'target':>8}  pass")
    for row in rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        baseline = f"{row.baseline:.1f}" if row.baseline else "-"
        verdict = {True: "PASS", False: "FAIL", None: ""}[row.passed]
        print(f"{row.figure:<60} {row.value:>9.1f} {row.unit:<8} {baseline:>9} {ratio:>7} "
              f"{row.target:>8}  {verdict}")


def save(rows: list[Row]) -> None:
    results = OUT / "results.json"
    previous = None
    if results.exists():
        previous = json.loads(results.read_text())
        results.replace(OUT / "results.prev.json")
    current = [row.as_dict() for row in rows]
    results.write_text(json.dumps(current, indent=2))
    chart(current, previous, OUT / "results.png")
    print(f"\nresults: {results}, chart: {OUT / 'results.png'}")


def chart(current: list[dict], previous: list[dict] | None, path: Path) -> None:
    """One bar per figure with a target: its ratio to its baseline where it has one, else
    its value over its target's limit (1.0 = on target); the previous run beside it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def score(row: dict) -> float:
        if row["ratio"] is not None:
            return row["ratio"]
        if row["target"] != "-":
            limit = float(row["target"].lstrip("<>=").rstrip("x"))
            return row["value"] / limit if limit else 0.0
        return 0.0

    shown = [r for r in current if r["target"] != "-" and score(r)]
    before = {r["figure"]: score(r) for r in previous or []}
    fig, ax = plt.subplots(figsize=(10, 0.35 * len(shown) + 1.5))
    y = range(len(shown))
    ax.barh([i + 0.2 for i in y], [score(r) for r in shown], height=0.4, label="this run",
            color=["tab:green" if r["passed"] is not False else "tab:red" for r in shown])
    if previous:
        ax.barh([i - 0.2 for i in y], [before.get(r["figure"], 0) for r in shown],
                height=0.4, label="previous run", color="tab:gray")
    ax.set_yticks(list(y), [r["figure"][:60] for r in shown], fontsize=7)
    ax.axvline(1.0, color="black", linewidth=0.5)
    ax.invert_yaxis()
    ax.set_xlabel("ratio to same-run baseline, or value / target limit")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
