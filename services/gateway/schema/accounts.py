"""Officers' accounts: who manages whose (services/common/accounts.py, enforced here by
the policy and again by the teams service), one-time passwords, changing one's own."""

from datetime import UTC, datetime

import graphene

from services.common.accounts import TEAM_ROLES
from services.common.errors import Conflict, Forbidden, ValidationError
from services.gateway import policy
from services.gateway.schema.auth import user_of
from services.gateway.schema.common import (
    AdminUnit,
    User,
    UserError,
    build_connection,
    connection,
    ctx,
    fetch_page,
    geo,
    page_args,
    plain_input,
    unit_chain,
    unit_field,
    value,
)
from services.gateway.schema.enums import GeoVersion, Role
from services.gateway.schema.permissions import requires

LAYOUT = "V2025"  # accounts live in today's layout
MAX_PAGE = 100


class UserAccount(graphene.ObjectType):
    """An account of the system: never its password."""

    username = graphene.String(required=True)
    full_name = graphene.String(required=True)
    role = graphene.Field(Role, required=True)
    unit = graphene.Field(AdminUnit, description="the unit the account works in (a team "
                          "member's: the commune its team was placed in when it was made)")
    team_id = graphene.ID()
    active = graphene.Boolean(required=True, description="false: it cannot log in")
    must_change_password = graphene.Boolean(
        required=True, description="it has a one-time password, to change at its next login")

    resolve_unit = unit_field("scope_code", "scope_version")


UserAccountConnection = connection(UserAccount, "UserAccount")


class CreateUserInput(graphene.InputObjectType):
    username = graphene.String(required=True, description="2-64 of a-z 0-9 . _ -")
    full_name = graphene.String(required=True)
    role = Role(required=True)
    unit_code = graphene.String(description="a V2025 unit: a commune officer's commune, or a "
                                "viewer's unit (default: the caller's)")
    team_id = graphene.ID(description="a team leader's or mediator's team")


class CreateUserPayload(graphene.ObjectType):
    user = graphene.Field(UserAccount)
    one_time_password = graphene.String(description="shown once: the account must change it "
                                        "at its first login")
    errors = graphene.List(graphene.NonNull(UserError), required=True)


class ResetPasswordPayload(CreateUserPayload):
    pass


class SetUserActivePayload(graphene.ObjectType):
    user = graphene.Field(UserAccount)
    errors = graphene.List(graphene.NonNull(UserError), required=True)


class ChangePasswordPayload(graphene.ObjectType):
    token = graphene.String(description="a new token (every older one of the account is "
                            "revoked), without the one-time password's restriction")
    user = graphene.Field(User)
    errors = graphene.List(graphene.NonNull(UserError), required=True)


class AccountQueries(graphene.ObjectType):
    users = graphene.Field(UserAccountConnection, required=True, unit_code=graphene.String(),
                           role=Role(), geo_version=GeoVersion(default_value=LAYOUT),
                           **page_args(),
                           description="the accounts in the caller's scope, by username "
                           "(unitCode: a V2025 unit; accounts are not kept in the LEGACY "
                           "layout)")

    @requires("read_accounts")
    def resolve_users(root, info, unit_code=None, role=None, geo_version=LAYOUT, first=20,
                      after=None):
        c = ctx(info)
        if geo(geo_version) != LAYOUT:
            raise ValidationError("geoVersion: accounts are listed by V2025 units",
                                  field="geoVersion")
        if unit_code is not None:
            unit_chain(info, unit_code, LAYOUT, "unit_code")  # units are public: NOT_FOUND
        policy.authorize_account_list(c.principal, unit_code)
        if first is not None and first > MAX_PAGE:
            raise ValidationError(f"first: at most {MAX_PAGE}", field="first")
        actor = c.principal.as_actor()
        page, items, start = fetch_page(first, after, lambda n, a: c.call(
            "teams", "list_accounts", actor, unit_code, value(role), n, a))
        return build_connection(UserAccountConnection, page, items, start)


class AccountMutations(graphene.ObjectType):
    create_user = graphene.Field(CreateUserPayload, required=True,
                                 input=CreateUserInput(required=True),
                                 description="an account with a one-time password")
    set_user_active = graphene.Field(SetUserActivePayload, required=True,
                                     username=graphene.String(required=True),
                                     active=graphene.Boolean(required=True),
                                     description="false: it cannot log in, and its tokens "
                                     "are revoked")
    reset_password = graphene.Field(ResetPasswordPayload, required=True,
                                    username=graphene.String(required=True),
                                    description="a new one-time password; its tokens are "
                                    "revoked")
    change_password = graphene.Field(ChangePasswordPayload, required=True,
                                     old_password=graphene.String(required=True),
                                     new_password=graphene.String(required=True),
                                     description="one's own password: at least 12 "
                                     "characters, not a common one")

    @requires("manage_accounts")
    def resolve_create_user(root, info, input):
        c = ctx(info)
        data = plain_input(input)
        role = data.get("role")
        if not policy.may_give(c.principal, role):
            raise Forbidden(policy.DENIED)
        placed, commune = _place(info, role, data)
        if placed:
            policy.authorize_account(c.principal, {"username": data.get("username"),
                                                   "role": role, "scope_version": LAYOUT,
                                                   "commune": commune})
        return _write(CreateUserPayload, lambda: c.call(
            "teams", "create_account", data, c.principal.as_actor()),
            lambda done: {"user": done["user"], "one_time_password": done["password"]})

    @requires("manage_accounts")
    def resolve_set_user_active(root, info, username, active):
        c = ctx(info)
        _managed(info, username)
        return _write(SetUserActivePayload, lambda: _applied(c, c.call(
            "teams", "set_account_active", username, active, c.principal.as_actor())),
            lambda done: {"user": done["user"]})

    @requires("manage_accounts")
    def resolve_reset_password(root, info, username):
        c = ctx(info)
        _managed(info, username)
        return _write(ResetPasswordPayload, lambda: _applied(c, c.call(
            "teams", "reset_account_password", username, c.principal.as_actor())),
            lambda done: {"user": done["user"], "one_time_password": done["password"]})

    @requires("change_password")
    def resolve_change_password(root, info, old_password, new_password):
        c = ctx(info)

        def change():
            done = _applied(c, c.call("teams", "change_password", old_password, new_password,
                                      c.principal.as_actor(), c.client_address))
            before = _epoch(done["revoked"]["issued_before"])
            token = c.tokens.issue(done["user"], not_before=before)
            return {"token": token, "user": user_of(c.tokens.verify(token))}

        return _write(ChangePasswordPayload, change, lambda done: done)


def _place(info, role: str, data: dict) -> tuple[bool, str | None]:
    """(whether the new account's place is given, its V2025 commune). A missing or
    misplaced one is the teams service's to refuse (a payload error)."""
    if role in TEAM_ROLES:
        team_id = data.get("team_id")
        if team_id is None or data.get("unit_code") is not None:
            return False, None
        team = ctx(info).loaders.teams.load(team_id)
        if team is None:  # not found looks like out of scope (only commune officers here)
            raise Forbidden(policy.DENIED)
        return True, team.get("v2025_code")
    if data.get("team_id") is not None:
        return False, None
    code = data.get("unit_code") or (ctx(info).principal.scope_code if role == "VIEWER"
                                     else None)
    if code is None:
        return False, None
    chain = unit_chain(info, code, LAYOUT, "input.unit_code")
    return True, code if chain[0].get("level") == "COMMUNE" else None


def _managed(info, username: str) -> dict:
    """The account named, if the caller may manage it (else FORBIDDEN; NOT_FOUND for a
    province officer, who may see every account)."""
    account = ctx(info).call("teams", "get_account", username)
    return policy.authorize_account(ctx(info).principal, account)


def _applied(c, done: dict) -> dict:
    """This replica refuses the account's older tokens at once; the others by the
    `token.revoked` event."""
    if done.get("revoked"):
        c.tokens.revocations.add(done["revoked"])
    return done


def _write(payload_cls, action, shape):
    """Run `action()`; bad input and rule clashes become `errors` in the payload."""
    try:
        done = action()
    except (ValidationError, Conflict) as exc:
        return payload_cls(errors=[UserError(field=exc.field, code=exc.code,
                                             message=exc.message)])
    return payload_cls(errors=[], **shape(done))


def _epoch(value) -> float:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC).timestamp()
