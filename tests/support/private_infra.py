"""A private RabbitMQ node and a private PostgreSQL cluster, on their own ports and
temporary directories, that chaos tests may stop and restart. The machine's shared
broker and database are never touched.

RabbitMQ runs as the current user with HOME in its directory (its own Erlang cookie);
the node listens on loopback only and has no plugins. PostgreSQL refuses to run as root,
so its cluster belongs to the `postgres` user when we are root.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.ports import free_port

RABBIT_BIN = Path("/usr/lib/rabbitmq/bin")
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def _wait(predicate, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what} within {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


class PrivateRabbit:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hoagiai_chaos_rabbit_"))
        self.port, dist = free_port(), free_port()
        self.node = f"hoagiai_chaos_{self.port}@localhost"
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = 127.0.0.1:{self.port}\nloopback_users = none\n")
        self.env = {**os.environ, "HOME": str(self.dir), "RABBITMQ_NODENAME": self.node,
                    "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
                    "RABBITMQ_NODE_PORT": str(self.port), "RABBITMQ_DIST_PORT": str(dist),
                    "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
                    "RABBITMQ_LOG_BASE": str(self.dir / "log"),
                    "RABBITMQ_PID_FILE": str(self.dir / "pid"),
                    "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq.conf"),
                    "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins")}
        self.amqp_uri = f"pyamqp://guest:guest@127.0.0.1:{self.port}/"

    def ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([str(RABBIT_BIN / "rabbitmqctl"), "-n", self.node, *args],
                       env=self.env, check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        subprocess.run([str(RABBIT_BIN / "rabbitmq-server"), "-detached"], env=self.env,
                       check=True, capture_output=True, timeout=30)
        try:  # the node answers only once it has registered; until then ctl fails at once
            _wait(self._started, 90, "the private RabbitMQ node did not start")
        except TimeoutError:
            self.close()
            raise

    def _started(self) -> bool:
        try:
            self.ctl("await_startup", "--timeout", "10", timeout=20)
            return True
        except subprocess.CalledProcessError:
            return False

    def stop_app(self) -> None:
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")

    def close(self) -> None:
        try:
            self.ctl("stop", timeout=60)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class PrivatePostgres:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hoagiai_chaos_pg_"))
        self.port = free_port()
        self.user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.user:
            shutil.chown(self.dir, "postgres")
        self.count = 0

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run([*self.user, *args], check=True, capture_output=True, timeout=timeout)

    def start(self) -> None:
        data = self.dir / "data"
        if not data.exists():
            self._run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w",
                  "-o", options, "start")

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w",
                  "stop")

    def new_database(self, label: str) -> str:
        self.count += 1
        name = f"chaos_{label}_{self.count}"
        self._run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", name)
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
