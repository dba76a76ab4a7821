"""The one mapping from exceptions to GraphQL error codes; unexpected errors are masked."""

import logging
import uuid

from graphql import GraphQLError
from kombu.exceptions import OperationalError as BrokerUnreachable
from nameko.exceptions import RemoteError, UnknownService

from services.common.errors import HoagiaiError

log = logging.getLogger(__name__)
# A backend's database refused or dropped the connection (SQLAlchemy / psycopg2): transient.
DATABASE_UNAVAILABLE = {"OperationalError", "InterfaceError"}


def format_error(error: GraphQLError) -> dict:
    formatted = error.formatted
    original = error.original_error
    if original is None:  # a GraphQL syntax or validation error: safe to show
        formatted.setdefault("extensions", {}).setdefault("code", "GRAPHQL_VALIDATION_FAILED")
        return formatted
    code, message = classify(original)
    formatted["message"] = message
    formatted["extensions"] = {"code": code}
    if isinstance(original, HoagiaiError) and original.field:
        formatted["extensions"]["field"] = original.field
    return formatted


def classify(exc: BaseException) -> tuple[str, str]:
    """(code, client-safe message) for any exception raised while resolving."""
    if isinstance(exc, HoagiaiError):
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
