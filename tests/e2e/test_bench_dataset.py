"""Benchmark data sets (bench/dataset.py): built through the running services, kept as
template databases, reused as they are, built anew under another key."""

import time
import uuid

import psycopg2
import pytest

from bench import dataset, dataset_load
from bench.environment import PG

pytestmark = pytest.mark.e2e


@pytest.fixture
def prefix():
    prefix = f"hoagiai_test_ds{uuid.uuid4().hex[:6]}"
    yield prefix
    dataset.drop_all(prefix)


def count(template: str, sql: str) -> int:
    """`sql` on a copy of `template` (a template takes no connections)."""
    copy = f"{template[:40]}_{uuid.uuid4().hex[:8]}"
    with dataset.admin() as cursor:
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    try:
        connection = psycopg2.connect(f"{PG}/{copy}")
        with connection.cursor() as cursor:
            cursor.execute(sql)
            found = cursor.fetchone()[0]
        connection.close()
        return found
    finally:
        with dataset.admin() as cursor:
            cursor.execute(f'DROP DATABASE "{copy}" WITH (FORCE)')


def existing(prefix: str) -> list[str]:
    with dataset.admin() as cursor:
        return dataset.databases_like(cursor, f"{prefix}_")


def test_a_tiny_set_is_built_through_intake_reused_and_rebuilt_under_a_new_key(
        prefix, tmp_path, monkeypatch):
    first = dataset.ensure(50, teams=6, prefix=prefix, log_dir=tmp_path)
    assert first.meta["cases"] == 50 and first.meta["refused"] == 0
    assert first.meta["teams"] == 6 and first.meta["events"] > 50
    assert sorted(existing(prefix)) == sorted(first.templates.values())
    assert count(first.templates["cases"], "SELECT count(*) FROM cases") == 50
    assert count(first.templates["cases"],
                 "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0
    assert count(first.templates["reporting"], "SELECT count(*) FROM case_state") == 50
    assert count(first.templates["teams"], "SELECT count(*) FROM teams") == 6

    def no_build(*args):
        raise AssertionError("a cached set was built again")

    with monkeypatch.context() as patch:
        patch.setattr(dataset_load, "build", no_build)
        started = time.monotonic()
        again = dataset.ensure(50, teams=6, prefix=prefix)
    assert again.templates == first.templates and again.meta == first.meta
    assert time.monotonic() - started < 5

    other = dataset.ensure(50, teams=7, prefix=prefix, log_dir=tmp_path)
    assert other.key != first.key and other.meta["teams"] == 7
    assert sorted(existing(prefix)) == sorted(other.templates.values())  # the old one dropped
