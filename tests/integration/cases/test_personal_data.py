"""Personal data on the cases service (services/cases/personal_data.py), on PostgreSQL and
on the embedded SQLite default: what is held, erasure on request (idempotent, refused
input changes nothing), no step after it, and the retention job with a short retention.
After an erasure a full-text scan of every stored row finds none of the case's personal
data, while the case's figures (status, outcome, dates, place, mediators) are unchanged."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.cases.personal_data import ERASED
from services.cases.service import CasesService
from services.common.errors import Conflict, NotFound, ValidationError
from tests.integration.cases.conftest import ACTOR, case_payload, wait_for
from tests.support.personal_data_scan import scan

KEPT = ("status", "category", "team_id", "commune_code", "geo_version", "district_code",
        "v2025_code", "received_at", "assigned_mediator_ids", "assigned_at", "started_at",
        "outcome", "resolved_at", "referred_to", "referred_at", "followed_up_at",
        "carried_out", "escalated", "escalation_kind", "escalated_at", "has_agreement")


@pytest.fixture(params=["postgresql", "sqlite"])
def cases_config(service_config, tmp_path, request):
    settings = {"retention_years": 1, "erasure_interval_seconds": 3600, "batch_size": 2}
    if request.param == "sqlite":
        return service_config("cases", DATABASE_URL=f"sqlite:///{tmp_path}/cases.db",
                              PERSONAL_DATA=settings)
    return service_config("cases", PERSONAL_DATA=settings)


def at(**delta) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def people(tag: str) -> list[dict]:
    return [{"full_name": f"Triệu Văn Khánh {tag}", "address": f"Số 7 ngõ Bản Lải {tag}"},
            {"full_name": f"Lộc Thị Nhàn {tag}", "address": f"Xóm Khuổi Phầy {tag}"}]


def texts(tag: str) -> dict:
    return {"subject": f"Tranh chấp bờ ruộng nhà Khánh {tag}",
            "description": f"Ông Khánh {tag} và bà Nhàn tranh chấp bờ ruộng",
            "note": f"Khánh {tag} đồng ý lùi bờ ruộng", "agreement": f"Văn bản thỏa thuận {tag}",
            "follow_up": f"Nhàn {tag} đã nhận lại đất", "escalation": f"Khánh {tag} dọa đánh",
            "guide": f"Hướng dẫn bà Nhàn {tag} khởi kiện"}


def closed_case(rpc, team, tag: str, days_ago: int, outcome: str = "SUCCESSFUL") -> dict:
    """A case closed `days_ago` days ago, with every kind of free text."""
    words = texts(tag)
    case = rpc.submit_case(case_payload(
        team[0], subject=words["subject"], description=words["description"],
        parties=people(tag), received_at=at(days=days_ago + 10)), ACTOR)
    case_id = case["id"]
    rpc.escalate_case(case_id, "VIOLENCE_RISK", words["escalation"], ACTOR,
                      at=at(days=days_ago + 9))
    rpc.assign_mediators(case_id, team[1][:2], ACTOR, at=at(days=days_ago + 8))
    rpc.start_mediation(case_id, ACTOR, at=at(days=days_ago + 7))
    if outcome == "SUCCESSFUL":
        rpc.record_outcome(case_id, "SUCCESSFUL", words["note"], words["agreement"], ACTOR,
                           at=at(days=days_ago + 1))
        return rpc.follow_up(case_id, True, words["follow_up"], ACTOR, at=at(days=days_ago))
    rpc.record_outcome(case_id, outcome, words["note"], None, ACTOR, at=at(days=days_ago + 1))
    return rpc.refer_case(case_id, "Tòa án nhân dân", words["guide"], ACTOR,
                          at=at(days=days_ago))


def needles(tag: str) -> list[str]:
    return [v for p in people(tag) for v in p.values()] + list(texts(tag).values())


def stored(tag: str) -> set[str]:
    """What a successful case of `tag` holds (no guidance: that follows a failure)."""
    return set(needles(tag)) - {texts(tag)["guide"]}


def events_of(rpc, case_id: str) -> list[dict]:
    return [e for e in rpc.history(0, 1000)["items"] if e["aggregate_id"] == case_id]


def test_the_commune_officer_sees_then_erases_a_cases_personal_data(rpc, team, cases_config):
    database = {"cases": cases_config["DATABASE_URL"]}
    case = closed_case(rpc, team, "A1", days_ago=30)
    other = closed_case(rpc, team, "B2", days_ago=30, outcome="UNSUCCESSFUL")

    report = rpc.personal_data_report(case["id"], ACTOR)
    assert report["parties"] == [{k: p[k] for k in ("full_name", "address")}
                                 for p in people("A1")]
    assert report["description"] == texts("A1")["description"]
    assert {t["field"] for t in report["texts"]} == {
        "subject", "outcome_note", "agreement_text", "follow_up_note", "escalation_reason"}
    assert report["erased"] is False and report["expired"] is False
    assert report["closed_at"] == case["followed_up_at"]
    assert report["retention_ends_at"][:4] == str(int(case["followed_up_at"][:4]) + 1)
    guided = rpc.personal_data_report(other["id"], ACTOR)
    assert {"field": "guide_reason", "text": texts("B2")["guide"]} in guided["texts"]
    assert {h[2] for h in scan(database, needles("A1"))} == stored("A1")  # the scan sees

    answer = rpc.erase_personal_data(case["id"], "Đương sự yêu cầu xóa", ACTOR)
    assert answer["already_erased"] is False
    erased = answer["report"]
    assert erased["erased"] and erased["erasure_reason_code"] == "REQUESTED"
    assert erased["erasure_reason"] == "Đương sự yêu cầu xóa"
    assert (erased["parties"], erased["description"], erased["texts"]) == ([], None, [])
    answer = rpc.erase_personal_data(other["id"], "Đương sự yêu cầu xóa", ACTOR)

    assert scan(database, needles("A1") + needles("B2")) == []
    after = rpc.get_case(case["id"])
    assert {k: after[k] for k in KEPT} == {k: case[k] for k in KEPT}
    assert after["personal_data_erased_at"] == erased["erased_at"]
    assert after["subject"] == ERASED and after["outcome_note"] == ERASED
    parties = rpc.get_case_parties(case["id"], ACTOR)
    assert parties["description"] == ""
    assert [p["full_name"] for p in parties["parties"]] == [ERASED, ERASED]
    rows = rpc.log_book(team[0], int(case["received_at"][:4]), "data", ACTOR)
    assert all(needle not in str(rows) for needle in needles("A1"))

    mine = events_of(rpc, case["id"])
    assert mine[-1]["type"] == "case.personal_data_erased"
    assert mine[-1]["payload"]["reason"] == "REQUESTED"
    assert mine[-1]["sequence"] == mine[-2]["sequence"] + 1
    steps = rpc.get_timelines([case["id"]])[case["id"]]
    assert (steps[-1]["step"], steps[-1]["actor"]) == ("erase", ACTOR["username"])

    # both audited (services/common/audit.py): the report as a read of the parties, in the
    # case's commune; the erasure by its event
    for action in ("personal_data_report", "erase_personal_data"):
        entries = rpc.audit_log({"action": action, "limit": 101})["items"]
        assert case["id"] in {e["object_id"] for e in entries}, (action, entries)
        assert all(e["actor"] == ACTOR["username"] and e["outcome"] == "ok" for e in entries)
    read = next(e for e in rpc.audit_log({"action": "personal_data_report"})["items"]
                if e["object_id"] == case["id"])
    assert read["v2025_code"] == case["v2025_code"]

    again = rpc.erase_personal_data(case["id"], "lần nữa", ACTOR)  # idempotent, says so
    assert again["already_erased"] is True and again["report"]["erasure_reason"] == \
        "Đương sự yêu cầu xóa"
    assert len(events_of(rpc, case["id"])) == len(mine)
    with pytest.raises(Conflict):  # no step after it: a note would be personal data again
        rpc.refer_case(case["id"], "UBND xã", "lý do", ACTOR)


def test_refused_erasures_change_nothing(rpc, team, make_case):
    case = closed_case(rpc, team, "C3", days_ago=5)
    open_case = make_case()
    before = (rpc.get_case(case["id"]), rpc.get_case_parties(case["id"], ACTOR),
              len(rpc.history(0, 1000)["items"]))
    refusals = [(ValidationError, case["id"], ""), (ValidationError, case["id"], "   "),
                (ValidationError, case["id"], "x" * 501),
                (ValidationError, case["id"], "bà Lộc Thị Nhàn C3 yêu cầu"),  # names a party
                (ValidationError, "", "lý do"), (ValidationError, "x" * 65, "lý do"),
                (NotFound, "no-such-case", "lý do")]
    for error, case_id, reason in refusals:
        with pytest.raises(error):
            rpc.erase_personal_data(case_id, reason, ACTOR)
    with pytest.raises(NotFound):
        rpc.personal_data_report("no-such-case", ACTOR)
    with pytest.raises(Conflict):  # still open: stop or end the mediation first
        rpc.erase_personal_data(open_case["id"], "lý do", ACTOR)
    assert (rpc.get_case(case["id"]), rpc.get_case_parties(case["id"], ACTOR),
            len(rpc.history(0, 1000)["items"])) == before
    assert rpc.erase_personal_data(case["id"], "x" * 500, ACTOR)["report"]["erased"]


def test_the_retention_job_erases_every_expired_case_and_only_those(rpc, team, make_case,
                                                                    cases_config):
    database = {"cases": cases_config["DATABASE_URL"]}
    old = [closed_case(rpc, team, f"old{n}", days_ago=400 + n,
                       outcome=("SUCCESSFUL", "UNSUCCESSFUL")[n % 2]) for n in range(5)]
    recent = closed_case(rpc, team, "recent", days_ago=300)
    still_open = make_case(received_at=at(days=800), parties=people("open"))

    result = rpc.erase_expired_personal_data()  # retention 1 year, 2 cases per batch
    assert result["erased"] == 5 and result["batches"] == 3 and result["retention_years"] == 1
    for case in old:
        report = rpc.personal_data_report(case["id"], ACTOR)
        assert report["erased"] and report["erasure_reason_code"] == "RETENTION_EXPIRED"
        assert report["expired"] is True
        assert events_of(rpc, case["id"])[-1]["payload"]["reason"] == "RETENTION_EXPIRED"
        steps = rpc.get_timelines([case["id"]])[case["id"]]
        assert steps[-1]["actor"] == "system:retention"
    assert scan(database, [x for n in range(5) for x in needles(f"old{n}")]) == []
    assert not rpc.personal_data_report(recent["id"], ACTOR)["erased"]
    assert rpc.personal_data_report(still_open["id"], ACTOR)["retention_ends_at"] is None
    assert {h[2] for h in scan(database, needles("recent"))} == stored("recent")
    assert rpc.get_case_parties(still_open["id"], ACTOR)["parties"][0]["full_name"] == \
        people("open")[0]["full_name"]
    assert rpc.erase_expired_personal_data()["erased"] == 0  # a second run: nothing left


def test_the_timer_runs_the_retention_job_on_its_own(container_factory, service_config, rpc,
                                                     team, cases_config):
    """The daily job, with a short retention and interval: expired cases are erased
    without anyone asking, one per run (batch size 1), so it runs more than once. Both
    cases are closed before the job starts: closed while it ran, a case could be erased
    between its outcome and its follow-up (the follow-up then refused)."""
    case = closed_case(rpc, team, "timer", days_ago=400)
    later = closed_case(rpc, team, "timer2", days_ago=500)
    config = {**service_config("cases", DATABASE_URL=cases_config["DATABASE_URL"]),
              "PERSONAL_DATA": {"retention_years": 1, "erasure_interval_seconds": 0.2,
                                "batch_size": 1}}
    container_factory(CasesService, config).start()  # eager: runs at its start, then each 0.2 s
    for each in (case, later):
        wait_for(lambda c=each: rpc.personal_data_report(c["id"], ACTOR)["erased"], timeout=15)
    report = rpc.personal_data_report(case["id"], ACTOR)
    assert report["erasure_reason_code"] == "RETENTION_EXPIRED"
    erasures = [e for e in rpc.history(0, 1000)["items"]
                if e["type"] == "case.personal_data_erased"]
    assert sorted(e["aggregate_id"] for e in erasures) == sorted([case["id"], later["id"]])


def test_on_sqlite_not_even_the_database_files_keep_it(rpc, team, cases_config):
    """SQLite keeps old page images in its write-ahead log and freed pages: the erasure
    zeroes what it frees (secure_delete) and checkpoints the log away."""
    url = cases_config["DATABASE_URL"]
    if not url.startswith("sqlite"):
        pytest.skip("PostgreSQL's old row versions go with VACUUM")
    path = Path(url.split(":///", 1)[1])
    tag = b"Qz9xKw"

    def files_holding_it() -> list[str]:
        return [f.name for f in path.parent.glob(path.name + "*") if tag in f.read_bytes()]

    case = closed_case(rpc, team, tag.decode(), days_ago=30)
    assert files_holding_it()
    rpc.erase_personal_data(case["id"], "Đương sự yêu cầu xóa", ACTOR)
    assert files_holding_it() == []
