"""teams service: entrypoints only, one mixin per sub-domain (services/teams/entrypoints);
the work happens in plain functions (handlers, queries, users)."""

from services.common.db import Database
from services.common.outbox import PublishesEvents, RelayProvider
from services.common.service import ServiceBase
from services.common.unit_of_work import UnitOfWork
from services.teams import models
from services.teams.entrypoints.accounts import AccountsEntrypoints
from services.teams.entrypoints.geography import GeographyEntrypoints
from services.teams.entrypoints.programme import ProgrammeEntrypoints
from services.teams.entrypoints.registry import RegistryEntrypoints
from services.teams.entrypoints.users import UsersEntrypoints
from services.teams.read_cache import ReadCacheProvider


class TeamsService(GeographyEntrypoints, RegistryEntrypoints, ProgrammeEntrypoints,
                   UsersEntrypoints, AccountsEntrypoints, ServiceBase, PublishesEvents):
    name = "teams"
    db = Database("teams")
    # The demo load writes ~35,000 events: larger batches keep the relay near the
    # broker's confirm rate instead of 200 per 0.2 s tick.
    relay = RelayProvider(models.outbox, batch_size=1000)
    audit_table = models.audit_log
    read_cache = ReadCacheProvider()  # the registry reads' answers (read_cache.py)

    def committed(self, uow: UnitOfWork) -> None:
        # Every change of state raises its event (reporting's projections rely on it); a
        # login's bookkeeping raises none and leaves the registry's answers standing.
        if uow.events:
            self.read_cache.forget_all()
