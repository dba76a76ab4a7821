"""The system as four separately started processes (honcho would stop them all when one
dies), a steady stream of submissions through the gateway, and the checks chaos
scenarios make afterwards: acknowledged == stored once == projected once."""

import itertools
import os
import re
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import eventlet
import requests

from scripts.system import ROOT, SERVICES, System
from tests.support.ports import free_port

CLASSES = {"teams": "TeamsService", "cases": "CasesService",
           "reporting": "ReportingService", "gateway": "GatewayService"}


class ProcessSystem(System):
    """Each service its own process group, so one can be killed and started again."""

    def __init__(self, amqp_uri: str, databases: dict[str, str], log_dir: Path):
        self.ports = {service: free_port() for service in SERVICES}
        env = {"AMQP_URI": amqp_uri, "LOG_LEVEL": "WARNING", "GATEWAY_RATE_PER_SECOND": "0",
               "JWT_SECRET": "chaos-" + uuid.uuid4().hex, "GATEWAY_RPC_TIMEOUT": "5",
               "PYTHONPATH": str(ROOT)}
        for service, port in self.ports.items():
            env[f"{service.upper()}_HTTP_ADDRESS"] = f"127.0.0.1:{port}"
            if service in databases:
                env[f"{service.upper()}_DATABASE_URL"] = databases[service]
        super().__init__(env=env, gateway_port=self.ports["gateway"])
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, timeout: float = 90, log_path: Path | None = None) -> None:
        for service in SERVICES:
            self.start_service(service)
        self.wait_ready(timeout)

    def start_service(self, service: str) -> None:
        log = (self.log_dir / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            ["nameko", "run", "--config", f"services/{service}/config.yaml",
             f"services.{service}.service:{CLASSES[service]}"],
            env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def kill(self, service: str) -> None:
        process = self.processes[service]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def signal(self, service: str, signum: int) -> None:
        os.killpg(self.processes[service].pid, signum)

    def wait_ready(self, timeout: float) -> float:
        started = time.monotonic()
        while not self.all_up():
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"the system was not up within {timeout:.0f} s")
            time.sleep(0.25)
        return time.monotonic() - started

    def stop(self, timeout: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGCONT)
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def metric(self, service: str, name: str) -> float:
        """The sum of a metric's samples on a service's /metrics (0 if absent)."""
        text = requests.get(f"http://127.0.0.1:{self.ports[service]}/metrics", timeout=5).text
        pattern = re.compile(rf"^{re.escape(name)}(?:{{[^}}]*}})? ([0-9.e+-]+)$", re.M)
        return sum(float(v) for v in pattern.findall(text))


@dataclass
class Stream:
    """Submissions at a steady rate, each retried with its own idempotency key until the
    gateway acknowledges it (as a careful client would). Records what it saw."""

    submit: callable  # (key) -> requests.Response
    interval: float = 0.1
    keys: list[str] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> case id
    codes: dict[str, int] = field(default_factory=dict)  # every non-ack outcome seen
    longest_call: float = 0.0
    running: bool = True
    ack_times: list[float] = field(default_factory=list)  # time.monotonic() of each ack

    def start(self) -> "Stream":
        self.thread = eventlet.spawn(self._run)
        return self

    def _run(self) -> None:
        while self.running:
            key = uuid.uuid4().hex
            self.keys.append(key)
            self._until_acknowledged(key, time.monotonic() + 600)
            eventlet.sleep(self.interval)

    def _until_acknowledged(self, key: str, deadline: float, stop_early: bool = True) -> bool:
        while (self.running or not stop_early) and time.monotonic() < deadline:
            started = time.monotonic()
            try:
                response = self.submit(key)
                outcome = self._outcome(key, response)
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            self.longest_call = max(self.longest_call, time.monotonic() - started)
            if outcome == "ack":
                return True
            self.codes[outcome] = self.codes.get(outcome, 0) + 1
            eventlet.sleep(0.25)
        return False

    def _outcome(self, key: str, response: requests.Response) -> str:
        if response.status_code >= 500:
            return f"HTTP {response.status_code}"
        body = response.json()
        result = (body.get("data") or {}).get("submitCase") or {}
        if result.get("case"):
            self.acknowledged[key] = result["case"]["id"]
            self.ack_times.append(time.monotonic())
            return "ack"
        errors = body.get("errors") or result.get("errors") or [{}]
        return (errors[0].get("extensions") or errors[0]).get("code") or "no code"

    def wait_for_new_ack(self, timeout: float) -> float:
        """Seconds until the stream's next acknowledgement (raises if the stream died)."""
        started, acks = time.monotonic(), len(self.acknowledged)
        while len(self.acknowledged) == acks:
            assert not self.thread.dead, "the submission stream stopped"
            assert time.monotonic() - started < timeout, f"no ack within {timeout} s"
            eventlet.sleep(0.1)
        return time.monotonic() - started

    def longest_gap(self, since: float, until: float) -> float:
        """The longest time without an acknowledgement between `since` and `until`."""
        times = [since, *(t for t in self.ack_times if since < t < until), until]
        return max(b - a for a, b in itertools.pairwise(times))

    def finish(self, timeout: float = 60) -> None:
        """Stop submitting new cases; make sure every key was acknowledged (retrying)."""
        self.running = False
        self.thread.wait()
        deadline = time.monotonic() + timeout
        for key in self.keys:
            while key not in self.acknowledged:
                assert time.monotonic() < deadline, f"{key} never acknowledged: {self.codes}"
                self._until_acknowledged(key, deadline, stop_early=False)

    def figures(self) -> dict:
        return {"submissions": len(self.keys), "acknowledged": len(self.acknowledged),
                "retried_outcomes": dict(self.codes),
                "longest_call_s": round(self.longest_call, 2)}
