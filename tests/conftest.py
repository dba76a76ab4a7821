import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # before anything else, or pytest hangs on the first broker test

import os  # noqa: E402
import uuid  # noqa: E402

import psycopg2  # noqa: E402
import pytest  # noqa: E402

from tests.support.ports import free_port  # noqa: E402
from tests.support.system import databases, isolated_system  # noqa: E402

PG = os.environ.get("HOAGIAI_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


def _admin(sql: str) -> None:
    connection = psycopg2.connect(f"{PG}/postgres")
    connection.autocommit = True
    try:
        connection.cursor().execute(sql)
    finally:
        connection.close()


@pytest.fixture(scope="session")
def new_database():
    """Factory: a fresh, empty PostgreSQL database URL; all are dropped after the session."""
    created = []

    def create(label: str = "db") -> str:
        name = f"hoagiai_test_{label}_{uuid.uuid4().hex[:8]}"
        _admin(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"{PG}/{name}"

    yield create
    for name in created:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def service_config(rabbit_config, new_database):
    """Factory: the config of one service for a container: this test's vhost,
    a fresh PostgreSQL database and a free HTTP port."""

    def make(service: str, **overrides) -> dict:
        return {
            **rabbit_config,
            "DATABASE_URL": new_database(service),
            "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
            **overrides,
        }

    return make


@pytest.fixture
def system(rabbit_config, new_database, tmp_path, request):
    """The whole system as processes, on this test's vhost, databases and ports; on
    PostgreSQL, or on `make run`'s SQLite files with `parametrize("system", ["sqlite"],
    indirect=True)`."""
    backend = getattr(request, "param", "postgresql")
    system = isolated_system(rabbit_config, databases(backend, new_database, tmp_path))
    system.start(timeout=90, log_path=tmp_path / "services.log")
    yield system
    system.stop()
