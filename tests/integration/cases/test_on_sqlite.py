"""The cases service on the embedded SQLite default (`make run`): the same tests as on
PostgreSQL, run again here with the service's database a SQLite file."""

import pytest

from tests.integration.cases.conftest import ACTOR, case_payload
from tests.integration.cases.test_batch import (  # noqa: F401
    test_a_batch_writes_what_the_live_commands_write,
)
from tests.integration.cases.test_gathered import (  # noqa: F401
    test_each_request_is_answered_and_audited_as_its_own,
)
from tests.integration.cases.test_intake import (  # noqa: F401  (collected again here)
    test_a_retry_without_received_at_replays_the_case,
    test_same_key_other_payload_is_a_conflict,
    test_same_key_same_payload_gives_the_same_case,
)
from tests.integration.cases.test_lifecycle import (  # noqa: F401
    test_a_case_goes_through_its_whole_life,
    test_a_late_start_raises_overdue_before_the_start,
    test_escalation_publishes_at_once,
    test_illegal_transitions_are_conflicts_and_change_nothing,
    test_refer_from_every_open_state,
    test_start_deadline_overdue_is_raised_once,
    test_step_times_are_neither_future_nor_before_the_previous_step,
)
from tests.integration.cases.test_pages_and_counts import (  # noqa: F401
    test_a_cursor_of_one_list_is_refused_by_the_other,
    test_bad_cursors_are_typed_refusals,
    test_legacy_unit_pages_merge_commune_and_district,
    test_old_cursors_say_why,
    test_overdue_pages_walk_every_overdue_case_once,
    test_pages_walk_every_case_once_with_equal_times_and_arrivals,
    test_the_counters_equal_count_after_every_kind_of_write,
)
from tests.integration.cases.test_placement import (  # noqa: F401
    test_a_batch_places_cases_as_the_live_intake_does,
    test_a_corrected_placement_moves_the_teams_cases,
    test_code_06400_never_crosses_layouts,
    test_the_received_date_decides_the_layout,
)
from tests.integration.cases.test_reads_and_metrics import (  # noqa: F401
    test_lists_filter_and_page,
    test_log_book_rows_csv_and_xlsx,
)


@pytest.fixture
def cases_config(service_config, tmp_path):
    return service_config("cases", DATABASE_URL=f"sqlite:///{tmp_path}/cases.db")


@pytest.mark.parametrize("received_at", ["2026-11-27T08:00:00+07:00", "2026-11-27T01:00:00Z"])
def test_intake_keeps_the_instant_whatever_the_offset(rpc, team, received_at):
    """SQLite stores text: 08:00+07:00 must be kept as 01:00 UTC, not as 08:00."""
    case = rpc.submit_case(case_payload(team[0], received_at=received_at), ACTOR)
    assert case["status"] == "RECEIVED"
    assert rpc.get_case(case["id"])["received_at"] == "2026-11-27T01:00:00+00:00"
    event = next(e for e in rpc.history(0, 100)["items"] if e["aggregate_id"] == case["id"])
    assert event["payload"]["received_at"] == "2026-11-27T01:00:00Z"
