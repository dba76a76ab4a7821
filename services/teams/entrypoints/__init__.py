"""The teams service's RPCs, one mixin per sub-domain; `services/teams/service.py`
combines them into one service (one name, one queue)."""
