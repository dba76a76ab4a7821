"""The public GraphQL schema, composed from one module per area.

Regenerate the SDL file after a change: `python -m services.gateway.schema`
(a test fails while `services/gateway/schema.graphql` disagrees with the code).
"""

import graphene
from graphene.types import resolver

from services.gateway.schema.accounts import AccountMutations, AccountQueries
from services.gateway.schema.audit import AuditQueries
from services.gateway.schema.auth import AuthMutations, AuthQueries
from services.gateway.schema.cases import CaseMutations, CaseQueries
from services.gateway.schema.common import AdminUnit, ctx, dict_or_attr, geo, value
from services.gateway.schema.enums import GeoVersion, UnitLevel
from services.gateway.schema.permissions import requires
from services.gateway.schema.personal_data import PersonalDataMutations, PersonalDataQueries
from services.gateway.schema.reporting import ReportingMutations, ReportingQueries
from services.gateway.schema.system import SystemQueries
from services.gateway.schema.teams import TeamMutations, TeamQueries


class UnitQueries(graphene.ObjectType):
    unit = graphene.Field(AdminUnit, code=graphene.String(required=True),
                          geo_version=GeoVersion(default_value="V2025"))
    units = graphene.List(graphene.NonNull(AdminUnit), required=True, level=UnitLevel(),
                          parent_code=graphene.String(),
                          geo_version=GeoVersion(default_value="V2025"))

    @requires("read_units")
    def resolve_unit(root, info, code, geo_version):
        return ctx(info).loaders.unit(code, geo(geo_version))

    @requires("read_units")
    def resolve_units(root, info, geo_version, level=None, parent_code=None):
        found = ctx(info).loaders.layout(geo(geo_version)).values()
        return [u for u in found
                if (level is None or u.get("level") == value(level))
                and (parent_code is None or u.get("parent_code") == parent_code)]


class Query(AuthQueries, AccountQueries, UnitQueries, TeamQueries, CaseQueries,
            ReportingQueries, SystemQueries, AuditQueries, PersonalDataQueries,
            graphene.ObjectType):
    pass


class Mutation(AuthMutations, AccountMutations, CaseMutations, TeamMutations,
               ReportingMutations, PersonalDataMutations, graphene.ObjectType):
    pass


def _build() -> graphene.Schema:
    """The schema, its fields without a resolver read through `dict_or_attr` (graphene's
    resolver is set globally, so it is put back once the fields are built)."""
    previous = resolver.get_default_resolver()
    resolver.set_default_resolver(dict_or_attr)
    try:
        return graphene.Schema(query=Query, mutation=Mutation)
    finally:
        resolver.set_default_resolver(previous)


schema = _build()
SDL_PATH = __file__.rsplit("/", 2)[0] + "/schema.graphql"


def sdl() -> str:
    return str(schema).rstrip() + "\n"
