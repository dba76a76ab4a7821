"""The raw stack, measured in the same run as our code: a trivial nameko service,
and the same with one PostgreSQL insert per call (the floor for any write RPC)."""

import os

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from services.common.db import make_engine

metadata = MetaData()
rows = Table("bench_rows", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
             Column("payload", String(200), nullable=False))


class BenchDatabase(DependencyProvider):
    """An engine on BENCH_DATABASE_URL, with its one table created at start."""

    def setup(self) -> None:
        self.engine = make_engine(os.environ.get("BENCH_DATABASE_URL",
                                                 "sqlite:///var/bench/baseline.db"))
        metadata.create_all(self.engine)

    def get_dependency(self, worker_ctx):
        return self.engine

    def stop(self) -> None:
        self.engine.dispose()


class PingService:
    name = "bench_ping"
    engine = BenchDatabase()

    @rpc
    def ping(self) -> str:
        return "pong"

    @rpc
    def insert(self, payload: str) -> int:
        with self.engine.begin() as connection:
            return connection.execute(insert(rows).values(payload=payload)).inserted_primary_key[0]
