"""What the console's browser tests share: their own demo teams and users (not the demo's,
whose names and layout change), the commune officer scoped V2025 on the crosswalk code of
a LEGACY commune with a team, and running a probe of tests/support/console_probe.py."""

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from services.cases import demo as cases_demo
from services.teams import demo as teams_demo
from services.teams import geography
from tests.support.gateway_client import GraphQLClient
from tests.support.system import make_run_databases, module_system

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "var" / "screenshots"
PASSWORD = "console-pass"
TEAM_COMMUNES = ("05971", "06079", "06400")  # LEGACY communes, one team each
COMMUNE = "06400"  # the commune officer's, in the LEGACY layout
V2025_COMMUNE = next(row["v2025_code"] for row in geography.read()["crosswalk"]
                     if row["legacy_code"] == COMMUNE)
COMMUNE_OFFICER = "console.commune"  # names of these tests' own (demo names change)
PROVINCE_OFFICER = "province.officer"


@contextmanager
def console_system(vhost_pipeline, request, tmp_path_factory):
    """The real system on `make run`'s SQLite databases, for one test module:
    (system, rpc, a GraphQL client)."""
    amqp_uri, var = request.config.getoption("RABBIT_AMQP_URI"), tmp_path_factory.mktemp("var")
    with module_system(vhost_pipeline, make_run_databases(var), amqp_uri, var) as (
            system, rpc, _):
        yield system, rpc, GraphQLClient(system.url)


def load_teams(rpc) -> None:
    """A team in each of TEAM_COMMUNES, the province officer and the V2025 commune
    officer; waits until cases knows the teams and their mediators."""
    communes = {c["code"]: c for c in rpc.teams.list_units("COMMUNE", None, "LEGACY")}
    gen = teams_demo.Generator()
    rpc.teams.import_teams([gen.team(communes[code], gen.villages(communes[code], 1)[0], False)
                            for code in TEAM_COMMUNES], teams_demo.ACTOR)
    rpc.teams.create_users([user(PROVINCE_OFFICER, "PROVINCE_OFFICER", "20", "V2025"),
                            user(COMMUNE_OFFICER, "COMMUNE_OFFICER", V2025_COMMUNE, "V2025")],
                           True, teams_demo.ACTOR)
    cases_demo.wait_for_directory(rpc.cases, timeout=60)


def user(username: str, role: str, scope: str, version: str) -> dict:
    return {"username": username, "password": PASSWORD, "role": role, "scope_code": scope,
            "scope_version": version, "team_id": None}


def probe(*args: str, timeout: int = 240) -> dict:
    """Run one probe in a process of its own (Playwright's sync API hangs under eventlet)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "tests.support.console_probe", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
