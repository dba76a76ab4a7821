#!/bin/bash
# PostgreSQL's first start (docker-entrypoint-initdb.d): one database per service, each
# owned by its own role, so a service can reach only its own data.
set -euo pipefail
for service in teams cases reporting; do
  var="${service^^}_DB_PASSWORD"
  password=${!var:?$var is not set}
  psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres \
       -v role="$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
