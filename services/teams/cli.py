"""Administration from the command line: create the first administrator in production.

    TEAMS_DATABASE_URL=postgresql://... python -m services.teams.cli create-user \\
        --username admin --role PROVINCE_OFFICER --scope-code 20 [--scope-version V2025]

The password is read from the prompt (twice), or from the first line of standard input
when it is not a terminal (`... create-user ... < secret-file`, as `docker login
--password-stdin` does); it is never echoed, logged or put in the environment.
Runs the service's migrations and the same handler as the `create_user` RPC, so the
`user.created` event goes to the outbox and is published when the service runs.
"""

import argparse
import getpass
import sys

from sqlalchemy.orm import sessionmaker

from services.common.audit import Caller
from services.common.config import load_config
from services.common.db import make_engine, migrate
from services.common.errors import HoagiaiError, parse
from services.common.unit_of_work import UnitOfWork
from services.teams import models, schemas, users


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("the passwords differ")
    return first


def create_user(args: argparse.Namespace) -> int:
    url = load_config("teams")["DATABASE_URL"]
    try:
        new = parse(schemas.NewUser, {
            "username": args.username, "password": _password(), "role": args.role,
            "scope_code": args.scope_code, "scope_version": args.scope_version,
            "team_id": args.team_id})
        migrate("teams", url)
        engine = make_engine(url)
        try:
            with sessionmaker(engine).begin() as session:
                uow = UnitOfWork(session, models.outbox, models.audit_log, Caller(
                    f"cli:{getpass.getuser()}"[:64], None, "create_user"))
                created = users.create_users(uow, [new])[0]
        finally:
            engine.dispose()
    except HoagiaiError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    print(f"created {created['username']} ({created['role']}, scope {created['scope_code']})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.teams.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a user (e.g. the first admin)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", default="PROVINCE_OFFICER")
    create.add_argument("--scope-code", default="20")
    create.add_argument("--scope-version", default="V2025", choices=["V2025", "LEGACY"],
                        help="the layout of --scope-code: V2025 (today's) by default")
    create.add_argument("--team-id")
    create.set_defaults(run=create_user)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
