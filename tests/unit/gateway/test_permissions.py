"""Every root field of the schema declares its permission (services/gateway/permissions.py),
and each declared action is one the policy knows."""

import pytest

from services.gateway import policy
from services.gateway.schema import Mutation, Query
from services.gateway.schema.permissions import argument, requires

PUBLIC = {"health", "me", "login"}  # open to anyone, on purpose


def root_fields():
    for root in (Query, Mutation):
        for name in root._meta.fields:
            yield root.__name__, name, getattr(root, f"resolve_{name}", None)


@pytest.mark.parametrize("root, name, resolver", list(root_fields()),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_each_root_field_declares_a_permission(root, name, resolver):
    declared = getattr(resolver, "permission", None)
    assert declared is not None, f"{root}.{name} declares no permission (@requires/@public)"
    if declared == "public":
        assert name in PUBLIC, f"{root}.{name} is public but not in the list of public fields"
    else:
        assert declared in policy.ACTIONS


def test_an_unknown_action_cannot_be_declared():
    with pytest.raises(KeyError):
        requires("read_everything")


def test_arguments_are_found_by_path():
    args = {"input": {"team_id": "t1"}, "case_id": "c1"}
    assert (argument(args, "input.team_id"), argument(args, "case_id")) == ("t1", "c1")
    assert argument(args, "input.missing") is None
