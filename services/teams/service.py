"""teams service: entrypoints only; the work happens in plain functions."""

from services.common.db import Database
from services.common.outbox import PublishesEvents, Relay
from services.common.service import ServiceBase
from services.teams import models


class TeamsService(ServiceBase, PublishesEvents):
    name = "teams"
    db = Database("teams")
    relay = Relay(models.outbox)
