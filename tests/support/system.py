"""The whole system as processes, on this test's own vhost, ports and databases."""

import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from nameko.standalone.rpc import ClusterRpcProxy

from scripts.system import SERVICES, System
from tests.support.ports import free_port

BACKENDS = ("sqlite", "postgresql")


def make_run_databases(directory: Path):
    """Database URLs as `make run` configures them (each service's config.yaml default,
    `sqlite:///var/<service>.db`: a SQLite file), with `var/` moved to `directory`."""
    return lambda service: f"sqlite:///{directory}/{service}.db"


def databases(backend: str, new_database, directory: Path):
    """The `service -> URL` factory of one backend: SQLite files as `make run` has them,
    or a fresh PostgreSQL database each (`new_database`)."""
    return make_run_databases(directory) if backend == "sqlite" else new_database


def isolated_system(rabbit_config: dict, new_database) -> System:
    """`new_database(service)` gives each backend service its database URL."""
    ports = {service: free_port() for service in SERVICES}
    # Every test client is 127.0.0.1: the per-address login cap (tested on its own in
    # tests/integration/login) would refuse the suites' many deliberate wrong logins.
    env = {"AMQP_URI": rabbit_config["AMQP_URI"], "LOG_LEVEL": "WARNING",
           "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000"}
    for service, port in ports.items():
        env[f"{service.upper()}_HTTP_ADDRESS"] = f"127.0.0.1:{port}"
        if service != "gateway":
            env[f"{service.upper()}_DATABASE_URL"] = new_database(service)
    system = System(env=env, gateway_port=ports["gateway"])
    system.ports = ports
    return system


@contextmanager
def module_system(vhost_pipeline, new_database, amqp_uri: str, log_dir: Path, **env):
    """A started system on a vhost of its own, for a whole test module: yields the system,
    an RPC proxy to it and its `{"AMQP_URI": ...}`; stops it at the end. `new_database`
    as in `isolated_system` (see `databases`)."""
    uri = urlparse(amqp_uri)
    with vhost_pipeline.get() as vhost:
        amqp = {"AMQP_URI": f"{uri.scheme}://{uri.netloc}/{vhost}"}
        system = isolated_system(amqp, new_database)
        system.env.update(JWT_SECRET="e2e-secret-" + uuid.uuid4().hex, **env)
        system.start(timeout=90, log_path=log_dir / "services.log")
        try:
            with ClusterRpcProxy(amqp, timeout=60) as rpc:
                yield system, rpc, amqp
        finally:
            system.stop()
