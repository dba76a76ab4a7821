"""Issue 21: the system on a private three-node RabbitMQ cluster with quorum queues, under
the chaos stream of submissions. One node's Erlang VM is killed (kill -9) and brought
back; then the node holding the leaders of the `rpc-*` queues, and it too is brought back.
Every acknowledged case is stored and projected exactly once, and the client sees only
SERVICE_UNAVAILABLE while the cluster elects new leaders, never a 500."""

import time

import pytest

from tests.chaos.test_chaos import check_exactly_once, stored_case_ids, stream_for

pytestmark = pytest.mark.e2e
RPC_QUEUES = {f"rpc-{s}" for s in ("gateway", "cases", "teams", "reporting")}
RETRYABLE = {"SERVICE_UNAVAILABLE"}
WATCH = 20  # seconds after a kill in which the longest pause between acks is measured


def kill(cluster, node, stream) -> dict:
    """kill -9 `node` under load, wait for the cluster to serve again, bring it back."""
    before = cluster.leaders("rpc-")
    connections = cluster.connections_on(node)
    killed = time.monotonic()
    node.kill_9()
    stream.wait_for_new_ack(120)
    time.sleep(max(0.0, killed + WATCH - time.monotonic()))
    after = cluster.leaders("rpc-")
    back = time.monotonic()
    node.start()
    while node.node not in cluster.running():
        assert time.monotonic() - back < 90, f"{node.node} did not rejoin"
        time.sleep(0.5)
    return {"client_connections_on_it": connections,
            "rpc_leaders_on_it": sorted(q for q, n in before.items() if n == node.node),
            "rpc_leaders_after": sorted(set(after.values())),
            "longest_ack_pause_s": round(stream.longest_gap(killed, killed + WATCH), 1),
            "rejoin_s": round(time.monotonic() - back, 1)}


def test_a_node_then_the_rpc_leaders_node_killed_under_load(cluster_chaos, rabbit_cluster):
    system, world = cluster_chaos
    leaders = rabbit_cluster.leaders("rpc-")
    assert set(leaders) == RPC_QUEUES
    before = stored_case_ids(world)
    stream = stream_for(world)
    time.sleep(5)

    # The first victim is the node holding the clients' connections (each service connects
    # to the first node of its AMQP_URI that answers), whatever leaders it holds: its kill
    # always makes the clients fail over. The second is the node holding the rpc leaders
    # then: they move between nodes under load, so they are looked up just before.
    clients_node = max(rabbit_cluster.nodes, key=rabbit_cluster.connections_on)
    first = kill(rabbit_cluster, clients_node, stream)
    time.sleep(5)
    leaders = rabbit_cluster.leaders("rpc-")
    leader_name = max(set(leaders.values()), key=list(leaders.values()).count)
    second = kill(rabbit_cluster, rabbit_cluster.node_named(leader_name), stream)
    time.sleep(3)

    try:
        figures = check_exactly_once(
            world, stream, before, "3-node cluster, quorum queues: kill -9 a node, then the "
            "rpc leaders' node", clients_node_killed=first, leaders_node_killed=second)
    except AssertionError:  # for the record: which service ran, where messages stuck
        print({name: process.poll() for name, process in system.processes.items()})
        for row in rabbit_cluster.queues():
            print(row)
        raise
    assert set(stream.codes) <= RETRYABLE, figures
    assert first["client_connections_on_it"] > 0, figures
    assert second["rpc_leaders_on_it"] and leader_name not in second["rpc_leaders_after"]
