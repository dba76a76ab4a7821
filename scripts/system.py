"""Start and stop the whole system as processes, as `make run` does.

    python -m scripts.system run      # foreground; Ctrl-C stops everything

`System` is also what the end-to-end tests and `make bench` use, with their own
ports, vhost and databases passed in `env`.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from scripts import demo
from scripts.broker_state import BrokerStateError, amqp_uri_for

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("teams", "cases", "reporting", "gateway")
DEFAULT_AMQP_URI = "pyamqp://guest:guest@127.0.0.1:5672/"
HEALTH_QUERY = '{"query": "{ health { service status } }"}'


class System:
    def __init__(self, env: dict | None = None, gateway_port: int | None = None,
                 services: tuple[str, ...] = SERVICES, scale: dict[str, int] | None = None):
        """`services`: a subset of the Procfile's processes to start (the gateway among
        them: readiness is asked through its `health` query); default all four.
        `scale`: processes of a service (replicas share its queues), default one each.
        `gateway_port`: default the port of `GATEWAY_HTTP_ADDRESS` (as the gateway's config)."""
        if "gateway" not in services or not set(services) <= set(SERVICES):
            raise ValueError(f"services must include the gateway and be among {SERVICES}")
        self.services = tuple(services)
        self.scale = dict(scale or {})
        self.env = {**os.environ, **(env or {})}
        self.env["PATH"] = f"{Path(sys.executable).parent}:{self.env.get('PATH', '')}"
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        self.id = self.env.setdefault("HOAGIAI_SYSTEM_ID", uuid.uuid4().hex[:12])
        if gateway_port is None:
            gateway_port = int(self.env.get("GATEWAY_HTTP_ADDRESS", ":8000").rsplit(":", 1)[1])
        self.url = f"http://127.0.0.1:{gateway_port}/graphql"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60, log_path: Path | None = None) -> None:
        """Start honcho in its own session (it gives each service one too); wait until up."""
        output = log_path.open("ab") if log_path else None
        self.process = subprocess.Popen(
            ["honcho", "--no-colour", "start", "-f", str(ROOT / "Procfile"), "-d", str(ROOT),
             *(["-c", ",".join(f"{s}={n}" for s, n in self.scale.items())] if self.scale else []),
             *([] if self.services == SERVICES else self.services)],
            env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT if output else None,
            start_new_session=True,
        )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError("the services exited during start; see their output above")
            if self.all_up():
                return
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"the system was not up within {timeout:.0f} s")

    def health(self) -> dict[str, str]:
        response = requests.post(self.url, data=HEALTH_QUERY, timeout=10,
                                 headers={"content-type": "application/json"})
        return {row["service"]: row["status"] for row in response.json()["data"]["health"]}

    def all_up(self) -> bool:
        """Every backend this system started answers `up` (the others are not asked)."""
        try:
            health = self.health()
            return all(health[s] == "up" for s in self.services if s != "gateway")
        except (requests.RequestException, KeyError, TypeError, ValueError):
            return False

    def service_pids(self, service: str) -> list[int]:
        """Process ids of one service started by this system (for tests that kill it)."""
        marker = f"services.{service}.service".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if marker in cmdline and f"HOAGIAI_SYSTEM_ID={self.id}".encode() in environ:
                found.append(int(entry.name))
        return found

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM to honcho (which stops the services); SIGKILL the group if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait(5)


class Stopped(Exception):
    """Ctrl-C or SIGTERM: unwinds whatever `run` was waiting on (a demo load, or
    honcho's exit) before the services are stopped, so no wait is left half done."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop_requested(signum, _frame):
    for each in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the stop
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


def run() -> int:
    env = {"PYTHONPATH": str(ROOT)}
    if not os.environ.get("AMQP_URI"):  # one broker state per var/ (scripts/broker_state.py)
        try:
            env["AMQP_URI"] = amqp_uri_for(ROOT / "var", DEFAULT_AMQP_URI)
        except BrokerStateError as exc:
            print(f"hoagiai: {exc}", file=sys.stderr)
            return 1
    system = System(env=env)
    if system.all_up():
        print(f"hoagiai is already running (another `make run`): {system.url}")
        print(banner(system.url).split("\n", 2)[2], flush=True)  # the logins again
        return 0
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _stop_requested)
    try:
        return _start_and_serve(system)
    except Stopped as stopped:
        return 128 + stopped.signum
    finally:
        system.stop()
        print("hoagiai: stopped", flush=True)


def _start_and_serve(system: System) -> int:
    started = time.monotonic()
    print("hoagiai: starting the four services …", flush=True)
    system.start(timeout=120)
    if os.environ.get("HOAGIAI_DEMO", "1") != "0":
        print(f"hoagiai: services up in {time.monotonic() - started:.0f} s; demo data next "
              "(first start only: teams ≈ 70 s, cases ≈ 3 min; Ctrl-C is safe)", flush=True)
        amqp_uri = system.env.get("AMQP_URI", DEFAULT_AMQP_URI)
        demo.defer_projections(amqp_uri)
        demo.load(amqp_uri)
        demo.build_projections(amqp_uri)
    print(banner(system.url), flush=True)
    return system.process.wait()


def banner(url: str) -> str:
    logins = ", ".join(demo.LOGINS)
    return (f"\n  hoagiai is up. GraphQL: {url}  (Ctrl-C stops everything)\n"
            f"  demo logins: {logins} (any commune2025.<V2025 code>; district.<code> "
            "are read-only history users); "
            f"password: {demo.password()}\n"
            "  `{ pipeline { caughtUp pendingEvents } }` says whether the figures are "
            "complete.\n")


if __name__ == "__main__":
    sys.exit(run())
