"""Operations with `$variables` for every root field's arguments, and values for them:
mostly well typed (so resolvers run), sometimes wrong (wrong types, wrong enum values, null
for non-null, huge strings, unknown codes). hypothesis-graphql writes literals only."""

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)
from hypothesis import strategies as st

# Unit codes: the province and a district (both layouts), a LEGACY-only district, unknown ones.
CODES = ("20", "178", "186", "06187", "99999", "", "not a code")
SCALARS = {
    "Int": st.integers(-2**31, 2**31 - 1),
    "Float": st.floats(allow_nan=False, allow_infinity=False),
    "Boolean": st.booleans(),
    "String": st.one_of(st.sampled_from(CODES), st.text(max_size=30)),
    "ID": st.one_of(st.uuids().map(str), st.text(max_size=12)),
}
BAD = st.one_of(
    st.none(), st.just("BOGUS"), st.just("x" * 20_000), st.sampled_from(CODES),
    st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
)


def value_for(type_) -> st.SearchStrategy:
    """One in six values is wrong for its type, at every level of an input."""
    return st.integers(0, 5).flatmap(lambda k: BAD if k == 0 else _good(type_))


def _good(type_) -> st.SearchStrategy:
    if isinstance(type_, GraphQLNonNull):
        return _good(type_.of_type)
    if isinstance(type_, GraphQLList):
        return st.lists(value_for(type_.of_type), max_size=3)
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(sorted(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        fields = type_.fields.items()
        return st.fixed_dictionaries(
            {name: value_for(f.type) for name, f in fields if isinstance(f.type, GraphQLNonNull)},
            optional={name: value_for(f.type) for name, f in fields
                      if not isinstance(f.type, GraphQLNonNull)})
    return SCALARS.get(type_.name, st.text(max_size=10))


def selection(type_, depth: int = 2) -> str:
    """Leaves without required arguments, and objects' leaves down to `depth` levels."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        if is_leaf_type(get_named_type(field.type)):
            parts.append(name)
        elif depth > 1 and isinstance(get_named_type(field.type), GraphQLObjectType):
            parts.append(f"{name} {selection(field.type, depth - 1)}")
    return "{ " + " ".join(parts) + " }"


def document(kind: str, name: str, field: GraphQLField) -> str:
    definitions = ", ".join(f"${arg}: {a.type}" for arg, a in field.args.items())
    arguments = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    return f"{kind}({definitions}) {{ {name}({arguments}) {selection(field.type)} }}"


def operations(schema: GraphQLSchema) -> st.SearchStrategy[tuple[str, dict]]:
    """(document, variables) for every root field that takes arguments; a required
    variable is sometimes left out."""
    fields = [(kind, name, field)
              for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type))
              for name, field in root.fields.items() if field.args]

    def draw(chosen):
        kind, name, field = chosen
        variables = st.fixed_dictionaries({}, optional={
            arg: value_for(a.type) for arg, a in field.args.items()})
        required = st.fixed_dictionaries({arg: value_for(a.type) for arg, a in field.args.items()
                                          if isinstance(a.type, GraphQLNonNull)})
        both = st.tuples(required, variables).map(lambda pair: {**pair[1], **pair[0]})
        return st.tuples(st.just(document(kind, name, field)), st.one_of(both, variables))

    return st.sampled_from(fields).flatmap(draw)
