"""Each service's migrations form one line: two branches that each add a migration on the
same parent leave two heads, and `upgrade head` then refuses to start the service."""

import pytest
from alembic.script import ScriptDirectory

from services.common.db import SERVICES_DIR


@pytest.mark.parametrize("service", ["teams", "cases", "reporting"])
def test_the_migrations_have_one_head(service):
    script = ScriptDirectory(str(SERVICES_DIR / service / "migrations"))
    assert len(script.get_heads()) == 1, script.get_heads()
