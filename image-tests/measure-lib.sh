# shellcheck shell=bash
# Sourced by the image measurement scripts: a free loopback port, and a throwaway PostgreSQL on it (Debian's
# initdb/pg_ctl, run as the postgres user, scram password auth) holding an empty database namesdb.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_postgres: sets work (a temp directory), pg_port and password; call stop_postgres when done.
start_postgres() {
  work=$(mktemp -d)
  chown postgres "$work"
  pg_port=$(free_port)
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" >"$work/pw"
  chown postgres "$work/pw"
  runuser -u postgres -- initdb -D "$work/data" -U names --auth=scram-sha-256 --pwfile="$work/pw" >/dev/null
  runuser -u postgres -- pg_ctl -D "$work/data" -l "$work/log" -w \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $work" start >/dev/null
  PGPASSWORD=$password psql -q -h 127.0.0.1 -p "$pg_port" -U names -d postgres -c 'CREATE DATABASE namesdb'
}

stop_postgres() {
  [ -n "${work:-}" ] || return 0
  runuser -u postgres -- pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
