"""Events the reporting service publishes."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.common.events.envelope import register
from services.common.vocabulary import Category, HotspotReason


@register("hotspot.detected")
class HotspotDetected(BaseModel):
    """A commune's cases of one category rose well above its own baseline, or a case
    there was escalated (điểm nóng). Published once per episode."""

    model_config = ConfigDict(extra="forbid")

    commune_code: str = Field(max_length=16)
    district_code: str | None = None
    v2025_code: str | None = None
    category: Category
    detected_on: date
    window_days: int
    window_count: int
    baseline_monthly_mean: float
    ratio: float | None
    escalated_count: int
    reason: HotspotReason
