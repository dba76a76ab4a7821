"""The committed geography file: counts, crosswalk coverage, checksum, recorded decisions."""

import json

import pytest

from services.teams import geography


@pytest.fixture(scope="module")
def content():
    return geography.read()


def _units(content, version, level):
    return [u for u in content["layouts"][version] if u["level"] == level]


def test_counts(content):
    assert content["source"] == {"package": "vietnamadminunits", "version": "1.0.4",
                                 "license": "MIT"}
    districts = _units(content, "LEGACY", "DISTRICT")
    assert len(districts) == 11
    assert sorted(d["code"] for d in districts) == ["178", *map(str, range(180, 190))]
    assert len(_units(content, "LEGACY", "COMMUNE")) == 194
    assert len(_units(content, "V2025", "COMMUNE")) == 65
    assert not _units(content, "V2025", "DISTRICT")


def test_every_legacy_commune_maps_and_every_2025_unit_is_a_target(content):
    legacy = {u["code"] for u in _units(content, "LEGACY", "COMMUNE")}
    v2025 = {u["code"] for u in _units(content, "V2025", "COMMUNE")}
    crosswalk = {row["legacy_code"]: row for row in content["crosswalk"]}
    assert set(crosswalk) == legacy
    assert {row["v2025_code"] for row in crosswalk.values()} == v2025
    for row in crosswalk.values():
        assert set(row["split_into"]) <= v2025
        assert not row["split_into"] or row["v2025_code"] in row["split_into"]


def test_split_communes_and_the_hong_phong_decision(content):
    splits = {r["legacy_code"]: r for r in content["crosswalk"] if r["split_into"]}
    assert {code: r["v2025_code"] for code, r in splits.items()} == \
        {"06622": "06613", "06625": "06625"}  # Bình Xá → Đình Lập, Kiên Mộc → Kiên Mộc
    hong_phong = next(r for r in content["crosswalk"] if r["legacy_code"] == "06079")
    assert (hong_phong["v2025_code"], hong_phong["split_into"]) == ("06079", [])
    assert content["decisions"][0]["legacy_code"] == "06079"
    assert content["decisions"][0]["dropped_targets"] == ["06184"]


def test_checksum_verifies_and_a_tampered_file_is_refused(content, tmp_path):
    assert geography.checksum(content) == content["sha256"]
    tampered = json.loads(geography.DATA_FILE.read_text(encoding="utf-8"))
    tampered["layouts"]["V2025"][1]["name"] = "Phường Khác"
    path = tmp_path / "lang_son.json"
    path.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="checksum"):
        geography.read(path)


def test_the_service_never_imports_the_package():
    from pathlib import Path

    for path in Path(geography.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import vietnamadminunits" not in text and "from vietnamadminunits" not in text
