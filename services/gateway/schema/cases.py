"""Cases (vụ việc hòa giải): intake, lifecycle, follow-up, referral, the log book."""

from functools import partial

import graphene

from services.common.errors import Forbidden
from services.gateway import policy
from services.gateway.schema.common import (
    AdminUnit,
    FileFormat,
    GeoVersion,
    build_connection,
    connection,
    ctx,
    fetch_page,
    page_args,
    payload,
    plain_input,
    run_mutation,
    unit_field,
    value,
)
from services.gateway.schema.enums import (
    CaseCategory,
    CaseStatus,
    Channel,
    EscalationKind,
    NonMediableReason,
    Outcome,
)
from services.gateway.schema.permissions import case_of, requires, team_of, team_place_of
from services.gateway.schema.teams import Mediator, Team


class Party(graphene.ObjectType):
    """A party to the dispute: personal data, only for the handling team and commune."""

    full_name = graphene.String(required=True)
    address = graphene.String()


def _personal(case: dict, info) -> dict:
    """The case's personal data, or FORBIDDEN (the case itself stays readable)."""
    if not policy.personal_data_allowed(ctx(info).principal, case):
        raise Forbidden("parties' personal data is only for the handling team and commune")
    return ctx(info).loaders.parties.load(case["id"]) or {}


class TimelineStep(graphene.ObjectType):
    """One step of a case, from the cases service's audit rows."""

    step = graphene.String(required=True, description="receive, assign, start, resolve, "
                           "refer, guide, follow_up, escalate or erase (personal data)")
    status = graphene.Field(CaseStatus, required=True, description="the case's status after it")
    actor = graphene.String(required=True, description="the username who took the step")
    at = graphene.String(required=True, description="when it happened (ISO-8601)")


class Case(graphene.ObjectType):
    id = graphene.ID(required=True)
    status = graphene.Field(CaseStatus, required=True)
    category = graphene.Field(CaseCategory, required=True)
    subject = graphene.String()
    channel = graphene.String()
    team = graphene.Field(Team)
    unit = graphene.Field(AdminUnit, description="the commune of the handling team")
    received_at = graphene.String()
    assigned_at = graphene.String()
    start_deadline = graphene.String(description="assignment + 3 days (Law 35 Art. 20)")
    started_at = graphene.String()
    outcome = graphene.Field(Outcome)
    resolved_at = graphene.String()
    escalated = graphene.Boolean()
    referred_to = graphene.String(description="the competent authority the case was referred "
                                  "or its parties guided to (Art. 25)")
    referred_at = graphene.String()
    mediators = graphene.List(graphene.NonNull(Mediator), required=True)
    description = graphene.String(description="the facts: personal data (empty once erased)")
    parties = graphene.List(graphene.NonNull(Party), description="personal data: each "
                            "name reads [đã xóa] once erased")
    personal_data_erased_at = graphene.String(description="when the parties' personal data "
                                              "was erased (retention or request); null if held")
    timeline = graphene.List(graphene.NonNull(TimelineStep), required=True,
                             description="every step, oldest first: who, when")

    resolve_unit = unit_field("commune_code")

    def resolve_team(case, info):
        return ctx(info).loaders.teams.load(case["team_id"])

    def resolve_mediators(case, info):
        ids = case.get("assigned_mediator_ids") or []
        return [m for m in ctx(info).loaders.mediators.load_many(ids) if m]

    def resolve_timeline(case, info):
        return ctx(info).loaders.timelines.load(case["id"]) or []

    def resolve_description(case, info):
        return _personal(case, info).get("description")

    def resolve_parties(case, info):
        return _personal(case, info).get("parties") or []


CaseConnection = connection(Case, "Case")


class FileDownload(graphene.ObjectType):
    filename = graphene.String(required=True)
    content_type = graphene.String(required=True)
    content_base64 = graphene.String(required=True)

    def resolve_content_base64(row, info):
        return row.get("content_base64") or row.get("content")


def case_page(info, method: str, scope: dict, first, after, **filters):
    c = ctx(info)
    if scope["team_id"]:
        filters["team_id"] = scope["team_id"]
    page, items, start = fetch_page(first, after, lambda n, a: c.call(
        "cases", method, unit_code=scope["unit_code"], geo_version=scope["geo_version"],
        first=n, after=a, **filters))
    kept = [case for case in items if policy.in_scope(c.principal, case)]
    if len(kept) < len(items):  # a guard (cases filtered by scope): count only what we show
        page = {**page, "total_count": len(kept)}
    items = kept
    c.loaders.cases.cache.update({str(case["id"]): case for case in items})
    c.loaders.teams.prime(case["team_id"] for case in items)
    c.loaders.team_mediators.prime(case["team_id"] for case in items)
    c.loaders.mediators.prime(m for case in items for m in case.get("assigned_mediator_ids") or ())
    return build_connection(CaseConnection, page, items, start)


class CaseQueries(graphene.ObjectType):
    case = graphene.Field(Case, id=graphene.ID(required=True))
    cases = graphene.Field(CaseConnection, required=True, unit_code=graphene.String(),
                           status=CaseStatus(), category=CaseCategory(),
                           geo_version=GeoVersion(default_value="V2025"), **page_args())
    overdue_cases = graphene.Field(CaseConnection, required=True, unit_code=graphene.String(),
                                   geo_version=GeoVersion(default_value="V2025"), **page_args())
    log_book = graphene.Field(FileDownload, required=True, team_id=graphene.ID(required=True),
                              year=graphene.Int(required=True),
                              format=FileFormat(default_value="csv"),
                              description="sổ theo dõi hoạt động hòa giải (Art. 27)")

    @requires("read_cases", on=case_of("id"))
    def resolve_case(root, info, id):
        return ctx(info).loaders.cases.load(id)

    @requires("read_cases", listing=True)
    def resolve_cases(root, info, scope, geo_version, unit_code=None, status=None,
                      category=None, first=20, after=None):
        return case_page(info, "list_cases", scope, first, after, status=value(status),
                         category=value(category))

    @requires("read_cases", listing=True)
    def resolve_overdue_cases(root, info, scope, geo_version, unit_code=None, first=20,
                              after=None):
        return case_page(info, "list_overdue", scope, first, after)

    @requires("log_book", on=team_of("team_id"))
    def resolve_log_book(root, info, team_id, year, format):
        return ctx(info).call("cases", "log_book", team_id, year, value(format),
                              ctx(info).principal.as_actor())


# ---- mutations ------------------------------------------------------------------------

CasePayload = payload("CasePayload", "case", Case)


class PartyInput(graphene.InputObjectType):
    full_name = graphene.String(required=True)
    address = graphene.String()
    related_mediator_ids = graphene.List(graphene.NonNull(graphene.ID),
                                         description="mediators related to this party (Art. 18)")


class SubmitCaseInput(graphene.InputObjectType):
    idempotency_key = graphene.String(required=True)
    team_id = graphene.ID(required=True)
    category = CaseCategory(required=True)
    subject = graphene.String(required=True, description="one line")
    description = graphene.String(required=True)
    received_at = graphene.String(description="ISO-8601 date-time; default now")
    channel = Channel(default_value="IN_PERSON")
    non_mediable = NonMediableReason(description="declared by the officer: intake refuses it")
    screen_override = graphene.Boolean(description="an officer checked a keyword hit")
    parties = graphene.List(graphene.NonNull(PartyInput), required=True,
                            description="at least two")


def _case_write(info, case_id, rpc: str, *args):
    return run_mutation(CasePayload, lambda: ctx(info).call(
        "cases", rpc, case_id, *args, ctx(info).principal.as_actor()), "case")


class CaseMutations(graphene.ObjectType):
    submit_case = graphene.Field(CasePayload, required=True, input=SubmitCaseInput(required=True),
                                 description="idempotent on input.idempotencyKey")
    assign_mediators = graphene.Field(CasePayload, required=True,
                                      case_id=graphene.ID(required=True),
                                      mediator_ids=graphene.List(graphene.NonNull(graphene.ID),
                                                                 required=True))
    start_mediation = graphene.Field(CasePayload, required=True,
                                     case_id=graphene.ID(required=True))
    record_outcome = graphene.Field(CasePayload, required=True,
                                    case_id=graphene.ID(required=True),
                                    outcome=Outcome(required=True), note=graphene.String(),
                                    agreement_text=graphene.String())
    escalate_case = graphene.Field(CasePayload, required=True, case_id=graphene.ID(required=True),
                                   reason=graphene.String(required=True),
                                   kind=EscalationKind(default_value="MASS_OR_COMPLEX"))
    refer_case = graphene.Field(CasePayload, required=True, case_id=graphene.ID(required=True),
                                authority=graphene.String(required=True),
                                reason=graphene.String(required=True),
                                description="to the competent authority (Art. 25): an open "
                                "case leaves mediation (REFERRED); after an UNSUCCESSFUL "
                                "outcome the guidance is recorded and the outcome stays")
    follow_up = graphene.Field(CasePayload, required=True, case_id=graphene.ID(required=True),
                               carried_out=graphene.Boolean(required=True),
                               note=graphene.String(),
                               description="is the agreement carried out? (Art. 26)")

    @requires("submit_case", on=team_place_of("input.team_id"))
    def resolve_submit_case(root, info, input):
        data = plain_input(input)
        data["parties"] = [plain_input(p) for p in data["parties"]]
        context = ctx(info)
        return run_mutation(CasePayload, lambda: context.shared.intake.submit(
            partial(context.call, "cases"), data, context.principal.as_actor(),
            context.correlation_id), "case")

    @requires("assign_mediators", on=case_of("case_id"))
    def resolve_assign_mediators(root, info, case_id, mediator_ids):
        return _case_write(info, case_id, "assign_mediators", mediator_ids)

    @requires("start_mediation", on=case_of("case_id"))
    def resolve_start_mediation(root, info, case_id):
        return _case_write(info, case_id, "start_mediation")

    @requires("record_outcome", on=case_of("case_id"))
    def resolve_record_outcome(root, info, case_id, outcome, note=None, agreement_text=None):
        return _case_write(info, case_id, "record_outcome", value(outcome), note,
                           agreement_text)

    @requires("escalate_case", on=case_of("case_id"))
    def resolve_escalate_case(root, info, case_id, reason, kind):
        return _case_write(info, case_id, "escalate_case", value(kind), reason)

    @requires("refer_case", on=case_of("case_id"))
    def resolve_refer_case(root, info, case_id, authority, reason):
        return _case_write(info, case_id, "refer_case", authority, reason)

    @requires("follow_up", on=case_of("case_id"))
    def resolve_follow_up(root, info, case_id, carried_out, note=None):
        return _case_write(info, case_id, "follow_up", carried_out, note)
