"""Events of the platform itself (used by the skeleton's pipeline tests)."""

from pydantic import BaseModel, ConfigDict

from services.common.events.envelope import register


@register("system.heartbeat")
class Heartbeat(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str
