"""RPC arguments, validated with pydantic (bad input → ValidationError, nothing changes)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.common.vocabulary import GeoVersion

Code = Field(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z_-]+$")
Year = Field(ge=2000, le=2100)


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitYear(_Args):
    unit_code: str = Code
    year: int = Year
    geo_version: GeoVersion = "V2025"


class UnitsYear(_Args):
    unit_codes: list[Annotated[str, Code]] = Field(min_length=1, max_length=500)
    year: int = Year
    geo_version: GeoVersion = "V2025"


class ReportArgs(UnitYear):
    half: Literal[1, 2] | None = None


class ReportFileArgs(ReportArgs):
    format: Literal["csv", "xlsx"] = "csv"


class HotspotArgs(_Args):
    unit_code: str = Code
    days: int = Field(default=30, ge=1, le=366)
    geo_version: GeoVersion = "V2025"
    as_of: date | None = None


class MultiYearArgs(_Args):
    unit_code: str = Code
    from_year: int = Year
    to_year: int = Year
    geo_version: GeoVersion = "V2025"

    @model_validator(mode="after")
    def _span(self):
        if not 0 <= self.to_year - self.from_year <= 30:
            raise ValueError("to_year must be from_year .. from_year + 30")
        return self


class TeamYear(_Args):
    team_id: str = Field(min_length=1, max_length=64)
    year: int = Year


class ProgrammeYear(_Args):
    year: int = Year


class Actor(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    role: str | None = None
    scope_code: str | None = None
    scope_version: str | None = None
    team_id: str | None = None


class BudgetArgs(_Args):
    commune_code: str = Code
    year: int = Year
    amount: int = Field(ge=0, le=10**13, description="VND")
    actor: Actor
    geo_version: GeoVersion = "LEGACY"


class PageArgs(_Args):
    first: int = Field(default=20, ge=1, le=1000)
    after: str | None = Field(default=None, pattern=r"^[0-9]{1,18}$")


class LetterId(_Args):
    id: int = Field(ge=1)
