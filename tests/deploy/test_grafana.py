"""The provisioned Grafana dashboard: every panel query parses (promtool) and selects
only metric names the services export (or the recording rules define)."""

import json

import pytest
import yaml

from tests.deploy.metric_names import exported_series, metric_names, recorded_series
from tests.deploy.tools import DEPLOY, run

GRAFANA = DEPLOY / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "hoagiai.json"
# Grafana substitutes these before the query reaches Prometheus.
VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1d",
             "$commune": ".*", "$service": ".*"}


def panels(dashboard: dict) -> list[dict]:
    found = []
    for panel in dashboard["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", ()))
    return [p for p in found if p.get("type") != "row"]


def queries(dashboard: dict) -> list[tuple[str, str]]:
    """(where, PromQL) for every panel target, variables substituted."""
    found = []
    for panel in panels(dashboard):
        for target in panel.get("targets", ()):
            expr = target["expr"]
            for name, value in VARIABLES.items():
                expr = expr.replace(name, value)
            found.append((f"panel {panel['title']!r} {target['refId']}", expr))
    return found


def promtool_parses(tmp_path, exprs: list[str]):
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": expr} for i, expr in enumerate(exprs)]}]}
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump(rules))
    return run("promtool", "check", "rules", str(path))


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def test_every_panel_query_parses(dashboard, tmp_path):
    exprs = [expr for _, expr in queries(dashboard)]
    assert len(exprs) >= 20
    result = promtool_parses(tmp_path, exprs)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_query_fails_the_parse_check(tmp_path):
    unbalanced = "sum by (district) (rate(hoagiai_cases_submitted_total[5m])"
    result = promtool_parses(tmp_path, [unbalanced])
    assert result.returncode != 0


def test_panels_use_only_exported_metric_names(dashboard):
    known = exported_series() | recorded_series()
    for where, expr in queries(dashboard):
        unknown = metric_names(expr) - known
        assert not unknown, f"{where} uses metrics no service exports: {unknown}"


def test_an_unknown_metric_name_is_caught():
    assert metric_names("rate(hoagiai_cases_submited_total[5m])") - exported_series()


def test_template_variables_query_exported_metrics(dashboard):
    for variable in dashboard["templating"]["list"]:
        metric = variable["query"]["query"].split("(", 1)[1].split(",", 1)[0].strip()
        assert metric in exported_series(), variable["name"]


def test_the_issue_panels_are_there(dashboard):
    exprs = " ".join(expr for _, expr in queries(dashboard))
    for needed in ("hoagiai_cases_submitted_total", "commune:hoagiai_cases_success_ratio:1y",
                   "hoagiai_outbox_backlog", "hoagiai_projection_lag_seconds_bucket",
                   "hoagiai_entrypoint_requests_total",
                   "hoagiai_entrypoint_duration_seconds_bucket"):
        assert needed in exprs, needed


def test_panels_use_the_provisioned_datasource(dashboard):
    provisioned = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
    source = yaml.safe_load(provisioned.read_text())
    uid = source["datasources"][0]["uid"]
    for panel in panels(dashboard):
        assert panel["datasource"]["uid"] == uid, panel["title"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_figures_are_per_v2025_commune_and_districts_only_history(dashboard):
    """Since 1/7/2025 the communes are today's units; the LEGACY districts are history, in
    their own row, and no other panel groups or filters by district."""
    rows, row = {}, None
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            row = panel["title"]
        rows[panel["id"]] = row
    by_district = [p for p in panels(dashboard)
                   if any("district" in t["expr"] for t in p.get("targets", ()))]
    assert by_district, "a history panel per LEGACY district"
    for panel in by_district:
        assert rows[panel["id"]].startswith("History: LEGACY districts"), panel["title"]
        assert panel["title"].startswith("History:"), panel["title"]
    per_commune = [p["title"] for p in panels(dashboard) if any(
        "by (commune)" in t["expr"] or t["expr"].startswith("commune:")
        for t in p.get("targets", ()))]
    assert "Success rate per commune (V2025), last 365 days (target 80%)" in per_commune
    assert [v["name"] for v in dashboard["templating"]["list"]] == ["commune", "service"]
