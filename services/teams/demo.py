"""Demo registry for Lạng Sơn on the LEGACY layout, sized from the 2014–2018 baseline
(2,359 teams, ≈ 14,700 mediators), plus the 2018 pilot and the demo users (api.md): the
current users are V2025 (`province.officer`, `commune2025.<V2025 code>` for each of the 65
communes, `leader.<team id>` and `mediator.<mediator id>` in WORKFLOW_COMMUNES); the 11
LEGACY district officers `district.<code>` are history users.

    python -m services.teams.demo [AMQP_URI]      # `make run` calls load() for you

Everything goes through the service's RPCs (`import_teams` runs the same rules and
writes the same events as the single-team RPCs), so nothing is written behind its back.
Deterministic (seeded), so it resumes: a run stopped halfway (Ctrl-C during `make run`)
leaves whole batches behind (`import_teams` is all-or-nothing), and the next run imports
only the planned teams still missing and finishes the pilot. The registry counts as
complete once the 2018 pilot is chosen (the last step); a complete registry is left alone.
Demo users share one argon2 hash of `HOAGIAI_DEMO_PASSWORD` (default `demo`): the service
hashes identical passwords in one `create_users` call once.
"""

import os
import random
import sys
from datetime import date, timedelta

from nameko.standalone.rpc import ClusterRpcProxy
from tqdm import tqdm

from services.common.errors import Conflict

TEAMS = 2359
BATCH = 100
SEED = 73
ACTOR = {"username": "demo-loader", "role": "PROVINCE_OFFICER", "scope_code": "20",
         "scope_version": "LEGACY", "team_id": None}
SURNAMES = {"Tày": ["Hoàng", "Nông", "Lương", "Vi", "Hà", "Lộc", "Hứa", "Chu", "Mông"],
            "Nùng": ["Hoàng", "Lăng", "Triệu", "Lý", "Nông", "Vy", "Chu", "Hứa"],
            "Kinh": ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Đinh", "Đỗ", "Bùi"],
            "Dao": ["Triệu", "Bàn", "Đặng", "Lý"]}
ETHNICITIES = ["Tày"] * 8 + ["Nùng"] * 8 + ["Kinh"] * 3 + ["Dao"]
GIVEN = {"FEMALE": ["Mai", "Lan", "Hoa", "Hương", "Thu", "Hằng", "Nga", "Hạnh", "Liên",
                    "Phượng", "Thảo", "Huệ", "Nhung", "Duyên", "Vân", "Thúy"],
         "MALE": ["Minh", "Hùng", "Dũng", "Tuấn", "Cường", "Thắng", "Hải", "Sơn", "Bình",
                  "Quang", "Long", "Tiến", "Phúc", "Khánh", "Nghĩa", "Thành"]}
MIDDLE = {"FEMALE": ["Thị", "Thị", "Thu", "Ngọc"], "MALE": ["Văn", "Văn", "Đức", "Quốc"]}
VILLAGE_HEADS = ["Nà", "Bản", "Khuổi", "Pác", "Còn", "Khòn", "Lũng", "Phai", "Nặm", "Co"]
VILLAGE_TAILS = ["Pàn", "Chu", "Phầy", "Làng", "Quan", "Lừa", "Mò", "Cáy", "Slan", "Rụt",
                 "Héo", "Tèo", "Vài", "Pjạc", "Nưa", "Tẳng"]
# V2025 communes whose first team gets a demo leader and mediator, for the case workflow.
WORKFLOW_COMMUNES = ("06187", "06079", "06400")
# A commune code is reused across layouts (06400: LEGACY Yên Thịnh, V2025 Hữu Liên), so
# the V2025 officers' names say their layout: one name never means two communes.
COMMUNE_USER = "commune2025.{code}"
ORGANISATIONS = ["Hội Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Đoàn Thanh niên",
                 "Mặt trận Tổ quốc", None]


class Generator:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.serial = 0

    def person(self, gender: str) -> dict:
        rng = self.rng
        ethnicity = rng.choice(ETHNICITIES)
        year = rng.randint(1950, 1992)
        self.serial += 1
        elected = date(2017, 12, 4) + timedelta(days=rng.randint(0, 40))
        # Most recognitions come within the 5 working days; some do not (flagged late).
        decided = elected + timedelta(days=rng.choice([2, 3, 4, 5, 6, 7, 9, 14]))
        century = (0 if year < 2000 else 2) + (1 if gender == "FEMALE" else 0)
        return {
            "full_name": f"{rng.choice(SURNAMES[ethnicity])} {rng.choice(MIDDLE[gender])} "
                         f"{rng.choice(GIVEN[gender])}",
            "gender": gender, "year_of_birth": year, "ethnicity": ethnicity,
            "mass_organisation": rng.choice(ORGANISATIONS),
            "citizen_id": f"020{century}{year % 100:02d}{self.serial:06d}",
            "elected_on": elected.isoformat(), "election_share": round(rng.uniform(0.55, 0.95), 2),
            "recognition": {"decision_number": f"{rng.randint(1, 400)}/QĐ-UBND",
                            "decision_date": decided.isoformat(),
                            "issued_by": "Chủ tịch UBND xã"},
        }

    def team(self, commune: dict, village: str, non_compliant: bool) -> dict:
        rng = self.rng
        size = rng.choice([5, 6, 6, 7, 7, 6, 7, 6])
        genders = [("FEMALE" if rng.random() < 0.4 else "MALE") for _ in range(size)]
        genders[rng.randrange(size)] = "FEMALE"
        if non_compliant:  # so the warnings show: too few mediators, or no woman
            genders = ["FEMALE", "MALE"] if rng.random() < 0.5 else ["MALE"] * 4
        return {"name": f"Tổ hòa giải {village}", "commune_code": commune["code"],
                "geo_version": "LEGACY", "village": village, "formed_on": "2017-12-01",
                "mediators": [self.person(g) for g in genders], "leader_index": 0,
                "leader_elected_on": "2018-01-20"}

    def villages(self, commune: dict, count: int) -> list[str]:
        if commune["name"].startswith(("Phường", "Thị trấn")):
            return [f"Khối {n}" for n in range(1, count + 1)]
        names = [f"Thôn {h} {t}" for h in VILLAGE_HEADS for t in VILLAGE_TAILS]
        return self.rng.sample(names, count)


def plan(communes: list[dict], seed: int = SEED) -> list[dict]:
    """Every demo team, spread over the 194 communes (12 or 13 each)."""
    gen = Generator(seed)
    per, extra = divmod(TEAMS, len(communes))
    teams = []
    for index, commune in enumerate(communes):
        count = per + (1 if index < extra else 0)
        for village in gen.villages(commune, count):
            teams.append(gen.team(commune, village, non_compliant=gen.rng.random() < 0.007))
    return teams


def load(amqp_uri: str) -> None:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=120) as rpc:
        found = rpc.teams.list_teams(first=1)["total_count"]
        if found and registry_complete(rpc.teams):
            print("teams: demo registry already loaded; nothing to do")
        else:
            if found:
                print(f"teams: an earlier demo load stopped halfway ({found} teams); "
                      "resuming it")
            load_registry(rpc.teams)
        load_users(rpc.teams)


def registry_complete(teams) -> bool:
    """The pilot is chosen last: 2 communes per district, each with its 2 model teams."""
    pilot = teams.get_pilot(2018)
    districts = teams.list_units("DISTRICT", None, "LEGACY")
    communes = pilot["communes"]
    return len(communes) == 2 * len(districts) and all(
        len(c["model_teams"]) == 2 for c in communes)


def existing_teams(teams) -> dict[tuple[str, str], str]:
    """(commune code, team name) → id of every team already in the registry."""
    found, after = {}, None
    while True:
        page = teams.list_teams(None, "LEGACY", 1000, after)
        found.update({(t["commune_code"], t["name"]): t["id"] for t in page["items"]})
        if not page["has_next_page"]:
            return found
        after = page["end_cursor"]


def load_registry(teams) -> None:
    communes = teams.list_units("COMMUNE", None, "LEGACY")
    planned = plan(communes)
    ids = existing_teams(teams)
    missing = [t for t in planned if (t["commune_code"], t["name"]) not in ids]
    with tqdm(total=len(planned), initial=len(planned) - len(missing),
              desc="teams: demo registry", unit="team") as bar:
        for start in range(0, len(missing), BATCH):
            chunk = missing[start:start + BATCH]
            for item, team_id in zip(chunk, teams.import_teams(chunk, ACTOR), strict=True):
                ids[(item["commune_code"], item["name"])] = team_id
            bar.update(len(chunk))
    ids_by_commune: dict[str, list[str]] = {}
    for item in planned:  # in plan order, as a single uninterrupted run would have them
        ids_by_commune.setdefault(item["commune_code"], []).append(
            ids[(item["commune_code"], item["name"])])
    load_pilot(teams, communes, ids_by_commune)


def load_pilot(teams, communes: list[dict], ids_by_commune: dict[str, list[str]]) -> None:
    """The 2018 programme (seeded by the migration): 2 communes per district, 2 teams each.
    Choices an interrupted run already made are kept (Conflict: already chosen)."""
    for code in pilot_communes(communes):
        _unless_done(teams.select_pilot_commune, 2018, code, "2018-03-12", ACTOR)
        for team_id in ids_by_commune[code][:2]:
            _unless_done(teams.select_model_team, 2018, team_id, "2018-03-15", ACTOR)


def pilot_communes(communes: list[dict]) -> list[str]:
    """Two communes per district, seeded."""
    rng = random.Random(SEED + 1)
    by_district: dict[str, list[str]] = {}
    for commune in communes:
        by_district.setdefault(commune["parent_code"], []).append(commune["code"])
    return [code for district in sorted(by_district)
            for code in rng.sample(by_district[district], 2)]


def _unless_done(call, *args) -> None:
    try:
        call(*args)
    except Conflict as exc:
        if "already" not in exc.message:
            raise


def demo_users(teams, password: str) -> list[dict]:
    """The province, the 65 V2025 communes and the team roles are current users (V2025);
    the LEGACY district officers are history users."""
    users = [_user("province.officer", "PROVINCE_OFFICER", "20", "V2025")]
    users += [_user(COMMUNE_USER.format(code=u["code"]), "COMMUNE_OFFICER", u["code"], "V2025")
              for u in teams.list_units("COMMUNE", None, "V2025")]
    users += [_user(f"district.{u['code']}", "DISTRICT_OFFICER", u["code"], "LEGACY")
              for u in teams.list_units("DISTRICT", None, "LEGACY")]
    for code in WORKFLOW_COMMUNES:
        team = teams.list_teams(code, "V2025", 1)["items"][0]
        leader = team["leader_id"]
        member = next(m for m in team["mediator_ids"] if m != leader)
        users += [_user(f"leader.{team['id']}", "TEAM_LEADER", code, "V2025", team["id"]),
                  _user(f"mediator.{member}", "MEDIATOR", code, "V2025", team["id"])]
    return [{**u, "password": password} for u in users]


def _user(username: str, role: str, scope_code: str, scope_version: str,
          team_id: str | None = None) -> dict:
    return {"username": username, "role": role, "scope_code": scope_code,
            "scope_version": scope_version, "team_id": team_id}


def load_users(teams) -> None:
    password = os.environ.get("HOAGIAI_DEMO_PASSWORD", "demo")
    created = teams.create_users(demo_users(teams, password), True, ACTOR)
    print(f"teams: {len(created)} demo users created (province.officer, "
          f"commune2025.<V2025 commune code>, leader.<team id>, mediator.<mediator id>; "
          f"history: district.<LEGACY district code>); password: {password}")


if __name__ == "__main__":
    load(sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"))
