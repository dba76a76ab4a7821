"""Demo cases from 2018 to this year on the demo registry: ≈ 2,000 a year across Lạng
Sơn, success rates that vary by district around 70–85 %, some still in progress, a few
escalations and late or overdue starts; and so that every screen of the console shows
something, open cases of the last days in every state (some past the 3-day start
deadline) and a surge of cases in one commune (a hot spot of the last 30 days).

    python -m services.cases.demo [AMQP_URI]      # `make run` calls load() for you

Everything goes through the batch intake RPC (`submit_cases`), which runs the same
domain rules and writes the same outbox events as the single-step RPCs. Loads only into
an empty cases database; waits (bounded) for the directory that teams events fill.
Deterministic (seeded); idempotency keys make an interrupted load safe to repeat.
Then the retention job runs once: the personal data of the cases closed more than the
retention period ago (5 years: 2018 to late 2021) is erased, as the daily job would.
"""

import random
import sys
import time
from datetime import UTC, datetime, timedelta

from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ClusterRpcProxy
from tqdm import tqdm

YEARS = range(2018, datetime.now(UTC).year + 1)  # this year's cases up to now
PER_YEAR = 2000  # with this year: as many cases as 2018–2025 at 2,200 had
BATCH = 250
WINDOW = 3  # batches in flight
SEED = 2018
ACTOR = {"username": "demo-loader", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}
SUBJECTS = {
    "CONFLICT": ["Mâu thuẫn giữa hai hộ về lối đi chung", "Xích mích do gia súc phá hoa màu",
                 "Mâu thuẫn do tiếng ồn, vệ sinh môi trường", "Mâu thuẫn về nước tưới ruộng"],
    "CIVIL_FAMILY": ["Tranh chấp ranh giới đất vườn", "Mâu thuẫn vợ chồng",
                     "Tranh chấp chia di sản thừa kế", "Tranh chấp tiền vay mượn",
                     "Tranh chấp quyền nuôi con sau ly hôn"],
    "OTHER": ["Tranh chấp hợp đồng mua bán gia súc", "Mâu thuẫn về đóng góp xây dựng thôn"],
}
CATEGORIES = ["CONFLICT"] * 3 + ["CIVIL_FAMILY"] * 6 + ["OTHER"]
CHANNELS = ["IN_PERSON"] * 6 + ["PHONE", "REFERRAL", "MEDIATOR_NOTICED", "MEDIATOR_NOTICED"]
SURNAMES = ["Hoàng", "Nông", "Lương", "Vi", "Hà", "Lộc", "Triệu", "Nguyễn", "Lý", "Đinh"]
GIVEN = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Hùng", "Lan", "Hoa", "Sơn", "Thảo", "Tuấn"]
# The LEGACY communes of the demo leaders (services.teams.demo): their users see open cases.
OPEN_COMMUNES = ("05971", "06079", "06400")
HOTSPOT_COMMUNE = "06079"
OPEN_PER_STATE = 6  # RECEIVED, ASSIGNED, ASSIGNED past the deadline, IN_MEDIATION
HOTSPOT_CASES = 7


def district_rate(district: str | None) -> float:
    """A stable success rate per district, between 0.70 and 0.85."""
    return 0.70 + (sum(map(ord, district or "x")) * 37 % 16) / 100


class Generator:
    def __init__(self, teams: list[dict], now: datetime, seed: int = SEED):
        self.rng = random.Random(seed)
        self.teams = [t for t in teams if t["mediator_ids"]]
        self.now = now

    def person(self) -> dict:
        # Four words: never the same normalised name as a three-word demo mediator.
        rng = self.rng
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)} " \
               f"{rng.choice(GIVEN)}"
        return {"full_name": name, "address": f"Thôn {rng.randint(1, 12)}"}

    def case(self, year: int, serial: int) -> dict | None:
        rng = self.rng
        start = datetime(year, 1, 1, 7, tzinfo=UTC)
        received = start + timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        if received > self.now - timedelta(hours=1):
            return None
        team = rng.choice(self.teams)
        category = rng.choice(CATEGORIES)
        payload = {
            "idempotency_key": f"demo-{year}-{serial}", "team_id": team["team_id"],
            "category": category, "subject": rng.choice(SUBJECTS[category]),
            "description": "Dữ liệu mẫu: các bên đề nghị tổ hòa giải giúp giải quyết.",
            "parties": [self.person(), self.person()], "received_at": received.isoformat(),
            "channel": rng.choice(CHANNELS),
        }
        payload["steps"] = self.steps(team, received)
        return payload

    def steps(self, team: dict, received: datetime) -> list[dict]:
        rng, steps = self.rng, []
        when = received

        def later(low: float, high: float) -> datetime | None:
            nonlocal when
            candidate = when + timedelta(days=rng.uniform(low, high))
            if candidate >= self.now:
                return None
            when = candidate
            return when

        if rng.random() < 0.006 and (at := later(0, 1)):
            steps.append({"action": "escalate", "at": at.isoformat(), "reason": "Dữ liệu mẫu",
                          "kind": rng.choice(["VIOLENCE_RISK", "MASS_OR_COMPLEX"])})
        if not (at := later(0, 2)):
            return steps
        count = min(len(team["mediator_ids"]), rng.choice([1, 1, 2]))
        steps.append({"action": "assign", "at": at.isoformat(),
                      "mediator_ids": rng.sample(team["mediator_ids"], count)})
        late = rng.random() < 0.03  # art. 20: a few starts come after the 3 days
        if not (at := later(3.5, 6) if late else later(0, 2.9)):
            return steps  # still waiting: the timer raises case.start_overdue if late
        steps.append({"action": "start", "at": at.isoformat()})
        if rng.random() < 0.02:
            if at := later(1, 10):
                steps.append({"action": "refer", "at": at.isoformat(),
                              "authority": "UBND xã", "reason": "Vượt thẩm quyền hòa giải"})
            return steps
        if not (at := later(1, 25)):
            return steps
        if rng.random() < district_rate(team["district_code"]):
            steps.append({"action": "outcome", "outcome": "SUCCESSFUL", "at": at.isoformat(),
                          "agreement_text": "Các bên thống nhất." if rng.random() < 0.4
                          else None})
            if rng.random() < 0.8 and (at := later(10, 60)):
                steps.append({"action": "follow_up", "at": at.isoformat(),
                              "carried_out": rng.random() < 0.92})
        else:
            outcome = "UNSUCCESSFUL" if rng.random() < 0.85 else "STOPPED"
            steps.append({"action": "outcome", "outcome": outcome, "at": at.isoformat()})
        return steps

    def open_cases(self) -> list[dict]:
        """Cases of the last days left open in every state, and a surge in one commune.
        A seed of their own, so the years' cases stay the same."""
        rng = random.Random(SEED + 1)
        def local(n: int) -> list[dict]:  # every other case in a demo commune, in turn
            code = OPEN_COMMUNES[n // 2 % len(OPEN_COMMUNES)]
            return [t for t in self.teams if (t["commune_code"], t.get("geo_version")) ==
                    (code, "LEGACY")] or self.teams
        hot = [t for t in self.teams if t["commune_code"] == HOTSPOT_COMMUNE] or self.teams
        now = self.now.replace(microsecond=0)
        ago = lambda low, high: now - timedelta(hours=rng.uniform(low, high))  # noqa: E731
        items = []
        for state in ("received", "assigned", "overdue", "in_mediation"):
            for n in range(OPEN_PER_STATE):
                team = rng.choice(local(n) if n % 2 == 0 else self.teams)
                received = ago(150, 260) if state == "overdue" else ago(2, 60)
                mediators = rng.sample(team["mediator_ids"], 1)
                assigned = received + timedelta(hours=1)
                steps = {"received": [],
                         "assigned": [{"action": "assign", "at": assigned.isoformat(),
                                       "mediator_ids": mediators}],
                         "overdue": [{"action": "assign", "at": assigned.isoformat(),
                                      "mediator_ids": mediators}],
                         "in_mediation": [{"action": "assign", "at": assigned.isoformat(),
                                           "mediator_ids": mediators},
                                          {"action": "start",
                                           "at": (assigned + timedelta(minutes=30)).isoformat()}],
                         }[state]
                items.append(self._recent(rng, f"demo-open-{state}-{n}", team, received, steps))
        for n in range(HOTSPOT_CASES):
            items.append(self._recent(rng, f"demo-hotspot-{n}", rng.choice(hot),
                                      ago(24, 24 * 20), []))
        return items

    def _recent(self, rng: random.Random, key: str, team: dict, received: datetime,
                steps: list[dict]) -> dict:
        category = rng.choice(CATEGORIES)
        return {"idempotency_key": key, "team_id": team["team_id"], "category": category,
                "subject": rng.choice(SUBJECTS[category]),
                "description": "Dữ liệu mẫu: các bên đề nghị tổ hòa giải giúp giải quyết.",
                "parties": [self.person(), self.person()],
                "received_at": received.isoformat(), "channel": rng.choice(CHANNELS),
                "steps": steps}

    def batches(self):
        items = [self.case(year, serial) for year in YEARS for serial in range(PER_YEAR)]
        items = [item for item in items if item] + self.open_cases()
        items.sort(key=lambda item: item["received_at"])
        for start in range(0, len(items), BATCH):
            yield items[start:start + BATCH]


def catch_up_directory(cases) -> dict | None:
    """The directory's counts once the teams demo's events are applied in bulk (those
    still queued are then duplicates); None without the teams service (the directory
    then fills from the queues alone)."""
    try:
        done = cases.catch_up_directory()
    except RemoteError as exc:
        print(f"cases: directory not filled from teams' history ({exc.exc_type}); "
              "waiting for its events", flush=True)
        return None
    print(f"cases: directory filled from teams' {done['events']} events "
          f"({done['applied']} not applied yet)", flush=True)
    return {"teams": done["teams"], "mediators": done["mediators"]}


def wait_for_directory(cases, timeout: float = 240.0) -> dict:
    """Until the teams events have filled the directory: non-empty and stable for 3 s."""
    deadline, last, stable_since = time.monotonic() + timeout, None, time.monotonic()
    while time.monotonic() < deadline:
        stats = cases.directory_stats()
        if stats != last:
            last, stable_since = stats, time.monotonic()
        elif stats["teams"] and stats["mediators"] and time.monotonic() - stable_since > 3:
            return stats
        time.sleep(0.5)
    return last or {"teams": 0, "mediators": 0}


def load(amqp_uri: str) -> None:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=300) as cluster:
        cases = cluster.cases
        if cases.list_cases(first=1)["total_count"]:
            print("cases: demo data already there")
            return
        stats = catch_up_directory(cases) or wait_for_directory(cases)
        if not stats["teams"]:
            print("cases: no teams in the directory (load the teams demo first); no demo cases")
            return
        generator = Generator(cases.directory_teams(), datetime.now(UTC))
        batches = list(generator.batches())
        total = sum(map(len, batches))
        failed, pending = 0, []
        with tqdm(total=total, desc="demo cases", unit="case") as bar:
            for batch in batches:
                pending.append((len(batch), cases.submit_cases.call_async(batch, ACTOR)))
                if len(pending) >= WINDOW:
                    failed += _settle(pending.pop(0), bar)
            for item in pending:
                failed += _settle(item, bar)
        print(f"cases: {total - failed} demo cases loaded ({failed} refused)")
        # The oldest cases are past their retention: erased now, as the daily job would.
        erased = cases.erase_expired_personal_data()
        print(f"cases: personal data of {erased['erased']} cases closed more than "
              f"{erased['retention_years']} years ago erased (retention)")


def _settle(item, bar) -> int:
    size, reply = item
    results = reply.result()
    bar.update(size)
    return sum(1 for result in results if "error" in result)


if __name__ == "__main__":
    load(sys.argv[1] if len(sys.argv) > 1 else "pyamqp://guest:guest@127.0.0.1:5672/")
