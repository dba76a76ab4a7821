"""The project's geography file (`data/lang_son.json`, written by
`scripts/export_geography.py`) and its loading into the `units` tables at migration time.

Keys are (geo_version, code): codes are reused across layouts.
"""

import hashlib
import json
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from services.teams.models import Crosswalk, PilotProgramme, Unit

DATA_FILE = Path(__file__).parent / "data" / "lang_son.json"
PROGRAMME_2018 = {"year": 2018, "deadline": date(2018, 3, 20), "period_start": date(2018, 4, 1),
                  "period_end": date(2019, 12, 31), "target_rate": 0.9}


def checksum(content: dict) -> str:
    """sha256 of the canonical JSON of everything but the checksum (as the export writes it)."""
    body = {k: v for k, v in content.items() if k != "sha256"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@cache
def read(path: Path = DATA_FILE) -> dict:
    """The data file, its checksum verified (a hand-edited file is refused)."""
    content = json.loads(path.read_text(encoding="utf-8"))
    if checksum(content) != content["sha256"]:
        raise ValueError(f"{path}: checksum mismatch; regenerate it (scripts/export_geography.py)")
    return content


def load(connection: Connection) -> None:
    """Insert the layouts, the crosswalk and the 2018 programme, unless already there."""
    if connection.execute(select(Unit.code).limit(1)).first():
        return
    content = read()
    connection.execute(insert(Unit), [
        {**unit, "geo_version": version}
        for version, units in content["layouts"].items() for unit in units
    ])
    connection.execute(insert(Crosswalk), [
        {"legacy_code": row["legacy_code"], "v2025_code": row["v2025_code"],
         "split_into": row["split_into"]} for row in content["crosswalk"]
    ])
    connection.execute(insert(PilotProgramme), [PROGRAMME_2018])
