"""A unit of work that keeps what a handler wrote in memory: the rows it inserted (by
table name, the outbox's included) and the events it raised. Handlers that need no
query run on it without a database."""

from contextlib import nullcontext

from services.cases.unit_of_work import CasesUnitOfWork, TeamPlaces


class _NoSession:
    """Handlers suspend autoflush around their inserts; here there is nothing to flush."""

    no_autoflush = nullcontext()


class FakeCasesUnitOfWork(CasesUnitOfWork):
    def __init__(self):
        super().__init__(_NoSession(), TeamPlaces())
        self.rows: list[tuple[str, dict]] = []

    def insert(self, table, values: dict) -> None:
        self.rows.append((table.name, values))

    def written(self, table_name: str) -> list[dict]:
        return [values for name, values in self.rows if name == table_name]
