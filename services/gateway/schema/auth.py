"""Login and the caller's own user."""

from datetime import UTC, datetime

import graphene

from services.gateway.schema.common import User, ctx
from services.gateway.schema.permissions import public, requires


def user_of(principal) -> User:
    return User(username=principal.username, role=principal.role,
                scope_code=principal.scope_code, scope_version=principal.scope_version,
                team_id=principal.team_id,
                must_change_password=principal.must_change_password)


class LoginPayload(graphene.ObjectType):
    token = graphene.String(required=True)
    user = graphene.Field(User, required=True)
    must_change_password = graphene.Boolean(
        required=True, description="the account has a one-time password: this token may "
        "only changePassword, logout and read me until it is changed")


class LogoutPayload(graphene.ObjectType):
    revoked = graphene.Boolean(required=True)


class AuthQueries(graphene.ObjectType):
    me = graphene.Field(User, description="the caller; null without a token")

    @public  # the caller's own account
    def resolve_me(root, info):
        principal = ctx(info).principal
        return None if principal.anonymous else user_of(principal)


class AuthMutations(graphene.ObjectType):
    login = graphene.Field(LoginPayload, required=True, username=graphene.String(required=True),
                           password=graphene.String(required=True),
                           description="a signed, expiring token for the Authorization header")

    @public  # how a caller gets a token
    def resolve_login(root, info, username, password):
        c = ctx(info)
        user = c.call("teams", "verify_credentials", username, password,  # or Unauthenticated,
                      c.client_address)  # or TooManyAttempts (services/teams/login.py)
        token = c.tokens.issue(user)
        principal = c.tokens.verify(token)
        return LoginPayload(token=token, user=user_of(principal),
                            must_change_password=principal.must_change_password)

    logout = graphene.Field(LogoutPayload, required=True,
                            description="revokes this token on every gateway replica")

    @requires("own_session")
    def resolve_logout(root, info):
        c = ctx(info)
        p = c.principal
        expires = datetime.fromtimestamp(p.expires_at, UTC).isoformat()
        if p.token_id:
            revoked = c.call("teams", "revoke_tokens", p.username, expires, token_id=p.token_id)
        else:  # a token from before tokens had ids: every token of the user up to now
            revoked = c.call("teams", "revoke_tokens", p.username, expires,
                             issued_before=datetime.fromtimestamp(p.issued_at + 1, UTC)
                             .isoformat())
        c.tokens.revocations.add(revoked)  # this replica at once; the others by the event
        return LogoutPayload(revoked=True)
