"""Issue 17: V2025 is the one current layout. Every `geoVersion` the API takes defaults to
it, a scope is (layout, unit), and the district officers are a read-only history role."""

from datetime import date

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    build_schema,
)

from services.common.errors import Forbidden
from services.gateway import policy
from services.gateway.auth import Principal
from services.gateway.schema import SDL_PATH, schema

V2025_OFFICER = Principal("commune2025.06400", "COMMUNE_OFFICER", "06400", "V2025")
DISTRICT = Principal("district.186", "DISTRICT_OFFICER", "186", "LEGACY")


def geo_version_defaults(graphql_schema) -> dict[str, object]:
    """`Type.field(arg)` or `Input.field` → the default of every argument and input field
    whose type is GeoVersion, anywhere in the schema."""
    found = {}

    def is_geo(type_) -> bool:
        while isinstance(type_, GraphQLNonNull | GraphQLList):
            type_ = type_.of_type
        return type_.name == "GeoVersion"

    for name, type_ in graphql_schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(type_, GraphQLObjectType):
            for field_name, field in type_.fields.items():
                for arg_name, arg in field.args.items():
                    if is_geo(arg.type):
                        found[f"{name}.{field_name}({arg_name})"] = arg.default_value
        elif isinstance(type_, GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if is_geo(field.type):
                    found[f"{name}.{field_name}"] = field.default_value
    return found


@pytest.mark.parametrize("source", ["the SDL file", "the live schema"])
def test_every_geo_version_argument_and_input_field_defaults_to_v2025(source):
    if source == "the SDL file":
        with open(SDL_PATH) as f:
            graphql_schema = build_schema(f.read())
    else:
        graphql_schema = schema.graphql_schema
    defaults = geo_version_defaults(graphql_schema)
    # the walk finds what the issue names (it can fail: a field left out is a miss)
    for needed in ("Query.cases(geoVersion)", "Query.overdueCases(geoVersion)",
                   "Query.teams(geoVersion)", "Query.remuneration(geoVersion)",
                   "Query.inspections(geoVersion)", "Query.commendations(geoVersion)",
                   "Query.nonCompliantTeams(geoVersion)", "Query.successRate(geoVersion)",
                   "Query.report(geoVersion)", "Query.hotspots(geoVersion)",
                   "Query.unit(geoVersion)", "Query.units(geoVersion)",
                   "FormTeamInput.geoVersion", "InspectionInput.geoVersion"):
        assert needed in defaults, needed
    assert {k: v for k, v in defaults.items() if v != "V2025"} == {}


def test_every_root_field_that_takes_a_unit_code_takes_geo_version():
    query = schema.graphql_schema.query_type
    taking_units = [name for name, field in query.fields.items() if "unitCode" in field.args]
    assert len(taking_units) >= 10
    assert [n for n in taking_units if "geoVersion" not in query.fields[n].args] == []


@pytest.mark.parametrize("unit_code, geo_version, allowed", [
    (None, "V2025", True),
    ("06400", "V2025", True),  # its own commune, Hữu Liên
    ("06400", "LEGACY", False),  # LEGACY 06400 is Yên Thịnh: another unit, same code
    ("06388", "LEGACY", False),
    ("06187", "V2025", False),
])
def test_a_v2025_commune_officer_lists_its_own_commune_in_its_own_layout_only(
        unit_code, geo_version, allowed):
    chain = [{"code": unit_code, "geo_version": geo_version}] if unit_code else None
    if not allowed:
        with pytest.raises(Forbidden):
            policy.list_scope(V2025_OFFICER, "read_cases", unit_code, chain, geo_version)
        return
    scope = policy.list_scope(V2025_OFFICER, "read_cases", unit_code, chain, geo_version)
    assert scope == {"unit_code": "06400", "geo_version": "V2025", "team_id": None}


def test_a_district_officer_narrows_to_its_legacy_communes_only():
    inside = [{"code": "06400"}, {"code": "186"}, {"code": "20"}]
    assert policy.list_scope(DISTRICT, "read_cases", "06400", inside, "LEGACY")[
        "unit_code"] == "06400"
    with pytest.raises(Forbidden):  # the same chain asked in V2025 is not its layout
        policy.list_scope(DISTRICT, "read_cases", "06400", inside, "V2025")


def test_a_v2025_officer_sees_the_rows_of_the_legacy_communes_merged_into_its_commune():
    merged = {"commune_code": "06388", "geo_version": "LEGACY", "district_code": "186",
              "v2025_code": "06400", "team_id": "t"}
    elsewhere = {**merged, "commune_code": "06391", "v2025_code": "06391"}
    assert policy.in_scope(V2025_OFFICER, merged)
    assert not policy.in_scope(V2025_OFFICER, elsewhere)


@pytest.mark.parametrize("on, refused", [
    ("2018-03-12", False), ("2025-06-30", False), ("2025-06-30T23:00:00+07:00", False),
    ("2025-07-01", True), ("2026-01-05", True), (None, True), (date(2025, 7, 1), True),
    ("not a date", False),  # left to the service: BAD_USER_INPUT, not a refusal
])
def test_a_district_officer_writes_nothing_dated_after_30_6_2025(on, refused):
    if refused:
        with pytest.raises(Forbidden, match="districts ended on 1/7/2025"):
            policy.check_dated_write(DISTRICT, on)
    else:
        policy.check_dated_write(DISTRICT, on)
    for other in (V2025_OFFICER, Principal("p", "PROVINCE_OFFICER", "20", "V2025")):
        policy.check_dated_write(other, on)  # only the district officers are history users
