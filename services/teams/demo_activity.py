"""Demo registry activity on top of the demo registry (services.teams.demo), so the
console's registry and report screens are not empty: the yearly reviews of some teams,
trainings and contests of their mediators, inspections by the province, commendations,
and a team formed this year that still breaks Law 35 Art. 12 (too few mediators, no
leader) in each commune of the demo leaders. Today's activity happens in today's layout
(V2025): the districts ended on 1/7/2025.

    python -m services.teams.demo_activity [AMQP_URI]   # `make run` calls load()

Through the service's RPCs, like the registry. Deterministic (seeded); resumable: the
new teams and inspections are looked up before they are made, and commendations come
last, so a registry with commendations counts as done. A run cut short before that
repeats the reviews, trainings and contests of the teams it had reached (a duplicate
record of a demo training, never a second team).
"""

import os
import random
import sys
from datetime import UTC, datetime, timedelta

from nameko.standalone.rpc import ClusterRpcProxy

from services.teams.demo import ACTOR, WORKFLOW_COMMUNES, Generator

SEED = 2026
COMMUNES = WORKFLOW_COMMUNES  # the demo leaders' V2025 communes: their officers see it
INSPECTED_COMMUNES = 11
SAMPLED_TEAMS = 30
NEW_TEAM = "Tổ hòa giải Khối mới"
TRAININGS = ["Bồi dưỡng kỹ năng hòa giải ở cơ sở", "Tập huấn Luật Hòa giải ở cơ sở",
             "Tập huấn kỹ năng hòa giải tranh chấp đất đai"]
CONTEST = "Hội thi hòa giải viên giỏi"
RESULTS = ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"]
LEVELS = ["COMMUNE", "COMMUNE", "PROVINCE"]  # no district awards after 30/6/2025


def load(amqp_uri: str) -> None:
    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=120) as rpc:
        teams = rpc.teams
        if teams.list_commendations():
            print("teams: demo activity already loaded; nothing to do")
            return
        if not teams.list_teams(first=1)["total_count"]:
            print("teams: no demo registry; no demo activity")
            return
        today = datetime.now(UTC).date()
        rng = random.Random(SEED)
        sampled = sample_teams(teams, rng)
        form_new_teams(teams, today)
        for team in sampled:
            record_team_activity(teams, rng, team, today)
        inspect_communes(teams, rng, today)
        for team in sampled[::3]:
            mediator = rng.choice([None, *team["mediator_ids"]])
            teams.record_commendation({
                "team_id": team["id"], "mediator_id": mediator, "level": rng.choice(LEVELS),
                "awarded_on": (today - timedelta(days=rng.randint(20, 300))).isoformat(),
                "reason": "Có thành tích xuất sắc trong công tác hòa giải ở cơ sở"}, ACTOR)
        print(f"teams: demo activity for {len(sampled)} teams (reviews, trainings, contests, "
              "commendations), inspections, a non-compliant team in each demo commune")


def sample_teams(teams, rng: random.Random) -> list[dict]:
    """The demo leaders' teams, then a seeded sample of the first page of teams."""
    old = lambda t: t["name"] != NEW_TEAM  # noqa: E731 (formed after the activity's dates)
    own = [t for code in COMMUNES for t in teams.list_teams(code, "V2025", 3)["items"]]
    page = [t for t in teams.list_teams(None, "LEGACY", 500)["items"] if old(t)]
    return [t for t in own if old(t)] + rng.sample(page, min(SAMPLED_TEAMS, len(page)))


def form_new_teams(teams, today) -> None:
    """A team formed this year with two mediators and no leader yet: non-compliant."""
    gen = Generator(SEED)
    formed = (today - timedelta(days=40)).isoformat()
    for code in COMMUNES:
        if any(t["name"] == NEW_TEAM for t in teams.list_teams(code, "V2025", 100)["items"]):
            continue
        team = teams.form_team({"name": NEW_TEAM, "commune_code": code,
                                "geo_version": "V2025", "village": "Khối mới",
                                "formed_on": formed}, ACTOR)
        for gender in ("MALE", "MALE"):
            person = gen.person(gender)
            person.pop("recognition")
            person.pop("citizen_id")  # the registry's serials would repeat
            person["elected_on"] = formed
            teams.add_mediator(team["id"], person, ACTOR)


def record_team_activity(teams, rng: random.Random, team: dict, today) -> None:
    reviewed = today - timedelta(days=rng.randint(10, 200))
    teams.record_review({"team_id": team["id"], "reviewed_on": reviewed.isoformat(),
                         "findings": "Tổ hoạt động đều, sổ theo dõi ghi chép đầy đủ.",
                         "actions": "Kiện toàn thành viên khi có biến động."}, ACTOR)
    for mediator in team["mediator_ids"][:2]:
        teams.record_training({"mediator_id": mediator, "training": rng.choice(TRAININGS),
                               "trained_on": (today - timedelta(days=rng.randint(30, 330)))
                               .isoformat()}, ACTOR)
    if rng.random() < 0.3:
        teams.record_contest({"mediator_id": team["mediator_ids"][0], "contest": CONTEST,
                              "held_on": (today - timedelta(days=rng.randint(30, 330)))
                              .isoformat(), "result": rng.choice(RESULTS)}, ACTOR)


def inspect_communes(teams, rng: random.Random, today) -> None:
    """The province's inspections of a seeded sample of communes, each unless it has one."""
    communes = sorted(c["code"] for c in teams.list_units("COMMUNE", None, "V2025"))
    for code in rng.sample(communes, INSPECTED_COMMUNES):
        if teams.list_inspections(code, None, "V2025"):
            continue
        teams.record_inspection({
            "unit_code": code, "geo_version": "V2025",
            "inspected_on": (today - timedelta(days=rng.randint(15, 120))).isoformat(),
            "body": "Sở Tư pháp", "findings": "Các tổ hòa giải hoạt động đúng quy định.",
            "actions": "Bổ sung hòa giải viên nữ ở các tổ còn thiếu."}, ACTOR)


if __name__ == "__main__":
    load(sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"))
