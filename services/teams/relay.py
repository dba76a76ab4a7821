"""One outbox `Relay` per service container, not per class.

A class attribute would be shared by every container in one process (the tests start
many): a broker failure seen while one container stops would put the next one in
backoff. `TeamsService.relay.table` still names the outbox table.
"""

from nameko.extensions import DependencyProvider
from sqlalchemy import Table

from services.common.outbox import Relay


class ContainerRelay(DependencyProvider):
    def __init__(self, table: Table, batch_size: int = 200):
        self.table = table
        self.batch_size = batch_size
        self.relay: Relay | None = None

    def setup(self) -> None:
        self.relay = Relay(self.table, batch_size=self.batch_size)

    def get_dependency(self, worker_ctx) -> Relay:
        return self.relay
