"""Geography RPCs on the tables the migration loaded."""

import pytest

from services.common.errors import NotFound, ValidationError


def test_units_by_version_level_and_parent(teams):
    assert teams.get_unit("20", "LEGACY")["level"] == "PROVINCE"
    assert len(teams.list_units("DISTRICT", None, "LEGACY")) == 11
    assert len(teams.list_units("COMMUNE", None, "LEGACY")) == 194
    assert len(teams.list_units("COMMUNE")) == 65  # V2025 by default
    assert len(teams.list_units(None, "181", "LEGACY")) > 10  # Bình Gia's communes
    # Codes are reused across layouts: 05977 is Vĩnh Trại before and Đông Kinh after.
    assert teams.get_unit("05977", "LEGACY")["name"] == "Phường Vĩnh Trại"
    assert teams.get_unit("05977", "V2025")["name"] == "Phường Đông Kinh"


def test_crosswalk_and_ancestors(teams):
    assert teams.map_legacy_unit("05977")["code"] == "05977"
    split = teams.map_legacy_unit("06622")
    assert (split["code"], split["split_into"]) == ("06613", ["06613", "06625"])
    assert [u["code"] for u in teams.unit_ancestors("06079", "LEGACY")] == ["06079", "181", "20"]
    assert [u["code"] for u in teams.unit_ancestors("06079", "V2025")] == ["06079", "20"]


def test_unknown_units_and_bad_arguments(teams):
    with pytest.raises(NotFound):
        teams.get_unit("99999", "LEGACY")
    with pytest.raises(NotFound):
        teams.map_legacy_unit("181")
    with pytest.raises(ValidationError):
        teams.list_units("HAMLET")
    with pytest.raises(ValidationError):
        teams.get_unit("20", "V2018")
    with pytest.raises(NotFound):
        teams.list_units(None, "99999", "LEGACY")
