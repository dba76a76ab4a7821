"""Login tokens: who is calling, in a signed, expiring PyJWT token.

The token carries the role and scope unit, so authorization needs no RPC
(see `policy.py` for what each role may do).
"""

import ipaddress
import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

import jwt

from services.common.errors import ServiceUnavailable, Unauthenticated

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
    # the token's id, issue and expiry times (epoch seconds): what logout revokes
    token_id: str | None = None
    issued_at: float | None = None
    expires_at: float | None = None
    # a one-time password (a new or reset account): only changePassword, logout and me
    must_change_password: bool = False

    @property
    def anonymous(self) -> bool:
        return self.role == "ANONYMOUS"

    def as_actor(self) -> dict:
        """The `actor` dict the services' write RPCs take for their audit trail."""
        return {"username": self.username, "role": self.role, "scope_code": self.scope_code,
                "scope_version": self.scope_version, "team_id": self.team_id}


ANONYMOUS = Principal(username="anonymous", role="ANONYMOUS")


class Revocations:
    """Revoked tokens, in this replica's memory: fed by `token.revoked` events (each
    replica consumes them all) and, once, by teams' list of those still in force (`load`);
    until then a token cannot be trusted, so it is refused as unavailable."""

    def __init__(self):
        self.tokens: dict[str, float] = {}  # token id -> when it expires anyway
        self.before: dict[str, tuple[float, float]] = {}  # username -> (issued before, expiry)
        self.loaded = False

    def load(self, in_force: list[dict]) -> None:
        for revocation in in_force:
            self.add(revocation)
        self.loaded = True

    def add(self, revocation: dict) -> None:
        expires = _epoch(revocation["expires_at"])
        if revocation.get("token_id"):
            self.tokens[revocation["token_id"]] = expires
        if revocation.get("issued_before"):
            before = _epoch(revocation["issued_before"])
            known = self.before.get(revocation["username"], (0.0, 0.0))
            self.before[revocation["username"]] = (max(before, known[0]), max(expires, known[1]))
        self._prune()

    def revoked(self, principal: "Principal") -> bool:
        if not self.loaded:
            raise ServiceUnavailable("token revocations are not known yet; try again")
        if principal.token_id in self.tokens:
            return True
        before = self.before.get(principal.username)
        return before is not None and (principal.issued_at or 0) < before[0]

    def _prune(self) -> None:
        now = time.time()
        if len(self.tokens) > 1000:  # expired ones are refused by their expiry anyway
            self.tokens = {t: exp for t, exp in self.tokens.items() if exp > now}
        if len(self.before) > 1000:
            self.before = {u: b for u, b in self.before.items() if b[1] > now}


def _epoch(value) -> float:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()


class Tokens:
    def __init__(self, secret: str, ttl_seconds: int = 8 * 3600, production: bool = False,
                 revocations: Revocations | None = None):
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
        self.revocations = revocations

    def issue(self, user: dict, not_before: float | None = None) -> str:
        """A token for `user`. `iat` has milliseconds: an account change revokes the
        tokens issued before it (`issued_before`), and a token issued in the same second
        after it must not look older; `not_before` (epoch seconds, that revocation's time)
        keeps a token issued right after an account change from being refused by it."""
        now = time.time()
        issued = math.floor(max(now, (not_before or 0) + 0.001) * 1000) / 1000
        claims = {
            "sub": user["username"], "role": user["role"],
            "scope_code": user.get("scope_code"), "scope_version": user.get("scope_version"),
            "team_id": user.get("team_id"), "iat": issued, "exp": int(now) + self.ttl,
            "jti": uuid.uuid4().hex,
        }
        if user.get("must_change_password"):
            claims["must_change_password"] = True
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> Principal:
        if (known := self.verified.get(token)) and time.time() < known[0]:
            principal = known[1]
        else:
            principal, expires = self._decode(token)
            if len(self.verified) >= 10_000:  # bounded: drop them all, they verify again
                self.verified.clear()
            self.verified[token] = (expires, principal)
        if self.revocations is not None and self.revocations.revoked(principal):
            raise Unauthenticated("the token was revoked (logout); log in again")
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
                         team_id=_str(claims.get("team_id")), token_id=_str(claims.get("jti")),
                         issued_at=claims.get("iat"), expires_at=claims["exp"],
                         must_change_password=claims.get("must_change_password") is True), \
            claims["exp"]

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


def client_address(peer: str | None, forwarded_for: str | None, trusted: list) -> str | None:
    """The client's address: the connection's peer, or, when the peer is a trusted proxy,
    the right-most address in `X-Forwarded-For` that is not one (the ones left of it
    could be written by the client itself)."""
    if not forwarded_for or not _within(peer, trusted):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        if not _within(hop, trusted):
            return hop[:64]
    return peer


def trusted_networks(setting: str | None) -> list:
    """`10.0.0.0/8, 192.168.1.5` → networks; a bad entry stops the start (ValueError)."""
    return [ipaddress.ip_network(part.strip(), strict=False)
            for part in str(setting or "").split(",") if part.strip()]


def _within(address: str | None, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)
