"""What every resolver sees as `info.context`: the caller, the backends and the loaders."""

from dataclasses import dataclass, field

from services.gateway.auth import Principal, Tokens
from services.gateway.loaders import Backend, Loaders, SharedCaches


@dataclass
class Context:
    backend: Backend
    principal: Principal
    tokens: Tokens
    shared: SharedCaches
    request: object = None
    health_timeout: float = 2.0
    correlation_id: str | None = None
    client_address: str | None = None  # the connection's, or a trusted proxy's X-Forwarded-For
    loaders: Loaders = field(init=False)

    def __post_init__(self):
        self.loaders = Loaders(self.backend, self.shared, self.principal)

    @property
    def rpc(self):
        return self.backend.rpc

    def call(self, service: str, method: str, *args, **kwargs):
        return self.backend.call(service, method, *args, **kwargs)
