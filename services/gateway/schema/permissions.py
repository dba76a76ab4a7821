"""Declarative permissions: each root resolver states what it needs; the policy
(services/gateway/policy.py) decides.

    @requires("submit_case", on=team_place_of("input.team_id"))
    def resolve_submit_case(root, info, input): ...

- the caller's role may do the action (`policy.ACTIONS`); anonymous callers are told to
  log in, others are FORBIDDEN;
- `on=` finds the object acted on from the arguments (a team, case, mediator's team,
  commune or unit, as a policy object); the policy authorizes the action on it, and not
  found looks like out of scope;
- `listing=True`: a list query; the resolver gets `scope` (the filters of
  `policy.list_scope` for its `unit_code` and `geo_version` arguments);
- `dated=`: the argument holding the write's date (district officers are history only).

Before any of this the resolver runs nothing: FORBIDDEN is never a payload error.
`public` marks the few fields open to anyone (login, health, units). A test walks the
schema's root fields and fails on one that declares neither.
"""

import functools
from collections.abc import Callable, Mapping

from services.gateway import policy
from services.gateway.schema.common import commune_scope, ctx, geo, unit_chain

Finder = Callable[[object, Mapping], dict | None]


def requires(action: str, on: Finder | None = None, listing: bool = False,
             dated: str | None = None):
    if action not in policy.ACTIONS:
        raise KeyError(f"unknown action {action}: declare it in policy.ACTIONS")

    def decorate(resolver):
        @functools.wraps(resolver)
        def checked(root, info, **args):
            principal = ctx(info).principal
            policy.require(principal, action)
            if dated is not None:
                policy.check_dated_write(principal, argument(args, dated))
            if on is not None:
                policy.authorize(principal, action, on(info, args))
            if listing:
                args["scope"] = list_scope(info, action, args.get("unit_code"),
                                           geo(args.get("geo_version")))
            return resolver(root, info, **args)

        checked.permission = action
        return checked

    return decorate


def public(resolver):
    """Open to every caller, logged in or not (the field says why)."""
    resolver.permission = "public"
    return resolver


def argument(args: Mapping, path: str):
    """`input.team_id` → args["input"]["team_id"] (None if absent)."""
    found = args
    for part in path.split("."):
        found = found.get(part) if isinstance(found, Mapping) else getattr(found, part, None)
    return found


def list_scope(info, action: str, unit_code: str | None, geo_version: str) -> dict:
    chain = unit_chain(info, unit_code, geo_version, "unit_code") if unit_code else None
    return policy.list_scope(ctx(info).principal, action, unit_code, chain, geo_version)


# ---- finders: the object a resolver acts on, from its arguments ----------------------

def team_of(path: str) -> Finder:
    return lambda info, args: policy.team_scope(
        ctx(info).loaders.teams.load(argument(args, path)))


def team_place_of(path: str) -> Finder:
    """The team's place only (cached): what intake needs, without the team's names."""
    return lambda info, args: policy.team_scope(
        ctx(info).loaders.team_place(argument(args, path)))


def case_of(path: str) -> Finder:
    return lambda info, args: ctx(info).loaders.cases.load(argument(args, path))


def mediator_team_of(path: str) -> Finder:
    def find(info, args):
        mediator = ctx(info).loaders.mediators.load(argument(args, path))
        return policy.team_scope(mediator and ctx(info).loaders.teams.load(mediator["team_id"]))
    return find


def commune_of(path: str, layout: str | None = None, must_exist: bool = True) -> Finder:
    """A commune by its code, in `layout` or else the layout given beside the code.
    `must_exist`: a code that is no unit is NOT_FOUND (units are public); otherwise
    it is refused like any object out of scope."""
    def find(info, args):
        code, version = argument(args, path), layout or _layout_beside(args, path)
        if must_exist:
            unit_chain(info, code, version, path.rpartition(".")[2])
        return commune_scope(info, code, version)
    return find


def unit_of(path: str) -> Finder:
    """A commune, district or the province (in the layout given beside the code)."""
    def find(info, args):
        code, version = argument(args, path), _layout_beside(args, path)
        level = unit_chain(info, code, version, "unit_code")[0].get("level")
        if level == "COMMUNE":
            return commune_scope(info, code, version)
        if level == "DISTRICT" and version == "LEGACY":
            return {"district_code": code}
        return {"province_code": code}  # only a province officer's scope
    return find


def _layout_beside(args: Mapping, path: str) -> str:
    """The `geo_version` given beside the code at `path` (V2025 if none)."""
    head = path.rpartition(".")[0]
    return geo(argument(args, f"{head}.geo_version" if head else "geo_version"))
