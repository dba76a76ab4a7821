"""A nameko timer whose interval comes from the service's config (nameko's takes it at
import time, before a test or a deployment could choose it)."""

from nameko.timer import Timer


class ConfiguredTimer(Timer):
    """`@configured_timer("SECTION.key", default=86400, eager=True)`: fires every
    `config[SECTION][key]` seconds (the default when unset); eager: once at the start too."""

    def __init__(self, setting: str, default: float, eager: bool = False, **kwargs):
        self.setting = setting
        super().__init__(interval=default, eager=eager, **kwargs)

    def setup(self):
        found = self.container.config
        for part in self.setting.split("."):
            found = found.get(part) if isinstance(found, dict) else None
        if found is not None:
            self.interval = float(found)
        super().setup()


configured_timer = ConfiguredTimer.decorator
