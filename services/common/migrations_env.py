"""The body every service's `migrations/env.py` shares: online migrations on a given
connection (passed by `services.common.db.migrate`) or on `sqlalchemy.url`."""

from alembic import context
from sqlalchemy import MetaData


def run(target_metadata: MetaData) -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:
        from services.common.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run_on(connection, target_metadata)
        return
    _run_on(connection, target_metadata)


def _run_on(connection, target_metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
