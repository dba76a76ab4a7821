"""A private RabbitMQ node and a private PostgreSQL cluster, on their own ports and
temporary directories, that chaos tests may stop and restart. The machine's shared
broker and database are never touched.

RabbitMQ runs as the current user with HOME in its directory (its own Erlang cookie);
the node listens on loopback only and has no plugins. PostgreSQL refuses to run as root,
so its cluster belongs to the `postgres` user when we are root.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
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
    def __init__(self, cookie: str | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="hoagiai_chaos_rabbit_"))
        self.port, dist = free_port(), free_port()
        self.node = f"hoagiai_chaos_{self.port}@localhost"
        if cookie:  # nodes of one cluster (and their rabbitmqctl) share an Erlang cookie
            (self.dir / ".erlang.cookie").write_text(cookie)
            (self.dir / ".erlang.cookie").chmod(0o400)
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

    def ctl(self, *args: str, timeout: float = 60) -> str:
        return subprocess.run([str(RABBIT_BIN / "rabbitmqctl"), "-n", self.node, *args],
                              env=self.env, check=True, capture_output=True, text=True,
                              timeout=timeout).stdout

    def start(self) -> None:
        subprocess.run([str(RABBIT_BIN / "rabbitmq-server"), "-detached"], env=self.env,
                       check=True, capture_output=True, timeout=30)
        try:  # the node answers only once it has registered; until then ctl fails at once
            _wait(self._started, 180, "the private RabbitMQ node did not start")
        except TimeoutError:
            self.close()
            raise

    def _started(self) -> bool:
        try:
            self.ctl("await_startup", "--timeout", "30", timeout=45)
            return True
        except subprocess.SubprocessError:  # not registered yet, or still booting (slow)
            return False

    def stop_app(self) -> None:
        self.ctl("stop_app")

    def start_app(self) -> None:
        self.ctl("start_app")

    def kill_9(self) -> None:
        """SIGKILL the node's Erlang VM: no goodbye to the cluster or the clients."""
        os.kill(int((self.dir / "pid").read_text().strip()), signal.SIGKILL)

    def close(self) -> None:
        try:
            self.ctl("stop", timeout=60)
        except subprocess.SubprocessError:  # not answering: make sure it is gone
            with contextlib.suppress(OSError, ValueError):
                self.kill_9()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRabbitCluster:
    """Three private nodes clustered with `join_cluster` (one Erlang cookie), on loopback.
    `amqp_uri` lists all three: kombu fails over between them."""

    def __init__(self, size: int = 3):
        cookie = secrets.token_hex(16)
        self.nodes = [PrivateRabbit(cookie) for _ in range(size)]
        self.amqp_uri = ";".join(node.amqp_uri for node in self.nodes)

    def start(self) -> None:
        try:
            for node in self.nodes:
                node.start()
            for node in self.nodes[1:]:
                node.ctl("stop_app")
                node.ctl("join_cluster", self.nodes[0].node)
                node.ctl("start_app")
        except Exception:
            self.close()
            raise

    def _query(self, *args: str):
        """A rabbitmqctl listing as JSON, from the first node that answers (a loaded
        machine can take tens of seconds)."""
        for node in self.nodes:
            try:
                return json.loads(node.ctl(*args, "--formatter", "json", timeout=60))
            except (subprocess.SubprocessError, ValueError):
                continue
        return None

    def running(self) -> list[str]:
        """Names of the running members, as a node still up sees them."""
        status = self._query("cluster_status")
        return status["running_nodes"] if status else []

    def leaders(self, prefix: str = "rpc-") -> dict[str, str]:
        """Queue name -> the node holding its quorum leader."""
        rows = self._query("list_queues", "name", "leader") or []
        return {r["name"]: r["leader"] for r in rows if r["name"].startswith(prefix)}

    def queues(self) -> list[dict]:
        """Every queue's type, leader, ready and unacknowledged messages and consumers."""
        return self._query("list_queues", "name", "type", "leader", "messages_ready",
                           "messages_unacknowledged", "consumers") or []

    def connections_on(self, node: PrivateRabbit) -> int:
        """Client connections the node serves (counted where they came in: its port)."""
        rows = self._query("list_connections", "port")
        assert rows is not None, "no node listed the connections"
        return sum(1 for row in rows if row["port"] == node.port)

    def node_named(self, name: str) -> PrivateRabbit:
        return next(node for node in self.nodes if node.node == name)

    def close(self) -> None:
        for node in self.nodes:
            node.close()


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
