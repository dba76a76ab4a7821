"""Lists, the log book files, batch intake and the /metrics counters."""

import base64
import csv
import io
import re

import pytest
import requests
from openpyxl import load_workbook

from services.common.errors import NotFound, ValidationError
from tests.integration.cases.conftest import ACTOR, ago, case_payload


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in a Prometheus text page (0 if absent)."""
    for line in text.splitlines():
        match = re.match(rf"{name}{{(.*)}} (\S+)$", line)
        if match:
            found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
            if found == labels:
                return float(match.group(2))
    return 0.0


def scrape(cases) -> str:
    return requests.get(f"http://{cases.config['WEB_SERVER_ADDRESS']}/metrics", timeout=5).text


def test_counters_move_by_exactly_the_submissions(rpc, team, cases):
    before = scrape(cases)
    labels = {"category": "CONFLICT", "commune": "06001", "district": "178",
              "channel": "PHONE"}
    before_reform = {"category": "CONFLICT", "channel": "PHONE",
                     "received_at": "2025-06-20T08:00:00+07:00"}  # a district then
    for _ in range(5):
        case = rpc.submit_case(case_payload(team[0], **before_reform), ACTOR)
    twice = case_payload(team[0], **before_reform)
    rpc.submit_case(twice, ACTOR)
    rpc.submit_case(twice, ACTOR)  # a replay counts nothing
    with pytest.raises(ValidationError):
        rpc.submit_case(case_payload(team[0], description="vụ cướp giật"), ACTOR)
    rpc.assign_mediators(case["id"], team[1][:1], ACTOR)
    rpc.start_mediation(case["id"], ACTOR)
    rpc.record_outcome(case["id"], "SUCCESSFUL", None, None, ACTOR)
    after = scrape(cases)

    def moved(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert moved("hoagiai_cases_submitted_total", **labels) == 6
    assert moved("hoagiai_intake_rejections_total", reason="CRIME") == 1
    assert moved("hoagiai_cases_resolved_total", category="CONFLICT", commune="06001",
                 district="178", outcome="SUCCESSFUL") == 1
    assert "hoagiai_outbox_backlog{" in after
    assert "hoagiai_events_consumed_total{" in after


def test_lists_filter_and_page(rpc, team, make_case):
    received_at = "2025-06-20T08:00:00+07:00"  # before the reform: in LEGACY district 178
    ids = {make_case(category="OTHER", received_at=received_at)["id"] for _ in range(3)}
    make_case(category="CONFLICT", received_at=received_at)
    first = rpc.list_cases(unit_code="178", category="OTHER", first=2)
    assert first["total_count"] == 3 and first["has_next_page"]
    rest = rpc.list_cases(unit_code="178", category="OTHER", first=2, after=first["end_cursor"])
    assert {c["id"] for c in first["items"] + rest["items"]} == ids
    assert not rest["has_next_page"]
    assert rpc.list_cases(unit_code="06001", geo_version="V2025")["total_count"] == 4
    assert rpc.list_cases(unit_code="999")["total_count"] == 0
    assert rpc.get_cases([*ids, "missing"])[-1] is None
    with pytest.raises(ValidationError):
        rpc.list_cases(after="garbage")
    with pytest.raises(ValidationError):
        rpc.list_cases(status="LOST")
    with pytest.raises(NotFound):
        rpc.get_case("missing")


def test_log_book_rows_csv_and_xlsx(rpc, team, directory):
    team_id, mediators = team
    case = rpc.submit_case(case_payload(team_id, received_at="2024-03-05T08:00:00+07:00"),
                           ACTOR)
    rpc.assign_mediators(case["id"], mediators[:1], ACTOR, at="2024-03-06T08:00:00+07:00")
    rpc.start_mediation(case["id"], ACTOR, at="2024-03-07T08:00:00+07:00")
    rpc.record_outcome(case["id"], "SUCCESSFUL", None, "Biên bản", ACTOR,
                       at="2024-03-08T08:00:00+07:00")
    rpc.submit_case(case_payload(team_id, received_at="2023-12-30T08:00:00+07:00"), ACTOR)

    data = rpc.log_book(team_id, 2024, "data", ACTOR)
    assert [row["number"] for row in data["rows"]] == [1]
    row = data["rows"][0]
    assert row["parties"] == "Nông Văn Bình; Hoàng Văn Tư"
    assert row["mediators"] == directory.names[mediators[0]]
    assert row["status"] == "SUCCESSFUL" and row["ended_on"] == "2024-03-08"

    text = base64.b64decode(rpc.log_book(team_id, 2024, "csv", ACTOR)["content"]).decode(
        "utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:3] == ["STT", "Ngày tiếp nhận", "Họ tên các bên"]
    assert lines[1][8] == "Hòa giải thành"

    xlsx = rpc.log_book(team_id, 2024, "xlsx", ACTOR)
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("Sổ theo dõi hoạt động hòa giải ở cơ sở")
    assert values[1][1] == "Ngày tiếp nhận"
    assert values[2][0] == 1 and values[2][2] == "Nông Văn Bình; Hoàng Văn Tư"
    assert len(values) == 3

    with pytest.raises(NotFound):
        rpc.log_book("team-unknown", 2024, "csv", ACTOR)
    with pytest.raises(ValidationError):
        rpc.log_book(team_id, 2024, "pdf", ACTOR)


# (a leading tab or CR never reaches the book: intake strips the whitespace)
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"bấm\")", "=1+1", "+84 912", "-2+3",
            "@SUM(A1)"]


def test_log_book_keeps_formula_like_text_as_text(rpc, team):
    """CSV/formula injection: parties' names and addresses come back as the same text."""
    team_id, _ = team
    parties = [{"full_name": name, "address": name} for name in FORMULAS]
    rpc.submit_case(case_payload(team_id, received_at="2024-03-05T08:00:00+07:00",
                                 parties=parties), ACTOR)
    joined = "; ".join(FORMULAS)

    csv_file = rpc.log_book(team_id, 2024, "csv", ACTOR)
    text = base64.b64decode(csv_file["content"]).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert (row[2], row[3]) == ("'" + joined, "'" + joined)

    xlsx_file = rpc.log_book(team_id, 2024, "xlsx", ACTOR)
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx_file["content"]))).active
    cells = sheet[3][2:4]
    assert [(c.value, c.data_type) for c in cells] == [(joined, "s"), (joined, "s")]

    one = dict(team_id=team_id, received_at="2024-03-06T08:00:00+07:00")
    for name in FORMULAS:  # each first in its own case
        parties = [{"full_name": name, "address": name}, {"full_name": "Lý Văn Sáu"}]
        rpc.submit_case(case_payload(**one, parties=parties), ACTOR)
    sheet = load_workbook(io.BytesIO(base64.b64decode(
        rpc.log_book(team_id, 2024, "xlsx", ACTOR)["content"]))).active
    names = [(row[2].value, row[2].data_type) for row in sheet.iter_rows(min_row=4)]
    assert names == [(f"{name}; Lý Văn Sáu", "s") for name in FORMULAS]
    rows = list(csv.reader(io.StringIO(base64.b64decode(
        rpc.log_book(team_id, 2024, "csv", ACTOR)["content"]).decode("utf-8-sig"))))
    assert [r[2] for r in rows[2:]] == [f"'{name}; Lý Văn Sáu" for name in FORMULAS]


def test_log_book_file_name_says_which_team(rpc, team):
    team_id, _ = team
    name = f"so-theo-doi-to-hoa-giai-{team_id}-06001-2024"
    assert rpc.log_book(team_id, 2024, "csv", ACTOR)["filename"] == f"{name}.csv"
    assert rpc.log_book(team_id, 2024, "xlsx", ACTOR)["filename"] == f"{name}.xlsx"


def test_batch_intake_runs_the_same_rules_per_item(rpc, team, cases):
    team_id, mediators = team
    good = case_payload(team_id, received_at=ago(days=20), steps=[
        {"action": "assign", "mediator_ids": mediators[:1], "at": ago(days=19)},
        {"action": "start", "at": ago(days=18)},
        {"action": "outcome", "outcome": "UNSUCCESSFUL", "at": ago(days=17)},
    ])
    illegal = case_payload(team_id, steps=[{"action": "start"}])
    bad = case_payload(team_id, category="THEFT")
    results = rpc.submit_cases([good, illegal, bad], ACTOR)
    assert results[0]["case"]["status"] == "UNSUCCESSFUL"
    assert results[1]["error"]["code"] == "CONFLICT"
    assert results[2]["error"]["code"] == "BAD_USER_INPUT"
    assert rpc.list_cases()["total_count"] == 1  # the failed items left nothing behind
    events = rpc.history(0, 100)["items"]
    assert [e["type"] for e in events] == ["case.received", "case.assigned",
                                           "case.mediation_started", "case.resolved"]
