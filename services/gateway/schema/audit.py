"""`auditLog`: the audit trail of every service, merged in time order, within the
officer's scope (services/common/audit.py writes it)."""

import base64
import json
from datetime import datetime

import graphene

from services.common.errors import ValidationError
from services.gateway.schema.common import PageInfo, connection, ctx, geo, unit_chain
from services.gateway.schema.enums import GeoVersion
from services.gateway.schema.permissions import requires
from services.gateway.schema.system import BACKENDS

MAX_PAGE = 100


class AuditEntry(graphene.ObjectType):
    """One thing done: a write, a read of parties' personal data, a login."""

    at = graphene.String(required=True, description="when it was recorded (ISO-8601, UTC)")
    actor = graphene.String(required=True, description="the username")
    role = graphene.String()
    action = graphene.String(required=True, description="the operation: the service's "
                             "command (submit_case, assign_mediators…), get_case_parties "
                             "(a case's parties read), log_book, login")
    object_type = graphene.String(description="case, team, mediator, user…")
    object_id = graphene.String()
    unit = graphene.String(description="the unit it happened in (code)")
    geo_version = GeoVersion()
    correlation_id = graphene.String(description="the request's X-Request-Id")
    outcome = graphene.String(required=True, description="ok, or the refusal's code")
    service = graphene.String(required=True, description="the service that recorded it")


AuditEntryConnection = connection(AuditEntry, "AuditEntry")


class AuditQueries(graphene.ObjectType):
    audit_log = graphene.Field(
        AuditEntryConnection, required=True,
        unit_code=graphene.String(description="a unit in your scope (default: your scope)"),
        geo_version=GeoVersion(default_value="V2025"), actor=graphene.String(),
        action=graphene.String(),
        since=graphene.String(name="from", description="ISO-8601, inclusive"),
        until=graphene.String(name="to", description="ISO-8601, exclusive"),
        first=graphene.Int(default_value=20), after=graphene.String(),
        description="officers: the audit trail of their scope, oldest first")

    @requires("read_audit", listing=True)
    def resolve_audit_log(root, info, scope, first, geo_version, unit_code=None, actor=None,
                          action=None, since=None, until=None, after=None):
        first = 20 if first is None else first
        if not 0 <= first <= MAX_PAGE:
            raise ValidationError(f"first: 0 to {MAX_PAGE}", field="first")
        filters = {"scope": _filters(info, scope), "actor": actor, "action": action,
                   "since": _instant(since, "from"), "until": _instant(until, "to"),
                   "after": _decode(after), "limit": first + 1}
        pending = [ctx(info).backend.start(name, "audit_log", filters) for name in BACKENDS]
        pages = [reply.result() for reply in pending]
        entries = sorted((e for page in pages for e in page["items"]), key=_key)
        edges = [AuditEntryConnection.Edge(node=_node(e), cursor=_encode(e))
                 for e in entries[:first]]
        return AuditEntryConnection(
            edges=edges, total_count=sum(page["total"] for page in pages),
            page_info=PageInfo(has_next_page=len(entries) > first,
                               end_cursor=edges[-1].cursor if edges else None))


def _filters(info, scope: dict) -> dict:
    """The caller's list scope as the audit trail's place columns."""
    code, version = scope["unit_code"], scope["geo_version"]
    if code is None:
        return {}
    level = unit_chain(info, code, geo(version), "unit_code")[0].get("level")
    if level == "PROVINCE":
        return {}
    if level == "DISTRICT":
        return {"district_code": code}
    if version == "V2025":
        return {"v2025_code": code}
    return {"unit_code": code, "geo_version": version}


def _instant(text: str | None, field: str) -> str | None:
    if text is None:
        return None
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise ValidationError(f"{field}: an ISO-8601 time with its offset", field=field)
    return instant.isoformat()


def _key(entry: dict) -> tuple:
    return datetime.fromisoformat(entry["at"]), entry["service"], entry["id"]


def _node(entry: dict) -> AuditEntry:
    return AuditEntry(unit=entry["unit_code"], **{k: entry[k] for k in (
        "at", "actor", "role", "action", "object_type", "object_id", "geo_version",
        "correlation_id", "outcome", "service")})


def _encode(entry: dict) -> str:
    raw = json.dumps([entry["at"], entry["service"], entry["id"]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str | None) -> list | None:
    if not cursor:
        return None
    try:
        at, service, last = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        datetime.fromisoformat(at)
        if isinstance(service, str) and isinstance(last, int):
            return [at, service, last]
    except (ValueError, TypeError):
        pass
    raise ValidationError("after is not a cursor this API gave out", field="after")
