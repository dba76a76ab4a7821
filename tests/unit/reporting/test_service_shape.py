"""The reporting service's written-out handlers: one per projected event type, bound to
the queue its name has always made (a running broker's bindings keep working); and its
settings."""

from services.reporting.projector import CASE_EVENTS, TEAM_EVENTS, Projector
from services.reporting.service import ReportingService
from services.reporting.settings import projection_settings


def _handlers() -> dict[str, tuple[str, str]]:
    found = {}
    for name, method in vars(ReportingService).items():
        for entrypoint in getattr(method, "nameko_entrypoints", ()):
            if type(entrypoint).__name__ == "EventHandler":
                found[name] = (entrypoint.source_service, entrypoint.event_type)
    return found


def test_one_handler_per_projected_event_type():
    expected = {"on_" + t.replace(".", "_"): ("cases", t) for t in CASE_EVENTS}
    expected |= {"on_" + t.replace(".", "_"): ("teams", t) for t in TEAM_EVENTS}
    assert _handlers() == expected


def test_settings_from_config_and_defaults():
    projector, hot = projection_settings({"REMUNERATION": {"province": "21", "cap": 5},
                                          "HOTSPOTS": {"days": 7, "min_count": "3"}})
    assert (projector.pay.province, projector.pay.cap) == ("21", 5)
    assert (hot.days, hot.min_count, hot.min_ratio) == (7, 3, 2.0)
    default, _ = projection_settings({})
    assert default.pay == Projector().pay
