"""Registry: teams (tổ hòa giải), mediators (hòa giải viên), the pilot programme."""

from datetime import date

import graphene

from services.gateway import policy
from services.gateway.schema.common import (
    AdminUnit,
    GeoVersion,
    authorize,
    build_connection,
    connection,
    ctx,
    current_unit_field,
    fetch_page,
    geo,
    page_args,
    payload,
    plain_input,
    run_mutation,
    selects,
    unit_field,
)
from services.gateway.schema.enums import (
    CommendationLevel,
    Gender,
    IssueSeverity,
    RegistryIssueCode,
)
from services.gateway.schema.figures import TeamSuccessRate
from services.gateway.schema.permissions import (
    commune_of,
    mediator_team_of,
    requires,
    team_of,
    unit_of,
)


class Recognition(graphene.ObjectType):
    """The commune chairperson's decision recognising a mediator (Law 35 Art. 8)."""

    decision_number = graphene.String(required=True)
    decision_date = graphene.String()
    issued_by = graphene.String()
    late = graphene.Boolean(description="more than 5 working days after the election")
    working_days = graphene.Int(description="working days (Mon–Fri) from the election to "
                                "the decision; null when the election date is unknown")

    def resolve_issued_by(rec, info):
        return rec.get("decision_issued_by")

    def resolve_late(rec, info):
        return rec.get("recognition_late")

    def resolve_working_days(rec, info):
        return rec.get("recognition_working_days")


class Mediator(graphene.ObjectType):
    id = graphene.ID(required=True)
    full_name = graphene.String(required=True)
    gender = graphene.String()
    year_of_birth = graphene.Int()
    ethnicity = graphene.String()
    status = graphene.String()
    elected_on = graphene.String(description="chosen in the village (Law 35 Art. 8)")
    recognition = graphene.Field(Recognition, description="null until recognised")
    team = graphene.Field(lambda: Team)

    def resolve_recognition(mediator, info):
        return mediator if mediator.get("decision_number") else None

    def resolve_team(mediator, info):
        return ctx(info).loaders.teams.load(mediator["team_id"])


class RegistryIssue(graphene.ObjectType):
    """A rule of Law 35 Art. 12 the team breaks (RULE) or a goal it misses (WARNING)."""

    code = graphene.Field(RegistryIssueCode, required=True)
    severity = graphene.Field(IssueSeverity, required=True)
    message = graphene.String(required=True)


class Team(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    unit = graphene.Field(AdminUnit, description="the commune the team was formed in, in "
                          "that layout (see currentCommune and legacyCommune)")
    current_commune = graphene.Field(AdminUnit, required=True,
                                     description="the V2025 commune the team works in today")
    legacy_commune = graphene.Field(AdminUnit, description="the LEGACY commune the team "
                                    "was formed in, kept for history; null if formed in V2025")
    placement_assumed = graphene.Boolean(
        required=True, description="currentCommune is the crosswalk's default for a split "
        "LEGACY commune, not stated: the commune officer can correct it "
        "(correctTeamPlacement)")
    village = graphene.String()
    status = graphene.String()
    compliant = graphene.Boolean(description="meets Law 35 Art. 12 (≥ 3 mediators, a woman, "
                                 "an elected leader)")
    compliance_reasons = graphene.List(graphene.NonNull(graphene.String))
    issues = graphene.List(graphene.NonNull(RegistryIssue), required=True,
                           description="every rule broken and goal missed, with its code")
    leader = graphene.Field(Mediator)
    mediators = graphene.List(graphene.NonNull(Mediator), required=True)
    success_rate = graphene.Field(TeamSuccessRate, required=True,
                                  year=graphene.Int(required=True),
                                  description="the team's rate; target 0.9 as a model team")

    resolve_unit = unit_field("commune_code")

    def resolve_current_commune(team, info):
        return ctx(info).loaders.unit(team["v2025_code"], "V2025")

    def resolve_legacy_commune(team, info):
        if team.get("geo_version") != "LEGACY":
            return None
        return ctx(info).loaders.unit(team["commune_code"], "LEGACY")

    def resolve_placement_assumed(team, info):
        return bool(team.get("placement_assumed"))

    def resolve_issues(team, info):
        return team.get("issues") or []

    def resolve_success_rate(team, info, year):
        authorize(info, "read_team_rate", policy.team_scope(team))
        return ctx(info).call("reporting", "team_success_rate", team["id"], year)

    def resolve_leader(team, info):
        return None if not team.get("leader_id") else ctx(info).loaders.mediators.load(
            team["leader_id"])

    def resolve_mediators(team, info):
        return ctx(info).loaders.team_mediators.load(team["id"]) or []


TeamConnection = connection(Team, "Team")


class PilotCommune(graphene.ObjectType):
    """A pilot commune of 2018–2020: a LEGACY unit, where the pilot happened."""

    unit = graphene.Field(AdminUnit)
    current_unit = graphene.Field(AdminUnit, description="the V2025 commune it is part of today")
    selected_on = graphene.String()
    on_time = graphene.Boolean(description="selected before the plan's deadline")
    model_teams = graphene.List(graphene.NonNull(Team), required=True)

    def resolve_unit(row, info):
        return ctx(info).loaders.unit(row.get("commune_code"), row.get("geo_version", "LEGACY"))

    resolve_current_unit = current_unit_field("commune_code")

    def resolve_model_teams(row, info):
        ids = [t["team_id"] for t in row.get("model_teams") or []]
        if not policy.allowed(ctx(info).principal, "read_registry"):
            return []
        return [t for t in ctx(info).loaders.teams.load_many(ids) if t]


class PilotProgramme(graphene.ObjectType):
    """Plan 73: ≥ 2 pilot communes per district, 2 model teams each aiming at > 90%."""

    year = graphene.Int(required=True)
    deadline = graphene.String()
    period_start = graphene.String()
    period_end = graphene.String()
    target_rate = graphene.Float()
    warnings = graphene.List(graphene.NonNull(graphene.String))
    communes = graphene.List(graphene.NonNull(PilotCommune), required=True)

    def resolve_communes(pilot, info):
        communes = pilot.get("communes") or []
        ctx(info).loaders.current_units.prime(c["commune_code"] for c in communes)
        return communes


class TeamQueries(graphene.ObjectType):
    team = graphene.Field(Team, id=graphene.ID(required=True))
    teams = graphene.Field(TeamConnection, required=True, unit_code=graphene.String(),
                           geo_version=GeoVersion(default_value="V2025"), **page_args())
    mediator = graphene.Field(Mediator, id=graphene.ID(required=True))
    non_compliant_teams = graphene.List(graphene.NonNull(Team), required=True,
                                        unit_code=graphene.String(),
                                        geo_version=GeoVersion(default_value="V2025"))
    pilot = graphene.Field(PilotProgramme, required=True, year=graphene.Int(required=True))
    inspections = graphene.List(graphene.NonNull(lambda: Inspection), required=True,
                                unit_code=graphene.String(), year=graphene.Int(),
                                geo_version=GeoVersion(default_value="V2025"))
    commendations = graphene.List(graphene.NonNull(lambda: Commendation), required=True,
                                  unit_code=graphene.String(), year=graphene.Int(),
                                  geo_version=GeoVersion(default_value="V2025"))

    @requires("read_registry", on=team_of("id"))
    def resolve_team(root, info, id):
        return ctx(info).loaders.teams.load(id)

    @requires("read_registry", listing=True)
    def resolve_teams(root, info, scope, geo_version, unit_code=None, first=20, after=None):
        c = ctx(info)
        if scope["team_id"]:
            team = c.loaders.teams.load(scope["team_id"])
            page = {"items": [team] if team else [], "total_count": 1 if team else 0,
                    "end_cursor": None, "has_next_page": False}
            return build_connection(TeamConnection, page, page["items"][:first], (None, 0))
        page, items, start = fetch_page(first, after, lambda n, a: c.call(
            "teams", "list_teams", unit_code=scope["unit_code"],
            geo_version=scope["geo_version"], first=n, after=a,
            count=selects(info, "totalCount")))
        items = [t for t in items if policy.in_scope(c.principal, policy.team_scope(t))]
        c.loaders.team_mediators.prime(t["id"] for t in items)
        c.loaders.teams.cache.update({str(t["id"]): t for t in items})
        return build_connection(TeamConnection, page, items, start)

    @requires("read_registry", on=mediator_team_of("id"))
    def resolve_mediator(root, info, id):
        return ctx(info).loaders.mediators.load(id)

    @requires("read_registry", listing=True)
    def resolve_non_compliant_teams(root, info, scope, geo_version, unit_code=None):
        c = ctx(info)
        unit = scope["unit_code"] or (c.principal.scope_code if scope["team_id"] else None)
        teams = c.call("teams", "list_non_compliant", unit, scope["geo_version"])
        return [t for t in _items(teams) if policy.in_scope(c.principal, policy.team_scope(t))]

    @requires("read_aggregates")
    def resolve_pilot(root, info, year):
        return ctx(info).call("teams", "get_pilot", year)

    @requires("read_inspections", listing=True)
    def resolve_inspections(root, info, scope, geo_version, unit_code=None, year=None):
        return _items(ctx(info).call("teams", "list_inspections", scope["unit_code"], year,
                                     scope["geo_version"]))

    @requires("read_commendations", listing=True)
    def resolve_commendations(root, info, scope, geo_version, unit_code=None, year=None):
        c = ctx(info)
        # team roles: their commune's list, narrowed to their own team below
        unit = scope["unit_code"] or (c.principal.scope_code if scope["team_id"] else None)
        found = _items(c.call("teams", "list_commendations", unit, year, scope["geo_version"]))
        return [row for row in found if policy.in_scope(c.principal, row)]


def _items(result):
    return result["items"] if isinstance(result, dict) else result


# ---- mutations ------------------------------------------------------------------------

TeamPayload = payload("TeamPayload", "team", Team)
MediatorPayload = payload("MediatorPayload", "mediator", Mediator)
PilotPayload = payload("PilotPayload", "pilot", PilotProgramme)


class PilotProgrammeInput(graphene.InputObjectType):
    """A year's pilot plan (Plan 73): when communes must be picked and the period judged."""

    year = graphene.Int(required=True)
    deadline = graphene.String(required=True, description="ISO-8601 date")
    period_start = graphene.String(required=True)
    period_end = graphene.String(required=True)
    target_rate = graphene.Float(description="default 0.9")


class FormTeamInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    commune_code = graphene.String(required=True)
    geo_version = GeoVersion(default_value="V2025")
    village = graphene.String(description="thôn / tổ dân phố")
    formed_on = graphene.String(required=True, description="ISO-8601 date")
    current_commune_code = graphene.String(
        description="the V2025 commune the village belongs to now; for a LEGACY commune "
        "split in 2025 (one of its targets): without it the crosswalk's default is assumed")


class AddMediatorInput(graphene.InputObjectType):
    team_id = graphene.ID(required=True)
    full_name = graphene.String(required=True)
    gender = Gender(required=True)
    year_of_birth = graphene.Int()
    ethnicity = graphene.String()
    mass_organisation = graphene.String()
    citizen_id = graphene.String()
    elected_on = graphene.String(description="chosen in the village (Law 35 Art. 8)")
    election_share = graphene.Float(description="share of households agreeing, > 0.5")


class RecogniseMediatorInput(graphene.InputObjectType):
    mediator_id = graphene.ID(required=True)
    decision_number = graphene.String(required=True, description="the chairperson's decision")
    decision_date = graphene.String(required=True, description="ISO-8601 date")
    issued_by = graphene.String()


class ReviewInput(graphene.InputObjectType):
    """The yearly review (rà soát, củng cố, kiện toàn) of a team."""

    team_id = graphene.ID(required=True)
    reviewed_on = graphene.String(required=True)
    findings = graphene.String(required=True)
    actions = graphene.String()


class TrainingInput(graphene.InputObjectType):
    mediator_id = graphene.ID(required=True)
    training = graphene.String(required=True)
    trained_on = graphene.String(required=True)


class ContestInput(graphene.InputObjectType):
    mediator_id = graphene.ID(required=True)
    contest = graphene.String(required=True)
    held_on = graphene.String(required=True)
    result = graphene.String(required=True)


class InspectionInput(graphene.InputObjectType):
    unit_code = graphene.String(required=True)
    geo_version = GeoVersion(default_value="V2025")
    inspected_on = graphene.String(required=True)
    body = graphene.String(required=True, description="who inspected")
    findings = graphene.String(required=True)
    actions = graphene.String()


class CommendationInput(graphene.InputObjectType):
    team_id = graphene.ID(required=True)
    mediator_id = graphene.ID()
    level = CommendationLevel(required=True)
    awarded_on = graphene.String(required=True)
    reason = graphene.String(required=True)


class Inspection(graphene.ObjectType):
    id = graphene.ID(required=True)
    unit = graphene.Field(AdminUnit)
    inspected_on = graphene.String()
    body = graphene.String()
    findings = graphene.String()
    actions = graphene.String()

    resolve_unit = unit_field("unit_code")


class Commendation(graphene.ObjectType):
    id = graphene.ID(required=True)
    team = graphene.Field(Team)
    mediator = graphene.Field(Mediator)
    level = graphene.String()
    awarded_on = graphene.String()
    reason = graphene.String()

    def resolve_team(row, info):
        return ctx(info).loaders.teams.load(row["team_id"])

    def resolve_mediator(row, info):
        mediator_id = row.get("mediator_id")
        return mediator_id and ctx(info).loaders.mediators.load(mediator_id)


InspectionPayload = payload("InspectionPayload", "inspection", Inspection)
CommendationPayload = payload("CommendationPayload", "commendation", Commendation)


def _fresh_mediator(info, mediator_id) -> dict | None:
    ctx(info).loaders.mediators.cache.pop(str(mediator_id), None)
    return ctx(info).loaders.mediators.load(mediator_id)


class TeamMutations(graphene.ObjectType):
    form_team = graphene.Field(TeamPayload, required=True, input=FormTeamInput(required=True))
    add_mediator = graphene.Field(MediatorPayload, required=True,
                                  input=AddMediatorInput(required=True))
    recognise_mediator = graphene.Field(MediatorPayload, required=True,
                                        input=RecogniseMediatorInput(required=True),
                                        description="the commune chairperson's decision (Art. 8)")
    elect_leader = graphene.Field(TeamPayload, required=True, team_id=graphene.ID(required=True),
                                  mediator_id=graphene.ID(required=True),
                                  elected_on=graphene.String(description="default today"))
    dissolve_team = graphene.Field(TeamPayload, required=True, team_id=graphene.ID(required=True),
                                   dissolved_on=graphene.String(description="default today"))
    correct_team_placement = graphene.Field(
        TeamPayload, required=True, team_id=graphene.ID(required=True),
        commune_code=graphene.String(required=True, description="a V2025 commune its LEGACY "
                                     "commune became"),
        description="the V2025 commune a team's village went to (a split LEGACY commune); "
        "clears the assumption; its cases and figures follow")
    record_review = graphene.Field(TeamPayload, required=True, input=ReviewInput(required=True))
    record_training = graphene.Field(MediatorPayload, required=True,
                                     input=TrainingInput(required=True))
    record_contest = graphene.Field(MediatorPayload, required=True,
                                    input=ContestInput(required=True))
    record_inspection = graphene.Field(InspectionPayload, required=True,
                                       input=InspectionInput(required=True))
    record_commendation = graphene.Field(CommendationPayload, required=True,
                                         input=CommendationInput(required=True))
    select_pilot_commune = graphene.Field(
        PilotPayload, required=True, year=graphene.Int(required=True),
        commune_code=graphene.String(required=True), selected_on=graphene.String())
    select_model_team = graphene.Field(PilotPayload, required=True,
                                       year=graphene.Int(required=True),
                                       team_id=graphene.ID(required=True),
                                       selected_on=graphene.String())
    set_pilot_programme = graphene.Field(PilotPayload, required=True,
                                         input=PilotProgrammeInput(required=True))

    @requires("form_team", on=commune_of("input.commune_code"))
    def resolve_form_team(root, info, input):
        data = plain_input(input)
        data["geo_version"] = geo(data.get("geo_version"))
        return _team_write(info, TeamPayload, "team", "form_team", data)

    @requires("add_mediator", on=team_of("input.team_id"))
    def resolve_add_mediator(root, info, input):
        data = plain_input(input)
        team_id = data.pop("team_id")
        return _team_write(info, MediatorPayload, "mediator", "add_mediator", team_id, data)

    @requires("recognise_mediator", on=mediator_team_of("input.mediator_id"))
    def resolve_recognise_mediator(root, info, input):
        data = plain_input(input)
        mediator_id = data.pop("mediator_id")
        return _team_write(info, MediatorPayload, "mediator", "recognise_mediator",
                           mediator_id, data)

    @requires("elect_leader", on=team_of("team_id"))
    def resolve_elect_leader(root, info, team_id, mediator_id, elected_on=None):
        return _team_write(info, TeamPayload, "team", "elect_leader", team_id, mediator_id,
                           elected_on or _today())

    @requires("dissolve_team", on=team_of("team_id"))
    def resolve_dissolve_team(root, info, team_id, dissolved_on=None):
        return _team_write(info, TeamPayload, "team", "dissolve_team", team_id,
                           dissolved_on or _today())

    @requires("correct_team_placement", on=team_of("team_id"))
    def resolve_correct_team_placement(root, info, team_id, commune_code):
        return _team_write(info, TeamPayload, "team", "correct_team_placement", team_id,
                           commune_code)

    @requires("record_review", on=team_of("input.team_id"), dated="input.reviewed_on")
    def resolve_record_review(root, info, input):
        return _team_write(info, TeamPayload, "team", "record_review", plain_input(input))

    @requires("record_training", on=mediator_team_of("input.mediator_id"),
              dated="input.trained_on")
    def resolve_record_training(root, info, input):
        return _mediator_record(info, "record_training", plain_input(input))

    @requires("record_contest", on=mediator_team_of("input.mediator_id"), dated="input.held_on")
    def resolve_record_contest(root, info, input):
        return _mediator_record(info, "record_contest", plain_input(input))

    @requires("record_inspection", on=unit_of("input.unit_code"), dated="input.inspected_on")
    def resolve_record_inspection(root, info, input):
        data = plain_input(input)
        data["geo_version"] = geo(data.get("geo_version"))
        return _team_write(info, InspectionPayload, "inspection", "record_inspection", data)

    @requires("record_commendation", on=team_of("input.team_id"), dated="input.awarded_on")
    def resolve_record_commendation(root, info, input):
        return _team_write(info, CommendationPayload, "commendation", "record_commendation",
                           plain_input(input))

    @requires("select_pilot_commune", on=commune_of("commune_code", layout="LEGACY"),
              dated="selected_on")  # the pilot (2018-2020) stays in the LEGACY layout
    def resolve_select_pilot_commune(root, info, year, commune_code, selected_on=None):
        return _team_write(info, PilotPayload, "pilot", "select_pilot_commune", year,
                           commune_code, selected_on or _today())

    @requires("select_model_team", on=team_of("team_id"), dated="selected_on")
    def resolve_select_model_team(root, info, year, team_id, selected_on=None):
        return _team_write(info, PilotPayload, "pilot", "select_model_team", year, team_id,
                           selected_on or _today())

    @requires("set_pilot_programme")
    def resolve_set_pilot_programme(root, info, input):
        return _team_write(info, PilotPayload, "pilot", "set_pilot_programme",
                           plain_input(input))


def _mediator_record(info, rpc: str, data: dict):
    """A training or contest result; the payload shows the mediator it was recorded for."""
    def write():
        ctx(info).call("teams", rpc, data, ctx(info).principal.as_actor())
        return _fresh_mediator(info, data["mediator_id"])

    return run_mutation(MediatorPayload, write, "mediator")


def _team_write(info, payload_cls, key: str, rpc: str, *args):
    return run_mutation(payload_cls, lambda: ctx(info).call(
        "teams", rpc, *args, ctx(info).principal.as_actor()), key)


def _today() -> str:
    return date.today().isoformat()
