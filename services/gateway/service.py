"""gateway: GraphQL over HTTP at /graphql, the one public entry to hoagiai."""

import logging
import re
import secrets

from nameko.events import BROADCAST
from nameko.extensions import DependencyProvider
from nameko.web.handlers import HttpRequestHandler

from services.common.service import ServiceBase, event_handler, rpc_proxy
from services.gateway import console, graphiql
from services.gateway import http as graphql_http
from services.gateway.auth import (
    Principal,
    Revocations,
    Tokens,
    client_address,
    trusted_networks,
)
from services.gateway.context import Context
from services.gateway.limits import Limits, RateLimiter
from services.gateway.loaders import Backend, SharedCaches

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
log = logging.getLogger(__name__)


class _HttpEntrypoint(HttpRequestHandler):
    """nameko's, checking a request's arguments against the method's signature once per
    shape (how many, which names): they are the request and the URL rule's values, the
    same on every request of a route. nameko's check (`inspect.getcallargs`) ran on each
    request (95 µs a call in-process on the loaded two-core bench machine)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shapes_checked: set[tuple] = set()

    def check_signature(self, args, kwargs):
        shape = (len(args), *sorted(kwargs))
        if shape not in self.shapes_checked:
            super().check_signature(args, kwargs)
            self.shapes_checked.add(shape)


http = _HttpEntrypoint.decorator


class Backends:
    """The RPC proxies of one worker, as resolvers see them: `info.context.rpc.cases`."""

    def __init__(self, **proxies):
        self.__dict__.update(proxies)


def _flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class Settings(DependencyProvider):
    """The container's gateway state, built once at its start: the token signer
    (refusing a default secret in production), the limits, the rate limiter and the
    caches shared by its requests."""

    def setup(self) -> None:
        config = self.container.config
        self.production = _flag(config.get("PRODUCTION", False))
        self.revocations = Revocations()
        self.tokens = Tokens(str(config.get("JWT_SECRET") or ""),
                             ttl_seconds=int(config.get("JWT_TTL_SECONDS", 8 * 3600)),
                             production=self.production, revocations=self.revocations)
        self.trusted_proxies = trusted_networks(config.get("TRUSTED_PROXIES"))
        self.limits = Limits.from_config(config)
        self.rate_limiter = RateLimiter(self.limits.rate_per_second, self.limits.rate_burst)
        self.rpc_timeout = float(config.get("RPC_TIMEOUT", 10))
        self.health_timeout = float(config.get("HEALTH_TIMEOUT", 2))
        self.caches = SharedCaches()

    def get_dependency(self, worker_ctx):
        return self


class WorkerContext(DependencyProvider):
    """The worker's nameko context, so the gateway can put the correlation id into the
    context data every RPC carries."""

    def get_dependency(self, worker_ctx):
        return worker_ctx


class GatewayService(ServiceBase):
    name = "gateway"
    cases = rpc_proxy("cases")
    teams = rpc_proxy("teams")
    reporting = rpc_proxy("reporting")
    settings = Settings()
    worker = WorkerContext()

    @http("GET,POST", "/graphql")
    def graphql(self, request):
        request_id = request.headers.get("X-Request-ID", "")
        if not REQUEST_ID.match(request_id):
            request_id = secrets.token_hex(16)  # as uuid4().hex, without building a UUID
        self.worker.data["correlation_id"] = request_id
        backend = Backend(Backends(cases=self.cases, teams=self.teams, reporting=self.reporting),
                          timeout=self.settings.rpc_timeout)
        if not self.settings.revocations.loaded:
            self._load_revocations(backend)
        address = client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                                 self.settings.trusted_proxies)

        def make_context(principal: Principal) -> Context:
            return Context(backend=backend, principal=principal, tokens=self.settings.tokens,
                           shared=self.settings.caches, request=request,
                           health_timeout=self.settings.health_timeout,
                           correlation_id=request_id, client_address=address)

        response = graphql_http.handle(request, self.settings, make_context)
        response.headers["X-Request-ID"] = request_id
        return response

    def _load_revocations(self, backend: Backend) -> None:
        """Once per replica: the revocations still in force (later ones arrive as events).
        While teams cannot answer, tokens are refused as unavailable, never trusted."""
        try:
            self.settings.revocations.load(backend.call("teams", "revocations_in_force"))
        except Exception as exc:  # noqa: BLE001 (any failure: try again next request)
            log.warning("token revocations not loaded: %s", type(exc).__name__)

    @event_handler("teams", "token.revoked", handler_type=BROADCAST, reliable_delivery=False)
    def on_token_revoked(self, body: dict) -> None:
        """Every replica hears every revocation (a broadcast queue of its own)."""
        self.settings.revocations.add(body["payload"])

    @http("GET", "/graphiql/<path:name>")
    def graphiql_asset(self, request, name):
        """The files GraphiQL's page loads; like the page, not served in production."""
        if self.settings.production:
            return graphiql.asset("")  # the same 404 as an unknown name
        return graphiql.asset(name)

    @http("GET", "/")
    def console_page(self, request):
        """The officers' console (docs/console.md), in production too."""
        return console.page()

    @http("GET", "/sw.js")
    def console_worker(self, request):
        """The console's service worker: at the root, so its scope may be all of /."""
        return console.worker()

    @http("GET", "/console/<path:name>")
    def console_asset(self, request, name):
        return console.asset(name)
