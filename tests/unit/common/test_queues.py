"""AMQP_QUEUE_TYPE's values (services/common/queues.py)."""

import pytest
from kombu import Queue

from services.common.queues import queue_type, shared_queue


def test_classic_by_default_and_quorum_when_asked():
    assert queue_type({}) == "classic"
    assert queue_type({"AMQP_QUEUE_TYPE": " Quorum "}) == "quorum"


@pytest.mark.parametrize("value", ["stream", "mirrored", "1"])
def test_another_value_is_refused_with_the_allowed_ones(value):
    with pytest.raises(ValueError, match="AMQP_QUEUE_TYPE must be one of classic, quorum"):
        queue_type({"AMQP_QUEUE_TYPE": value})


def test_classic_declares_no_argument_so_existing_queues_stay_equivalent():
    assert shared_queue(Queue("q"), {"AMQP_QUEUE_TYPE": "classic"}).queue_arguments is None
    quorum = shared_queue(Queue("q", queue_arguments={"x-a": 1}), {"AMQP_QUEUE_TYPE": "quorum"})
    assert quorum.queue_arguments == {"x-a": 1, "x-queue-type": "quorum"}
