"""Build-time export of Lạng Sơn's geography into the teams service's own data file.

Reads the PyPI package `vietnamadminunits` (MIT; 62 MiB in memory, pulls numpy/shapely/
geopy) in a throwaway virtualenv, never the project's, and writes
`services/teams/data/lang_son.json`: the LEGACY layout (province 20, 11 districts,
194 communes, as it stood just before 1/7/2025), the V2025 layout (65 units under the
province) and the legacy→2025 crosswalk, with the package version and a sha256
checksum of the content. The service loads that file at migration time.

Regenerate (from the repository root):

    python3 -m venv /tmp/vau && /tmp/vau/bin/pip install vietnamadminunits==1.0.4
    /tmp/vau/bin/python scripts/export_geography.py services/teams/data/lang_son.json

Decision recorded in the file (`decisions`): the package splits Bình Gia's Xã Hồng
Phong (06079) between V2025 Hồng Phong (default) and Đồng Đăng. Đồng Đăng is ~35 km
away in Cao Lộc, and the package itself merges Cao Lộc's *other* Xã Hồng Phong (06205)
into Đồng Đăng: a name collision, so we map 06079 wholly to V2025 Hồng Phong.
"""

import hashlib
import json
import sqlite3
import sys
from importlib import metadata
from importlib.resources import files

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
PROVINCE_CODE = "20"
PROVINCE_KEY = "tinhlangson"
# legacy code -> V2025 keys dropped from its split, with the reason.
CORRECTIONS = {
    "06079": (["xadongdang"], "Bình Gia's Hồng Phong is not adjacent to Đồng Đăng; the "
              "package confused it with Cao Lộc's Hồng Phong (06205), which it merges into "
              "Đồng Đăng. Mapped wholly to V2025 Hồng Phong (06079)."),
}


def checksum(content: dict) -> str:
    """sha256 of the canonical JSON of everything but the checksum itself."""
    body = {k: v for k, v in content.items() if k != "sha256"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _legacy(db: sqlite3.Connection) -> tuple[list[dict], dict[str, str]]:
    rows = db.execute(
        "SELECT province, districtCode, district, wardCode, ward, districtKey, wardKey "
        "FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode",
        (PROVINCE_CODE,)).fetchall()
    units = [{"code": PROVINCE_CODE, "name": rows[0][0], "level": "PROVINCE", "parent_code": None}]
    seen, keys = set(), {}
    for _, d_code, d_name, w_code, w_name, d_key, w_key in rows:
        if d_code not in seen:
            seen.add(d_code)
            units.append({"code": d_code, "name": d_name, "level": "DISTRICT",
                          "parent_code": PROVINCE_CODE})
        units.append({"code": w_code, "name": w_name, "level": "COMMUNE", "parent_code": d_code})
        keys[f"{PROVINCE_KEY}_{d_key}_{w_key}"] = w_code
    return units, keys


def _v2025(db: sqlite3.Connection) -> tuple[list[dict], dict[str, str]]:
    rows = db.execute(
        "SELECT province, wardCode, ward, wardKey FROM admin_units "
        "WHERE provinceCode = ? ORDER BY wardCode", (PROVINCE_CODE,)).fetchall()
    units = [{"code": PROVINCE_CODE, "name": rows[0][0], "level": "PROVINCE", "parent_code": None}]
    units += [{"code": code, "name": name, "level": "COMMUNE", "parent_code": PROVINCE_CODE}
              for _, code, name, _ in rows]
    return units, {key: code for _, code, _, key in rows}


def _crosswalk(converter: dict, legacy_keys: dict, new_keys: dict) -> list[dict]:
    whole = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][PROVINCE_KEY]
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(PROVINCE_KEY, {})
    targets: dict[str, dict] = {}
    for new_key, old_keys in whole.items():
        for old_key in old_keys:
            targets[legacy_keys[old_key]] = {"v2025_code": new_keys[new_key], "split_into": []}
    for old_key, options in divided.items():
        code = legacy_keys[old_key]
        dropped, _ = CORRECTIONS.get(code, ([], ""))
        kept = [o for o in options if o["newWardKey"] not in dropped]
        default = next(o for o in kept if o["isDefaultNewWard"]) if len(kept) > 1 else kept[0]
        targets[code] = {
            "v2025_code": new_keys[default["newWardKey"]],
            "split_into": sorted(new_keys[o["newWardKey"]] for o in kept) if len(kept) > 1 else [],
        }
    return [{"legacy_code": code, **targets[code]} for code in sorted(targets)]


def export() -> dict:
    if metadata.version(PACKAGE) != VERSION:
        raise SystemExit(f"need {PACKAGE}=={VERSION}, found {metadata.version(PACKAGE)}")
    data = files(PACKAGE) / "data"
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(str(data / "dataset.db"))
    legacy, legacy_keys = _legacy(db)
    v2025, new_keys = _v2025(db)
    content = {
        "source": {"package": PACKAGE, "version": VERSION, "license": "MIT"},
        "province_code": PROVINCE_CODE,
        "layouts": {"LEGACY": legacy, "V2025": v2025},
        "crosswalk": _crosswalk(converter, legacy_keys, new_keys),
        "decisions": [{"legacy_code": code, "dropped_targets": [new_keys[k] for k in keys],
                       "reason": reason} for code, (keys, reason) in CORRECTIONS.items()],
    }
    content["sha256"] = checksum(content)
    return content


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "services/teams/data/lang_son.json"
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(export(), fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"wrote {out}")
