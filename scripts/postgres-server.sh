#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for healthgap's tests, in a folder of its own.
#
#   scripts/postgres-server.sh install   install Debian's postgresql when missing
#   scripts/postgres-server.sh start     install, initdb, start on 127.0.0.1 at a free port (and a unix
#                                        socket in the folder), create the database healthgap_test owned
#                                        by a user healthgap with a random password; print the export lines
#   scripts/postgres-server.sh env       print the export lines of the running server (exit 1 if none)
#   scripts/postgres-server.sh psql      psql on healthgap_test as that user
#   scripts/postgres-server.sh stop      pg_ctl stop -m fast, then remove the folder
#
# Use:  eval "$(scripts/postgres-server.sh start)"   then HEALTHGAP_TEST_POSTGRES_URL is
#       postgres://healthgap:PASSWORD@127.0.0.1:PORT/healthgap_test
#
# The folder is $HEALTHGAP_POSTGRES_DIR, by default ${TMPDIR:-/tmp}/healthgap-postgres-<checksum of this
# checkout>: data/, socket/, postgres.log, env. initdb refuses to run as root, so as root the server runs
# as the postgres user (which Debian's package creates). Durability is off (fsync=off): it is for tests.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/service-lib.sh
. "$here/service-lib.sh"

dir=$(service_dir postgres "${HEALTHGAP_POSTGRES_DIR:-}")
database=healthgap_test
user=healthgap

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

install() {
  bindir >/dev/null || install_packages postgresql
}

# as_owner CMD...: run CMD as the server's owner (postgres when we are root, else ourselves).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$dir/env" ] && [ -d "$dir/data" ] && pid_alive "$dir/data/postmaster.pid"
}

start() {
  install
  if running; then
    echo "postgres: already running in $dir" >&2
    cat "$dir/env"
    return 0
  fi
  [ -d "$dir" ] && stop_quietly
  local bin port password t0
  t0=$(date +%s.%N)
  bin=$(bindir)
  port=$(free_port)
  password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  mkdir -p "$dir/socket"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi

  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
    echo "postgres: initdb failed:" >&2
    tail -n 5 "$dir/initdb.log" >&2
    return 1
  }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start </dev/null >/dev/null 2>&1 || {
    echo "postgres: the server did not start:" >&2
    tail -n 5 "$dir/postgres.log" >&2
    return 1
  }
  as_owner "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE $user LOGIN PASSWORD '$password'" -c "CREATE DATABASE $database OWNER $user" >&2
  {
    printf 'export HEALTHGAP_TEST_POSTGRES_URL=%q\n' "postgres://$user:$password@127.0.0.1:$port/$database"
    printf 'export HEALTHGAP_POSTGRES_DIR=%q\n' "$dir"
  } >"$dir/env"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/env"; fi
  # Prove the URL works over TCP with the password, as a test would connect.
  PGPASSWORD=$password "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U "$user" -d "$database" -tAc 'SELECT 1' >/dev/null || {
    echo "postgres: cannot connect as $user over TCP on port $port" >&2
    return 1
  }
  echo "postgres: ready on 127.0.0.1:$port after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s ($dir)" >&2
  cat "$dir/env"
}

stop_quietly() {
  [ -d "$dir" ] || return 0
  local bin
  bin=$(bindir || true)
  if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
  fi
  # If pg_ctl could not stop it, end the postmaster by the pid in its pid file (the first line).
  stop_pids "$dir/data/postmaster.pid"
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  env)
    if running; then cat "$dir/env"; else
      echo "postgres: no server running in $dir (scripts/postgres-server.sh start)" >&2
      exit 1
    fi
    ;;
  psql)
    running || {
      echo "postgres: no server running in $dir" >&2
      exit 1
    }
    . "$dir/env"
    shift
    exec psql "$HEALTHGAP_TEST_POSTGRES_URL" "$@"
    ;;
  stop)
    stop_quietly
    echo "postgres: stopped; $dir removed" >&2
    ;;
  *)
    echo "usage: $0 install|start|stop|env|psql" >&2
    exit 2
    ;;
esac
