"""The demo registry's shape, from the committed geography (no services needed)."""

from collections import Counter

from services.common.errors import parse
from services.teams import demo, domain, geography, schemas


def _communes():
    return [u for u in geography.read()["layouts"]["LEGACY"] if u["level"] == "COMMUNE"]


def test_plan_is_sized_from_the_baseline_and_valid():
    planned = demo.plan(_communes())
    assert len(planned) == 2359
    mediators = [m for t in planned for m in t["mediators"]]
    assert 14_400 <= len(mediators) <= 15_000
    assert len({m["citizen_id"] for m in mediators}) == len(mediators)
    checks = [domain.compliance([domain.Member(m["gender"], m["ethnicity"])
                                 for m in t["mediators"]],
                                leader_elected=t["leader_index"] is not None) for t in planned]
    assert 5 <= sum(not c.compliant for c in checks) <= 40  # a few, so the warnings show
    assert Counter(m["ethnicity"] for m in mediators).most_common(2)[0][0] in ("Tày", "Nùng")
    parse(schemas.ImportBatch, {"teams": planned[:500]})  # the service accepts them
    assert demo.plan(_communes()) == planned  # deterministic
