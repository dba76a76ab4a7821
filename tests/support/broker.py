"""What the broker's management API says about queues."""

import time


def consumer_details(rabbit_manager, vhost: str, names, timeout: float = 30) -> dict:
    """Each named queue's consumers, once the management stats list them (a moment after
    they start; at the timeout, what they list then)."""
    deadline = time.monotonic() + timeout
    while True:
        details = {n: rabbit_manager.get_queue(vhost, n).get("consumer_details") or []
                   for n in names}
        if all(details.values()) or time.monotonic() > deadline:
            return details
        time.sleep(0.5)
