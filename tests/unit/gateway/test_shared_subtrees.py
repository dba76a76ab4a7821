"""One object under many parents (a team under each of its cases) is completed once per
request (services/gateway/http.py, SharedSubtrees); a subtree with an error is not
shared, so each place reports its own error at its own path."""

import graphene
from graphql import execute, parse

from services.gateway.http import SharedSubtrees

TEAM = {"name": "Tổ hòa giải Nà Pàn", "broken": False}
BROKEN = {"name": "Tổ hòa giải Bản Chắt", "broken": True}
reads: list[str] = []


class Team(graphene.ObjectType):
    name = graphene.String()
    leader = graphene.String()

    def resolve_name(root, info):
        reads.append(root["name"])
        return root["name"]

    def resolve_leader(root, info):
        if root["broken"]:
            raise ValueError("no leader")
        return "Hoàng Thị Lan"


class Case(graphene.ObjectType):
    id = graphene.ID()
    team = graphene.Field(Team)

    def resolve_team(root, info):
        return root["team"]


class Query(graphene.ObjectType):
    cases = graphene.List(Case)

    def resolve_cases(root, info):
        return [{"id": n, "team": BROKEN if n >= 2 else TEAM} for n in range(4)]


schema = graphene.Schema(query=Query).graphql_schema


def run(query: str, shared: bool):
    reads.clear()
    kwargs = {"execution_context_class": SharedSubtrees} if shared else {}
    return execute(schema, parse(query), **kwargs)


def test_a_shared_object_is_completed_once_with_the_same_answer():
    query = "{ cases { id team { name } again: team { name } } }"
    plain = run(query, shared=False)
    assert len(reads) == 8
    shared = run(query, shared=True)
    assert shared.data == plain.data and shared.errors is None
    assert reads == [TEAM["name"], TEAM["name"], BROKEN["name"], BROKEN["name"]]  # per field


def test_errors_keep_their_own_paths():
    result = run("{ cases { team { name leader } } }", shared=True)
    assert [e.path for e in result.errors] == [["cases", 2, "team", "leader"],
                                               ["cases", 3, "team", "leader"]]
    assert result.data["cases"][0]["team"] == {"name": TEAM["name"], "leader": "Hoàng Thị Lan"}
    assert result.data["cases"][3]["team"] == {"name": BROKEN["name"], "leader": None}
    assert reads.count(TEAM["name"]) == 1 and reads.count(BROKEN["name"]) == 2
