"""Demo data, loaded by `make run` once the services answer, only into empty databases.

Each loader is a module with `load(amqp_uri: str) -> None` that checks for itself
whether its data is already there (a second `make run` loads nothing), goes through
the services' own RPCs (so the domain rules and the outbox apply), and shows progress.
"""

import importlib

LOADERS: list[str] = [
    "services.teams.demo",  # (issue 4) the registry, then the demo users
    # "services.cases.demo",   (issue 5) cases 2018-2025 through the intake path
]


def load(amqp_uri: str) -> None:
    for name in LOADERS:
        importlib.import_module(name).load(amqp_uri)
