"""Officers' accounts, login and token revocation."""

from datetime import UTC, datetime

from nameko.timer import timer

from services.common.errors import TooManyAttempts, Unauthenticated, ValidationError, parse
from services.common.service import rpc
from services.teams import login, revocations, schemas, users

WRONG = "unknown user or wrong password"


class UsersEntrypoints:
    @rpc
    def create_user(self, user: dict, actor: dict | None = None) -> dict:
        new = parse(schemas.NewUser, user)
        return self.write(lambda uow: users.create_users(uow, [new])[0])

    @rpc
    def create_users(self, new_users: list[dict], skip_existing: bool = False,
                     actor: dict | None = None) -> list[dict]:
        if not isinstance(new_users, list) or len(new_users) > 1000:
            raise ValidationError("at most 1000 users per call", field="users")
        batch = [parse(schemas.NewUser, u) for u in new_users]
        return self.write(lambda uow: users.create_users(uow, batch, skip_existing))

    @rpc
    def verify_credentials(self, username: str, password: str,
                           address: str | None = None) -> dict:
        """The user, or Unauthenticated; TooManyAttempts while the username or the
        address is throttled (services/teams/login.py), with no argon2 run."""
        if not isinstance(username, str) or not 0 < len(username) <= 64:
            raise Unauthenticated(WRONG)
        address = address[:64] if isinstance(address, str) and address else None
        guard = login.LoginGuard.from_config(self.config)
        try:
            attempt, password_hash, user = self.write(lambda uow: login.admit(
                uow.session, guard, username, address, datetime.now(UTC)))
        except TooManyAttempts:
            self.write(lambda uow: login.record(uow, username, None, TooManyAttempts.code))
            raise
        if not login.password_matches(password_hash, password) or user is None:
            self.write(lambda uow: login.record(uow, username, user, Unauthenticated.code))
            raise Unauthenticated(WRONG)
        self.write(lambda uow: (login.succeeded(uow.session, attempt),
                                login.record(uow, username, user, "ok")))
        return user

    @rpc
    def revoke_tokens(self, username: str, expires_at: str, token_id: str | None = None,
                      issued_before: str | None = None) -> dict:
        """Refuse one token (`token_id`) or every token of `username` issued before
        `issued_before`, until `expires_at` (ISO-8601); published to every gateway."""
        args = parse(schemas.Revocation, {"username": username, "expires_at": expires_at,
                                          "token_id": token_id,
                                          "issued_before": issued_before})
        return self.write(lambda uow: revocations.revoke(uow, **args.model_dump()))

    @rpc
    def revocations_in_force(self) -> list[dict]:
        return self.read(lambda s: revocations.in_force(s, datetime.now(UTC)))

    @timer(interval=60)
    def forget_old_logins(self) -> None:
        """Login attempts past the throttle's window and expired revocations."""
        guard = login.LoginGuard.from_config(self.config)
        self.write(lambda uow: (login.forget_old(uow.session, guard),
                                revocations.forget_expired(uow.session, datetime.now(UTC))))
