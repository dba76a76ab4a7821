"""The public GraphQL schema, composed from one module per area."""

import graphene

from services.gateway.schema.system import SystemQueries


class Query(SystemQueries, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query)
