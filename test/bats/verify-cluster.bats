#!/usr/bin/env bats
# scripts/verify-cluster.sh with kubectl and curl as fakes (there is no cluster here): the checks it runs and in
# which order, its results table, and that an unhealthy environment fails without being disrupted further.
# The fake curl is a tiny in-memory names API so that the data check and the smoke test run their real logic.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  STATE="$BATS_TEST_TMPDIR/state"
  mkdir -p "$STATE"
  export STATE VERIFY_POLL=0 VERIFY_LIMIT=3
  fake kubectl '
case "$*" in
  "config view --minify -o jsonpath={.clusters[0].cluster.server}") echo "${FAKE_SERVER-https://192.168.56.10:6443}" ;;
  *"get --raw=/readyz"*) [ -z "${FAKE_NO_CLUSTER:-}" ] || { echo "connection refused" >&2; exit 1; } ;;
  *"rollout status ${FAKE_ROLLOUT_FAIL:-none} "*) echo "timed out" >&2; exit 1 ;;
  *"-l app.kubernetes.io/component=backend"*)
    echo "backend-old1 True"
    if [ -e "$STATE/backend-deleted" ] && [ -z "${FAKE_NO_REPLACEMENT:-}" ]; then echo "backend-new1 True"; fi ;;
  *"metadata.creationTimestamp"*)
    echo "postgres-0 2026-11-23T10:00:00Z 2026-11-23T10:00:21Z"
    echo "backend-old1 2026-11-23T10:00:00Z 2026-11-23T10:00:${FAKE_BACKEND_READY_AFTER:-38}Z" ;;
  *"get pvc postgres-storage-postgres-0"*) printf "%s" "${FAKE_PVC_PHASE-Bound}" ;;
  *"delete pod backend-"*) touch "$STATE/backend-deleted" ;;
  *"delete pod postgres-0"*) touch "$STATE/db-restarted" ;;
  *"get hpa"*) printf "%s" "${FAKE_HPA_CPU-12}" ;;
esac
exit 0'
  # curl: answers the names API from files in $STATE; FAKE_CURL_FAIL_AFTER_RESTART=1 fails list requests
  # while a rolling restart is under way.
  fake curl '
out=/dev/null method=GET data="" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift ;; -X) method=$2; shift ;; --data-binary) data=$2; shift ;;
    -w | --max-time | -H | --resolve) shift ;; -*) ;; *) url=$1 ;;
  esac
  shift
done
path=/${url#*://*/}
reply() { printf "%s" "$2" >"$out"; printf "%s" "$1"; exit 0; }
if [ -n "${FAKE_CURL_FAIL_AFTER_RESTART:-}" ] && [ -e "$STATE/restarting" ] && [[ $path == "/api/names?limit=1" ]]; then
  reply 502 "{\"error\":\"Bad gateway\"}"
fi
case "$method $path" in
  "GET /healthz") reply 200 "{\"status\":\"ok\"}" ;;
  "GET /api/health") reply 200 "{\"status\":\"healthy\"}" ;;
  "GET /api/health/db") reply 200 "{\"status\":\"healthy\",\"database\":\"connected\"}" ;;
  "GET /api/names?limit=1") reply 200 "{\"names\":[],\"next\":null}" ;;
  "POST /api/names")
    id=$(( $(cat "$STATE/last-id" 2>/dev/null || echo 6) + 1 )); echo "$id" >"$STATE/last-id"
    name=$(sed -E "s/.*\"name\":\"([^\"]*)\".*/\1/" <<<"$data")
    [ -n "${FAKE_DB_LOSES_DATA:-}" ] || echo "$name" >"$STATE/name-$id"
    reply 201 "{\"id\":$id,\"name\":\"$name\",\"created_at\":\"2026-11-23T10:00:00Z\"}" ;;
  "GET /api/names?after="*)
    id=$(cat "$STATE/last-id"); reply 200 "{\"names\":[{\"id\":$id,\"name\":\"x\"}],\"next\":null}" ;;
  "GET /api/names/"*)
    id=${path##*/}
    if [ -f "$STATE/name-$id" ]; then reply 200 "{\"id\":$id,\"name\":\"$(cat "$STATE/name-$id")\"}"; fi
    reply 404 "{\"error\":\"Name not found\"}" ;;
  "DELETE /api/names/"*) id=${path##*/}; rm -f "$STATE/name-$id"; reply 204 "" ;;
esac
reply 404 "{\"error\":\"Not found\"}"'
}

mutations() { grep -E ' (delete|rollout restart) ' "$CALLS" || true; }

# fresh: the cluster as before a run (no pod deleted yet, no names).
fresh() { rm -f "$STATE"/*; }

@test "dev: every check passes, in order, with a results table" {
  run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"verify-cluster dev: all 6 checks passed"* ]]
  grep -E '^rollout +< 90 s +38 s +PASS +slowest pod start \(created to Ready\): backend-old1' <<<"$output"
  grep -E '^recovery +< 30 s +[0-9.]+ s +PASS +backend-old1 replaced by backend-new1' <<<"$output"
  grep -E '^rolling +< 60 s, 0 +[0-9.]+ s +PASS +[1-9][0-9]* requests, 0 failed' <<<"$output"
  grep -E '^data .* PASS +name 7 still there' <<<"$output"
  grep -E '^smoke .* PASS +smoke test: 8 passed, 0 failed' <<<"$output"
  expected='kubectl -n names-dev delete pod backend-old1 --wait=false
kubectl -n names-dev rollout restart deployment/backend deployment/frontend
kubectl -n names-dev delete pod postgres-0 --wait=true --timeout=3s'
  [ "$(mutations)" = "$expected" ]
  grep -qx 'kubectl -n names-dev rollout status statefulset/postgres --timeout=3s' "$CALLS"
  grep -qx "kubectl -n names-dev wait --for=condition=Ready pod -l app.kubernetes.io/component in (database,backend,frontend) --timeout=3s" "$CALLS"
  # The marker name was deleted again.
  refute compgen -G "$STATE/name-*"
}

@test "with BSD's date (no -d, no %N), as on macOS, the checks and their times are the same" {
  fake date 'for a in "$@"; do case "$a" in -d | --date*) echo "date: illegal option -- d" >&2; exit 1 ;; esac; done
args=(); for a in "$@"; do a=${a//%3N/3N}; args+=("${a//%N/N}"); done
exec /bin/date "${args[@]}"'
  run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  echo "$output"
  [ "$status" -eq 0 ]
  grep -E '^rollout +< 90 s +38 s +PASS +slowest pod start \(created to Ready\): backend-old1' <<<"$output"
  grep -E '^recovery +< 30 s +[0-9.]+ s +PASS' <<<"$output"
  refute grep -q 'illegal option' <<<"$output"
}

@test "prod: the Ingress through --resolve, and the autoscalers' metrics" {
  run "$REPO_ROOT/scripts/verify-cluster.sh" prod
  [ "$status" -eq 0 ]
  grep -q -- '--resolve names.local:80:192.168.56.10' "$CALLS"
  grep -q 'http://names.local/api/health' "$CALLS"
  grep -E '^hpa/backend +metrics +cpu 12% +PASS' <<<"$output"
  fresh
  FAKE_HPA_CPU="" run "$REPO_ROOT/scripts/verify-cluster.sh" prod
  [ "$status" -eq 1 ]
  grep -E '^hpa/frontend +metrics +- +FAIL +no CPU metrics yet' <<<"$output"
  [[ $output == *"2 of 8 checks did not pass"* ]]
}

@test "a workload that does not roll out: FAIL, and nothing is deleted or restarted" {
  FAKE_ROLLOUT_FAIL=deployment/backend run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  grep -E '^rollout .* FAIL +deployment/backend did not roll out within 3s' <<<"$output"
  grep -E '^recovery +- +- +NOT RUN' <<<"$output"
  [ -z "$(mutations)" ]
  fresh
  FAKE_PVC_PHASE=Pending run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  grep -E '^pvc +Bound +Pending +FAIL' <<<"$output"
  [ -z "$(mutations)" ]
}

@test "slow pods, no replacement, failed requests during the restart, lost data: each is a FAIL" {
  FAKE_BACKEND_READY_AFTER=59 run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 0 ]
  grep -E '^rollout +< 90 s +59 s +PASS' <<<"$output"

  fresh
  FAKE_NO_REPLACEMENT=1 run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  grep -E '^recovery .* FAIL +no new Ready backend pod serving within 3s after deleting backend-old1' <<<"$output"

  fresh
  touch "$STATE/restarting"
  FAKE_CURL_FAIL_AFTER_RESTART=1 run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  grep -E '^rolling .* FAIL +[0-9]+ requests, [1-9][0-9]* failed \([0-9]+x 502\)' <<<"$output"
  rm "$STATE/restarting"

  fresh
  FAKE_DB_LOSES_DATA=1 run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  grep -E '^data .* FAIL +name [0-9]+ is gone' <<<"$output"
}

@test "no cluster, a foreign context, a missing namespace, usage: refused before anything runs" {
  FAKE_NO_CLUSTER=1 run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"cannot reach the Kubernetes API: is the VM up?"* ]]
  FAKE_SERVER=https://eks.example:443 run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"not the Vagrant cluster"* ]]
  [ -z "$(mutations)" ]
  fake kubectl 'case "$*" in *"get namespace"*) echo "NotFound" >&2; exit 1 ;; esac; echo https://192.168.56.10:6443'
  run "$REPO_ROOT/scripts/verify-cluster.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"namespace names-dev does not exist"* ]]
  run "$REPO_ROOT/scripts/verify-cluster.sh"
  [[ $output == *"which environment?"* ]]
  run "$REPO_ROOT/scripts/verify-cluster.sh" --help
  [ "$status" -eq 0 ]
  [[ $output == *"Usage: scripts/verify-cluster.sh"* ]]
}
