"""Login and the caller's own user."""

import graphene

from services.gateway.schema.common import User, ctx
from services.gateway.schema.permissions import public


def user_of(principal) -> User:
    return User(username=principal.username, role=principal.role,
                scope_code=principal.scope_code, scope_version=principal.scope_version,
                team_id=principal.team_id)


class LoginPayload(graphene.ObjectType):
    token = graphene.String(required=True)
    user = graphene.Field(User, required=True)


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
        user = c.call("teams", "verify_credentials", username, password)  # or Unauthenticated
        token = c.tokens.issue(user)
        return LoginPayload(token=token, user=user_of(c.tokens.verify(token)))
