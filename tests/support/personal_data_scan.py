"""A full-text scan of the stored rows: every table of every given database, each row
dumped as text (JSON values decoded, so an `\\u00f4` escape cannot hide a name), searched
for each needle, case-folded. What it finds is `[(database, table, needle)]`."""

import contextlib
import json
import unicodedata

from sqlalchemy import MetaData, select

from services.common.db import make_engine


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _texts(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False, default=str)]
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode("utf-8", errors="replace")
    text = str(value)
    found = [text]
    if text[:1] in "[{\"":
        with contextlib.suppress(ValueError):
            found.append(json.dumps(json.loads(text), ensure_ascii=False))
    return found


def table_dumps(url: str) -> dict[str, str]:
    """{table: every row's values as one text}; also proves the scan reads every table."""
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        dumps = {}
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                parts = [text for row in connection.execute(select(table))
                         for value in row for text in _texts(value)]
                dumps[table.name] = fold("\n".join(parts))
        return dumps
    finally:
        engine.dispose()


def scan(databases: dict[str, str], needles) -> list[tuple[str, str, str]]:
    """Where any needle occurs in a stored row: [(database, table, needle)]."""
    folded = {needle: fold(needle) for needle in needles if needle}
    hits = []
    for name, url in databases.items():
        for table, text in table_dumps(url).items():
            hits += [(name, table, needle) for needle, f in folded.items() if f in text]
    return hits
