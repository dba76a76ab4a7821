"""The reporting service's settings (config.yaml, overridden by the environment):
remuneration rates, hot-spot thresholds and the projection batch window."""

from nameko.extensions import DependencyProvider

from services.reporting.handlers import GroupCommit, HotspotSettings, Projection
from services.reporting.projector import Projector, RemunerationConfig


def projection_settings(config: dict) -> tuple[Projector, HotspotSettings]:
    """The projector (remuneration rates) and hot-spot thresholds from the config."""
    pay = config.get("REMUNERATION") or {}
    hot = config.get("HOTSPOTS") or {}
    projector = Projector(RemunerationConfig(
        province=str(pay.get("province", "20")), cap=int(pay.get("cap", 200_000)),
        rates=pay.get("rates") or RemunerationConfig().rates))
    return projector, HotspotSettings(days=int(hot.get("days", 30)),
                                      min_count=int(hot.get("min_count", 5)),
                                      min_ratio=float(hot.get("min_ratio", 2.0)))


class ProjectionProvider(DependencyProvider):
    """One `Projection` per container, made from its config when it starts (not per
    event), shared by its workers."""

    def setup(self) -> None:
        config = self.container.config
        projector, hot = projection_settings(config)
        window = float(config.get("PROJECTION_BATCH_WINDOW", 0.02))
        self.projection = Projection(projector, hot, GroupCommit(window))

    def get_dependency(self, worker_ctx) -> Projection:
        return self.projection
