#!/usr/bin/env bash
# What the tests need besides the broker: RabbitMQ's management API (nameko's pytest
# plugin makes a vhost per test through it) and a PostgreSQL that answers.
set -u
api=${RABBIT_CTL_URI:-http://guest:guest@127.0.0.1:15672}
pg=${HOAGIAI_TEST_PG:-postgresql://postgres@127.0.0.1:5432}

if ! curl -sf "$api/api/overview" >/dev/null; then
  if command -v rabbitmq-plugins >/dev/null; then
    echo "enabling RabbitMQ's management plugin"
    rabbitmq-plugins enable rabbitmq_management >/dev/null
  fi
  for _ in $(seq 1 30); do curl -sf "$api/api/overview" >/dev/null && break; sleep 1; done
  curl -sf "$api/api/overview" >/dev/null ||
    { echo "RabbitMQ's management API does not answer at $api" >&2; exit 1; }
fi

if ! psql "$pg/postgres" -qtAc 'select 1' >/dev/null 2>&1; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do psql "$pg/postgres" -qtAc 'select 1' >/dev/null 2>&1 && break; sleep 1; done
  psql "$pg/postgres" -qtAc 'select 1' >/dev/null 2>&1 ||
    { echo "PostgreSQL does not answer at $pg (set HOAGIAI_TEST_PG)" >&2; exit 1; }
fi
# Each test session creates its own hoagiai_test_* databases and drops them at its end.
exit 0
