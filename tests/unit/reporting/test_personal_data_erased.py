"""An erasure of a case's personal data (`case.personal_data_erased`) changes no figure:
reporting does not subscribe to it, and a projector that sees it (a rebuild reads the
whole history) ignores it, in whatever order it arrives. Its payload holds no free text."""

import itertools

from services.common.events import payload_schema
from services.reporting import projector
from tests.unit.reporting.test_guided_case import REF, STEPS, at, envelopes, project

ERASED = ("case.personal_data_erased", {"erased_at": at(9), "reason": "REQUESTED"})
SUCCESSFUL = [*STEPS[:3], ("case.resolved", {"outcome": "SUCCESSFUL", "resolved_at": at(4),
                                             "mediator_ids": ["M1"], "has_agreement": True})]


def test_an_erasure_changes_no_figure():
    assert "case.personal_data_erased" not in projector.CASE_EVENTS
    kept = project(envelopes(SUCCESSFUL))
    for order in itertools.permutations(envelopes([*SUCCESSFUL, ERASED])):
        erased = project(order)
        assert erased.cases == kept.cases
        assert {k: n for k, n in erased.counters.items() if n} == \
            {k: n for k, n in kept.counters.items() if n}


def test_its_payload_is_the_case_reference_and_a_reason_code():
    schema = payload_schema("case.personal_data_erased", 1)
    assert set(schema.model_fields) == {*REF, "erased_at", "reason"}
