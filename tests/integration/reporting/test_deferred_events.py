"""While the projections wait for a first load's rebuild (DEFERRED), live events are
acknowledged as they arrive, before nameko spawns a worker for each
(services/reporting/pipeline.py `DeferredEvents`), and still counted as deferred."""

from services.common.metrics import ENTRYPOINT_REQUESTS
from services.reporting import pipeline
from tests.integration.reporting import dataset


def event_workers() -> float:
    return sum(sample.value for metric in ENTRYPOINT_REQUESTS.collect()
               for sample in metric.samples
               if sample.name.endswith("_total") and sample.labels["service"] == "reporting"
               and sample.labels["kind"] == "event")


def test_deferred_events_are_acknowledged_without_a_worker(reporting, monkeypatch):
    monkeypatch.setattr(pipeline, "MODE_TTL", 0.0)
    feeder = reporting()
    bodies = dataset.cases()[:20]
    with feeder.rpc() as rpc:
        assert rpc.defer_projections() == "DEFERRED"
    before, deferred = event_workers(), pipeline.deferred_events["count"]
    feeder.deliver(bodies)  # until each is counted
    assert event_workers() == before
    assert pipeline.deferred_events["count"] == deferred + len(bodies)
    with feeder.sessions.begin() as session:  # as a rebuild ends
        pipeline.set_mode(session, pipeline.LIVE)
    feeder.deliver(bodies)
    assert event_workers() == before + len(bodies)
