"""The rebuild pauses the cyclic garbage collector, and always turns it back on."""

import gc

import pytest

from services.reporting.rebuild import cyclic_gc_paused


def test_the_collector_is_paused_and_back_on_after_an_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a history page failed")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
