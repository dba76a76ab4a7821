"""Figures (aggregates, open to every caller), report files, remuneration, dead letters."""

import graphene
from graphql import GraphQLError
from graphql.execution.values import get_argument_values

from services.common.errors import NotFound, ValidationError
from services.gateway import policy
from services.gateway.schema.cases import FileDownload
from services.gateway.schema.common import (
    AdminUnit,
    FileFormat,
    GeoVersion,
    UserError,
    build_connection,
    connection,
    ctx,
    current_unit_field,
    fetch_page,
    geo,
    payload,
    run_mutation,
    unit_field,
    value,
)
from services.gateway.schema.enums import CaseCategory
from services.gateway.schema.figures import Figures
from services.gateway.schema.permissions import commune_of, requires
from services.gateway.schema.teams import Team


class SuccessRate(Figures):
    unit = graphene.Field(AdminUnit, required=True)
    year = graphene.Int(required=True)
    target = graphene.Float(required=True, description="0.8, or 0.9 for model teams")
    meets_target = graphene.Boolean()

    resolve_unit = unit_field("unit_code")


class YearFigures(Figures):
    year = graphene.Int(required=True)
    target = graphene.Float()
    meets_target = graphene.Boolean()


class MultiYearSummary(graphene.ObjectType):
    """Sơ kết / tổng kết: each year's rate in a span of years, and the whole span's."""

    unit = graphene.Field(AdminUnit, required=True)
    from_year = graphene.Int(required=True)
    to_year = graphene.Int(required=True)
    years = graphene.List(graphene.NonNull(YearFigures), required=True)
    total = graphene.Field(lambda: ReportTotal, required=True)

    resolve_unit = unit_field("unit_code")


class ModelTeamFigures(Figures):
    """A model team's rate over its programme period, against its target (0.9)."""

    team_id = graphene.ID(required=True)
    team = graphene.Field(Team, description="null for callers who may not read the registry")
    commune = graphene.Field(AdminUnit, description="the LEGACY commune of the pilot")
    current_commune = graphene.Field(AdminUnit, description="the V2025 commune it is part "
                                     "of today")
    period_start = graphene.String()
    period_end = graphene.String()
    target = graphene.Float()
    meets_target = graphene.Boolean()

    def resolve_team(row, info):
        if not policy.allowed(ctx(info).principal, "read_registry"):
            return None
        team = ctx(info).loaders.teams.load(row["team_id"])
        return team if team and policy.in_scope(ctx(info).principal,
                                                policy.team_scope(team)) else None

    def resolve_commune(row, info):
        return ctx(info).loaders.unit(row.get("commune_code"), "LEGACY")

    resolve_current_commune = current_unit_field("commune_code")


class PilotCommuneChoice(graphene.ObjectType):
    unit = graphene.Field(AdminUnit)
    current_unit = graphene.Field(AdminUnit, description="the V2025 commune it is part of today")
    selected_on = graphene.String()
    on_time = graphene.Boolean()

    resolve_current_unit = current_unit_field("commune_code")

    def resolve_unit(row, info):
        return ctx(info).loaders.unit(row.get("commune_code"), "LEGACY")


class PilotDistrict(graphene.ObjectType):
    unit = graphene.Field(AdminUnit)
    pilot_communes = graphene.List(graphene.NonNull(PilotCommuneChoice), required=True)
    meets_minimum = graphene.Boolean(description="at least 2 pilot communes")

    def resolve_unit(row, info):
        return ctx(info).loaders.unit(row.get("district_code"), "LEGACY")


class PilotEvaluation(graphene.ObjectType):
    """Plan 73's evaluation for one programme year: model teams against 0.9, districts
    against their 2 pilot communes. The pilot happened in the LEGACY layout; each commune
    also names the V2025 commune it is part of today (`currentUnit`, `currentCommune`)."""

    year = graphene.Int(required=True)
    model_teams = graphene.List(graphene.NonNull(ModelTeamFigures), required=True)
    teams_meeting_target = graphene.Int(required=True)
    districts = graphene.List(graphene.NonNull(PilotDistrict), required=True)

    def resolve_year(row, info):
        return row["programme_year"]

    def resolve_model_teams(row, info):
        ctx(info).loaders.current_units.prime(t["commune_code"] for t in row["model_teams"])
        return row["model_teams"]

    def resolve_districts(row, info):
        ctx(info).loaders.current_units.prime(
            c["commune_code"] for d in row["districts"] for c in d["pilot_communes"])
        return row["districts"]


class CategoryFigures(Figures):
    category = graphene.Field(CaseCategory, required=True)


class UnitFigures(Figures):
    unit = graphene.Field(AdminUnit)

    resolve_unit = unit_field("unit_code")


class ReportTotal(Figures):
    target = graphene.Float()
    meets_target = graphene.Boolean()


class Report(graphene.ObjectType):
    """Indicator 0403 for one unit and period (commune → district → Sở Tư pháp)."""

    indicator = graphene.String()
    unit = graphene.Field(AdminUnit, required=True)
    year = graphene.Int(required=True)
    half = graphene.Int()
    total = graphene.Field(ReportTotal, required=True)
    by_category = graphene.List(graphene.NonNull(CategoryFigures), required=True,
                                description="the three groups of indicator 0403")
    teams = graphene.Int(description="teams active at the end of the period")
    mediators = graphene.Int(description="mediators active at the end of the period")

    resolve_unit = unit_field("unit_code")

    def resolve_total(report, info):
        return report.get("total") or {}

    def resolve_by_category(report, info):
        return [row for row in report.get("rows") or [] if row.get("category")]


class Hotspot(graphene.ObjectType):
    """A hot spot (điểm nóng): a surge of disputes, or escalations, in one commune."""

    unit = graphene.Field(AdminUnit)
    category = graphene.Field(CaseCategory)
    cases = graphene.Int(required=True, description="cases in the window")
    days = graphene.Int()
    as_of = graphene.String()
    ratio = graphene.Float(description="window count against the monthly baseline")
    escalated = graphene.Int()
    reasons = graphene.List(graphene.NonNull(graphene.String))

    resolve_unit = unit_field("commune_code")

    def resolve_cases(row, info):
        return row.get("window_count", 0)

    def resolve_days(row, info):
        return row.get("window_days")

    def resolve_escalated(row, info):
        return row.get("escalated_count")


class Remuneration(graphene.ObjectType):
    """Mediator remuneration (thù lao) per case, against the communes' budgets."""

    unit = graphene.Field(AdminUnit)
    year = graphene.Int(required=True)
    cases = graphene.Int()
    paid = graphene.Float(description="VND paid")
    budget = graphene.Float(description="VND budgeted")
    remaining = graphene.Float(description="VND left")

    resolve_unit = unit_field("unit_code")


class DeadLetter(graphene.ObjectType):
    """An event reporting could not apply, kept for an operator to replay."""

    id = graphene.ID(required=True)
    event_id = graphene.String()
    event_type = graphene.String()
    error = graphene.String()
    attempts = graphene.Int()
    created_at = graphene.String()
    replayed_at = graphene.String()


DeadLetterConnection = connection(DeadLetter, "DeadLetter")


class ReportingQueries(graphene.ObjectType):
    success_rate = graphene.Field(SuccessRate, required=True, unit_code=graphene.String(
        required=True), year=graphene.Int(required=True), geo_version=GeoVersion(
        default_value="V2025"))
    report = graphene.Field(Report, required=True, unit_code=graphene.String(required=True),
                            year=graphene.Int(required=True), half=graphene.Int(),
                            geo_version=GeoVersion(default_value="V2025"))
    hotspots = graphene.List(graphene.NonNull(Hotspot), required=True,
                             unit_code=graphene.String(required=True),
                             days=graphene.Int(default_value=30),
                             geo_version=GeoVersion(default_value="V2025"))
    report_file = graphene.Field(FileDownload, required=True,
                                 unit_code=graphene.String(required=True),
                                 year=graphene.Int(required=True), half=graphene.Int(),
                                 geo_version=GeoVersion(default_value="V2025"),
                                 format=FileFormat(default_value="csv"))
    remuneration = graphene.Field(Remuneration, required=True,
                                  unit_code=graphene.String(required=True),
                                  year=graphene.Int(required=True),
                                  geo_version=GeoVersion(default_value="V2025"))
    dead_letters = graphene.Field(DeadLetterConnection, required=True,
                                  first=graphene.Int(default_value=20), after=graphene.String())
    pilot_evaluation = graphene.Field(PilotEvaluation, required=True,
                                      year=graphene.Int(required=True))
    multi_year_summary = graphene.Field(MultiYearSummary, required=True,
                                        unit_code=graphene.String(required=True),
                                        from_year=graphene.Int(required=True),
                                        to_year=graphene.Int(required=True),
                                        geo_version=GeoVersion(default_value="V2025"))

    @requires("read_aggregates")
    def resolve_pilot_evaluation(root, info, year):
        return ctx(info).call("reporting", "pilot_evaluation", year)

    @requires("read_aggregates")
    def resolve_multi_year_summary(root, info, unit_code, from_year, to_year, geo_version):
        _known_unit(info, unit_code, geo_version)
        return ctx(info).call("reporting", "multi_year_summary", unit_code, from_year, to_year,
                              geo(geo_version))

    @requires("read_aggregates")
    def resolve_success_rate(root, info, unit_code, year, geo_version):
        _known_unit(info, unit_code, geo_version)
        rates = ctx(info).loaders.success_rates
        if not rates.cache:  # the first: the dashboard's 65 communes in one round of calls
            rates.prime(_sibling_rates(info))
        return rates.load((unit_code, year, geo(geo_version)))

    @requires("read_aggregates")
    def resolve_report(root, info, unit_code, year, geo_version, half=None):
        _known_unit(info, unit_code, geo_version)
        return ctx(info).call("reporting", "report", unit_code, year, half, geo(geo_version))

    @requires("read_aggregates")
    def resolve_hotspots(root, info, unit_code, days, geo_version):
        _known_unit(info, unit_code, geo_version)
        found = ctx(info).call("reporting", "hotspots", unit_code, days, geo(geo_version))
        return found["items"] if isinstance(found, dict) else found

    @requires("read_aggregates")
    def resolve_report_file(root, info, unit_code, year, geo_version, format, half=None):
        _known_unit(info, unit_code, geo_version)
        return ctx(info).call("reporting", "report_file", unit_code, year, half,
                              geo(geo_version), format=value(format))

    @requires("read_remuneration", listing=True)
    def resolve_remuneration(root, info, scope, unit_code, year, geo_version):
        policy.require_whole_unit(ctx(info).principal, "read_remuneration", scope, unit_code)
        return ctx(info).call("reporting", "remuneration", unit_code, year, geo(geo_version))

    @requires("operate")
    def resolve_dead_letters(root, info, first=20, after=None):
        page, items, start = fetch_page(first, after, lambda n, a: ctx(info).call(
            "reporting", "list_dead_letters", first=n, after=a))
        return build_connection(DeadLetterConnection, page, items, start)


def _sibling_rates(info) -> list[tuple]:
    """The (unit, year, layout) of every root field of this operation named like this one
    (aliases), whose unit is known: asked for together instead of one after another."""
    field = info.parent_type.fields[info.field_name]
    found = []
    for node in info.operation.selection_set.selections:
        if getattr(node, "name", None) is None or node.name.value != info.field_name:
            continue
        try:
            args = get_argument_values(field, node, info.variable_values)
            key = (args["unit_code"], args["year"], geo(args.get("geo_version")))
        except (GraphQLError, KeyError, TypeError):
            continue
        if ctx(info).loaders.unit(key[0], key[2]) is not None:
            found.append(key)
    return found


def _known_unit(info, unit_code: str, geo_version) -> None:
    """A public aggregate's unit: units are public, so a code that is no unit of the asked
    layout is NOT_FOUND for everyone (not figures of zero, nor a null unit)."""
    layout = geo(geo_version)
    if ctx(info).loaders.unit(unit_code, layout) is None:
        raise NotFound(f"unitCode names no unit of the {layout} layout", field="unit_code")


def _vnd(amount: float) -> int:
    if amount != int(amount):
        raise ValidationError("amounts are whole VND", field="amount")
    return int(amount)


BudgetPayload = payload("BudgetPayload", "remuneration", Remuneration)


class ReplayPayload(graphene.ObjectType):
    replayed = graphene.Boolean(required=True)
    errors = graphene.List(graphene.NonNull(UserError),
                           required=True)

    @staticmethod
    def resolve_replayed(root, info) -> bool:
        return bool(root.replayed)  # false when refused (errors), never a null


class ReportingMutations(graphene.ObjectType):
    set_budget = graphene.Field(BudgetPayload, required=True,
                                commune_code=graphene.String(required=True),
                                year=graphene.Int(required=True),
                                amount=graphene.Float(required=True, description="VND"),
                                geo_version=GeoVersion(default_value="V2025"))
    replay_dead_letter = graphene.Field(ReplayPayload, required=True,
                                        id=graphene.ID(required=True))

    @requires("set_budget", on=commune_of("commune_code", must_exist=False))
    def resolve_set_budget(root, info, commune_code, year, amount, geo_version):
        layout = geo(geo_version)
        return run_mutation(BudgetPayload, lambda: ctx(info).call(
            "reporting", "set_budget", commune_code, year, _vnd(amount),
            ctx(info).principal.as_actor(), layout), "remuneration")

    @requires("operate")
    def resolve_replay_dead_letter(root, info, id):
        return run_mutation(ReplayPayload, lambda: bool(
            ctx(info).call("reporting", "replay_dead_letter", id) or True), "replayed")
