#!/usr/bin/env bash
# Backs up one environment's database to a file on this machine: pg_dump runs inside the StatefulSet's pod
# (postgres-0, the server's own pg_dump, so never older than the server) and streams the dump here. The prod
# CronJob keeps nightly dumps on a volume of the same node; this copy is the one that survives losing the node.
#
# Usage: scripts/backup.sh [options] <dev|prod>
#   --output FILE      where to write (default backups/<env>-<UTC time>.dump, or .sql; backups/ is git-ignored)
#   --format FORMAT    custom (default: pg_restore's format, like the CronJob's) or sql (plain SQL, for psql)
#   --context NAME     kubectl context; without it the current context must be the Vagrant cluster
#
# The dump is written to FILE.partial and renamed only when pg_dump succeeded, mode 0600 (it holds the data).
# It has no owners or grants (--no-owner --no-privileges), so it restores under any role: scripts/restore.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/cluster.sh
. "$ROOT/scripts/lib/cluster.sh"

output=""
format=custom
context=""
env=""

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --output | --format | --context)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      case "$1" in
        --output) output=$2 ;;
        --format) format=$2 ;;
        --context) context=$2 ;;
      esac
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/backup.sh --help)" ;;
    *) env=$(take_env "$env" "$1") ;;
  esac
  shift
done
[ -n "$env" ] || die "which environment? usage: scripts/backup.sh [options] <dev|prod>"
case "$format" in
  custom) extension=dump letter=c ;;
  sql) extension=sql letter=p ;;
  *) die "unknown format '$format' (expected custom or sql)" ;;
esac
namespace=$(env_namespace "$env")
if [ -z "$output" ]; then
  output="$ROOT/backups/$env-$(date -u +%Y%m%dT%H%M%SZ).$extension"
fi
[ ! -e "$output" ] || die "$output already exists: choose another --output"
mkdir -p "$(dirname "$output")"

kube_setup "$ROOT" "$context"
require_cluster
ready=$(kube -n "$namespace" get pod postgres-0 -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) ||
  die "no pod postgres-0 in $namespace: is the environment deployed? (kubectl -n $namespace get statefulset postgres)"
[ "$ready" = True ] || die "postgres-0 in $namespace is not Ready: see kubectl -n $namespace describe pod postgres-0"

# Runs in the pod, where the Secret's variables are set. $1: pg_dump's format letter.
# shellcheck disable=SC2016 # expanded in the pod
dump_script='set -eu
export PGPASSWORD="${POSTGRES_PASSWORD:-}"
exec pg_dump --username="$POSTGRES_USER" --dbname="$POSTGRES_DB" --no-owner --no-privileges --format="$1"'

partial="$output.partial"
trap 'rm -f "$partial"' EXIT
umask 077
log "Dumping the database of $namespace (postgres-0) to $output"
kube -n "$namespace" exec postgres-0 -c postgres -- sh -c "$dump_script" pg-dump "$letter" >"$partial" ||
  die "pg_dump in postgres-0 failed: no backup was written"
[ -s "$partial" ] || die "pg_dump wrote nothing: no backup was written"
case "$format" in
  custom) [ "$(head -c 5 "$partial")" = PGDMP ] || die "the dump does not start like a pg_dump archive: no backup was written" ;;
  sql) tail -n 5 "$partial" | grep -q 'PostgreSQL database dump complete' || die "the SQL dump is incomplete: no backup was written" ;;
esac
mv "$partial" "$output"
trap - EXIT
log "Backup written: $output ($(wc -c <"$output" | tr -d ' ') bytes, $format format)"
log "Restore with: scripts/restore.sh $env $output"
printf '%s\n' "$output"
