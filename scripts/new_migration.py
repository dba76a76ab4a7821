"""Autogenerate the next Alembic revision of a service from its models.py.

    .venv/bin/python -m scripts.new_migration cases "add cases table"

It migrates a scratch SQLite database to head, then diffs it against the models.
"""

import sys
import tempfile

from alembic import command
from alembic.config import Config

from services.common.config import SERVICES_DIR
from services.common.db import migrate


def main(service: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/scratch.db"
        migrate(service, url)
        cfg = Config()
        cfg.set_main_option("script_location", str(SERVICES_DIR / service / "migrations"))
        cfg.set_main_option("sqlalchemy.url", url)
        command.revision(cfg, message=message, autogenerate=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
