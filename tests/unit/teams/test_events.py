"""The event payloads teams added to the contract validate, and refuse what they must."""

import pytest

from services.common.events import new_event, parse_event
from services.common.events.envelope import InvalidEvent

REF = {"team_id": "t1", "commune_code": "06079", "geo_version": "LEGACY",
       "district_code": "181", "v2025_code": "06079"}


@pytest.mark.parametrize("event_type, payload", [
    ("mediator.contest_recorded", {**REF, "mediator_id": "m1", "contest": "Hội thi",
                                   "held_on": "2019-09-01", "result": "Giải Nhì"}),
    ("commendation.awarded", {**REF, "commendation_id": 1, "level": "PROVINCE",
                              "awarded_on": "2020-12-01"}),
    ("inspection.recorded", {"inspection_id": 1, "unit_code": "06079", "geo_version": "LEGACY",
                             "inspected_on": "2019-06-01", "body": "Sở Tư pháp"}),
    ("pilot.programme_set", {"programme_year": 2018, "deadline": "2018-03-20",
                             "period_start": "2018-04-01", "period_end": "2019-12-31",
                             "target_rate": 0.9}),
    ("user.created", {"username": "admin", "role": "PROVINCE_OFFICER", "scope_code": "20",
                      "scope_version": "LEGACY"}),
])
def test_new_teams_events_round_trip(event_type, payload):
    envelope, parsed = parse_event(new_event(event_type, payload).model_dump(mode="json"))
    assert envelope.type == event_type and parsed.model_dump(mode="json") == payload | {
        k: v for k, v in parsed.model_dump(mode="json").items() if k not in payload}


def test_user_created_never_carries_a_password():
    with pytest.raises(InvalidEvent):
        new_event("user.created", {"username": "a", "role": "VIEWER", "password": "x"})
