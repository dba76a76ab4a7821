"""Checks of RPC arguments that no pydantic command model carries."""

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from services.common.errors import ValidationError
from services.teams import schemas

GEO_VERSIONS = ("LEGACY", "V2025")
LEVELS = ("PROVINCE", "DISTRICT", "COMMUNE")
_DATE = TypeAdapter(schemas.Happened)


def layout(value: str) -> str:
    if value not in GEO_VERSIONS:
        raise ValidationError(f"geo_version must be one of {GEO_VERSIONS}", field="geo_version")
    return value


def unit_level(value: str | None) -> str | None:
    if value is not None and value not in LEVELS:
        raise ValidationError(f"level must be one of {LEVELS}", field="level")
    return value


def id_list(ids) -> list[str]:
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids) or len(ids) > 1000:
        raise ValidationError("ids must be a list of at most 1000 strings", field="ids")
    return ids


def day(value, field: str):
    try:
        return _DATE.validate_python(value)
    except PydanticError as exc:
        message = exc.errors()[0]["msg"]
        raise ValidationError(f"{field}: {message}", field=field) from None
