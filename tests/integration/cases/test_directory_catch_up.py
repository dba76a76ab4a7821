"""cases fills its directory from teams' event log in bulk (`catch_up_directory`): here
the registry is written while cases is not running, so no event reaches its queues."""

from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import event

from services.cases.service import CasesService
from services.common.metrics import EVENTS_CONSUMED
from services.teams.service import TeamsService
from tests.integration.cases.conftest import wait_for
from tests.integration.teams.conftest import ACTOR, person


def test_catch_up_fills_the_directory_from_the_teams_history(container_factory,
                                                             service_config):
    teams_container = container_factory(TeamsService, service_config("teams"))
    teams_container.start()
    with ServiceRpcProxy("teams", teams_container.config, timeout=30) as teams:
        kept, dissolved = (teams.form_team({"name": f"Tổ hòa giải khối {n}",
                                            "commune_code": "05971",
                                            "formed_on": "2018-01-02"}, ACTOR)
                           for n in (1, 2))
        mediators = [teams.add_mediator(team["id"], person(), ACTOR)
                     for team in (kept, kept, kept, dissolved)]
        teams.remove_mediator(mediators[0]["id"], "2024-01-01", ACTOR)
        teams.dissolve_team(dissolved["id"], "2024-05-01", ACTOR)
        wait_for(lambda: teams.pending_events() == 0)  # relayed before cases exists
        history = teams.history(after=0, limit=100)["items"]

    cases_container = container_factory(CasesService, service_config("cases"))
    cases_container.start()
    with ServiceRpcProxy("cases", cases_container.config, timeout=30) as cases:
        assert cases.directory_stats() == {"teams": 0, "mediators": 0}
        first = cases.catch_up_directory()
        assert (first["teams"], first["mediators"]) == (1, 3)  # mediators: of any team
        assert first["applied"] == 8  # 2 formed, 4 added, 1 left, 1 dissolved
        assert cases.directory_stats() == {"teams": 1, "mediators": 3}
        again = cases.catch_up_directory()
        assert again["applied"] == 0 and again["events"] == first["events"]
        assert cases.directory_stats() == {"teams": 1, "mediators": 3}

        # a queued copy of an event applied in bulk is acknowledged without a transaction
        engine = next(d for d in cases_container.dependencies if d.attr_name == "db").engine
        commits = []
        event.listen(engine, "commit", commits.append)
        left = next(body for body in history if body["type"] == "mediator.left")
        before = duplicates("mediator.left")
        event_dispatcher(cases_container.config)("teams", "mediator.left", left)
        wait_for(lambda: duplicates("mediator.left") == before + 1)
        assert commits == []
        assert cases.directory_stats() == {"teams": 1, "mediators": 3}


def duplicates(event_type: str) -> float:
    return EVENTS_CONSUMED.labels("cases", event_type, "duplicate")._value.get()
