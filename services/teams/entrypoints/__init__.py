"""The teams service's RPCs, one mixin per sub-domain; `services/teams/service.py`
combines them into one service (one name, one queue)."""

from services.common.errors import parse


class Commands:
    """What the write RPCs share: parse the payload, then run the handler in a unit of
    work (`ServiceBase.write`)."""

    def _command(self, handler, model, payload: dict, *before):
        """`handler(uow, *before, command)`, the command parsed from `payload`."""
        cmd = parse(model, payload)
        return self.write(lambda uow: handler(uow, *before, cmd))
