"""The rebuild's speed and peak memory on a synthetic history of N cases, made page by
page as it is read (so the history itself is never held), into a scratch PostgreSQL
database, the way the CLI runs it (COPY):

    .venv/bin/python -m bench.rebuild_memory 100000      # ≈ 4.4 events per case

Prints events/s and the process's RSS before and at its peak. Not part of `make bench`
(the 500k set's "rebuild now" row is): this one needs no data set, so it can compare
two versions of the rebuild quickly.
"""

import json
import resource
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import sessionmaker

from bench.environment import drop_database, fresh_database
from services.common.db import make_engine, migrate
from services.common.events import new_event
from services.reporting import rebuild as rebuilding
from services.reporting.handlers import HotspotSettings
from services.reporting.projector import Projector

TEAMS = [(f"T{n}", f"{5000 + n % 194:05d}", f"{170 + n % 11}", f"{26000 + n % 60}")
         for n in range(2000)]
ENDS = ["SUCCESSFUL"] * 7 + ["UNSUCCESSFUL"] * 2 + [None]
STEPS = ("case.received", "case.assigned", "case.mediation_started", "case.resolved")


TEMPLATES: dict[str, dict] = {}  # a valid envelope per type, made once through the contract


def case_events(i: int) -> list[dict]:
    """Case i's events, as its envelopes; each is a copy of a template made once through
    the contract (making every event so would cost more than the rebuild measured)."""
    team, commune, district, v2025 = TEAMS[i % len(TEAMS)]
    received = datetime(2021, 1, 1, 8, tzinfo=UTC) + timedelta(minutes=i * 5 % 2_600_000)
    ref = {"case_id": f"C{i:09d}", "team_id": team, "category": "CIVIL_FAMILY",
           "commune_code": commune, "geo_version": "LEGACY", "district_code": district,
           "v2025_code": v2025}
    end = ENDS[i % len(ENDS)]
    extra = [{"channel": "IN_PERSON", "received_at": received.isoformat()},
             {"mediator_ids": ["M1"], "assigned_at": received.isoformat(),
              "start_deadline": (received + timedelta(days=3)).isoformat()},
             {"started_at": (received + timedelta(days=1)).isoformat()},
             {"outcome": end, "resolved_at": (received + timedelta(days=5)).isoformat(),
              "mediator_ids": ["M1"]}]
    out = []
    for seq, (event_type, fields) in enumerate(zip(STEPS, extra, strict=True), start=1):
        if end is None and event_type == "case.resolved":
            break
        payload = {**ref, **fields}
        if event_type not in TEMPLATES:
            TEMPLATES[event_type] = new_event(
                event_type, payload, unit_code=commune, geo_version="LEGACY",
                aggregate_id=ref["case_id"], sequence=seq).model_dump(mode="json")
        out.append({**TEMPLATES[event_type], "id": str(uuid.UUID(int=i * 8 + seq)),
                    "aggregate_id": ref["case_id"], "unit_code": commune, "sequence": seq,
                    "occurred_at": received.isoformat(), "payload": payload})
    return out


def history(cases: int):
    def read(source: str, after: int, limit: int) -> dict:
        if source == "teams":
            return {"items": [], "next_after": 0, "has_more": False}
        items, i = [], after  # `after`: the next case's number (one case never splits)
        while len(items) < limit and i < cases:
            items += case_events(i)
            i += 1
        return {"items": items, "next_after": i, "has_more": i < cases}
    return read


def main(cases: int) -> None:
    name = f"hoagiai_bench_rebuild_{uuid.uuid4().hex[:8]}"
    url = fresh_database(name)
    try:
        migrate("reporting", url)
        engine = make_engine(url)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        result = rebuilding.rebuild(sessionmaker(engine, expire_on_commit=False), Projector(),
                                    HotspotSettings(), history(cases))
        seconds = time.perf_counter() - started
        engine.dispose()
    finally:
        drop_database(name)
    print(json.dumps({"cases": cases, "events": result["events"],
                      "events_per_second": round(result["events"] / seconds),
                      "seconds": round(seconds, 1),
                      "rss_before_mb": round(rss_before),
                      "rss_peak_mb": round(resource.getrusage(
                          resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
