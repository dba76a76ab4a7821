"""The raw stack, measured in the same run as our code: a trivial nameko service."""

from nameko.rpc import rpc


class PingService:
    name = "bench_ping"

    @rpc
    def ping(self) -> str:
        return "pong"
