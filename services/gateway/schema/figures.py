"""Success figures, the types both a team (Team.successRate) and the reports return."""

import graphene


class Figures(graphene.ObjectType):
    received = graphene.Int(required=True)
    successful = graphene.Int(required=True)
    unsuccessful = graphene.Int(required=True)
    in_progress = graphene.Int(required=True)
    stopped = graphene.Int()
    referred = graphene.Int()
    rate = graphene.Float(description="successful / (successful + unsuccessful); null if both 0")

    def resolve_received(row, info):
        return row.get("received", 0)

    def resolve_successful(row, info):
        return row.get("successful", 0)

    def resolve_unsuccessful(row, info):
        return row.get("unsuccessful", 0)

    def resolve_in_progress(row, info):
        return row.get("in_progress", 0)


class TeamSuccessRate(Figures):
    team_id = graphene.ID(required=True)
    year = graphene.Int(required=True)
    target = graphene.Float(required=True, description="0.9 in a model team's programme years")
    meets_target = graphene.Boolean()
