from services.common.migrations_env import run
from services.teams.models import metadata

run(metadata)
