"""GraphQL over HTTP (graphql-over-http spec): POST JSON, GET for queries, status codes,
media types, and GraphiQL for browsers outside production."""

import json
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from graphql import (
    DocumentNode,
    ExecutionContext,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
    visit,
)
from graphql.language import Visitor
from graphql.validation import NoSchemaIntrospectionCustomRule, specified_rules
from werkzeug.wrappers import Request, Response

from services.common import json_codec
from services.common.errors import ServiceUnavailable, Unauthenticated
from services.gateway import graphiql, metrics
from services.gateway.auth import Principal
from services.gateway.context import Context
from services.gateway.errors import format_error, variable_errors
from services.gateway.limits import LimitExceeded, Measures, check
from services.gateway.schema import schema

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def handle(request: Request, settings, make_context: Callable[[Principal], Context]) -> Response:
    """One GraphQL request. `settings` carries tokens, limits, the rate limiter and
    whether this is production; `make_context(principal)` builds the resolvers' context."""
    media_type = _response_media_type(request)
    if request.method == "GET" and not settings.production and _wants_html(request):
        return graphiql.page()
    limits = settings.limits
    try:
        principal = settings.tokens.principal(request.headers.get("Authorization"))
        settings.rate_limiter.take(_caller_key(request, principal))
        params, json_text = _read_params(request, limits.max_body_bytes)
        prepared = _prepare(params["query"], settings.production)
        document, errors = prepared.document, prepared.errors
        operation = document and get_operation_ast(document, params.get("operationName"))
        if request.method == "GET" and operation and operation.operation != OperationType.QUERY:
            raise BadRequest("only queries may be sent with GET; use POST", 405, {"Allow": "POST"})
        if errors:
            metrics.record_errors(errors)
            return _respond({"errors": errors}, media_type, 400 if media_type != JSON else 200)
        if operation is None:
            raise BadRequest("operationName does not name one operation of the document")
        _refuse_nul_characters(prepared.nul_in_query, params.get("variables"), json_text)
        depth, cost = prepared.measures(operation, params.get("variables"))
        check(limits, depth, cost)
        result = _execute(document, operation, params, make_context(principal))
    except BadRequest as exc:
        return _refuse("BAD_REQUEST", str(exc), media_type, exc.status, exc.headers)
    except NulCharacter as exc:
        status = 400 if media_type != JSON else 200
        return _refuse("BAD_USER_INPUT", str(exc), media_type, status, {})
    except BadVariables as exc:
        metrics.record_errors(exc.errors)
        return _respond({"errors": exc.errors}, media_type, 400 if media_type != JSON else 200)
    except LimitExceeded as exc:
        status = exc.status if exc.status != 400 or media_type != JSON else 200
        return _refuse(exc.code, exc.message, media_type, status, exc.headers)
    except Unauthenticated as exc:
        return _refuse(exc.code, exc.message, media_type, 401,
                       {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    except ServiceUnavailable as exc:  # the revocations are not loaded yet (teams is down)
        return _refuse(exc.code, exc.message, media_type, 503, {"Retry-After": "1"})
    body = {"data": result.data}
    if result.errors:
        root_type = schema.graphql_schema.get_root_type(operation.operation)
        body["errors"] = [format_error(e, root_type) for e in result.errors]
    metrics.record(operation.operation.value, params.get("operationName") or _name(operation),
                   cost, body.get("errors", []))
    status = 200 if result.data is not None or media_type == JSON else 500
    return _respond(body, media_type, status)


class NulCharacter(Exception):
    pass


class BadVariables(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _execute(document: DocumentNode, operation, params: dict, context: Context):
    """Run the operation. Variables that do not fit their types are the client's mistake
    (BAD_USER_INPUT), not an execution error: graphql-core reports them with an
    `original_error` (masked as internal) and would not name their path. They are coerced
    once, by the execution (checking them first coerced them twice: ≈ 10 % of handling a
    submitCase); only when it answers with no data (refused variables run no resolver)
    are they checked again, for those errors (BadVariables)."""
    variables = params.get("variables")
    result = execute(schema.graphql_schema, document, variable_values=variables,
                     operation_name=params.get("operationName"), context_value=context,
                     is_awaitable=_never_awaitable,
                     execution_context_class=SharedSubtrees)
    if result.data is None and operation.variable_definitions and (
            errors := variable_errors(schema.graphql_schema, operation, variables)):
        raise BadVariables(errors)
    return result


def _refuse_nul_characters(nul_in_query: bool, variables, json_text: str) -> None:
    """PostgreSQL text cannot hold U+0000: refuse it in any argument, not fail on write.
    JSON can only write it as the escape `\\u0000` (a raw one is invalid JSON), so the
    variables of a `json_text` without that escape hold none: they are not walked."""
    if nul_in_query or ("\\u0000" in json_text
                        and any("\x00" in text for text in _strings(variables))):
        raise NulCharacter("text may not contain the NUL character (U+0000)")


def _string_nodes(document: DocumentNode):
    found = []

    class Collect(Visitor):
        def enter_string_value(self, node, *_):
            found.append(node)

    visit(document, Collect())
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _refuse(code: str, message: str, media_type: str, status: int, headers: dict) -> Response:
    errors = [{"message": message, "extensions": {"code": code}}]
    metrics.record_errors(errors)
    return _respond({"errors": errors}, media_type, status, headers)


def _caller_key(request: Request, principal: Principal) -> str:
    if principal.anonymous:
        return f"ip:{request.remote_addr}"
    return f"user:{principal.username}"


def _name(operation) -> str | None:
    return operation.name.value if operation.name else None


class SharedSubtrees(ExecutionContext):
    """Completes an object's selection once per request: where one object appears many
    times under the same field (a team under each of its cases: a loader answers them
    all with the one dict), its completed subtree is shared, not completed again (on a
    100-case page, about 1,900 of 2,200 fields). A subtree that raised an error is not
    shared: each place reports its own, with its own path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.completed: dict[tuple, tuple] = {}

    def complete_object_value(self, return_type, field_nodes, info, path, result):
        key = (id(result), return_type.name, *map(id, field_nodes))
        if (done := self.completed.get(key)) is not None:
            return done[1]
        errors = len(self.collected_errors.errors)
        value = super().complete_object_value(return_type, field_nodes, info, path, result)
        if len(self.collected_errors.errors) == errors:
            self.completed[key] = (result, value)  # holds `result`: its id stays its own
        return value


def _never_awaitable(_value) -> bool:
    """Every resolver is synchronous (eventlet): graphql-core's own check of each field's
    value for an awaitable was 11 % of a 100-case page's execution under cProfile (2,500
    fields)."""
    return False


class Prepared(NamedTuple):
    """A query text parsed and validated: its document (None if it does not parse), the
    validation errors, whether a string literal holds NUL, and its operations' depth and
    cost (`Measures`)."""

    document: DocumentNode | None
    errors: list[dict]
    nul_in_query: bool
    measures: Measures | None


@lru_cache(maxsize=512)
def _prepare(query: str, production: bool) -> Prepared:
    """Parse and validate once per distinct query text. Production refuses introspection."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return Prepared(None, [format_error(exc)], False, None)
    rules = [*specified_rules, NoSchemaIntrospectionCustomRule] if production else None
    errors = [format_error(e) for e in validate(schema.graphql_schema, document, rules)]
    for error in errors:
        if "introspection" in error["message"]:
            error["extensions"]["code"] = "INTROSPECTION_DISABLED"
    nul_in_query = any("\x00" in node.value for node in _string_nodes(document))
    return Prepared(document, errors, nul_in_query, Measures(schema.graphql_schema, document))


def _read_params(request: Request, max_bytes: int) -> tuple[dict, str]:
    """The request's parameters, and the JSON text its variables were decoded from."""
    if request.method == "GET":
        if len(request.query_string) > max_bytes:
            raise _too_large(max_bytes)
        params = {k: request.args.get(k) for k in ("query", "operationName", "variables")}
        json_text = params["variables"] or ""
        if json_text:
            params["variables"] = _json_value(json_text, "variables")
    else:
        if request.mimetype != JSON:
            raise BadRequest("POST bodies must be application/json", 415)
        json_text = _body(request, max_bytes)
        params = _json_value(json_text, "body")
        if not isinstance(params, dict):
            raise BadRequest("the body must be a JSON object")
    if not isinstance(params.get("query"), str) or not params["query"].strip():
        raise BadRequest("the request has no query")
    if params.get("variables") is not None and not isinstance(params["variables"], dict):
        raise BadRequest("variables must be a JSON object")
    if params.get("operationName") is not None and not isinstance(params["operationName"], str):
        raise BadRequest("operationName must be a string")
    return params, json_text


def _body(request: Request, max_bytes: int) -> str:
    if request.content_length is not None and request.content_length > max_bytes:
        raise _too_large(max_bytes)
    data = request.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8") from None


def _too_large(max_bytes: int) -> LimitExceeded:
    return LimitExceeded("REQUEST_TOO_LARGE",
                         f"the request body is over the limit of {max_bytes} bytes", status=413)


def _json_value(text: str, what: str):
    try:
        return json.loads(text)
    except ValueError:
        raise BadRequest(f"the {what} is not valid JSON") from None


def _response_media_type(request: Request) -> str:
    accept = request.accept_mimetypes
    named = {value for value, _ in accept}
    if GRAPHQL_RESPONSE in named and accept.quality(GRAPHQL_RESPONSE) >= accept.quality(JSON):
        return GRAPHQL_RESPONSE
    return JSON


def _wants_html(request: Request) -> bool:
    """A browser's page load: text/html preferred to every JSON type. Not `.best`, which
    ranks Chromium's `application/signed-exchange;v=b3;q=0.7` above `text/html`."""
    accept = request.accept_mimetypes
    json_quality = max(accept.quality(JSON), accept.quality(GRAPHQL_RESPONSE))
    return accept.quality("text/html") > json_quality and "query" not in request.args


def _respond(body: dict, media_type: str, status: int, headers: dict | None = None) -> Response:
    return Response(json_codec.encode(body), status=status,
                    content_type=f"{media_type}; charset=utf-8", headers=headers)
