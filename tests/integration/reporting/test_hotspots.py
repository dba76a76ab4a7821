"""Hot spots: a surge against the commune's own baseline, or an escalated case, is flagged
and `hotspot.detected` is published once per episode."""

import time
from datetime import date, timedelta

import requests
from nameko.events import event_handler

from services.common.events import new_event, parse_event
from tests.integration.reporting import dataset

HOT = {"days": 30, "min_count": 5, "min_ratio": 2.0}


class HotspotListener:
    name = "hotspot_listener"
    received: list = []

    @event_handler("reporting", "hotspot.detected")
    def on_hotspot(self, body):
        self.received.append(body)


def received(case_id: str, team_id: str, category: str, day: date) -> dict:
    payload = {**dataset.ref(case_id, team_id, category), "channel": "PHONE",
               "received_at": dataset.at(day).isoformat()}
    return new_event("case.received", payload, aggregate_id=case_id, sequence=1,
                     occurred_at=dataset.at(day)).model_dump(mode="json")


def escalated(case_id: str, team_id: str, category: str, day: date) -> dict:
    payload = {**dataset.ref(case_id, team_id, category), "kind": "VIOLENCE_RISK",
               "escalated_at": dataset.at(day).isoformat()}
    return new_event("case.escalated", payload, aggregate_id=case_id, sequence=2,
                     occurred_at=dataset.at(day)).model_dump(mode="json")


def debug(feeder):
    from sqlalchemy import select

    from services.reporting import models
    with feeder.sessions.begin() as session:
        return [session.execute(select(t)).all() for t in (models.hotspot_episodes,
                                                            models.outbox, models.places)]


def test_surge_and_escalation_are_flagged_and_published_once(reporting, container_factory):
    feeder = reporting(HOTSPOTS=HOT)
    listener = container_factory(HotspotListener, feeder.container.config)
    listener.start()
    HotspotListener.received.clear()
    baseline = [received(f"B{m}", "T3", "CONFLICT", date(2018, m, 1)) for m in range(1, 13)]
    surge = [received(f"S{i}", "T3", "CONFLICT", date(2019, 1, 10) + timedelta(days=i))
             for i in range(6)]
    quiet = [received(f"Q{i}", "T2", "CONFLICT", date(2019, 1, 10 + i)) for i in range(2)]
    feeder.deliver(baseline)
    feeder.deliver(surge + surge + quiet)  # duplicates must not open a second episode
    feeder.deliver([received("E1", "T1", "OTHER", date(2019, 1, 14)),
                    escalated("E1", "T1", "OTHER", date(2019, 1, 15))])
    deadline = time.monotonic() + 15
    while len(HotspotListener.received) < 2:
        assert time.monotonic() < deadline, ("hotspot.detected was not published",
                                             HotspotListener.received, debug(feeder))
        time.sleep(0.1)
    time.sleep(1.0)  # several relay rounds: nothing more may come
    events = sorted((parse_event(b)[1] for b in HotspotListener.received),
                    key=lambda p: p.commune_code)
    assert [(e.commune_code, e.category, e.reason) for e in events] == [
        ("05977", "OTHER", "ESCALATED"), ("06040", "CONFLICT", "SURGE")]
    surge_event = events[1]
    assert (surge_event.window_count, surge_event.baseline_monthly_mean) == (5, 1.0)
    # the first window holding five cases: 14/1, or 15/1 if S5 was applied before S4
    assert surge_event.detected_on in (date(2019, 1, 14), date(2019, 1, 15))

    with feeder.rpc() as rpc:
        spots = rpc.hotspots("20", 30, "LEGACY", "2019-01-20")
        district = rpc.hotspots("181", 30, "LEGACY", "2019-01-20")
        later = rpc.hotspots("20", 30, "LEGACY", "2019-06-30")
    assert [(s["commune_code"], s["category"], s["reasons"], s["window_count"])
            for s in spots] == [("06040", "CONFLICT", ["SURGE"], 6),
                                ("05977", "OTHER", ["ESCALATED"], 1)]
    assert spots[0]["ratio"] == 6.0 and [s["commune_code"] for s in district] == ["06040"]
    assert later == []
    metrics = requests.get(f"http://{feeder.container.config['WEB_SERVER_ADDRESS']}/metrics",
                           timeout=5).text
    assert 'hoagiai_hotspots_active{category="CONFLICT",commune="26010",district="181"} 1.0' \
        in metrics  # dataset.PLACES: 06040 → V2025 26010
    assert 'hoagiai_projection_lag_seconds_count{event_type="case.received"}' in metrics
    assert 'hoagiai_events_consumed_total{event_type="case.received",result="duplicate",' \
           'service="reporting"}' in metrics
