#!/bin/sh
# `postgres ARGS...`: PostgreSQL as the user postgres, data in PGDATA. On first start (an empty
# PGDATA) it creates the cluster: superuser POSTGRES_USER (default postgres) with password
# POSTGRES_PASSWORD (required), database POSTGRES_DB (default: the user's name), password
# logins from any address (only the compose network reaches it), trust on the local socket.
# Anything else runs as given.
set -eu
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi
shift
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres="setpriv --reuid=postgres --regid=postgres --init-groups"
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  $as_postgres "$bin/initdb" --pgdata="$PGDATA" --username="$user" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  if [ "$db" != postgres ]; then
    # Single-user mode: no server, so no client can connect before the cluster is ready.
    printf 'CREATE DATABASE "%s";\n' "$db" | $as_postgres "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "created the cluster in $PGDATA (user $user, database $db)"
fi
exec $as_postgres "$bin/postgres" -D "$PGDATA" "$@"
