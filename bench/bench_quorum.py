"""The cost of quorum queues (issue 21) on one broker node: intake through the gateway on
two systems that differ only in AMQP_QUEUE_TYPE, each on its own vhost and fresh, empty
databases. Both run at once and are measured in interleaved rounds (`median_round`), so
whatever else the machine does weighs on both alike: run one after the other, the same
code measured 0.85× and then 0.73× with one client. The three-node cluster runs only in
`make chaos`."""

from contextlib import ExitStack, contextmanager
from pathlib import Path

from nameko.standalone.rpc import ClusterRpcProxy

from bench.bench_cases import CONCURRENCY, gateway_intake, payloads, real_team
from bench.core import ROUNDS, Context, Row, median_round
from bench.environment import VHOST, delete_vhost, running_system, vhost_uri

LOG_DIR = Path("var/bench")
QUEUE_TYPES = ("quorum", "classic")


@contextmanager
def intake_system(ctx: Context, queue_type: str):
    """A running system on `queue_type` queues; yields `rate(concurrency, seconds)`."""
    vhost = f"{VHOST}_{queue_type}"
    delete_vhost(vhost)
    amqp_uri = vhost_uri(vhost)
    try:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        with running_system(amqp_uri, LOG_DIR, label=f"_{queue_type}",
                            AMQP_QUEUE_TYPE=queue_type) as system:
            side = Context(amqp_uri, system.url, ctx.seconds, ctx.quick)
            with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=120) as cluster:
                cases = payloads(real_team(cluster))
            yield lambda concurrency, seconds: gateway_intake(side, cases, concurrency, seconds)
    finally:
        delete_vhost(vhost)


def run(ctx: Context) -> list[Row]:
    with ExitStack() as stack:
        quorum, classic = (stack.enter_context(intake_system(ctx, t)) for t in QUEUE_TYPES)
        seconds = ctx.seconds / ROUNDS

        def pair(clients: int) -> tuple[float, float]:
            return median_round(lambda _: (quorum(clients, seconds), classic(clients, seconds)))

        (quorum_one, classic_one), (quorum_many, classic_many) = pair(1), pair(CONCURRENCY)
    print(f"  intake classic {classic_one:.0f} / {classic_many:.0f} cases/s, quorum "
          f"{quorum_one:.0f} / {quorum_many:.0f} cases/s (1 / {CONCURRENCY} clients, "
          f"median of {ROUNDS} interleaved rounds)", flush=True)
    return [
        Row("intake via gateway, classic queues, 1 client (baseline)", classic_one, "cases/s"),
        Row("intake via gateway, quorum queues, 1 client", quorum_one, "cases/s",
            baseline=classic_one, target=">=0.8x"),
        Row(f"intake via gateway, classic queues, {CONCURRENCY} clients (baseline)",
            classic_many, "cases/s"),
        Row(f"intake via gateway, quorum queues, {CONCURRENCY} clients", quorum_many,
            "cases/s", baseline=classic_many, target=">=0.8x"),
    ]
