"""Which type of queue a service declares (AMQP_QUEUE_TYPE, docs/operations.md).

A queue's type is fixed when it is first declared, by the client's `x-queue-type`
argument: no policy can set or change it. So the services choose it. With `quorum`,
the queues replicas share (`rpc-<service>`, the service-pool event handlers') are
quorum queues, replicated over a cluster's nodes. Per-process queues (RPC replies,
broadcast handlers) stay classic: they live and die with their process.
"""

from amqp.exceptions import ConnectionError as AmqpConnectionError
from amqp.exceptions import PreconditionFailed
from kombu import Connection, Queue
from kombu.exceptions import OperationalError

QUEUE_TYPES = ("classic", "quorum")
CONFIG_KEY = "AMQP_QUEUE_TYPE"


class QueueTypeMismatch(Exception):
    """The broker holds the queue with the other type: the service cannot start."""


def queue_type(config: dict) -> str:
    wanted = str(config.get(CONFIG_KEY) or "classic").strip().lower()
    if wanted not in QUEUE_TYPES:
        raise ValueError(f"{CONFIG_KEY} must be one of {', '.join(QUEUE_TYPES)}, "
                         f"not {wanted!r}")
    return wanted


def shared_queue(queue: Queue, config: dict) -> Queue:
    """`queue` as the configured type. Classic is declared with no argument, exactly as
    before the setting existed, so existing classic queues stay equivalent."""
    if queue_type(config) == "classic":
        return queue
    queue.queue_arguments = {**(queue.queue_arguments or {}), "x-queue-type": "quorum"}
    return queue


def declare_shared(queue: Queue, config: dict) -> None:
    """Declare `queue` now, so that a type conflict stops the service at start-up with
    what to do (the consumer would otherwise fail later with only the broker's words).
    An unreachable broker is not an error here: the consumer retries as it always did."""
    try:  # a connection of its own, closed after: a pooled one would outlive the check
        with Connection(config["AMQP_URI"]) as connection:
            channel = connection.channel()
            try:
                queue(channel).declare()
            finally:
                channel.close()
    except PreconditionFailed as exc:
        if "x-queue-type" not in str(exc):
            raise
        wanted = queue_type(config)
        current = "classic" if wanted == "quorum" else "quorum"
        raise QueueTypeMismatch(
            f"queue {queue.name!r} exists on the broker as a {current} queue, but "
            f"{CONFIG_KEY}={wanted}: a queue's type cannot change. With the previous "
            f"setting, stop the gateway and let the queues drain; then stop every service, "
            f"delete the queue (rabbitmqctl delete_queue {queue.name} -p <vhost>) and "
            f"start them again; docs/operations.md, 'Changing the queue type'.") from None
    except (OSError, OperationalError, AmqpConnectionError):
        pass
