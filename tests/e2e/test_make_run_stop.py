"""`make run` (scripts/system.py `run`) stops on Ctrl-C as the README says: the services
stop, the launcher exits 130 within seconds, and nothing prints a traceback."""

import os
import select
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import urlparse

import pytest

from scripts.system import ROOT, SERVICES, System
from tests.support.ports import free_port

pytestmark = pytest.mark.e2e


def read_until(process: subprocess.Popen, text: str, timeout: float) -> str:
    """The launcher's output up to `text` (bounded). Raw reads: a buffered readline could
    hold the line we wait for while select() says there is nothing more to read."""
    seen, deadline = b"", time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0 and process.poll() is None, seen[-2000:].decode(errors="replace")
        if select.select([process.stdout], [], [], left)[0]:
            seen += os.read(process.stdout.fileno(), 65536)
    return seen.decode()


def test_ctrl_c_stops_every_service_quickly_and_cleanly(vhost_pipeline, request, tmp_path):
    uri = urlparse(request.config.getoption("RABBIT_AMQP_URI"))
    system_id = uuid.uuid4().hex[:12]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOAGIAI_DEMO": "0",
           "HOAGIAI_SYSTEM_ID": system_id, "LOG_LEVEL": "WARNING"}
    for service in SERVICES:
        env[f"{service.upper()}_HTTP_ADDRESS"] = f"127.0.0.1:{free_port()}"
        if service != "gateway":
            env[f"{service.upper()}_DATABASE_URL"] = f"sqlite:///{tmp_path}/{service}.db"
    with vhost_pipeline.get() as vhost:
        env["AMQP_URI"] = f"{uri.scheme}://{uri.netloc}/{vhost}"
        launcher = subprocess.Popen([sys.executable, "-m", "scripts.system"], cwd=ROOT,
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            read_until(launcher, "hoagiai is up", timeout=120)
            launcher.send_signal(signal.SIGINT)
            started = time.monotonic()
            output = launcher.communicate(timeout=30)[0].decode(errors="replace")
            took = time.monotonic() - started
        finally:
            if launcher.poll() is None:
                launcher.kill()
    assert launcher.returncode == 128 + signal.SIGINT, output
    assert took < 10, f"took {took:.1f} s"
    assert "Traceback" not in output, output
    assert "hoagiai: stopped" in output
    leftovers = System(env={"HOAGIAI_SYSTEM_ID": system_id})
    assert not any(leftovers.service_pids(s) for s in SERVICES)
