"""GraphQL over HTTP (graphql-over-http spec): POST JSON, GET for queries, status codes,
media types, and GraphiQL for browsers outside production."""

import json
from functools import lru_cache

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from werkzeug.wrappers import Request, Response

from services.gateway.errors import format_error
from services.gateway.schema import schema

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def handle(request: Request, context: dict, graphiql: bool) -> Response:
    media_type = _response_media_type(request)
    if request.method == "GET" and graphiql and _wants_html(request):
        return Response(GRAPHIQL_HTML, mimetype="text/html")
    try:
        params = _read_params(request)
        document, errors = _prepare(params["query"])
        if errors:
            return _respond({"errors": errors}, media_type, 400 if media_type != JSON else 200)
        operation = get_operation_ast(document, params.get("operationName"))
        if operation is None:
            raise BadRequest("operationName does not name one operation of the document")
        if request.method == "GET" and operation.operation != OperationType.QUERY:
            raise BadRequest("only queries may be sent with GET; use POST", 405, {"Allow": "POST"})
    except BadRequest as exc:
        return _respond({"errors": [{"message": str(exc)}]}, media_type, exc.status, exc.headers)
    result = execute(
        schema.graphql_schema, document,
        variable_values=params.get("variables"),
        operation_name=params.get("operationName"),
        context_value=context,
    )
    body = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
    return _respond(body, media_type, 200)


@lru_cache(maxsize=512)
def _prepare(query: str) -> tuple[DocumentNode | None, list[dict]]:
    """Parse and validate once per distinct query text."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return None, [format_error(exc)]
    errors = validate(schema.graphql_schema, document)
    return document, [format_error(e) for e in errors]


def _read_params(request: Request) -> dict:
    if request.method == "GET":
        params = {k: request.args.get(k) for k in ("query", "operationName", "variables")}
        if params["variables"]:
            params["variables"] = _json_value(params["variables"], "variables")
    else:
        if request.mimetype != JSON:
            raise BadRequest("POST bodies must be application/json", 415)
        params = _json_value(request.get_data(as_text=True), "body")
        if not isinstance(params, dict):
            raise BadRequest("the body must be a JSON object")
    if not isinstance(params.get("query"), str) or not params["query"].strip():
        raise BadRequest("the request has no query")
    if params.get("variables") is not None and not isinstance(params["variables"], dict):
        raise BadRequest("variables must be a JSON object")
    if params.get("operationName") is not None and not isinstance(params["operationName"], str):
        raise BadRequest("operationName must be a string")
    return params


def _json_value(text: str, what: str):
    try:
        return json.loads(text)
    except ValueError:
        raise BadRequest(f"the {what} is not valid JSON") from None


def _response_media_type(request: Request) -> str:
    accept = request.accept_mimetypes
    if accept.quality(GRAPHQL_RESPONSE) >= accept.quality(JSON) and GRAPHQL_RESPONSE in accept:
        return GRAPHQL_RESPONSE
    return JSON


def _wants_html(request: Request) -> bool:
    return request.accept_mimetypes.best == "text/html" and "query" not in request.args


def _respond(body: dict, media_type: str, status: int, headers: dict | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type=f"{media_type}; charset=utf-8", headers=headers)


GRAPHIQL_HTML = """<!doctype html>
<html><head><title>hoagiai GraphiQL</title>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css"/></head>
<body style="margin:0"><div id="graphiql" style="height:100vh"></div>
<script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
<script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
<script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
<script>
const fetcher = GraphiQL.createFetcher({url: window.location.pathname});
ReactDOM.createRoot(document.getElementById('graphiql'))
  .render(React.createElement(GraphiQL, {fetcher}));
</script></body></html>"""
