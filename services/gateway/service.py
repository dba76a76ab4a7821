"""gateway: GraphQL over HTTP at /graphql, the one public entry to hoagiai."""

from nameko.rpc import RpcProxy
from nameko.web.handlers import http

from services.common.service import ServiceBase
from services.gateway import http as graphql_http


class Backends:
    """The RPC proxies of one worker, as resolvers see them: `info.context["rpc"].cases`."""

    def __init__(self, **proxies):
        self.__dict__.update(proxies)


class GatewayService(ServiceBase):
    name = "gateway"
    cases = RpcProxy("cases")
    teams = RpcProxy("teams")
    reporting = RpcProxy("reporting")

    @http("GET,POST", "/graphql")
    def graphql(self, request):
        context = {
            "rpc": Backends(cases=self.cases, teams=self.teams, reporting=self.reporting),
            "health_timeout": float(self.config.get("HEALTH_TIMEOUT", 2)),
            "request": request,
        }
        return graphql_http.handle(request, context, graphiql=not self.config.get("PRODUCTION"))
