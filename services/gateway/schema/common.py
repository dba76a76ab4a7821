"""Shared types: enums, units, users, errors in payloads, Relay connections, cursors."""

import base64
import json

import graphene
from graphene.utils.str_converters import to_camel_case
from graphql import FieldNode, FragmentSpreadNode

from services.common.errors import Conflict, NotFound, ValidationError
from services.gateway import policy
from services.gateway.context import Context
from services.gateway.errors import client_message, client_path, payload_arguments
from services.gateway.schema.enums import GeoVersion, RefusalReason, Role, UnitLevel


def dict_or_attr(attname: str, default_value, root, info, **_args):
    """The default resolver of a field without its own: a dict's key, else an attribute,
    else the field's default. Graphene's does the same through a second call per field
    (≈ 640 fields on a 100-case page)."""
    if isinstance(root, dict):
        return root.get(attname, default_value)
    return getattr(root, attname, default_value)


class FileFormat(graphene.Enum):
    CSV = "csv"
    XLSX = "xlsx"


def value(arg):
    """An enum argument's plain value (graphene 3 passes enum members)."""
    return getattr(arg, "value", arg)


def geo(arg) -> str:
    """A `geoVersion` argument's layout: an explicit null means the default, V2025."""
    return value(arg) or "V2025"


def ctx(info) -> Context:
    return info.context


class AdminUnit(graphene.ObjectType):
    """An administrative unit (đơn vị hành chính) of one geography version."""

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    level = graphene.Field(UnitLevel, required=True)
    geo_version = graphene.Field(GeoVersion, required=True)
    parent = graphene.Field(lambda: AdminUnit)
    children = graphene.List(graphene.NonNull(lambda: AdminUnit), required=True)

    def resolve_geo_version(unit, info):
        return unit.get("geo_version", "V2025")

    def resolve_parent(unit, info):
        return ctx(info).loaders.unit(unit.get("parent_code"), unit.get("geo_version", "V2025"))

    def resolve_children(unit, info):
        layout = ctx(info).loaders.layout(unit.get("geo_version", "V2025"))
        return [u for u in layout.values() if u.get("parent_code") == unit["code"]]


def unit_field(code_key: str, version_key: str = "geo_version"):
    """A resolver for an AdminUnit field from a code in the parent dict."""
    def resolve(parent, info):
        return ctx(info).loaders.unit(parent.get(code_key), parent.get(version_key) or "V2025")
    return resolve


def current_unit_field(code_key: str):
    """A resolver for the V2025 unit a LEGACY commune (a code in the parent dict) is part of."""
    def resolve(parent, info):
        code = parent.get(code_key)
        return None if code is None else ctx(info).loaders.current_units.load(code)
    return resolve


class User(graphene.ObjectType):
    username = graphene.String(required=True)
    role = graphene.Field(Role, required=True)
    scope_code = graphene.String()
    scope_version = graphene.Field(GeoVersion)
    team_id = graphene.ID()
    scope = graphene.Field(AdminUnit, description="the unit this user works in")
    must_change_password = graphene.Boolean(
        description="the token's account has a one-time password: only changePassword, "
        "logout and me until it is changed")

    def resolve_scope(user, info):
        return ctx(info).loaders.unit(user.scope_code, user.scope_version or "V2025")


class UserError(graphene.ObjectType):
    """Why a mutation changed nothing: bad input (BAD_USER_INPUT) or a rule (CONFLICT)."""

    field = graphene.String(description="the argument's path, as written: input.parties.1.fullName")
    code = graphene.String(required=True)
    message = graphene.String(required=True)
    reason = RefusalReason(description="why the change was refused, when a rule says so: "
                           "a matter intake may not mediate (Decree 15/2014 Art. 5) or a "
                           "registry rule; null otherwise")

    def resolve_field(error, info):
        # services name fields in their own terms (snake_case, within the input)
        return client_path(error.field, payload_arguments(info))

    def resolve_message(error, info):
        if not error.field:
            return error.message
        return client_message(error.message, error.field, UserError.resolve_field(error, info))


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String()


def connection(node_type, name: str):
    """`<name>Connection { edges { cursor node } pageInfo totalCount }`, Relay style."""
    edge = type(f"{name}Edge", (graphene.ObjectType,), {
        "cursor": graphene.String(required=True),
        "node": graphene.Field(node_type, required=True),
    })
    return type(f"{name}Connection", (graphene.ObjectType,), {
        "edges": graphene.List(graphene.NonNull(edge), required=True),
        "page_info": graphene.Field(PageInfo, required=True),
        "total_count": graphene.Int(required=True),
        "Edge": edge,
    })


def page_args() -> dict:
    return {"first": graphene.Int(default_value=20), "after": graphene.String()}


# Cursors: the backend's own cursor plus an offset within the page that followed it, so
# every edge has a cursor a client can resume from.
def encode_cursor(backend_after: str | None, offset: int) -> str:
    raw = json.dumps({"a": backend_after, "o": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor: str | None) -> tuple[str | None, int]:
    if not cursor:
        return None, 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        after, offset = data["a"], int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise ValidationError("after is not a cursor this API gave out", field="after") from None
    if offset < 0 or offset > 100 or not (after is None or isinstance(after, str)):
        raise ValidationError("after is not a cursor this API gave out", field="after")
    return after, offset


def fetch_page(first: int | None, after: str | None, fetch) -> tuple[dict, list, str | None]:
    """Call `fetch(first, after)` (a backend list RPC) for the page a client asked for.
    Returns (page, items, backend_after_of_this_request)."""
    first = 20 if first is None else first
    if first < 0:
        raise ValidationError("first must be 0 or more", field="first")
    backend_after, offset = decode_cursor(after)
    page = fetch(max(first + offset, 1), backend_after)  # services want first >= 1
    return page, page["items"][offset:offset + first], (backend_after, offset)


def selects(info, name: str) -> bool:
    """Whether the query asks this field's result for `name` (e.g. "totalCount"), directly
    or through fragments: a list RPC skips what nobody reads."""
    def within(selection_set) -> bool:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                if node.name.value == name:
                    return True
            elif isinstance(node, FragmentSpreadNode):
                if within(info.fragments[node.name.value].selection_set):
                    return True
            elif within(node.selection_set):  # an inline fragment
                return True
        return False
    return any(within(node.selection_set) for node in info.field_nodes)


class LazyEdge:
    """An edge whose cursor is encoded only when read: a page that does not select
    `cursor` (the bench's 100-case page) spent ≈ 6 % of its execution on 100 of them."""

    __slots__ = ("node", "at")

    def __init__(self, node, backend_after: str | None, offset: int):
        self.node, self.at = node, (backend_after, offset)

    @property
    def cursor(self) -> str:
        return encode_cursor(*self.at)


def build_connection(cls, page: dict, items: list, start: tuple):
    backend_after, offset = start
    edges = [LazyEdge(item, backend_after, offset + i + 1) for i, item in enumerate(items)]
    more_in_page = len(page["items"]) > offset + len(items)
    has_next = bool(page.get("has_next_page")) or more_in_page
    if edges and not more_in_page and page.get("end_cursor"):
        edges[-1].at = (page["end_cursor"], 0)
    end = edges[-1].cursor if edges else None
    return cls(edges=edges, page_info=PageInfo(has_next_page=has_next, end_cursor=end),
               total_count=page.get("total_count", len(page["items"])))


def plain_input(data) -> dict:
    """An input as the services take it: plain values, unset fields left out."""
    return {k: value(v) for k, v in dict(data).items() if v is not None}


def run_mutation(payload_cls, action, key: str):
    """Run `action()`; bad input and rule clashes become `errors` in the payload."""
    try:
        result = action()
    except (ValidationError, Conflict) as exc:
        return payload_cls(errors=[UserError(field=exc.field, code=exc.code, message=exc.message,
                                             reason=exc.details.get("reason"))])
    return payload_cls(errors=[], **{key: result})


def payload(name: str, field_name: str, node_type):
    return type(name, (graphene.ObjectType,), {
        field_name: graphene.Field(node_type),
        "errors": graphene.List(graphene.NonNull(UserError), required=True),
    })


def unit_chain(info, code: str, geo_version: str, field: str) -> list[dict]:
    """[unit, parent, …] of `code` in the layout asked. Units are public, so a code that
    is no unit of that layout is NOT_FOUND for everyone: a code never crosses layouts."""
    chain = ctx(info).loaders.unit_chain(code, geo_version)
    if not chain:
        raise NotFound(f"{to_camel_case(field)} names no unit of the {geo_version} layout",
                       field=field)
    return chain


def commune_scope(info, code: str, geo_version: str) -> dict | None:
    """A commune as a policy object: a V2025 commune by `v2025_code`; a LEGACY one by
    `commune_code` and `district_code`, and the `v2025_code` it was merged into."""
    chain = ctx(info).loaders.unit_chain(code, geo_version)
    if not chain or chain[0].get("level") != "COMMUNE":
        return None
    if geo_version == "V2025":
        return {"v2025_code": code}
    current = ctx(info).loaders.current_units.load(code)  # its V2025 officer's too
    return {"commune_code": code, "district_code": chain[0].get("parent_code"),
            "v2025_code": current and current["code"]}


def authorize(info, action: str, obj: dict | None) -> dict:
    return policy.authorize(ctx(info).principal, action, obj)
