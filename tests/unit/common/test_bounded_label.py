"""BoundedLabel: the one rule that keeps a metric label's values few."""

from services.common.metrics import V2025_COMMUNE, BoundedLabel


def test_invalid_values_fall_back():
    label = BoundedLabel(3, str.isdigit, fallback="other")
    assert [label(v) for v in (None, "", 12, "ab", "12")] == ["other"] * 4 + ["12"]


def test_new_values_past_the_limit_fall_back_and_known_ones_stay():
    label = BoundedLabel(2, str.isdigit)
    assert [label(v) for v in ("1", "2", "3", "1", "2")] == ["1", "2", "unknown", "1", "2"]
    assert label.seen == {"1", "2"}


def test_v2025_commune_codes_are_five_digits():
    assert V2025_COMMUNE("1234") == "unknown"
    assert V2025_COMMUNE("1234x") == "unknown"
