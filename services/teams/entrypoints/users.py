"""Officers' accounts and login."""

from services.common.errors import ValidationError, parse
from services.common.service import rpc
from services.teams import schemas, users


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
    def verify_credentials(self, username: str, password: str) -> dict:
        return self.read(lambda s: users.verify_credentials(s, username, password))
