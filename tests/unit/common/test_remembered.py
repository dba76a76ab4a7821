"""services/common/remembered.py: one read per period, however many callers ask at once
(reporting's mode and the services' health checks use it)."""

import eventlet

from services.common.remembered import Remembered


def slow_reader(answer="up"):
    reads = []

    def read():
        reads.append(1)
        eventlet.sleep(0.05)  # yields, as a green query or connection does
        return answer

    return read, reads


def test_callers_asking_at_once_share_one_read():
    remembered, (read, reads) = Remembered(), slow_reader()
    answers = list(eventlet.GreenPool().imap(
        lambda _: remembered.get("broker", 1.0, read), range(20)))
    assert answers == ["up"] * 20 and len(reads) == 1


def test_a_stale_value_is_read_again_and_keys_are_apart():
    remembered, (read, reads) = Remembered(), slow_reader()
    for _ in range(3):
        remembered.get("a", 0.0, read)
    remembered.get("b", 1.0, read)
    remembered.get("b", 1.0, read)
    assert len(reads) == 4


def test_a_forgotten_value_is_read_again():
    remembered, (read, reads) = Remembered(), slow_reader()
    remembered.get("a", 60.0, read)
    remembered.forget("a")
    remembered.get("a", 60.0, read)
    assert len(reads) == 2
