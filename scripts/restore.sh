#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh (or any pg_dump: custom format or plain SQL, e.g. the original
# app's database) into one environment's PostgreSQL, inside the StatefulSet's pod postgres-0.
#
# Usage: scripts/restore.sh [options] <dev|prod> FILE
#   --database NAME    the database to restore into (default: the app's, POSTGRES_DB of db-credentials);
#                      created when missing, so --database names_restore restores beside the live data
#   --clean            replace what the database already holds (without it, a database with tables is refused)
#   --yes              do not ask (needed without a terminal)
#   --context NAME     kubectl context; without it the current context must be the Vagrant cluster
#
# The restore runs in one transaction (pg_restore --single-transaction, psql --single-transaction with
# ON_ERROR_STOP): it applies completely or not at all, and a database it created is dropped again on failure.
# After restoring into the app's own database the backend is restarted (kubectl rollout restart), so no pooled
# connection keeps plans of the replaced tables.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/cluster.sh
. "$ROOT/scripts/lib/cluster.sh"

database=""
clean=false
yes=false
context=""
args=()

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --database | --context)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      case "$1" in
        --database) database=$2 ;;
        --context) context=$2 ;;
      esac
      shift
      ;;
    --clean) clean=true ;;
    --yes) yes=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/restore.sh --help)" ;;
    *) args+=("$1") ;;
  esac
  shift
done
[ "${#args[@]}" -eq 2 ] || die "usage: scripts/restore.sh [options] <dev|prod> FILE"
env=${args[0]}
file=${args[1]}
valid_env "$env" || die "unknown environment '$env' (expected dev or prod)"
# A plain identifier: it is put into SQL, so nothing that needs quoting is accepted.
if [ -n "$database" ] && ! [[ $database =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
  die "invalid database name '$database' (lower-case letters, digits and _, not starting with a digit)"
fi
if ! [ -f "$file" ] || ! [ -r "$file" ]; then die "cannot read $file"; fi
[ -s "$file" ] || die "$file is empty"
if [ "$(head -c 5 "$file")" = PGDMP ]; then
  format=custom
elif [ -n "$(head -c 65536 "$file" | LC_ALL=C tr -d '\11\12\15\40-\176\200-\377' | head -c 1 | od -An -c)" ]; then
  # Control bytes other than tab and line ends: binary, not SQL (UTF-8 text passes).
  die "$file is neither a pg_dump archive nor plain SQL"
else
  format=sql
fi
namespace=$(env_namespace "$env")

kube_setup "$ROOT" "$context"
require_cluster
ready=$(kube -n "$namespace" get pod postgres-0 -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) ||
  die "no pod postgres-0 in $namespace: is the environment deployed? (kubectl -n $namespace get statefulset postgres)"
[ "$ready" = True ] || die "postgres-0 in $namespace is not Ready: see kubectl -n $namespace describe pod postgres-0"

# Both scripts run in the pod, where the Secret's variables are set; $1 is the target ("" = the app's database).
# Databases are looked up, created and dropped from the maintenance database "postgres" (always there, even
# when the app's database is the one that was lost).
# shellcheck disable=SC2016 # expanded in the pod
common='set -eu
export PGPASSWORD="${POSTGRES_PASSWORD:-}" PGOPTIONS="-c client_min_messages=warning"
db=${1:-$POSTGRES_DB}
q() { psql -X -q -t -A -v ON_ERROR_STOP=1 --username="$POSTGRES_USER" "$@"; }
exists=$(q --dbname=postgres -c "SELECT count(*) FROM pg_database WHERE datname = '"'"'$db'"'"'")'
# shellcheck disable=SC2016
inspect_script="$common"'
tables=0
if [ "$exists" = 1 ]; then
  tables=$(q --dbname="$db" -c "SELECT count(*) FROM pg_tables WHERE schemaname = '"'"'public'"'"'")
fi
echo "$db $exists $tables"'
# shellcheck disable=SC2016
restore_script="$common"'
format=$2 clean=$3 created=false
if [ "$exists" != 1 ]; then
  q --dbname=postgres -c "CREATE DATABASE \"$db\""
  created=true
fi
status=0
if [ "$format" = custom ]; then
  if [ "$clean" = true ]; then set -- --clean --if-exists; else set --; fi
  pg_restore --username="$POSTGRES_USER" --dbname="$db" --no-owner --no-privileges --exit-on-error \
    --single-transaction "$@" || status=$?
else
  { if [ "$clean" = true ]; then printf "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"; fi; cat; } |
    q --dbname="$db" --single-transaction -f - >/dev/null || status=$?
fi
if [ "$status" -ne 0 ]; then
  if [ "$created" = true ]; then q --dbname=postgres -c "DROP DATABASE \"$db\"" || true; fi
  echo "restore failed (exit $status): $db is as it was" >&2
  exit "$status"
fi
rows=$(q --dbname="$db" -c "SELECT count(*) FROM names" 2>/dev/null) || rows="no names table"
echo "restored into $db: names rows: $rows"'

read -r target exists tables < <(kube -n "$namespace" exec postgres-0 -c postgres -- \
  sh -c "$inspect_script" inspect "$database") || die "cannot inspect the databases in postgres-0"
[ -n "${tables:-}" ] || die "cannot inspect the databases in postgres-0"
app_database=false
[ -n "$database" ] || app_database=true

if [ "$exists" = 1 ] && [ "$tables" -gt 0 ] && ! $clean; then
  die "database $target in $namespace already has $tables tables: --clean replaces them (back up first: scripts/backup.sh $env), or --database NEW restores beside them"
fi
if [ "$exists" = 1 ]; then what="into the existing database $target"; else what="into a new database $target"; fi
if $clean && [ "$tables" -gt 0 ]; then what="$what, replacing its $tables tables"; fi
log "Restore $file ($format format) $what, in $namespace"
confirm "Restore into $target in $namespace?" "$env" "$yes"

kube -n "$namespace" exec -i postgres-0 -c postgres -- \
  sh -c "$restore_script" restore "$target" "$format" "$clean" <"$file" >&2 ||
  die "the restore failed and was rolled back: $target is as it was"

if $app_database; then
  log "Restarting the backend so that it reconnects to the restored tables"
  kube -n "$namespace" rollout restart deployment/backend >&2 || die "restored, but the backend restart failed: kubectl -n $namespace rollout restart deployment/backend"
  kube -n "$namespace" rollout status deployment/backend --timeout=180s >&2 ||
    die "restored, but the backend did not become ready: kubectl -n $namespace get pods"
fi
log "Done. Check it: scripts/smoke-test.sh"
