"""Demo data, loaded by `make run` once the services answer, only into empty databases.

Each loader is a module with `load(amqp_uri: str) -> None` that checks for itself
whether its data is already there (a second `make run` loads nothing), goes through
the services' own RPCs (so the domain rules and the outbox apply), and shows progress.

A loader stopped halfway (Ctrl-C) is noticed by its marker files in `var/demo/`
(`<loader>.started` without `<loader>.done`): a resumable loader finishes the job on the
next run; for one that is not, every run says so and what to do.
"""

import importlib
import os
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

LOADERS: list[str] = [
    "services.teams.demo",  # (issue 4) the registry, then the demo users
    "services.teams.demo_activity",  # (issue 18) reviews, trainings, inspections…
    "services.cases.demo",  # (issue 5) cases 2018 to now through the intake path
]
# cases: skips a non-empty database, so it cannot
RESUMABLE = {"services.teams.demo", "services.teams.demo_activity"}
MARKERS = Path(__file__).resolve().parent.parent / "var" / "demo"
LOGINS = ("province.officer", "commune2025.06400", "district.186")


def load(amqp_uri: str, markers: Path = MARKERS) -> list[str]:
    """Run every loader; returns the loaders whose earlier run was cut short and that
    could not complete it (their data stays partial)."""
    markers.mkdir(parents=True, exist_ok=True)
    partial = []
    for name in LOADERS:
        started, done = markers / f"{name}.started", markers / f"{name}.done"
        interrupted = started.exists() and not done.exists()
        if interrupted and name not in RESUMABLE:
            print(f"demo: an earlier load of {name} was stopped halfway and it cannot resume; "
                  "its demo data is partial. For complete demo data: stop, `rm -rf var` (the "
                  "local databases), `make run`.", flush=True)
            partial.append(name)
        started.touch()
        importlib.import_module(name).load(amqp_uri)
        if name not in partial:
            done.touch()
    return partial


def defer_projections(amqp_uri: str) -> None:
    """On a first start, reporting skips the demo's events as they come and builds its
    figures in bulk from the history at the end (minutes faster than one at a time)."""
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=60) as cluster:
        cluster.reporting.defer_projections()


def build_projections(amqp_uri: str) -> None:
    """The bulk build, if the projections were deferred (now, or by a load cut short)."""
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=1800) as cluster:
        if cluster.reporting.pipeline()["mode"] == "LIVE":
            return
        print("reporting: building the figures from the history …", flush=True)
        result = cluster.reporting.rebuild()
        print(f"reporting: figures complete ({result['events']} events in "
              f"{result['seconds']:.0f} s)", flush=True)


def password() -> str:
    return os.environ.get("HOAGIAI_DEMO_PASSWORD", "demo")
