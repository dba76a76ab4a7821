"""Guidance after a failed mediation (Law 35 art. 25, `case.guided`) changes no figure:
the case stays UNSUCCESSFUL in the rate, the 0403 counters and remuneration."""

import itertools
from datetime import UTC, datetime

from services.common.events import new_event, parse_event
from services.reporting import projector
from services.reporting.projector import Changes, Projector

REF = {"case_id": "C1", "team_id": "T1", "category": "CIVIL_FAMILY", "commune_code": "05977",
       "geo_version": "LEGACY", "district_code": "178", "v2025_code": "26000"}


def at(day: int) -> str:
    return datetime(2019, 3, day, 9, tzinfo=UTC).isoformat()


STEPS = [
    ("case.received", {"channel": "IN_PERSON", "received_at": at(1)}),
    ("case.assigned", {"mediator_ids": ["M1"], "assigned_at": at(2), "start_deadline": at(5)}),
    ("case.mediation_started", {"started_at": at(3)}),
    ("case.resolved", {"outcome": "UNSUCCESSFUL", "resolved_at": at(4), "mediator_ids": ["M1"]}),
    ("case.guided", {"guided_at": at(6), "authority": "Tòa án nhân dân huyện"}),
]


def envelopes(steps) -> list:
    return [parse_event(new_event(kind, {**REF, **extra}, unit_code="05977",
                                  geo_version="LEGACY", aggregate_id="C1", sequence=seq,
                                  occurred_at=datetime.fromisoformat(at(seq)))
                        .model_dump(mode="json"))
            for seq, (kind, extra) in enumerate(steps, start=1)]


def project(events) -> Changes:
    changes, pay = Changes(), Projector()
    for envelope, payload in events:
        pay.apply(changes, envelope, payload.model_dump(mode="json"))
    return changes


def test_guidance_after_an_unsuccessful_outcome_changes_no_figure():
    unsuccessful = project(envelopes(STEPS[:-1]))
    state = unsuccessful.cases["C1"]
    assert (state.status, state.closed_on.isoformat()) == ("UNSUCCESSFUL", "2019-03-04")
    everything = envelopes(STEPS)
    assert "case.guided" not in projector.CASE_EVENTS  # reporting does not even subscribe
    for order in itertools.permutations(everything):  # the guidance may arrive first
        guided = project(order)
        assert guided.cases == unsuccessful.cases
        assert {k: n for k, n in guided.counters.items() if n} == \
            {k: n for k, n in unsuccessful.counters.items() if n}
    assert Projector().entry(state)["outcome"] == "UNSUCCESSFUL"  # paid as unsuccessful
