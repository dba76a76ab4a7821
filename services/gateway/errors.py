"""The one mapping from exceptions to GraphQL error codes; unexpected errors are masked.

A refusal (a typed error) is the client's mistake: it is logged at INFO, without a traceback
or its message (which may hold personal data). Only the unexpected is logged at ERROR."""

import logging
import re
import uuid
from collections.abc import Collection

from graphene.utils.str_converters import to_camel_case
from graphql import (
    GraphQLError,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    coerce_input_value,
    is_non_null_type,
    type_from_ast,
)
from graphql.language import FieldNode
from kombu.exceptions import OperationalError as BrokerUnreachable
from nameko.exceptions import RemoteError, UnknownService

from services.common.errors import HoagiaiError, TooManyAttempts

log = logging.getLogger(__name__)
# A backend's database refused or dropped the connection (SQLAlchemy / psycopg2): transient.
DATABASE_UNAVAILABLE = {"OperationalError", "InterfaceError"}


def format_error(error: GraphQLError, root_type: GraphQLObjectType | None = None) -> dict:
    """`root_type`: the operation's root type, to name a root field's arguments."""
    formatted = error.formatted
    original = error.original_error
    if original is None:  # a GraphQL syntax or validation error: safe to show
        formatted.setdefault("extensions", {}).setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return formatted
    code, message = classify(original)
    formatted["message"] = message
    formatted["extensions"] = {"code": code}
    if isinstance(original, TooManyAttempts):
        formatted["extensions"]["retryAfter"] = original.retry_after  # seconds
    if isinstance(original, HoagiaiError) and original.field:
        arguments = root_arguments(root_type, error.nodes) if len(error.path or ()) == 1 else ()
        field = formatted["extensions"]["field"] = client_path(original.field, arguments)
        formatted["message"] = client_message(message, original.field, field)
    return formatted


def classify(exc: BaseException) -> tuple[str, str]:
    """(code, client-safe message) for any exception raised while resolving."""
    if isinstance(exc, HoagiaiError):
        log.info("refused: %s", exc.code)
        return exc.code, exc.message
    if isinstance(exc, UnknownService | TimeoutError | BrokerUnreachable | ConnectionError) or (
            isinstance(exc, RemoteError) and exc.exc_type in DATABASE_UNAVAILABLE):
        return "SERVICE_UNAVAILABLE", "a backend service is unavailable, try again later"
    error_id = uuid.uuid4().hex[:12]
    if isinstance(exc, RemoteError):
        log.error("remote error %s: %s", error_id, exc, extra={"error_id": error_id})
    else:
        log.error("unexpected error %s", error_id, exc_info=exc, extra={"error_id": error_id})
    return "INTERNAL_SERVER_ERROR", f"internal error (id {error_id})"


# ---- field paths as the client wrote them --------------------------------------------

def client_path(field: str | None, arguments: Collection[str] = ()) -> str | None:
    """A service's field (snake_case, dotted, relative to the one input it was given) as
    the client wrote it: camelCase, from the argument (`input.parties.1.fullName`)."""
    if not field:
        return field
    parts = [to_camel_case(part) for part in field.split(".")]
    if parts[0] not in arguments and "input" in arguments:
        parts.insert(0, "input")
    return ".".join(parts)


def client_message(message: str, field: str, client_field: str) -> str:
    """A service's message starts with the field in its own words ("team_id: …"): say it
    as the client wrote it."""
    prefix = f"{field}: "
    return f"{client_field}: {message[len(prefix):]}" if message.startswith(prefix) else message


def root_arguments(root_type: GraphQLObjectType | None, nodes) -> Collection[str]:
    """The argument names of the root field an error (or payload) belongs to."""
    node = (nodes or [None])[0]
    if root_type is None or not isinstance(node, FieldNode):
        return ()
    field = root_type.fields.get(node.name.value)
    return field.args if field else ()


def payload_arguments(info) -> Collection[str]:
    """The argument names of the root field whose payload `info` resolves a part of."""
    key = info.path.as_list()[0]
    nodes = [node for node in info.operation.selection_set.selections
             if isinstance(node, FieldNode) and (node.alias or node.name).value == key]
    return root_arguments(info.schema.get_root_type(info.operation.operation), nodes)


# ---- variables ------------------------------------------------------------------------

# coerce_input_value reports a missing or unknown input field at its object's path
_NAMED_FIELD = re.compile(r"^Field '(\w+)' (?:of required type|is not defined)")


def variable_errors(schema: GraphQLSchema, operation: OperationDefinitionNode,
                    inputs: dict | None) -> list[dict]:
    """Why the variables do not fit the operation, one BAD_USER_INPUT error each with the
    variable's path in `extensions.field` (`i.parties.1.fullName`); [] if they fit."""
    errors: list[dict] = []
    inputs = inputs or {}
    for node in operation.variable_definitions:
        name = node.variable.name.value
        type_: GraphQLInputType = type_from_ast(schema, node.type)  # validated: an input type

        def refuse(path: list, message: str, node=node, name=name) -> None:
            if named := _NAMED_FIELD.match(message):
                path = [*path, named.group(1)]
            field = ".".join(str(part) for part in [name, *path])
            errors.append(GraphQLError(f"variable ${field}: {message}", node, extensions={
                "code": "BAD_USER_INPUT", "field": field}).formatted)

        if inputs.get(name) is None:
            if is_non_null_type(type_) and not (name not in inputs and node.default_value):
                refuse([], f"a value of type {type_} is required")
            continue
        try:
            coerce_input_value(inputs[name], type_,
                               lambda path, _value, error, refuse=refuse: refuse(path,
                                                                                 error.message))
        except RecursionError:
            refuse([], "the value is nested too deeply")
    return errors
