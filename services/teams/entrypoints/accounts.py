"""Officers' accounts through the API (services/teams/accounts.py). Every RPC takes the
gateway's `actor` (the caller), checks again that the account lies in the actor's scope,
and returns no password but the one-time password it just made."""

from datetime import UTC, datetime

from services.common.errors import ValidationError, parse
from services.common.service import rpc
from services.teams import accounts, login, passwords

DEFAULT_TOKEN_TTL = 8 * 3600


def _actor(actor) -> dict:
    if not isinstance(actor, dict) or not isinstance(actor.get("role"), str) \
            or not isinstance(actor.get("username"), str):
        raise ValidationError("actor: the caller (username, role, scope) is required",
                              field="actor")
    return actor


def _username(username) -> str:
    if not isinstance(username, str) or not 0 < len(username) <= 64:
        raise ValidationError("username: 1 to 64 characters", field="username")
    return username


class AccountsEntrypoints:
    def _token_ttl(self) -> float:
        """Tokens live this long (the gateway's JWT_TTL_SECONDS): a revocation is kept
        until the newest token it refuses has expired anyway."""
        return float(self.config.get("JWT_TTL_SECONDS") or DEFAULT_TOKEN_TTL)

    @rpc
    def get_account(self, username: str) -> dict | None:
        """An account (never its hash), with the V2025 commune it works in; None if none."""
        return self.read(lambda s: accounts.get_account(s, username))

    @rpc
    def list_accounts(self, actor: dict, unit_code: str | None = None, role: str | None = None,
                      first: int = 20, after: str | None = None) -> dict:
        page = parse(accounts.AccountPage, {"unit_code": unit_code, "role": role,
                                            "first": first, "after": after})
        who = _actor(actor)
        return self.read(lambda s: accounts.list_accounts(s, who, page))

    @rpc
    def create_account(self, account: dict, actor: dict) -> dict:
        """`{"user": ..., "password": <one-time password, shown once>}`."""
        new = parse(accounts.NewAccount, account)
        who = _actor(actor)
        password = passwords.one_time()
        hashed = passwords.hash_password(password)
        user = self.write(lambda uow: accounts.create_account(
            uow, who, new, hashed, datetime.now(UTC)))
        return {"user": user, "password": password}

    @rpc
    def set_account_active(self, username: str, active: bool, actor: dict) -> dict:
        """`{"user": ..., "revoked": <the token.revoked payload, or None if unchanged>}`."""
        name, who = _username(username), _actor(actor)
        if not isinstance(active, bool):
            raise ValidationError("active: true or false", field="active")
        return self.write(lambda uow: accounts.set_active(
            uow, who, name, active, datetime.now(UTC), self._token_ttl()))

    @rpc
    def reset_account_password(self, username: str, actor: dict) -> dict:
        """`{"user", "revoked", "password"}`: a new one-time password, shown once."""
        name, who = _username(username), _actor(actor)
        password = passwords.one_time()
        hashed = passwords.hash_password(password)
        done = self.write(lambda uow: accounts.reset_password(
            uow, who, name, hashed, datetime.now(UTC), self._token_ttl()))
        return {**done, "password": password}

    @rpc
    def change_password(self, old_password: str, new_password: str, actor: dict,
                        address: str | None = None) -> dict:
        """The actor's own password. The old one is checked like a login (the same
        throttle: TOO_MANY_ATTEMPTS); `{"user", "revoked"}`."""
        username = _actor(actor)["username"]
        passwords.check(new_password, "new_password")
        if not isinstance(old_password, str) or not 0 < len(old_password) <= 200:
            raise ValidationError("old_password: wrong password", field="old_password")
        if new_password == old_password:
            raise ValidationError("new_password: the new password must differ from the old "
                                  "one", field="new_password")
        address = address[:64] if isinstance(address, str) and address else None
        guard = login.LoginGuard.from_config(self.config)

        def admit(uow):
            # the throttle's bookkeeping, not the change: the change's audit entries come
            # with its events, a refusal's on its own (services/common/audit.py)
            uow.audited = True
            return login.admit(uow.session, guard, username, address, datetime.now(UTC))

        attempt, password_hash, user = self.write(admit)
        if user is None or not user["active"] \
                or not login.password_matches(password_hash, old_password):
            raise ValidationError("old_password: wrong password", field="old_password")
        hashed = passwords.hash_password(new_password)

        def change(uow):
            login.succeeded(uow.session, attempt)
            return accounts.change_password(uow, username, hashed, datetime.now(UTC),
                                            self._token_ttl())

        return self.write(change)
