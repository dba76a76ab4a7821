from services.common.config import load_config


def test_defaults_come_from_the_yaml(monkeypatch):
    monkeypatch.delenv("CASES_HTTP_ADDRESS", raising=False)
    monkeypatch.delenv("CASES_DATABASE_URL", raising=False)
    config = load_config("cases")
    assert config["WEB_SERVER_ADDRESS"] == "0.0.0.0:8001"
    assert config["DATABASE_URL"] == "sqlite:///var/cases.db"


def test_environment_overrides_the_yaml(monkeypatch):
    monkeypatch.setenv("TEAMS_DATABASE_URL", "postgresql://db.example/teams")
    monkeypatch.setenv("TEAMS_MAX_WORKERS", "4")
    config = load_config("teams")
    assert config["DATABASE_URL"] == "postgresql://db.example/teams"
    assert config["max_workers"] == 4


def test_each_service_has_its_own_port():
    services = ("gateway", "cases", "teams", "reporting")
    ports = {load_config(s)["WEB_SERVER_ADDRESS"] for s in services}
    assert ports == {"0.0.0.0:8000", "0.0.0.0:8001", "0.0.0.0:8002", "0.0.0.0:8003"}
