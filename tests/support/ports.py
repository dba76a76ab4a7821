import socket


def free_port() -> int:
    """A port nothing listens on now (eventlet's SO_REUSEPORT would let two share one)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
