"""reporting service: entrypoints only; the work happens in plain functions."""

from services.common.db import Database
from services.common.service import ServiceBase


class ReportingService(ServiceBase):
    name = "reporting"
    db = Database("reporting")
