"""Limits on what one request may ask: depth, cost, page size, body size, rate.

Each violation is a `LimitExceeded` carrying its own code; http.py answers with a
GraphQL error (and a 4xx status), never a 500.
"""

import time
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    value_from_ast_untyped,
)

MAX_FIRST = 100
DEFAULT_FIRST = 20
LIST_GUESS = 5  # assumed length of a list field with no `first` (mediators, children …)


class LimitExceeded(Exception):
    status = 400

    def __init__(self, code: str, message: str, status: int = 400, headers: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
        self.headers = headers or {}


@dataclass(frozen=True)
class Limits:
    max_depth: int = 10
    max_cost: int = 10_000
    max_body_bytes: int = 64 * 1024
    rate_per_second: float = 200.0  # 0: no rate limit
    rate_burst: int = 400

    @classmethod
    def from_config(cls, config: dict) -> "Limits":
        section = config.get("LIMITS") or {}
        return cls(**{k: type(getattr(cls, k))(v) for k, v in section.items()
                      if k in cls.__dataclass_fields__})


def measure(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
            variables: dict | None) -> tuple[int, int]:
    """(depth, cost) of one operation. Every field costs 1, times the sizes of the lists
    above it (`first`, or LIST_GUESS); aliases count as separate fields. Raises
    LimitExceeded for `first` over MAX_FIRST. Introspection meta-fields are not counted."""
    return _walker(schema, document, operation, variables).measure(operation)


class Measures:
    """`measure` for the operations of one document, each remembered when no `first:`
    of it is a variable (then no request's variables change its depth or cost): the
    walk was ≈ 6 % of handling a submitCase in-process, the same on every request."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode):
        self.schema, self.document = schema, document
        # id(operation) → (depth, cost): the operations are this document's, kept alive by it
        self.fixed: dict[int, tuple[int, int]] = {}

    def __call__(self, operation: OperationDefinitionNode, variables: dict | None):
        if (known := self.fixed.get(id(operation))) is not None:
            return known
        walker = _walker(self.schema, self.document, operation, variables)
        measured = walker.measure(operation)
        if not walker.read_variables:
            self.fixed[id(operation)] = measured
        return measured


def _walker(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
            variables: dict | None) -> "_Walker":
    fragments = {d.name.value: d for d in document.definitions
                 if d.__class__.__name__ == "FragmentDefinitionNode"}
    root = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
            OperationType.SUBSCRIPTION: schema.subscription_type}[operation.operation]
    return _Walker(fragments, variables or {}, root)


def check(limits: Limits, depth: int, cost: int) -> None:
    if depth > limits.max_depth:
        raise LimitExceeded("QUERY_TOO_DEEP",
                            f"the query is {depth} levels deep; the limit is {limits.max_depth}")
    if cost > limits.max_cost:
        raise LimitExceeded("QUERY_TOO_COSTLY",
                            f"the query costs {cost}; the budget is {limits.max_cost}")


class _Walker:
    def __init__(self, fragments: dict, variables: dict, root):
        self.fragments, self.variables, self.root = fragments, variables, root
        self.read_variables = False  # whether a `first:` was a variable (see Measures)

    def measure(self, operation: OperationDefinitionNode) -> tuple[int, int]:
        return self.walk(operation.selection_set, self.root, 1, 1, frozenset())

    def walk(self, selection_set: SelectionSetNode | None, parent, multiplier: int, level: int,
             seen: frozenset) -> tuple[int, int]:
        depth, cost = level - 1, 0
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                d, c = self.field(node, parent, multiplier, level, seen)
            elif isinstance(node, InlineFragmentNode):
                d, c = self.walk(node.selection_set, parent, multiplier, level, seen)
            elif isinstance(node, FragmentSpreadNode):
                name = node.name.value
                if name in seen or name not in self.fragments:  # cycles fail validation
                    continue
                d, c = self.walk(self.fragments[name].selection_set, parent, multiplier, level,
                                 seen | {name})
            depth, cost = max(depth, d), cost + c
        return depth, cost

    def field(self, node: FieldNode, parent, multiplier: int, level: int, seen) -> tuple[int, int]:
        name = node.name.value
        if name.startswith("__"):
            return level, 0
        definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType) else None
        field_type, is_list = _unwrap(definition.type) if definition else (None, False)
        first = self.argument(node, "first")
        if first is not None and first > MAX_FIRST:
            raise LimitExceeded("PAGE_SIZE_TOO_LARGE",
                                f"first: {first} is over the page size limit of {MAX_FIRST}")
        if first is not None or (definition and "first" in definition.args):
            size = DEFAULT_FIRST if first is None else max(first, 0)
        elif getattr(parent, "name", "").endswith("Connection"):
            size = 1  # `edges`: the connection's `first` already counted them
        else:
            size = LIST_GUESS if is_list else 1
        if node.selection_set is None:
            return level, multiplier
        depth, cost = self.walk(node.selection_set, field_type, multiplier * max(size, 1),
                                level + 1, seen)
        return depth, multiplier + cost

    def argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == name:
                self.read_variables = self.read_variables or _holds_variable(argument.value)
                value = value_from_ast_untyped(argument.value, self.variables)
                return value if isinstance(value, int) else None
        return None


def _holds_variable(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(map(_holds_variable, node.values))
    if isinstance(node, ObjectValueNode):
        return any(_holds_variable(field.value) for field in node.fields)
    return False


def _unwrap(gql_type) -> tuple[object, bool]:
    is_list = False
    while isinstance(gql_type, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(gql_type, GraphQLList)
        gql_type = gql_type.of_type
    return gql_type, is_list


class RateLimiter:
    """A token bucket per caller, in this process: each gateway replica counts on its own,
    so N replicas behind a balancer allow up to N× the rate."""

    MAX_KEYS = 10_000

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        tokens, stamp = self.buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - stamp) * self.rate)
        if tokens < 1:
            wait = max(1, int((1 - tokens) / self.rate + 0.999))
            raise LimitExceeded("RATE_LIMITED", f"too many requests; retry in {wait} s",
                                status=429, headers={"Retry-After": str(wait)})
        if key not in self.buckets and len(self.buckets) >= self.MAX_KEYS:
            self.buckets.pop(next(iter(self.buckets)))
        self.buckets[key] = (tokens - 1, now)
