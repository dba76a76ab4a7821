"""Typed errors that survive the RPC hop (nameko re-raises them as these classes).

Each carries a stable `code`; the gateway maps codes to GraphQL error codes once.
"""

from nameko.exceptions import deserialize_to_instance


class HoagiaiError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str, field: str | None = None, details: dict | None = None):
        # All three go to args, so nameko can rebuild the instance on the caller's side.
        super().__init__(message, field, details)
        self.message = message
        # Across an RPC nameko's `safe_for_serialization` turns a None argument into "None"
        # (and numbers into strings): undone here for the field and the details.
        self.field = None if field in (None, "None") else field
        self.details = details if isinstance(details, dict) else {}

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message,
                "details": self.details}

    @staticmethod
    def from_dict(error: dict) -> "HoagiaiError":
        """The error `as_dict` described, as its own class (a batch's per-item answer)."""
        kind = next((c for c in HoagiaiError.__subclasses__() if c.code == error.get("code")),
                    HoagiaiError)
        return kind(error.get("message", ""), error.get("field"), error.get("details"))


@deserialize_to_instance
class ValidationError(HoagiaiError):
    code = "BAD_USER_INPUT"


@deserialize_to_instance
class NotFound(HoagiaiError):
    code = "NOT_FOUND"


@deserialize_to_instance
class Conflict(HoagiaiError):
    code = "CONFLICT"


@deserialize_to_instance
class Forbidden(HoagiaiError):
    code = "FORBIDDEN"


@deserialize_to_instance
class Unauthenticated(HoagiaiError):
    code = "UNAUTHENTICATED"


@deserialize_to_instance
class TooManyAttempts(HoagiaiError):
    """Refused before any work: `retry_after` says in how many seconds."""

    code = "TOO_MANY_ATTEMPTS"

    @property
    def retry_after(self) -> int:
        return int(self.details["retry_after"])  # a string once it crossed an RPC


@deserialize_to_instance
class ServiceUnavailable(HoagiaiError):
    code = "SERVICE_UNAVAILABLE"


# The caller's mistakes, not faults of a service: RPC entrypoints declare them expected, and
# they are logged as refusals (services/common/logging.py), without a traceback.
REFUSALS = (ValidationError, NotFound, Conflict, Forbidden, Unauthenticated, TooManyAttempts)


def from_pydantic(exc) -> ValidationError:
    """Turn a pydantic ValidationError into ours, naming the first bad field."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    return ValidationError(
        f"{field}: {first['msg']}" if field else first["msg"],
        field=field,
        details={"errors": [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in exc.errors()
        ]},
    )


def parse(model, data):
    """Validate `data` into the pydantic `model`, raising our ValidationError on bad input."""
    import pydantic

    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise from_pydantic(exc) from None
