"""A TCP proxy a test controls, to simulate a broker outage without touching the
shared broker: point a service's AMQP_URI at it, then `cut()` and `restore()`.

Runs on eventlet green threads (the tests are monkey-patched). While cut, it drops
every open connection and closes new ones at once, as a dead broker would.
"""

import contextlib
import socket

import eventlet

from tests.support.ports import free_port


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self.open = True
        self.connections: set[socket.socket] = set()
        self.listener = eventlet.listen(("127.0.0.1", self.port))
        self.server = eventlet.spawn(self._serve)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if not self.open:
                client.close()
                continue
            try:
                upstream = eventlet.connect(self.upstream)
            except OSError:
                client.close()
                continue
            self.connections.update((client, upstream))
            eventlet.spawn(self._pipe, client, upstream)
            eventlet.spawn(self._pipe, upstream, client)

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except (OSError, EOFError):  # eventlet raises EOFError for a socket closed under us
            pass
        finally:
            # Shut the other side (its pipe wakes with EOF and closes it) and close only our
            # own source: closing a socket another green thread still waits on lets the
            # kernel hand its number to a new socket (a database's) while eventlet still
            # lists the old waiter: "Second simultaneous read on fileno".
            self._shut(target)
            self.connections.discard(source)
            source.close()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open = False
        for sock in list(self.connections):
            self._shut(sock)  # each pipe then closes its own source

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self.server.kill()
        self.listener.close()


def proxied_uri(amqp_uri: str, proxy: TcpProxy) -> str:
    """`pyamqp://user:pw@host:port/vhost` with host:port replaced by the proxy's."""
    scheme, rest = amqp_uri.split("://", 1)
    credentials, location = rest.rsplit("@", 1)
    vhost = location.split("/", 1)[1] if "/" in location else ""
    return f"{scheme}://{credentials}@{proxy.address}/{vhost}"
