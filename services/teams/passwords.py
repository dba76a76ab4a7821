"""The password policy and one-time passwords.

A password has at least 12 characters and is not one of the 10,000 most common ones
(SecLists' list, vendored in services/teams/data/, compared case-insensitively). A
one-time password (a new account, a reset) is generated here, shown once, and must be
changed at the first login.
"""

import functools
import secrets
from pathlib import Path

from eventlet import tpool

from services.common.errors import ValidationError
from services.teams.login import ARGON2_AT_ONCE
from services.teams.users import HASHER

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_LIST = Path(__file__).parent / "data" / "10k-most-common.txt"


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def check(password, field: str = "password") -> str:
    """The password, or ValidationError on `field` saying what is wrong with it."""
    if not isinstance(password, str):
        raise ValidationError(f"{field}: a password is a string", field=field)
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"{field}: a password has at least {MIN_LENGTH} characters",
                              field=field)
    if len(password) > MAX_LENGTH:
        raise ValidationError(f"{field}: a password has at most {MAX_LENGTH} characters",
                              field=field)
    if password.casefold() in common_passwords() or password.strip().casefold() \
            in common_passwords():
        raise ValidationError(f"{field}: this password is one of the most common ones; "
                              "choose another", field=field)
    return password


def one_time() -> str:
    """A random password (16 characters of the URL-safe alphabet, 96 bits)."""
    while True:
        password = secrets.token_urlsafe(12)
        if password.casefold() not in common_passwords():
            return password


def hash_password(password: str) -> str:
    """argon2 (~150 ms of CPU) in a real thread, one at a time per process, like the
    login's check (services/teams/login.py)."""
    with ARGON2_AT_ONCE:
        return tpool.execute(HASHER.hash, password)
