"""Administrative units in both layouts (LEGACY until 30/6/2025, V2025 since)."""

from services.common.service import rpc
from services.teams import queries
from services.teams.entrypoints.arguments import layout, unit_level


class GeographyEntrypoints:
    @rpc
    def get_unit(self, code: str, geo_version: str = "V2025") -> dict:
        return self.read(lambda s: queries.unit_dict(
            queries.get_unit_row(s, code, layout(geo_version))))

    @rpc
    def list_units(self, level: str | None = None, parent_code: str | None = None,
                   geo_version: str = "V2025") -> list[dict]:
        return self.read(lambda s: queries.list_units(
            s, unit_level(level), parent_code, layout(geo_version)))

    @rpc
    def map_legacy_unit(self, code: str) -> dict:
        return self.read(lambda s: queries.map_legacy_unit(s, code))

    @rpc
    def unit_ancestors(self, code: str, geo_version: str = "LEGACY") -> list[dict]:
        return self.read(lambda s: queries.unit_ancestors(s, code, layout(geo_version)))
