"""`make bench`: every benchmark in one run, each figure next to its same-run baseline.

Each `bench/bench_*.py` module has `run(ctx) -> list[Row]`; they run in name order
against one isolated system. Prints one table and writes var/bench/results.json
(the previous run's file is kept as results.prev.json).
"""

import argparse
import importlib
import json
import pkgutil
from pathlib import Path

import bench
from bench.core import Context, Row, check
from bench.environment import bench_amqp_uri, running_baseline, running_system

OUT = Path("var/bench")


def modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__)
                  if m.name.startswith("bench_"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--only", help="run only modules whose name contains this")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    amqp_uri = bench_amqp_uri()
    rows: list[Row] = []
    with running_baseline(amqp_uri, OUT), running_system(amqp_uri, OUT) as system:
        ctx = Context(amqp_uri, system.url, 2.0 if args.quick else 10.0, args.quick)
        for name in modules():
            if args.only and args.only not in name and name != "bench_skeleton":
                continue
            print(f"running {name} ...", flush=True)
            rows += importlib.import_module(f"bench.{name}").run(ctx)
    for row in rows:
        if row.target != "-":
            row.passed = check(row.ratio if row.target.endswith("x") else row.value, row.target)
    print_table(rows)
    save(rows)


def print_table(rows: list[Row]) -> None:
    print(f"\n{'figure':<52} {'value':>10} {'unit':<9} {'ratio':>7} {'target':>8}  pass")
    for row in rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        verdict = {True: "PASS", False: "FAIL", None: ""}[row.passed]
        print(f"{row.figure:<52} {row.value:>10.1f} {row.unit:<9} {ratio:>7} "
              f"{row.target:>8}  {verdict}")


def save(rows: list[Row]) -> None:
    results = OUT / "results.json"
    if results.exists():
        results.replace(OUT / "results.prev.json")
    results.write_text(json.dumps([row.as_dict() for row in rows], indent=2))
    print(f"\nresults: {results}")


if __name__ == "__main__":
    main()
