#!/usr/bin/env bash
# Make sure a RabbitMQ broker answers at AMQP_URI (host:port), starting a local one if we can.
# Every wait is bounded; without a broker it says exactly what to install and fails.
set -u
uri=${AMQP_URI:-pyamqp://guest:guest@127.0.0.1:5672/}
hostport=${uri#*@}; hostport=${hostport%%/*}
host=${hostport%%:*}; port=${hostport##*:}; [ "$port" = "$host" ] && port=5672

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null; }
wait_for() { for _ in $(seq 1 "$1"); do answers && return 0; sleep 1; done; return 1; }

# `make run` gives each var/ a vhost of its own through the management API (and the tests
# make theirs with it): enable the plugin on a local broker that lacks it.
management() { curl -s --max-time 2 -o /dev/null "http://$host:15672/"; }  # any HTTP answer
ok() {
  management && exit 0
  if { [ "$host" = 127.0.0.1 ] || [ "$host" = localhost ]; } && command -v rabbitmq-plugins >/dev/null; then
    echo "enabling RabbitMQ's management plugin (rabbitmq-plugins enable rabbitmq_management)"
    timeout 60 rabbitmq-plugins enable rabbitmq_management >/dev/null 2>&1
    for _ in $(seq 1 30); do management && exit 0; sleep 1; done
  fi
  echo "RabbitMQ's management API does not answer at $host:15672: enable it" \
       "(rabbitmq-plugins enable rabbitmq_management)" >&2
  exit 1
}

answers && ok
if [ "$host" = 127.0.0.1 ] || [ "$host" = localhost ]; then
  if command -v rabbitmq-server >/dev/null; then
    echo "RabbitMQ is installed but not running: starting it (rabbitmq-server -detached)"
    rabbitmq-server -detached >/dev/null 2>&1
    wait_for 60 && ok
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "No RabbitMQ here: installing Debian's rabbitmq-server"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q rabbitmq-server >/dev/null &&
      { rabbitmq-server -detached >/dev/null 2>&1; wait_for 60 && ok; }
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    docker compose -f deploy/compose.yaml up -d rabbitmq && wait_for 60 && ok
  fi
fi
cat >&2 <<MSG
No RabbitMQ broker answers at $host:$port (AMQP_URI=$uri).
Install one and run it, e.g. on Debian/Ubuntu: sudo apt-get install rabbitmq-server
or with Docker: docker run -d -p 5672:5672 -p 15672:15672 rabbitmq:3-management
or point AMQP_URI at a running broker.
MSG
exit 1
