"""Login tokens: who is calling, in a signed, expiring PyJWT token.

The token carries the role and scope unit, so authorization needs no RPC
(see `policy.py` for what each role may do).
"""

import time
from dataclasses import asdict, dataclass

import jwt

from services.common.errors import Unauthenticated

DEFAULT_SECRET = "hoagiai-development-secret-change-me"
ALGORITHM = "HS256"
ROLES = ("MEDIATOR", "TEAM_LEADER", "COMMUNE_OFFICER", "DISTRICT_OFFICER",
         "PROVINCE_OFFICER", "VIEWER")


@dataclass(frozen=True)
class Principal:
    """The caller: a logged-in user, or `ANONYMOUS` (no token)."""

    username: str
    role: str
    scope_code: str | None = None
    scope_version: str | None = None
    team_id: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.role == "ANONYMOUS"

    def as_actor(self) -> dict:
        """The `actor` dict the services' write RPCs take for their audit trail."""
        return asdict(self)


ANONYMOUS = Principal(username="anonymous", role="ANONYMOUS")


class Tokens:
    def __init__(self, secret: str, ttl_seconds: int = 8 * 3600, production: bool = False):
        # "change-me" marks the placeholders shipped in deploy/ (k8s secrets.yaml).
        if production and (not secret or secret == DEFAULT_SECRET or "change-me" in secret):
            raise RuntimeError("JWT_SECRET must be set to a secret of your own in production")
        if production and len(secret) < 32:
            raise RuntimeError("JWT_SECRET must be at least 32 characters in production")
        self.secret = secret or DEFAULT_SECRET
        self.ttl = ttl_seconds
        # token → (expiry, principal): a token's signature is checked once, not on every
        # request (it was 7 % of the gateway's CPU per intake); its expiry still is.
        self.verified: dict[str, tuple[float, Principal]] = {}

    def issue(self, user: dict) -> str:
        now = int(time.time())
        claims = {
            "sub": user["username"], "role": user["role"],
            "scope_code": user.get("scope_code"), "scope_version": user.get("scope_version"),
            "team_id": user.get("team_id"), "iat": now, "exp": now + self.ttl,
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        if (known := self.verified.get(token)) and time.time() < known[0]:
            return known[1]
        principal, expires = self._decode(token)
        if len(self.verified) >= 10_000:  # bounded: drop them all, they verify again
            self.verified.clear()
        self.verified[token] = (expires, principal)
        return principal

    def _decode(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(token, self.secret, algorithms=[ALGORITHM],
                                options={"require": ["exp", "sub", "role"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("the token has expired; log in again") from None
        except jwt.InvalidTokenError:
            raise Unauthenticated("the token is not valid") from None
        if claims["role"] not in ROLES:
            raise Unauthenticated("the token names an unknown role")
        return Principal(username=claims["sub"], role=claims["role"],
                         scope_code=claims.get("scope_code"),
                         scope_version=claims.get("scope_version"),
                         team_id=_str(claims.get("team_id"))), claims["exp"]

    def principal(self, authorization: str | None) -> Principal:
        """The caller named by an `Authorization` header value; ANONYMOUS without one."""
        if not authorization:
            return ANONYMOUS
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("use 'Authorization: Bearer <token>'")
        return self.verify(token.strip())


def _str(value) -> str | None:
    return None if value is None else str(value)
