"""Test doubles of the teams, cases and reporting services' RPC contract
(docs/contracts.md), over in-memory fixtures, for the gateway's tests.

They run as real nameko services on the real broker; they count every RPC they
answer (`CALLS`) and record every write (`WRITES`), so tests can assert how many
calls a query cost and that a refused mutation changed nothing.
"""

import base64
import copy
from datetime import UTC, datetime, timedelta

from nameko.extensions import DependencyProvider
from nameko.rpc import rpc

from services.common.errors import Conflict, NotFound, Unauthenticated, ValidationError

PASSWORD = "demo"
CALLS: list[tuple[str, str]] = []
CORRELATION_IDS: list[str | None] = []
WRITES: list[tuple[str, str, tuple]] = []

IN_COMMUNE, OUT_COMMUNE = "06400", "06100"  # LEGACY
IN_DISTRICT, OUT_DISTRICT = "186", "180"
IN_2025, OUT_2025 = "06401", "06101"  # the V2025 communes they were merged into


def _unit(code, name, level, parent, version="LEGACY"):
    return {"code": code, "name": name, "level": level, "parent_code": parent,
            "geo_version": version}


UNITS = [
    _unit("20", "Lạng Sơn", "PROVINCE", None),
    _unit(IN_DISTRICT, "Chi Lăng", "DISTRICT", "20"),
    _unit(OUT_DISTRICT, "Tràng Định", "DISTRICT", "20"),
    _unit(IN_COMMUNE, "Chi Lăng commune", "COMMUNE", IN_DISTRICT),
    _unit(OUT_COMMUNE, "Thất Khê", "COMMUNE", OUT_DISTRICT),
    _unit("20", "Lạng Sơn", "PROVINCE", None, "V2025"),
    _unit(IN_2025, "Chi Lăng (2025)", "COMMUNE", "20", "V2025"),
    _unit(OUT_2025, "Thất Khê (2025)", "COMMUNE", "20", "V2025"),
]
CROSSWALK = {IN_COMMUNE: IN_2025, OUT_COMMUNE: OUT_2025}

# username → (role, scope unit, team, scope layout): current users are V2025; the district
# officer and a LEGACY commune officer are history users.
USERS = {
    "mediator.t1": ("MEDIATOR", IN_2025, "t1", "V2025"),
    "leader.t1": ("TEAM_LEADER", IN_2025, "t1", "V2025"),
    f"commune2025.{IN_2025}": ("COMMUNE_OFFICER", IN_2025, None, "V2025"),
    f"commune.{IN_COMMUNE}": ("COMMUNE_OFFICER", IN_COMMUNE, None, "LEGACY"),
    f"district.{IN_DISTRICT}": ("DISTRICT_OFFICER", IN_DISTRICT, None, "LEGACY"),
    "province.officer": ("PROVINCE_OFFICER", "20", None, "V2025"),
    "viewer": ("VIEWER", "20", None, "V2025"),
}

BULK_TEAMS = 20
BULK_CASES = 120


def _team(team_id, commune, district, mediator_ids):
    return {"id": team_id, "name": f"Tổ hòa giải {team_id}", "commune_code": commune,
            "geo_version": "LEGACY", "district_code": district, "v2025_code": CROSSWALK[commune],
            "village": "Thôn 1", "status": "ACTIVE", "leader_id": mediator_ids[0],
            "mediator_ids": mediator_ids, "compliant": True, "compliance_reasons": []}


def _mediator(mediator_id, team_id, name, gender):
    return {"id": mediator_id, "team_id": team_id, "full_name": name, "gender": gender,
            "year_of_birth": 1970, "ethnicity": "Tày", "status": "RECOGNISED"}


def _case(case_id, team):
    return {"id": case_id, "status": "ASSIGNED", "category": "CIVIL_FAMILY",
            "subject": f"Tranh chấp {case_id}", "channel": "WALK_IN", "team_id": team["id"],
            "commune_code": team["commune_code"], "geo_version": "LEGACY",
            "district_code": team["district_code"], "v2025_code": team["v2025_code"],
            "received_at": "2025-03-01T08:00:00+00:00",
            "assigned_mediator_ids": team["mediator_ids"][:2],
            "assigned_at": "2025-03-01T09:00:00+00:00",
            "start_deadline": "2025-03-04T09:00:00+00:00", "started_at": None,
            "outcome": None, "resolved_at": None, "escalated": False}


# accounts the account mutations act on: (username, role, V2025 commune, team)
ACCOUNTS = [("acct.t1", "TEAM_LEADER", IN_2025, "t1"), ("acct.t2", "MEDIATOR", OUT_2025, "t2"),
            ("officer.in", "COMMUNE_OFFICER", IN_2025, None),
            ("officer.out", "COMMUNE_OFFICER", OUT_2025, None),
            ("province.officer", "PROVINCE_OFFICER", None, None)]


def _account(username, role, commune, team_id) -> dict:
    return {"username": username, "role": role, "scope_code": commune, "scope_version": "V2025",
            "team_id": team_id, "full_name": f"Tài khoản {username}", "active": True,
            "must_change_password": False, "commune": commune}


def _revoked(username: str) -> dict:
    now = datetime.now(UTC)
    return {"username": username, "token_id": None, "issued_before": now.isoformat(),
            "expires_at": (now + timedelta(seconds=60)).isoformat()}


def build_world() -> dict:
    teams, mediators, cases, parties = {}, {}, {}, {}

    def add_team(team_id, commune, district):
        ids = [f"{team_id}-m{i}" for i in range(1, 4)]
        for i, mid in enumerate(ids):
            mediators[mid] = _mediator(mid, team_id, f"Hòa giải viên {mid}",
                                       "FEMALE" if i == 0 else "MALE")
        teams[team_id] = _team(team_id, commune, district, ids)

    add_team("t1", IN_COMMUNE, IN_DISTRICT)
    add_team("t2", OUT_COMMUNE, OUT_DISTRICT)
    for n in range(BULK_TEAMS):
        add_team(f"b{n}", IN_COMMUNE, IN_DISTRICT)
    cases["c1"] = _case("c1", teams["t1"])
    cases["c2"] = _case("c2", teams["t2"])
    for n in range(BULK_CASES):
        cases[f"k{n:03d}"] = _case(f"k{n:03d}", teams[f"b{n % BULK_TEAMS}"])
    for case_id in cases:
        parties[case_id] = {"case_id": case_id, "description": f"Sự việc {case_id}",
                            "parties": [{"full_name": f"Nguyễn Văn A {case_id}",
                                         "address": "Thôn 1"},
                                        {"full_name": f"Hoàng Thị B {case_id}",
                                         "address": "Thôn 2"}]}
    accounts = {name: _account(name, role, commune, team)
                for name, role, commune, team in ACCOUNTS}
    return {"teams": teams, "mediators": mediators, "cases": cases, "parties": parties,
            "idempotency": {}, "pilot": {}, "accounts": accounts}


WORLD = build_world()


def reset() -> None:
    WORLD.clear()
    WORLD.update(build_world())
    CALLS.clear()
    CORRELATION_IDS.clear()
    WRITES.clear()


class Counted(DependencyProvider):
    """Counts every RPC the double answers."""

    def worker_setup(self, worker_ctx):
        CALLS.append((worker_ctx.service_name, worker_ctx.entrypoint.method_name))
        CORRELATION_IDS.append(worker_ctx.context_data.get("correlation_id"))


def _page(items: list, first: int = 20, after: str | None = None) -> dict:
    start = int(after) if after else 0
    chunk = items[start:start + first]
    end = start + len(chunk)
    return {"items": copy.deepcopy(chunk), "total_count": len(items),
            "end_cursor": str(end) if chunk else after, "has_next_page": end < len(items)}


def _inside(unit_code, geo_version, row: dict) -> bool:
    """Whether a team, case or record lies in the unit, read in the layout asked."""
    if unit_code in (None, "20"):
        return True
    if geo_version == "V2025":
        return row.get("v2025_code", CROSSWALK.get(row.get("commune_code"))) == unit_code
    return unit_code in (row.get("commune_code"), row.get("district_code"))


def _write(service: str, method: str, *args):
    WRITES.append((service, method, args))


def _need(condition, message: str, field: str | None = None):
    if not condition:
        raise ValidationError(message, field=field)


def _get(kind: str, key) -> dict:
    try:
        return copy.deepcopy(WORLD[kind][str(key)])
    except KeyError:
        raise NotFound(f"no {kind[:-1]} {key}") from None


class AuditTrail:
    """Each service's `audit_log` RPC: the doubles record no audit trail."""

    @rpc
    def audit_log(self, filters):
        return {"total": 0, "items": []}


class TeamsDouble(AuditTrail):
    name = "teams"
    counted = Counted()

    @rpc
    def verify_credentials(self, username, password, address=None):
        if username not in USERS or password != PASSWORD:
            raise Unauthenticated("wrong username or password")
        role, scope, team, version = USERS[username]
        return {"username": username, "role": role, "scope_code": scope,
                "scope_version": version, "team_id": team}

    @rpc
    def revocations_in_force(self):
        return []  # the real revocations are tested on the real teams service

    @rpc
    def revoke_tokens(self, username, expires_at, token_id=None, issued_before=None):
        return {"username": username, "token_id": token_id, "issued_before": issued_before,
                "expires_at": expires_at}

    @rpc
    def get_account(self, username):
        return copy.deepcopy(WORLD["accounts"].get(username))

    @rpc
    def list_accounts(self, actor, unit_code=None, role=None, first=20, after=None):
        found = [a for a in WORLD["accounts"].values()
                 if unit_code in (None, "20", a["commune"]) and role in (None, a["role"])]
        return _page(found, first, after)

    @rpc
    def create_account(self, account, actor):
        _need(account.get("full_name", "").strip(), "an account needs a name", "full_name")
        _write("teams", "create_account", account)
        made = _account(account["username"], account["role"],
                        account.get("unit_code") or IN_2025, account.get("team_id"))
        return {"user": {**made, "must_change_password": True}, "password": "one-time-pass-1"}

    @rpc
    def set_account_active(self, username, active, actor):
        _write("teams", "set_account_active", username, active)
        return {"user": {**_get("accounts", username), "active": active},
                "revoked": _revoked(username)}

    @rpc
    def reset_account_password(self, username, actor):
        _write("teams", "reset_account_password", username)
        return {"user": {**_get("accounts", username), "must_change_password": True},
                "revoked": _revoked(username), "password": "one-time-pass-2"}

    @rpc
    def change_password(self, old_password, new_password, actor, address=None):
        _need(len(new_password) >= 12, "new_password: at least 12 characters", "new_password")
        _write("teams", "change_password", actor["username"])
        return {"user": {**actor, "must_change_password": False},
                "revoked": _revoked(actor["username"])}

    @rpc
    def list_units(self, level=None, parent_code=None, geo_version="V2025"):
        return [u for u in UNITS if u["geo_version"] == geo_version
                and (level is None or u["level"] == level)
                and (parent_code is None or u["parent_code"] == parent_code)]

    @rpc
    def get_unit(self, code, geo_version="V2025"):
        for unit in UNITS:
            if unit["code"] == code and unit["geo_version"] == geo_version:
                return unit
        raise NotFound(f"no unit {code}")

    @rpc
    def get_team(self, team_id):
        return _get("teams", team_id)

    @rpc
    def get_teams(self, ids):  # like the real one: None where an id is unknown
        return [copy.deepcopy(WORLD["teams"].get(i)) for i in ids]

    @rpc
    def list_teams(self, unit_code=None, geo_version="LEGACY", first=20, after=None,
                   count=True):
        teams = [t for t in WORLD["teams"].values() if _inside(unit_code, geo_version, t)]
        return {**_page(teams, first, after), **({} if count else {"total_count": None})}

    @rpc
    def get_mediators(self, ids):
        return [copy.deepcopy(WORLD["mediators"][i]) for i in ids if i in WORLD["mediators"]]

    @rpc
    def list_mediators(self, team_ids):
        return {t: [WORLD["mediators"][m] for m in WORLD["teams"][t]["mediator_ids"]]
                for t in team_ids if t in WORLD["teams"]}

    @rpc
    def list_non_compliant(self, unit_code=None, geo_version="LEGACY"):
        return [t for t in WORLD["teams"].values() if _inside(unit_code, geo_version, t)][:2]

    @rpc
    def map_legacy_unit(self, code):
        if code not in CROSSWALK:
            raise NotFound(f"no LEGACY commune {code}")
        return {**self.get_unit(CROSSWALK[code], "V2025"), "split_into": []}

    @rpc
    def get_pilot(self, year):
        return {"year": year, "deadline": "2018-03-20", "target_rate": 0.9, "warnings": [],
                "communes": [{"commune_code": IN_COMMUNE, "district_code": IN_DISTRICT,
                              "selected_on": "2018-03-01", "on_time": True,
                              "model_teams": [{"team_id": "t1", "selected_on": "2018-03-02",
                                               "on_time": True}]}]}

    @rpc
    def form_team(self, payload, actor):
        _need(payload.get("name", "").strip(), "a team needs a name", "name")
        _need(payload.get("formed_on"), "give the date", "formed_on")
        _write("teams", "form_team", payload, actor)
        if payload.get("geo_version") == "V2025":
            return {**_team("t-new", IN_COMMUNE, None, ["t1-m1"]), "geo_version": "V2025",
                    "commune_code": payload["commune_code"], "v2025_code": payload["commune_code"]}
        return _team("t-new", payload["commune_code"], IN_DISTRICT, ["t1-m1"])

    @rpc
    def add_mediator(self, team_id, payload, actor):
        _need(payload.get("full_name", "").strip(), "a mediator needs a name", "full_name")
        _write("teams", "add_mediator", payload, actor)
        return _mediator("m-new", team_id, payload["full_name"], payload["gender"])

    @rpc
    def recognise_mediator(self, mediator_id, recognition, actor):
        _need(recognition["decision_number"].strip(), "a decision number", "decision_number")
        _write("teams", "recognise_mediator", recognition, actor)
        return _get("mediators", mediator_id)

    @rpc
    def record_review(self, review, actor):
        _need(review["findings"].strip(), "findings are needed", "findings")
        _write("teams", "record_review", review, actor)
        return {**_get("teams", review["team_id"]), "review": review}

    @rpc
    def record_inspection(self, inspection, actor):
        _need(inspection["findings"].strip(), "findings are needed", "findings")
        _write("teams", "record_inspection", inspection, actor)
        return {"id": 1, **inspection}

    @rpc
    def record_commendation(self, commendation, actor):
        _need(commendation["reason"].strip(), "a reason is needed", "reason")
        _write("teams", "record_commendation", commendation, actor)
        return {"id": 1, **commendation}

    @rpc
    def record_training(self, training, actor):
        _need(training["training"].strip(), "name the training", "training")
        _write("teams", "record_training", training, actor)
        return {"mediator_id": training["mediator_id"], "training": training["training"]}

    @rpc
    def record_contest(self, contest, actor):
        _need(contest["result"].strip(), "give the result", "result")
        _write("teams", "record_contest", contest, actor)
        return {"mediator_id": contest["mediator_id"], "contest": contest["contest"]}

    @rpc
    def elect_leader(self, team_id, mediator_id, elected_on, actor):
        team = _get("teams", team_id)
        if mediator_id not in team["mediator_ids"]:
            raise Conflict("the leader must be one of the team's mediators", "mediatorId")
        _write("teams", "elect_leader", team_id, mediator_id)
        return {**team, "leader_id": mediator_id}

    @rpc
    def correct_team_placement(self, team_id, commune_code, actor):
        _need(commune_code == "06401", f"{IN_COMMUNE} became 06401 in 2025", "commune_code")
        _write("teams", "correct_team_placement", team_id, commune_code)
        return {**_get("teams", team_id), "v2025_code": commune_code,
                "placement_assumed": False}

    @rpc
    def dissolve_team(self, team_id, dissolved_on, actor):
        _need(dissolved_on.strip(), "give a date", "dissolvedOn")
        _write("teams", "dissolve_team", team_id, dissolved_on)
        return {**_get("teams", team_id), "status": "DISSOLVED"}

    @rpc
    def list_inspections(self, unit_code=None, year=None, geo_version="LEGACY"):
        return [{"id": 1, "unit_code": IN_COMMUNE, "geo_version": "LEGACY",
                 "district_code": IN_DISTRICT, "inspected_on": "2025-02-01",
                 "body": "Sở Tư pháp", "findings": "Sổ theo dõi đầy đủ", "actions": None}
                ] if _inside(unit_code, geo_version, {"commune_code": IN_COMMUNE,
                                                      "district_code": IN_DISTRICT}) else []

    @rpc
    def list_commendations(self, unit_code=None, year=None, geo_version="LEGACY"):
        rows = [{"id": n, "team_id": t, "mediator_id": None, "commune_code": c,
                 "district_code": d, "v2025_code": CROSSWALK[c], "level": "DISTRICT",
                 "awarded_on": "2025-01-05",
                 "reason": "Hòa giải thành nhiều vụ"}
                for n, (t, c, d) in enumerate((("t1", IN_COMMUNE, IN_DISTRICT),
                                               ("t2", OUT_COMMUNE, OUT_DISTRICT)), 1)]
        return [r for r in rows if _inside(unit_code, geo_version, r)]

    @rpc
    def set_pilot_programme(self, programme, actor):
        _need(programme["period_start"] <= programme["period_end"],
              "the period ends before it starts", "period_end")
        _write("teams", "set_pilot_programme", programme)
        return self.get_pilot(programme["year"])

    @rpc
    def select_pilot_commune(self, year, commune_code, selected_on, actor):
        _need(2018 <= year <= 2100, "the pilot started in 2018", "year")
        _write("teams", "select_pilot_commune", year, commune_code)
        return self.get_pilot(year)

    @rpc
    def select_model_team(self, year, team_id, selected_on, actor):
        _need(2018 <= year <= 2100, "the pilot started in 2018", "year")
        _write("teams", "select_model_team", year, team_id)
        return self.get_pilot(year)


class CasesDouble(AuditTrail):
    name = "cases"
    counted = Counted()

    @rpc
    def get_case(self, case_id):
        return _get("cases", case_id)

    @rpc
    def get_cases(self, ids):
        return [copy.deepcopy(WORLD["cases"][i]) for i in ids if i in WORLD["cases"]]

    @rpc
    def list_cases(self, unit_code=None, geo_version="LEGACY", status=None, category=None,
                   team_id=None, first=20, after=None):
        cases = [c for c in WORLD["cases"].values()
                 if _inside(unit_code, geo_version, c)
                 and team_id in (None, c["team_id"]) and status in (None, c["status"])
                 and category in (None, c["category"])]
        return _page(cases, first, after)

    @rpc
    def list_overdue(self, unit_code=None, geo_version="LEGACY", first=50, after=None,
                     team_id=None):
        return self.list_cases(unit_code, geo_version, None, None, team_id, first, after)

    @rpc
    def get_timelines(self, case_ids):
        return {i: [{"step": "receive", "status": "RECEIVED", "actor": "officer1",
                     "at": WORLD["cases"][i].get("received_at") or "2025-03-01T08:00:00+00:00"}]
                for i in case_ids if i in WORLD["cases"]}

    @rpc
    def get_case_parties(self, case_id, actor):
        return _get("parties", case_id)

    @rpc
    def log_book(self, team_id, year, format="csv", actor=None):
        content = base64.b64encode(f"team,{team_id},{year}\n".encode()).decode()
        return {"team_id": team_id, "year": year, "format": format,
                "filename": f"so-theo-doi-{year}.{format}", "content_type": "text/csv",
                "content": content, "row_count": 1}

    @rpc
    def submit_case(self, payload, actor):
        _need(len(payload.get("parties") or []) >= 2, "a case has at least two parties",
              "parties")
        _need(payload.get("subject", "").strip(), "a subject is needed", "subject")
        key = payload["idempotency_key"]
        if key in WORLD["idempotency"]:
            return _get("cases", WORLD["idempotency"][key])
        case = _case(f"new-{len(WORLD['idempotency'])}", WORLD["teams"][payload["team_id"]])
        case.update(status="RECEIVED", category=payload["category"], subject=payload["subject"])
        WORLD["cases"][case["id"]] = case
        WORLD["parties"][case["id"]] = {"case_id": case["id"],
                                        "description": payload["description"],
                                        "parties": payload["parties"]}
        WORLD["idempotency"][key] = case["id"]
        _write("cases", "submit_case", payload, actor)
        return copy.deepcopy(case)

    @rpc
    def assign_mediators(self, case_id, mediator_ids, actor):
        case = _get("cases", case_id)
        _need(mediator_ids, "assign at least one mediator", "mediatorIds")
        _write("cases", "assign_mediators", case_id, mediator_ids)
        return {**case, "assigned_mediator_ids": mediator_ids}

    def _transition(self, method, case_id, **changes):
        case = _get("cases", case_id)
        _write("cases", method, case_id, changes)
        return {**case, **changes}

    @rpc
    def start_mediation(self, case_id, actor):
        return self._transition("start_mediation", case_id, status="IN_MEDIATION")

    @rpc
    def record_outcome(self, case_id, outcome, note, agreement_text, actor):
        if outcome == "SUCCESSFUL" and agreement_text is not None and not agreement_text.strip():
            raise ValidationError("the agreement text is empty", "agreementText")
        return self._transition("record_outcome", case_id, status=outcome, outcome=outcome)

    @rpc
    def refer_case(self, case_id, authority, reason, actor):
        _need(authority.strip(), "name the authority", "authority")
        return self._transition("refer_case", case_id, status="REFERRED")

    @rpc
    def follow_up(self, case_id, carried_out, note, actor):
        return self._transition("follow_up", case_id)

    @rpc
    def escalate_case(self, case_id, kind, reason, actor):
        _need(reason.strip(), "give a reason", "reason")
        return self._transition("escalate_case", case_id, escalated=True)

    def _held(self, case_id):
        case, held = _get("cases", case_id), WORLD["parties"][case_id]
        erased = held.get("erased_at") is not None
        return {"case_id": case_id, "status": case["status"], "closed_at": None,
                "retention_years": 5, "retention_ends_at": None, "expired": False,
                "erased": erased, "erased_at": held.get("erased_at"),
                "erasure_reason_code": "REQUESTED" if erased else None,
                "erasure_reason": held.get("erasure_reason"),
                "description": None if erased else held["description"],
                "parties": [] if erased else [{"full_name": p["full_name"],
                                               "address": p.get("address")}
                                              for p in held["parties"]],
                "texts": []}

    @rpc
    def personal_data_report(self, case_id, actor):
        return self._held(case_id)

    @rpc
    def erase_personal_data(self, case_id, reason, actor):
        _need(reason.strip() and len(reason) <= 500, "a reason of at most 500 characters",
              "reason")
        held = WORLD["parties"][_get("cases", case_id)["id"]]
        already = held.get("erased_at") is not None
        if not already:
            held.update(erased_at="2026-11-28T10:00:00+00:00", erasure_reason=reason)
            _write("cases", "erase_personal_data", case_id, reason)
        return {"already_erased": already, "report": self._held(case_id)}


def _summary() -> dict:
    return {"received": 10, "successful": 7, "unsuccessful": 2, "in_progress": 1, "stopped": 0,
            "referred": 0, "rate": 7 / 9, "target": 0.8, "meets_target": False}


class ReportingDouble(AuditTrail):
    name = "reporting"
    counted = Counted()

    @rpc
    def pipeline(self):
        return {"mode": "LIVE", "pending_events": 0, "caught_up": True}

    @rpc
    def success_rate(self, unit_code, year, geo_version="V2025"):
        return {"unit_code": unit_code, "geo_version": geo_version, "year": year,
                **_summary()}

    @rpc
    def success_rates(self, unit_codes, year, geo_version="V2025"):
        return {code: self.success_rate(code, year, geo_version) for code in unit_codes}

    @rpc
    def team_success_rate(self, team_id, year):
        return {"team_id": team_id, "year": year, **_summary()}

    @rpc
    def multi_year_summary(self, unit_code, from_year, to_year, geo_version="V2025"):
        _need(from_year <= to_year, "from_year after to_year", "to_year")
        return {"unit_code": unit_code, "geo_version": geo_version, "from_year": from_year,
                "to_year": to_year, "total": _summary(),
                "years": [{"year": y, **_summary()} for y in range(from_year, to_year + 1)]}

    @rpc
    def pilot_evaluation(self, year):
        return {"programme_year": year, "teams_meeting_target": 0,
                "model_teams": [{"team_id": "t1", "commune_code": IN_COMMUNE,
                                 "district_code": IN_DISTRICT, "period_start": "2018-04-01",
                                 "period_end": "2019-12-31", **_summary(), "target": 0.9}],
                "districts": [{"district_code": IN_DISTRICT, "meets_minimum": False,
                               "pilot_communes": [{"commune_code": IN_COMMUNE,
                                                   "selected_on": "2018-03-01",
                                                   "on_time": True}]}]}

    @rpc
    def report(self, unit_code, year, half=None, geo_version="V2025"):
        return {"indicator": "0403", "unit_code": unit_code, "geo_version": geo_version,
                "year": year, "half": half, "teams": 2, "mediators": 6,
                "rows": [{"category": "CONFLICT", "group": "Mâu thuẫn", **_summary()}],
                "total": {"category": None, "group": "Tổng cộng", **_summary()}}

    @rpc
    def report_file(self, unit_code, year, half=None, geo_version="V2025", format="csv"):
        return {"filename": f"bao-cao-{unit_code}-{year}.{format}", "content_type": "text/csv",
                "content_base64": base64.b64encode(b"unit,received\n").decode()}

    @rpc
    def hotspots(self, unit_code, days=30, geo_version="V2025"):
        return [{"commune_code": IN_COMMUNE, "geo_version": "LEGACY", "district_code": IN_DISTRICT,
                 "v2025_code": "06401", "category": "CONFLICT", "window_days": days,
                 "as_of": "2025-06-01", "window_count": 4, "baseline_monthly_mean": 0.5,
                 "ratio": 8.0, "escalated_count": 0, "reasons": ["SURGE"]}]

    @rpc
    def remuneration(self, unit_code, year, geo_version="LEGACY"):
        return {"unit_code": unit_code, "geo_version": geo_version, "year": year,
                "cases": 3, "paid": 600000, "budget": 1000000, "remaining": 400000,
                "by_team": [], "communes": []}

    @rpc
    def set_budget(self, commune_code, year, amount, actor, geo_version="LEGACY"):
        _need(amount >= 0, "a budget is not negative", "amount")
        _write("reporting", "set_budget", commune_code, year, amount)
        return self.remuneration(commune_code, year)

    @rpc
    def list_dead_letters(self, first=20, after=None):
        return _page([{"id": 1, "event_id": "e1", "event_type": "case.received", "body": {},
                       "error": "boom", "attempts": 3, "created_at": "2025-01-01T00:00:00",
                       "replayed_at": None}], first, after)

    @rpc
    def replay_dead_letter(self, id):
        if int(id) != 1:
            raise NotFound(f"no dead letter {id}")
        _write("reporting", "replay_dead_letter", id)
        return {"replayed": True}


DOUBLES = (TeamsDouble, CasesDouble, ReportingDouble)
