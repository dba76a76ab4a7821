"""Indicator 0403 (data, CSV, XLSX), pilot evaluation, multi-year summary, remuneration."""

import base64
import csv
import io

import pytest
from openpyxl import load_workbook

from services.common.errors import NotFound, ValidationError
from tests.integration.reporting import dataset
from tests.integration.reporting.conftest import snapshot

ACTOR = {"username": "commune.05977", "role": "COMMUNE_OFFICER", "scope_code": "05977",
         "scope_version": "LEGACY", "team_id": None}


@pytest.fixture
def loaded(reporting):
    feeder = reporting()
    feeder.deliver(dataset.team_events() + dataset.cases())
    return feeder


def test_official_report_rows_for_a_district_and_a_half_year(loaded):
    with loaded.rpc() as rpc:
        year = rpc.report("178", 2019, None, "LEGACY")
        first_half = rpc.report("178", 2019, 1, "LEGACY")
    # T1: C0 CONFLICT S, C1 CIVIL S, C2 OTHER S, C3 CONFLICT S, C4 CIVIL U, C5 OTHER open
    # T2: C0 CONFLICT S, C1 CIVIL S, C2 OTHER U, C3 CONFLICT U   (months Jan..Jun)
    by_group = {r["category"]: r for r in year["rows"]}
    assert (by_group["CONFLICT"]["successful"], by_group["CONFLICT"]["unsuccessful"]) == (3, 1)
    assert (by_group["CIVIL_FAMILY"]["successful"], by_group["CIVIL_FAMILY"]["unsuccessful"]) \
        == (2, 1)
    assert (by_group["OTHER"]["received"], by_group["OTHER"]["in_progress"]) == (3, 1)
    assert year["total"]["received"] == 10 and year["total"]["rate"] == 6 / 9
    assert (year["teams"], year["mediators"]) == (2, 6)
    assert first_half["total"]["received"] == 10  # every case was received by June
    assert year["rows"][0]["group"] == "Mâu thuẫn giữa các bên"


def test_report_files_have_vietnamese_headers(loaded, registry):
    with loaded.rpc() as rpc:
        csv_file = rpc.report_file("20", 2019, None, "LEGACY", "csv")
        xlsx_file = rpc.report_file("20", 2019, None, "LEGACY", "xlsx")
        with pytest.raises(ValidationError):
            rpc.report_file("20", 2019, None, "LEGACY", "pdf")
    rows = list(csv.reader(io.StringIO(base64.b64decode(csv_file["content_base64"])
                                       .decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nhóm vụ việc", "Tổng số vụ việc tiếp nhận", "Hòa giải thành"]
    assert rows[4][:4] == ["Tổng cộng", "15", "9", "3"] and rows[4][-1] == "75.0"
    assert csv_file["filename"] == "bao-cao-0403-20-2019.csv"
    sheet = load_workbook(io.BytesIO(base64.b64decode(xlsx_file["content_base64"]))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "Nhóm vụ việc" and values[5][:3] == ["Tổng cộng", 15, 9]


def test_report_file_title_names_the_unit(loaded, registry):
    with loaded.rpc() as rpc:
        district = rpc.report_file("181", 2019, 1, "LEGACY", "xlsx")
        with pytest.raises(NotFound):
            rpc.report_file("99999", 2019, None, "LEGACY", "xlsx")
    sheet = load_workbook(io.BytesIO(base64.b64decode(district["content_base64"]))).active
    assert sheet["A1"].value == "Biểu 0403 — Huyện Bình Gia (mã 181), kỳ 2019-H1"


def test_pilot_evaluation_and_multi_year_summary(loaded):
    with loaded.rpc() as rpc:
        pilot = rpc.pilot_evaluation(2019)
        summary = rpc.multi_year_summary("20", 2018, 2020, "LEGACY")
        with pytest.raises(ValidationError):
            rpc.multi_year_summary("20", 2020, 2018, "LEGACY")
    team = pilot["model_teams"][0]
    assert (team["team_id"], team["rate"], team["target"], team["meets_target"]) == \
        ("T1", 0.8, 0.9, False)
    assert pilot["districts"] == [
        {"district_code": "178", "meets_minimum": True, "pilot_communes": [
            {"commune_code": "05977", "selected_on": "2018-03-10", "on_time": True},
            {"commune_code": "05980", "selected_on": "2018-03-10", "on_time": True}]},
        {"district_code": "181", "meets_minimum": False, "pilot_communes": [
            {"commune_code": "06040", "selected_on": "2018-03-25", "on_time": False}]}]
    assert [y["received"] for y in summary["years"]] == [1, 15, 0]
    assert summary["total"]["successful"] == 10 and summary["total"]["rate"] == 10 / 13


def test_remuneration_per_team_and_budgets_rolled_up(loaded):
    with loaded.rpc() as rpc:
        before = snapshot(loaded.sessions)
        with pytest.raises(NotFound):
            rpc.set_budget("99999", 2019, 1_000_000, ACTOR)
        with pytest.raises(ValidationError):
            rpc.set_budget("05977", 2019, -5, ACTOR)
        with pytest.raises(ValidationError):
            rpc.set_budget("05977", 2019, 5, {"role": "nobody"})
        assert snapshot(loaded.sessions) == before
        assert rpc.remuneration("20", 2019, "LEGACY")["budget"] == 0
        rpc.set_budget("05977", 2019, 500_000, ACTOR)
        rpc.set_budget("05977", 2019, 2_000_000, ACTOR)  # corrected: the last one counts
        rpc.set_budget("06040", 2019, 1_000_000, ACTOR)
        province = rpc.remuneration("20", 2019, "LEGACY")
        district = rpc.remuneration("178", 2019, "LEGACY")
        v2025 = rpc.remuneration("26010", 2019, "V2025")
        # today's commune has its own budget: known from its merged communes' events
        rpc.set_budget("26010", 2026, 3_000_000, ACTOR, "V2025")
        today = rpc.remuneration("26010", 2026, "V2025")
        with pytest.raises(NotFound):
            rpc.set_budget("99998", 2026, 1, ACTOR, "V2025")
    # paid per closed case, successful or unsuccessful: T1 5, T2 4, T3 3 (2019 closings)
    assert province["by_team"] == [{"team_id": "T1", "cases": 5, "amount": 1_000_000},
                                   {"team_id": "T2", "cases": 4, "amount": 800_000},
                                   {"team_id": "T3", "cases": 3, "amount": 600_000}]
    assert (province["paid"], province["budget"], province["remaining"]) == \
        (2_400_000, 3_000_000, 600_000)
    assert (district["paid"], district["budget"]) == (1_800_000, 2_000_000)
    assert district["communes"] == [{"commune_code": "05977", "geo_version": "LEGACY",
                                     "district_code": "178", "budget": 2_000_000,
                                     "paid": 1_000_000}]
    assert (v2025["paid"], v2025["budget"]) == (600_000, 1_000_000)
    assert today["budget"] == 3_000_000 and today["communes"] == [
        {"commune_code": "26010", "geo_version": "V2025", "district_code": None,
         "budget": 3_000_000, "paid": 0}]
