"""A typed refusal raised in an RPC (services/common/service.py `rpc`) is the caller's
mistake: with the services' log filter (services/common/logging.py) it is one INFO line with
its code, without a traceback or its message; an unexpected error stays ERROR with one."""

import logging

import pytest
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.errors import Conflict, ValidationError
from services.common.logging import Refusals
from services.common.service import rpc

PERSONAL = "Nguyễn Văn Ẻ"


class Refuser:
    name = "refuser"

    @rpc
    def conflict(self):
        raise Conflict(f"{PERSONAL} is already a mediator of this team", field="full_name")

    @rpc
    def broken(self):
        return {}["missing"]


@pytest.fixture
def records():
    """What the services' console handler would write (its filter applied)."""
    seen = []
    handler = logging.Handler(logging.INFO)
    handler.emit = seen.append
    handler.addFilter(Refusals())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield seen
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_refusal_is_one_info_line_without_traceback_or_personal_data(
        container_factory, rabbit_config, records):
    container_factory(Refuser, rabbit_config).start()
    with ClusterRpcProxy(rabbit_config, timeout=5) as cluster:
        with pytest.raises(Conflict):
            cluster.refuser.conflict()
        with pytest.raises(Exception, match="KeyError"):
            cluster.refuser.broken()
    worker = [r for r in records if r.name == "nameko.containers" and "refused" in r.getMessage()]
    assert [(r.levelname, r.exc_info) for r in worker] == [("INFO", None)], records
    assert worker[0].getMessage().endswith("refused: CONFLICT")
    assert not any(PERSONAL in r.getMessage() for r in records)
    assert not any(isinstance(r.exc_info and r.exc_info[1], ValidationError | Conflict)
                   for r in records if r.levelno >= logging.WARNING)
    broken = [r for r in records if r.levelno >= logging.ERROR]
    assert len(broken) == 1 and broken[0].exc_info, records  # the unexpected stays ERROR
