"""One broker state per var/: `make run` puts each var/ on a RabbitMQ vhost of its own.

The vhost's name is drawn at random on the first start and kept in `var/broker-vhost`, so a
restart finds its queues again, while a fresh var/ (removed, or another checkout's) gets an
empty vhost and never receives an earlier run's events. When a fresh var/ starts, the
vhosts that an earlier var/ at the same path left on the broker are deleted: nothing could
read their queues again. A user who sets AMQP_URI chooses the vhost, and keeps it clean.
"""

import uuid
from pathlib import Path
from urllib.parse import quote, urlparse, urlunparse

import requests

VHOST_FILE = "broker-vhost"
DESCRIPTION = "hoagiai make run, var/ at {}"
MANAGEMENT_PORT = 15672


class BrokerStateError(RuntimeError):
    pass


def amqp_uri_for(var_dir: Path, base_uri: str, management_url: str | None = None) -> str:
    """`base_uri` on this var/'s own vhost, created (with permissions for its user) if new."""
    api = Management(base_uri, management_url)
    name_file = var_dir / VHOST_FILE
    fresh = not name_file.exists()
    vhost = new_vhost_name() if fresh else name_file.read_text().strip()
    description = DESCRIPTION.format(var_dir.resolve())
    api.ensure_vhost(vhost, description)
    if fresh:
        name_file.write_text(vhost + "\n")
        for stale in api.vhosts_described(description) - {vhost}:
            api.delete_vhost(stale)
    return with_vhost(base_uri, vhost)


def new_vhost_name() -> str:
    return f"hoagiai-{uuid.uuid4().hex[:12]}"


def with_vhost(uri: str, vhost: str) -> str:
    return urlunparse(urlparse(uri)._replace(path="/" + quote(vhost, safe="")))


class Management:
    """The few calls of RabbitMQ's management API this needs, as the AMQP URI's user."""

    def __init__(self, amqp_uri: str, url: str | None = None):
        parsed = urlparse(amqp_uri)
        self.user = parsed.username or "guest"
        self.auth = (self.user, parsed.password or "guest")
        self.url = (url or f"http://{parsed.hostname or '127.0.0.1'}:{MANAGEMENT_PORT}").rstrip("/")

    def ensure_vhost(self, vhost: str, description: str) -> None:
        name = quote(vhost, safe="")
        self._call("PUT", f"/api/vhosts/{name}", {"description": description, "tags": "hoagiai"})
        self._call("PUT", f"/api/permissions/{name}/{quote(self.user, safe='')}",
                   {"configure": ".*", "write": ".*", "read": ".*"})

    def vhosts_described(self, description: str) -> set[str]:
        return {v["name"] for v in self._call("GET", "/api/vhosts").json()
                if v.get("description") == description}

    def delete_vhost(self, vhost: str) -> None:
        self._call("DELETE", f"/api/vhosts/{quote(vhost, safe='')}")

    def _call(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        try:
            response = requests.request(method, self.url + path, json=body, auth=self.auth,
                                        timeout=10)
        except requests.RequestException:
            raise BrokerStateError(
                f"RabbitMQ's management API does not answer at {self.url}: `make run` needs it "
                "to give this var/ a vhost of its own (rabbitmq-plugins enable "
                "rabbitmq_management), or set AMQP_URI to choose the vhost yourself") from None
        if response.status_code >= 400:
            raise BrokerStateError(f"RabbitMQ's management API refused {method} {path}: "
                                   f"{response.status_code} {response.text[:200]} (the user "
                                   "needs the administrator tag, or set AMQP_URI yourself)")
        return response
