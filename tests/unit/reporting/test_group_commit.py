"""Group commit: concurrent submissions share transactions, each gets its own result."""

import eventlet
import pytest

from services.reporting.handlers import GroupCommit


def test_concurrent_items_are_applied_in_shared_batches():
    group, batches = GroupCommit(), []

    def apply(batch):
        batches.append(list(batch))
        eventlet.sleep(0.01)  # the "transaction": others queue up meanwhile
        return [f"done {item}" for item in batch]

    pool = eventlet.GreenPool()
    results = list(pool.imap(lambda i: group.submit(i, apply), range(20)))
    assert results == [f"done {i}" for i in range(20)]
    assert sorted(i for batch in batches for i in batch) == list(range(20))
    assert len(batches) < 20 and max(len(b) for b in batches) > 1


def test_a_failed_batch_raises_in_every_submitter():
    group = GroupCommit()

    def apply(batch):
        eventlet.sleep(0.01)
        raise RuntimeError("database down")

    pool = eventlet.GreenPool()
    threads = [pool.spawn(group.submit, i, apply) for i in range(5)]
    for thread in threads:
        with pytest.raises(RuntimeError):
            thread.wait()
