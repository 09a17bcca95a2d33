#!/usr/bin/env bash
# The cluster acceptance of one environment, timed against the original plan's targets, with a results table:
#   rollout      every workload rolled out (the StatefulSet too), all pods Ready; slowest pod start < 90 s
#   pvc          the database volume Bound
#   recovery     a deleted backend pod replaced by a new Ready one that serves, < 30 s
#   rolling      a rolling restart of backend and frontend under a request loop: 0 failed requests, < 60 s
#   data         a name written before the database pod is deleted is still there after it is back
#   smoke        scripts/smoke-test.sh
#   hpa          (prod) both HorizontalPodAutoscalers present and reporting CPU metrics
# Read-only apart from what it deletes to test recovery (two pods) and the rolling restart; it adds one name and
# deletes it again. When rollout or pvc fail, the disruptive checks are not run.
#
# Usage: scripts/verify-cluster.sh [options] <dev|prod>
#   --context NAME     kubectl context; without it the current context must be the Vagrant cluster
#   --url URL          the frontend (default dev: http://192.168.56.10:30080; prod: http://names.local, sent to
#                      192.168.56.10 with curl --resolve, so no hosts entry is needed)
#   --resolve HOST:PORT:ADDRESS   as curl --resolve (prod's default is names.local:80:192.168.56.10)
#
# Exit status 0 when every check passed. Needs kubectl, curl, GNU date.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/cluster.sh
. "$ROOT/scripts/lib/cluster.sh"

context=""
url=""
resolve=()
env=""
# Hard limits (seconds) for waiting; the targets are what the table judges.
LIMIT=${VERIFY_LIMIT:-180}
POLL=${VERIFY_POLL:-1}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --context | --url | --resolve)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      case "$1" in
        --context) context=$2 ;;
        --url) url=${2%/} ;;
        --resolve) resolve=(--resolve "$2") ;;
      esac
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/verify-cluster.sh --help)" ;;
    *) env=$(take_env "$env" "$1") ;;
  esac
  shift
done
[ -n "$env" ] || die "which environment? usage: scripts/verify-cluster.sh [options] <dev|prod>"
if [ -z "$url" ]; then
  case "$env" in
    dev) url=http://192.168.56.10:30080 ;;
    prod)
      url=http://names.local
      [ "${#resolve[@]}" -gt 0 ] || resolve=(--resolve names.local:80:192.168.56.10)
      ;;
  esac
fi
namespace=$(env_namespace "$env")
require_cmd curl date
kube_setup "$ROOT" "$context"
require_cluster
kube get namespace "$namespace" -o name >/dev/null 2>&1 ||
  die "namespace $namespace does not exist: is the environment deployed? (kubectl -n argocd get application names-$env)"

work=$(mktemp -d)
loop_pid=""
cleanup() {
  if [ -n "$loop_pid" ]; then kill "$loop_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
within() { awk -v m="$1" -v t="$2" 'BEGIN { exit !(m <= t) }'; }

rows=()
failures=0
# record CHECK TARGET MEASURED RESULT DETAIL
record() {
  rows+=("$(printf '%-13s %-11s %-10s %-8s %s' "$1" "$2" "$3" "$4" "$5")")
  [ "$4" = PASS ] || failures=$((failures + 1))
  printf '%s %s: %s %s\n' "$4" "$1" "$3" "$5" >&2
}

# http METHOD PATH [DATA]: prints the status code (000 when there is no answer); the body goes to $work/body
# (empty when nothing answered: curl writes no file then).
http() {
  local args=(-s -o "$work/body" -w '%{http_code}' --max-time 5 "${resolve[@]}" -X "$1")
  : >"$work/body"
  if [ -n "${3-}" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$3"); fi
  curl "${args[@]}" "$url$2" 2>/dev/null || true
}

# ready_pods COMPONENT: "name True|False" per pod.
ready_pods() {
  kube -n "$namespace" get pods -l "app.kubernetes.io/component=$1" \
    -o 'jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
}

log "Verifying $env ($namespace) through $url"

# 1. Rollout and readiness.
start=$(now_ms)
ok=true
detail=""
for workload in statefulset/postgres deployment/backend deployment/frontend; do
  if ! kube -n "$namespace" rollout status "$workload" "--timeout=${LIMIT}s" >/dev/null 2>&1; then
    ok=false
    detail="$workload did not roll out within ${LIMIT}s"
    break
  fi
done
if $ok && ! kube -n "$namespace" wait --for=condition=Ready pod \
  -l 'app.kubernetes.io/component in (database,backend,frontend)' "--timeout=${LIMIT}s" >/dev/null 2>&1; then
  ok=false
  detail="pods not Ready within ${LIMIT}s"
fi
slowest=""
if $ok; then
  # Each pod's start: creation to its Ready condition; the slowest one is judged.
  while read -r name created ready_at; do
    [ -n "$ready_at" ] || continue
    secs=$(($(epoch_seconds "$ready_at") - $(epoch_seconds "$created")))
    if [ -z "$slowest" ] || [ "$secs" -gt "${slowest%% *}" ]; then slowest="$secs $name"; fi
  done < <(kube -n "$namespace" get pods -l 'app.kubernetes.io/component in (database,backend,frontend)' \
    -o 'jsonpath={range .items[*]}{.metadata.name} {.metadata.creationTimestamp} {.status.conditions[?(@.type=="Ready")].lastTransitionTime}{"\n"}{end}')
fi
if ! $ok; then
  record rollout "< 90 s" "$(seconds_since "$start") s" FAIL "$detail"
elif [ -z "$slowest" ]; then
  record rollout "< 90 s" "-" FAIL "no pod start times to measure"
elif [ "${slowest%% *}" -le 90 ]; then
  record rollout "< 90 s" "${slowest%% *} s" PASS "slowest pod start (created to Ready): ${slowest#* }"
else
  record rollout "< 90 s" "${slowest%% *} s" FAIL "slowest pod start (created to Ready): ${slowest#* }"
fi
rollout_ok=$ok

# 2. The database volume.
phase=$(kube -n "$namespace" get pvc postgres-storage-postgres-0 -o 'jsonpath={.status.phase}' 2>/dev/null) || phase=missing
if [ "$phase" = Bound ]; then record pvc Bound Bound PASS "postgres-storage-postgres-0"; else
  record pvc Bound "${phase:-?}" FAIL "postgres-storage-postgres-0 (kubectl -n $namespace describe pvc)"
fi

if ! $rollout_ok || [ "$phase" != Bound ]; then
  for check in recovery rolling data smoke; do record "$check" - - "NOT RUN" "the environment is not healthy"; done
else
  # 3. A deleted backend pod is replaced and the app serves again.
  before=$(ready_pods backend | cut -d' ' -f1)
  victim=$(head -n 1 <<<"$before")
  start=$(now_ms)
  replaced=""
  serving=false
  if [ -n "$victim" ] && kube -n "$namespace" delete pod "$victim" --wait=false >/dev/null; then
    deadline=$(($(date +%s) + LIMIT))
    while [ "$(date +%s)" -lt "$deadline" ]; do
      while read -r name status; do
        if [ "$status" = True ] && ! grep -qxF "$name" <<<"$before"; then replaced=$name; fi
      done < <(ready_pods backend)
      if [ -n "$replaced" ] && [ "$(http GET /api/health)" = 200 ]; then
        serving=true
        break
      fi
      sleep "$POLL"
    done
  fi
  took=$(seconds_since "$start")
  if [ -z "$victim" ]; then
    record recovery "< 30 s" - FAIL "no backend pod to delete"
  elif [ -z "$replaced" ]; then
    record recovery "< 30 s" "$took s" FAIL "no new Ready backend pod serving within ${LIMIT}s after deleting $victim"
  elif ! $serving; then
    record recovery "< 30 s" "$took s" FAIL "$victim replaced by $replaced, but $url/api/health never answered 200 within ${LIMIT}s"
  elif within "$took" 30; then
    record recovery "< 30 s" "$took s" PASS "$victim replaced by $replaced, /api/health 200"
  else
    record recovery "< 30 s" "$took s" FAIL "$victim replaced by $replaced, too slowly"
  fi

  # 4. A rolling restart under a bounded request loop.
  (
    n=0
    while [ ! -e "$work/stop" ] && [ "$n" -lt 5000 ]; do
      http GET '/api/names?limit=1' >>"$work/codes"
      echo >>"$work/codes"
      n=$((n + 1))
      sleep 0.1
    done
  ) &
  loop_pid=$!
  # The loop is answering before the restart begins (or the check fails on "0 requests").
  for _ in $(seq 50); do
    [ -s "$work/codes" ] && break
    sleep 0.1
  done
  start=$(now_ms)
  ok=true
  kube -n "$namespace" rollout restart deployment/backend deployment/frontend >/dev/null || ok=false
  for workload in deployment/backend deployment/frontend; do
    $ok || break
    kube -n "$namespace" rollout status "$workload" "--timeout=${LIMIT}s" >/dev/null 2>&1 || ok=false
  done
  took=$(seconds_since "$start")
  sleep "$POLL"
  touch "$work/stop"
  wait "$loop_pid" || true
  loop_pid=""
  total=$(grep -c . "$work/codes" || true)
  failed=$(grep -vc '^200$' "$work/codes" || true)
  summary="$total requests, $failed failed"
  if [ "$failed" -gt 0 ]; then summary="$summary ($(grep -v '^200$' "$work/codes" | sort | uniq -c | awk '{printf "%s%sx %s", sep, $1, $2; sep=", "}'))"; fi
  if ! $ok; then
    record rolling "< 60 s, 0" "$took s" FAIL "the restart did not complete within ${LIMIT}s; $summary"
  elif [ "$total" -eq 0 ] || [ "$failed" -gt 0 ] || ! within "$took" 60; then
    record rolling "< 60 s, 0" "$took s" FAIL "$summary"
  else
    record rolling "< 60 s, 0" "$took s" PASS "$summary"
  fi

  # 5. Data survives the database pod.
  marker="verify-cluster $(date -u +%Y%m%dT%H%M%SZ)"
  code=$(http POST /api/names "{\"name\":\"$marker\"}")
  id=$(sed -nE 's/.*"id": ?([0-9]+).*/\1/p' "$work/body")
  if [ "$code" != 201 ] || [ -z "$id" ]; then
    record data - - FAIL "could not add a name before deleting postgres-0 (HTTP $code)"
  else
    start=$(now_ms)
    back=false
    if kube -n "$namespace" delete pod postgres-0 --wait=true "--timeout=${LIMIT}s" >/dev/null; then
      deadline=$(($(date +%s) + LIMIT))
      while [ "$(date +%s)" -lt "$deadline" ]; do
        if [ "$(http GET /api/health/db)" = 200 ]; then
          back=true
          break
        fi
        sleep "$POLL"
      done
    fi
    took=$(seconds_since "$start")
    if ! $back; then
      record data - "$took s" FAIL "the database did not come back within ${LIMIT}s after deleting postgres-0"
    elif [ "$(http GET "/api/names/$id")" = 200 ] && grep -qF "$marker" "$work/body"; then
      record data - "$took s" PASS "name $id still there; database back after $took s"
    else
      record data - "$took s" FAIL "name $id is gone after the database pod was replaced"
    fi
    http DELETE "/api/names/$id" >/dev/null
  fi

  # 6. The smoke test.
  if "$ROOT/scripts/smoke-test.sh" "${resolve[@]}" "$url" >"$work/smoke" 2>&1; then
    record smoke - - PASS "$(tail -n 1 "$work/smoke")"
  else
    sed 's/^/    /' "$work/smoke" >&2
    record smoke - - FAIL "$(tail -n 1 "$work/smoke")"
  fi
fi

# 7. prod: the autoscalers and their metrics.
if [ "$env" = prod ]; then
  for hpa in backend frontend; do
    cpu=$(kube -n "$namespace" get hpa "$hpa" \
      -o 'jsonpath={.status.currentMetrics[?(@.type=="Resource")].resource.current.averageUtilization}' 2>/dev/null) || cpu=missing
    if [ "$cpu" = missing ]; then record "hpa/$hpa" metrics - FAIL "no HorizontalPodAutoscaler $hpa"
    elif [ -z "$cpu" ]; then record "hpa/$hpa" metrics - FAIL "no CPU metrics yet (metrics-server: kubectl top pods -n $namespace)"
    else record "hpa/$hpa" metrics "cpu $cpu%" PASS "reporting"; fi
  done
fi

echo
printf '%-13s %-11s %-10s %-8s %s\n' check target measured result detail
printf '%s\n' "${rows[@]}"
echo
if [ "$failures" -eq 0 ]; then
  echo "verify-cluster $env: all ${#rows[@]} checks passed"
else
  echo "verify-cluster $env: $failures of ${#rows[@]} checks did not pass"
  exit 1
fi
