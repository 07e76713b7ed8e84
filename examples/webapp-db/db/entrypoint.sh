#!/bin/sh
# Runs PostgreSQL in the foreground with its data in $PGDATA, where compose.yaml mounts the
# named volume. On the first start the directory is empty: initialise a cluster whose
# superuser is $POSTGRES_USER with password $POSTGRES_PASSWORD, and create $POSTGRES_DB.
# These are the variables of the official postgres image, so compose.yaml suits both.
set -eu

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"

# Started as root: hand the data and socket directories to the postgres user, then run
# this script again as that user. exec, so that PostgreSQL becomes PID 1 and gets signals.
if [ "$(id -u)" = 0 ]; then
  install -d -o postgres -g postgres -m 700 "$PGDATA"
  install -d -o postgres -g postgres -m 2775 /run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "db: set POSTGRES_PASSWORD, the password of the user $POSTGRES_USER" >&2
    exit 1
  fi
  echo "db: initialising $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)"
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 \
    --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  # Listen on the project network too, and accept password logins from its containers.
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\"" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
fi

exec postgres "$@"
