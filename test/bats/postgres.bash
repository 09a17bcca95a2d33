# shellcheck shell=bash
# A real PostgreSQL server for the backup and restore tests: the server binaries of this machine (initdb,
# pg_ctl on PATH, or Debian's /usr/lib/postgresql/<version>/bin), one throw-away cluster per test file on a free
# port, run by an unprivileged user when the tests run as root (initdb refuses root). A missing binary fails the
# tests: nothing is skipped.

pg_bin() {
  local tool=$1 dir
  if command -v "$tool" >/dev/null 2>&1; then
    command -v "$tool"
    return 0
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/$tool" ]; then
      printf '%s\n' "$dir/$tool"
      return 0
    fi
  done
  echo "PostgreSQL's $tool is required (apt-get install postgresql)" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# as_owner COMMAND...: as root, the unprivileged owner of the cluster; otherwise ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

# pg_start: initdb + start in a fresh directory ($PG_DIR, outside bats' private temp tree so that the
# unprivileged owner can reach it); exports PG_DIR, PGHOST, PGPORT, PGUSER for the clients and pg_stop.
pg_start() {
  local initdb pg_ctl dir port tool
  initdb=$(pg_bin initdb) || return 1
  pg_ctl=$(pg_bin pg_ctl) || return 1
  for tool in psql pg_dump pg_restore; do pg_bin "$tool" >/dev/null || return 1; done
  dir=$(mktemp -d "${TMPDIR:-/tmp}/names-pg.XXXXXX")
  export PG_DIR=$dir
  chmod 0755 "$dir"
  [ "$(id -u)" -ne 0 ] || chown nobody "$dir"
  as_owner "$initdb" --pgdata="$dir/data" --username=postgres --auth=trust --no-sync >/dev/null
  port=$(free_port)
  as_owner "$pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
}

pg_stop() {
  local pg_ctl dir=${PG_DIR:-}
  [ -n "$dir" ] || return 0
  if pg_ctl=$(pg_bin pg_ctl) && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --silent stop || true
  fi
  rm -rf "$dir"
}

# sql DB STATEMENT...: runs statements, prints unaligned rows.
sql() {
  local db=$1
  shift
  psql -X -q -t -A -v ON_ERROR_STOP=1 --dbname="$db" -c "$*"
}

# fake_kubectl_for_postgres: kubectl as a recording fake that answers the pod's readiness and runs
# `exec ... -- COMMAND` here, against the test server, with the pod's Secret variables set
# (POSTGRES_USER=postgres, POSTGRES_DB=$APP_DB, no password: the test cluster trusts local connections).
# shellcheck disable=SC2016 # the fake's body is expanded when it runs
fake_kubectl_for_postgres() {
  fake kubectl '
case "$*" in
  "config view --minify -o jsonpath={.clusters[0].cluster.server}") echo "${FAKE_SERVER-https://192.168.56.10:6443}"; exit 0 ;;
  *"get --raw=/readyz"*) [ -z "${FAKE_NO_CLUSTER:-}" ] || { echo "connection refused" >&2; exit 1; }; echo ok; exit 0 ;;
  *"get pod postgres-0"*) printf "%s" "${FAKE_POD_READY-True}"; exit 0 ;;
  *"rollout "*) exit "${FAKE_ROLLOUT_STATUS:-0}" ;;
esac
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
[ $# -gt 0 ] || { echo "fake kubectl: unexpected call" >&2; exit 99; }
shift
[ -z "${FAKE_EXEC_FAIL:-}" ] || { echo "error: unable to upgrade connection" >&2; exit 1; }
exec env POSTGRES_USER=postgres POSTGRES_DB="$APP_DB" POSTGRES_PASSWORD= "$@"'
}
