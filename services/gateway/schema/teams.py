"""Registry: teams (tổ hòa giải), mediators (hòa giải viên), the pilot programme."""

from datetime import date

import graphene

from services.gateway import policy
from services.gateway.schema.common import (
    AdminUnit,
    GeoVersion,
    authorize,
    build_connection,
    commune_scope,
    connection,
    ctx,
    fetch_page,
    page_args,
    payload,
    run_mutation,
    unit_field,
    value,
)


class Gender(graphene.Enum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"


class Mediator(graphene.ObjectType):
    id = graphene.ID(required=True)
    full_name = graphene.String(required=True)
    gender = graphene.String()
    year_of_birth = graphene.Int()
    ethnicity = graphene.String()
    status = graphene.String()
    team = graphene.Field(lambda: Team)

    def resolve_team(mediator, info):
        return ctx(info).loaders.teams.load(mediator["team_id"])


class Team(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    unit = graphene.Field(AdminUnit, description="the commune the team works in")
    village = graphene.String()
    status = graphene.String()
    compliant = graphene.Boolean(description="meets Law 35 Art. 12 (≥ 3 mediators, a woman …)")
    compliance_reasons = graphene.List(graphene.NonNull(graphene.String))
    leader = graphene.Field(Mediator)
    mediators = graphene.List(graphene.NonNull(Mediator), required=True)

    resolve_unit = unit_field("commune_code")

    def resolve_leader(team, info):
        return None if not team.get("leader_id") else ctx(info).loaders.mediators.load(
            team["leader_id"])

    def resolve_mediators(team, info):
        return ctx(info).loaders.team_mediators.load(team["id"]) or []


TeamConnection = connection(Team, "Team")


class PilotCommune(graphene.ObjectType):
    unit = graphene.Field(AdminUnit)
    selected_at = graphene.String()
    model_teams = graphene.List(graphene.NonNull(Team), required=True)

    def resolve_unit(row, info):
        return ctx(info).loaders.unit(row.get("commune_code"), row.get("geo_version", "LEGACY"))

    def resolve_model_teams(row, info):
        ids = row.get("model_team_ids") or []
        if not policy.allowed(ctx(info).principal, "read_registry"):
            return []
        return [t for t in ctx(info).loaders.teams.load_many(ids) if t]


class PilotProgramme(graphene.ObjectType):
    """Plan 73: ≥ 2 pilot communes per district, 2 model teams each aiming at > 90%."""

    year = graphene.Int(required=True)
    communes = graphene.List(graphene.NonNull(PilotCommune), required=True)

    def resolve_communes(pilot, info):
        return pilot.get("communes") or []


def load_team(info, team_id, action: str = "read_registry") -> dict:
    policy.require(ctx(info).principal, action)
    return authorize(info, action, policy.team_scope(ctx(info).loaders.teams.load(team_id)))


def load_mediator_team(info, mediator_id, action: str) -> dict:
    policy.require(ctx(info).principal, action)
    mediator = ctx(info).loaders.mediators.load(mediator_id)
    team = mediator and ctx(info).loaders.teams.load(mediator["team_id"])
    return authorize(info, action, policy.team_scope(team))


class TeamQueries(graphene.ObjectType):
    team = graphene.Field(Team, id=graphene.ID(required=True))
    teams = graphene.Field(TeamConnection, required=True, unit_code=graphene.String(),
                           geo_version=GeoVersion(default_value="LEGACY"), **page_args())
    mediator = graphene.Field(Mediator, id=graphene.ID(required=True))
    non_compliant_teams = graphene.List(graphene.NonNull(Team), required=True,
                                        unit_code=graphene.String())
    pilot = graphene.Field(PilotProgramme, required=True, year=graphene.Int(required=True))

    def resolve_team(root, info, id):
        return load_team(info, id)

    def resolve_teams(root, info, geo_version, unit_code=None, first=20, after=None):
        c = ctx(info)
        scope = _list_scope(info, "read_registry", unit_code, value(geo_version))
        if scope["team_id"]:
            team = c.loaders.teams.load(scope["team_id"])
            page = {"items": [team] if team else [], "total_count": 1 if team else 0,
                    "end_cursor": None, "has_next_page": False}
            return build_connection(TeamConnection, page, page["items"][:first], (None, 0))
        page, items, start = fetch_page(first, after, lambda n, a: c.call(
            "teams", "list_teams", unit_code=scope["unit_code"],
            geo_version=scope["geo_version"], first=n, after=a))
        items = [t for t in items if policy.in_scope(c.principal, policy.team_scope(t))]
        c.loaders.team_mediators.prime(t["id"] for t in items)
        c.loaders.teams.cache.update({str(t["id"]): t for t in items})
        return build_connection(TeamConnection, page, items, start)

    def resolve_mediator(root, info, id):
        load_mediator_team(info, id, "read_registry")
        return ctx(info).loaders.mediators.load(id)

    def resolve_non_compliant_teams(root, info, unit_code=None):
        c = ctx(info)
        scope = _list_scope(info, "read_registry", unit_code, "LEGACY")
        teams = c.call("teams", "list_non_compliant", scope["unit_code"])
        return [t for t in _items(teams) if policy.in_scope(c.principal, policy.team_scope(t))]

    def resolve_pilot(root, info, year):
        policy.require(ctx(info).principal, "read_aggregates")
        return ctx(info).call("teams", "get_pilot", year)


def _items(result):
    return result["items"] if isinstance(result, dict) else result


def _list_scope(info, action: str, unit_code, geo_version: str) -> dict:
    c = ctx(info)
    policy.require(c.principal, action)
    chain = c.loaders.unit_chain(unit_code, geo_version) if unit_code else None
    return policy.list_scope(c.principal, action, unit_code, chain, geo_version)


# ---- mutations ------------------------------------------------------------------------

TeamPayload = payload("TeamPayload", "team", Team)
MediatorPayload = payload("MediatorPayload", "mediator", Mediator)
PilotPayload = payload("PilotPayload", "pilot", PilotProgramme)


class FormTeamInput(graphene.InputObjectType):
    commune_code = graphene.String(required=True)
    geo_version = GeoVersion(default_value="LEGACY")
    name = graphene.String(required=True)
    village = graphene.String(required=True, description="thôn / tổ dân phố")


class AddMediatorInput(graphene.InputObjectType):
    team_id = graphene.ID(required=True)
    full_name = graphene.String(required=True)
    gender = Gender(required=True)
    year_of_birth = graphene.Int()
    ethnicity = graphene.String()
    village = graphene.String()


class RecogniseMediatorInput(graphene.InputObjectType):
    mediator_id = graphene.ID(required=True)
    decision_number = graphene.String(required=True, description="the chairperson's decision")
    decided_on = graphene.String(required=True, description="ISO-8601 date")
    votes_for = graphene.Int(required=True, description="households agreeing (> 50%, Art. 8)")
    households = graphene.Int(required=True)


class RecordTrainingInput(graphene.InputObjectType):
    mediator_id = graphene.ID(required=True)
    title = graphene.String(required=True)
    held_on = graphene.String(required=True)
    organiser = graphene.String()


class RecordTeamEventInput(graphene.InputObjectType):
    """A yearly review (rà soát, kiện toàn), an inspection, a commendation, a contest."""

    team_id = graphene.ID(required=True)
    year = graphene.Int(required=True)
    held_on = graphene.String()
    note = graphene.String()


def _plain(data) -> dict:
    return {k: value(v) for k, v in dict(data).items()}


def _mediator_write(info, action: str, mediator_id, rpc: str, *args) -> dict:
    load_mediator_team(info, mediator_id, action)
    return ctx(info).call("teams", rpc, *args, ctx(info).principal.as_actor())


def _commune_obj(info, action: str, code: str, geo_version: str) -> dict:
    policy.require(ctx(info).principal, action)
    return authorize(info, action, commune_scope(info, code, geo_version))


class TeamMutations(graphene.ObjectType):
    form_team = graphene.Field(TeamPayload, required=True, input=FormTeamInput(required=True))
    add_mediator = graphene.Field(MediatorPayload, required=True,
                                  input=AddMediatorInput(required=True))
    recognise_mediator = graphene.Field(MediatorPayload, required=True,
                                        input=RecogniseMediatorInput(required=True))
    elect_leader = graphene.Field(TeamPayload, required=True, team_id=graphene.ID(required=True),
                                  mediator_id=graphene.ID(required=True),
                                  elected_on=graphene.String(description="default today"))
    dissolve_team = graphene.Field(TeamPayload, required=True, team_id=graphene.ID(required=True),
                                   dissolved_on=graphene.String(description="default today"))
    record_review = graphene.Field(TeamPayload, required=True,
                                   input=RecordTeamEventInput(required=True))
    record_inspection = graphene.Field(TeamPayload, required=True,
                                       input=RecordTeamEventInput(required=True))
    record_commendation = graphene.Field(TeamPayload, required=True,
                                         input=RecordTeamEventInput(required=True))
    record_training = graphene.Field(MediatorPayload, required=True,
                                     input=RecordTrainingInput(required=True))
    record_contest = graphene.Field(MediatorPayload, required=True,
                                    input=RecordTrainingInput(required=True))
    select_pilot_commune = graphene.Field(
        PilotPayload, required=True, year=graphene.Int(required=True),
        commune_code=graphene.String(required=True), selected_on=graphene.String())
    select_model_team = graphene.Field(PilotPayload, required=True,
                                       year=graphene.Int(required=True),
                                       team_id=graphene.ID(required=True),
                                       selected_on=graphene.String())

    def resolve_form_team(root, info, input):
        data = _plain(input)
        _commune_obj(info, "form_team", data["commune_code"], data["geo_version"])
        return run_mutation(TeamPayload, lambda: ctx(info).call(
            "teams", "form_team", data, ctx(info).principal.as_actor()), "team")

    def resolve_add_mediator(root, info, input):
        data = _plain(input)
        team_id = data.pop("team_id")
        return _mutate_team(info, MediatorPayload, "mediator", "add_mediator", team_id,
                            "add_mediator", team_id, data)

    def resolve_recognise_mediator(root, info, input):
        data = _plain(input)
        mediator_id = data.pop("mediator_id")
        return run_mutation(MediatorPayload, lambda: _mediator_write(
            info, "recognise_mediator", mediator_id, "recognise_mediator", mediator_id, data),
            "mediator")

    def resolve_elect_leader(root, info, team_id, mediator_id, elected_on=None):
        return _mutate_team(info, TeamPayload, "team", "elect_leader", team_id, "elect_leader",
                            team_id, mediator_id, elected_on or _today())

    def resolve_dissolve_team(root, info, team_id, dissolved_on=None):
        return _mutate_team(info, TeamPayload, "team", "dissolve_team", team_id,
                            "dissolve_team", team_id, dissolved_on or _today())

    def resolve_record_review(root, info, input):
        data = _plain(input)
        return _mutate_team(info, TeamPayload, "team", "record_review", data["team_id"],
                            "record_review", data)

    def resolve_record_inspection(root, info, input):
        data = _plain(input)
        return _mutate_team(info, TeamPayload, "team", "record_inspection", data["team_id"],
                            "record_inspection", data)

    def resolve_record_commendation(root, info, input):
        data = _plain(input)
        return _mutate_team(info, TeamPayload, "team", "record_commendation", data["team_id"],
                            "record_commendation", data)

    def resolve_record_training(root, info, input):
        data = _plain(input)
        return run_mutation(MediatorPayload, lambda: _mediator_write(
            info, "record_training", data["mediator_id"], "record_training", data), "mediator")

    def resolve_record_contest(root, info, input):
        data = _plain(input)
        return run_mutation(MediatorPayload, lambda: _mediator_write(
            info, "record_contest", data["mediator_id"], "record_contest", data), "mediator")

    def resolve_select_pilot_commune(root, info, year, commune_code, selected_on=None):
        _commune_obj(info, "select_pilot_commune", commune_code, "LEGACY")
        return run_mutation(PilotPayload, lambda: ctx(info).call(
            "teams", "select_pilot_commune", year, commune_code, selected_on or _today(),
            ctx(info).principal.as_actor()), "pilot")

    def resolve_select_model_team(root, info, year, team_id, selected_on=None):
        return _mutate_team(info, PilotPayload, "pilot", "select_model_team", team_id,
                            "select_model_team", year, team_id, selected_on or _today())


def _today() -> str:
    return date.today().isoformat()


def _mutate_team(info, payload_cls, key: str, action: str, team_id, rpc: str, *args):
    load_team(info, team_id, action)  # authorization first: FORBIDDEN is not a payload error
    return run_mutation(payload_cls, lambda: ctx(info).call(
        "teams", rpc, *args, ctx(info).principal.as_actor()), key)
