"""cases service: entrypoints only; the work happens in plain functions."""

from services.cases import models
from services.common.db import Database
from services.common.outbox import PublishesEvents, Relay
from services.common.service import ServiceBase


class CasesService(ServiceBase, PublishesEvents):
    name = "cases"
    db = Database("cases")
    relay = Relay(models.outbox)
