from services.common.migrations_env import run
from services.reporting.models import metadata

run(metadata)
