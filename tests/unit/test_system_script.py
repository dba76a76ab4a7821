"""scripts/system.py, as `make run` and the tests configure it."""

from scripts.system import System


def test_the_gateway_is_asked_where_its_address_says():
    """`make run` with GATEWAY_HTTP_ADDRESS set must wait for its own gateway, not for
    whatever answers on :8000 (another system, or nothing: a 120 s timeout)."""
    assert System(env={"GATEWAY_HTTP_ADDRESS": "127.0.0.1:18123"}).url == \
        "http://127.0.0.1:18123/graphql"
    assert System(env={"GATEWAY_HTTP_ADDRESS": "0.0.0.0:8000"}).url == \
        "http://127.0.0.1:8000/graphql"
    assert System(env={"GATEWAY_HTTP_ADDRESS": "0.0.0.0:18124"}, gateway_port=18125).url \
        == "http://127.0.0.1:18125/graphql"
