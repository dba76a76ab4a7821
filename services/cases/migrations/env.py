from services.cases.models import metadata
from services.common.migrations_env import run

run(metadata)
