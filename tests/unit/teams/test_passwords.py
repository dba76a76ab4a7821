"""The password policy: at least 12 characters, not one of SecLists' 10,000 most common
passwords (vendored, compared case-insensitively); one-time passwords pass it."""

import hashlib

import pytest

from services.common.errors import ValidationError
from services.teams import passwords

SHA256 = "af55295852bcb0bc63e76cd22e342d9f7778b1802e76f0c502c73a35f652fd7a"


def test_the_vendored_list_is_the_one_its_readme_names():
    assert hashlib.sha256(passwords.COMMON_LIST.read_bytes()).hexdigest() == SHA256
    readme = (passwords.COMMON_LIST.parent / "README.md").read_text()
    assert SHA256 in readme and "MIT" in readme and "SecLists" in readme
    assert len(passwords.common_passwords()) > 9_900  # a few lines differ only in case


@pytest.mark.parametrize("password", ["short-pass1", "", "x" * 11])
def test_a_password_shorter_than_12_characters_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        passwords.check(password, "new_password")
    assert refused.value.field == "new_password" and "12 characters" in refused.value.message


# the list's few entries of 12 characters or more (the shorter ones fail the length first)
@pytest.mark.parametrize("password", ["unbelievable", "UNBELIEVABLE", "Scandinavian",
                                      "  Contortionist  "])
def test_a_common_password_is_refused_whatever_its_case(password):
    with pytest.raises(ValidationError) as refused:
        passwords.check(password)
    assert refused.value.field == "password" and "common" in refused.value.message


def test_every_common_password_is_refused():
    for common in passwords.common_passwords():
        with pytest.raises(ValidationError):
            passwords.check(common)


def test_a_long_uncommon_password_is_accepted():
    assert passwords.check("Tổ hòa giải thôn Nà Pàn") == "Tổ hòa giải thôn Nà Pàn"


@pytest.mark.parametrize("password", [None, 123456789012, ["a" * 12], "x" * 201])
def test_what_is_no_password_is_refused(password):
    with pytest.raises(ValidationError):
        passwords.check(password)


def test_one_time_passwords_pass_the_policy_and_differ():
    made = {passwords.one_time() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert passwords.check(password) == password
