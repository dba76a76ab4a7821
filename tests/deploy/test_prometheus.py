"""promtool over deploy/prometheus: the configs, the rules, and the alert unit tests."""

import re

import yaml

from tests.deploy.metric_names import exported_series, metric_names, recorded_series
from tests.deploy.tools import PROMETHEUS, run

CONFIGS = ("prometheus.yml", "prometheus.local.yml")


def alert_rules() -> list[dict]:
    groups = yaml.safe_load((PROMETHEUS / "rules" / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_promtool_checks_both_scrape_configs_and_their_rules():
    for config in CONFIGS:
        result = run("promtool", "check", "config", str(PROMETHEUS / config))
        assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_checks_the_rules():
    result = run("promtool", "check", "rules", *map(str, (PROMETHEUS / "rules").glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_alert_unit_tests_pass():
    result = run("promtool", "test", "rules", str(PROMETHEUS / "tests" / "alerts_test.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_expectation_fails_the_alert_unit_tests(tmp_path):
    """The unit tests can fail: the same file expecting another severity does."""
    original = (PROMETHEUS / "tests" / "alerts_test.yml").read_text()
    broken = original.replace("{severity: critical, service: cases}",
                              "{severity: info, service: cases}", 1)
    assert broken != original
    rules = tmp_path / "rules"
    rules.mkdir()
    for path in (PROMETHEUS / "rules").glob("*.yml"):
        (rules / path.name).write_text(path.read_text())
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "alerts_test.yml").write_text(broken)
    result = run("promtool", "test", "rules", str(tmp_path / "tests" / "alerts_test.yml"))
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr


def test_every_alert_has_a_summary_a_runbook_paragraph_and_a_firing_unit_test():
    runbook = (PROMETHEUS / "RUNBOOK.md").read_text()
    headings = {h.strip().lower() for h in re.findall(r"^## (.+)$", runbook, re.MULTILINE)}
    tests = yaml.safe_load((PROMETHEUS / "tests" / "alerts_test.yml").read_text())["tests"]
    firing = {case["alertname"] for test in tests for case in test.get("alert_rule_test", ())
              if case.get("exp_alerts")}
    quiet = {case["alertname"] for test in tests for case in test.get("alert_rule_test", ())
             if not case.get("exp_alerts")}
    for rule in alert_rules():
        name = rule["alert"]
        assert rule["annotations"]["summary"].strip(), name
        assert rule["annotations"]["runbook"] == f"RUNBOOK.md#{name.lower()}"
        assert name.lower() in headings, f"{name} has no paragraph in RUNBOOK.md"
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}
        assert name in firing and name in quiet, f"{name} lacks a firing or a quiet unit test"


def test_the_issue_alerts_are_all_there():
    names = {rule["alert"] for rule in alert_rules()}
    assert names >= {
        "HoagiaiServiceDown", "HoagiaiOutboxBacklogGrowing", "HoagiaiOutboxStale",
        "HoagiaiDeadLetters", "HoagiaiRpcErrorRatioHigh", "HoagiaiLatencyP99High",
        "HoagiaiMediationStartOverdue", "HoagiaiCommuneSuccessRateLow", "HoagiaiHotspotDetected",
    }
    severity = {rule["alert"]: rule["labels"]["severity"] for rule in alert_rules()}
    assert severity["HoagiaiCommuneSuccessRateLow"] == "info"


def test_rules_use_only_exported_metric_names():
    known = exported_series() | recorded_series()
    for path in (PROMETHEUS / "rules").glob("*.yml"):
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                unknown = metric_names(rule["expr"]) - known
                name = rule.get("alert") or rule.get("record")
                assert not unknown, f"{path.name} {name}: {unknown}"


def test_every_scrape_config_scrapes_the_four_services_as_hoagiai_jobs():
    for config in CONFIGS:
        jobs = {job["job_name"] for job in
                yaml.safe_load((PROMETHEUS / config).read_text())["scrape_configs"]}
        assert jobs >= {f"hoagiai-{s}" for s in ("gateway", "cases", "teams", "reporting")}
