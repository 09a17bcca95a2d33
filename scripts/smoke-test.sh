#!/usr/bin/env bash
# What to check after a deploy: the health endpoints through the frontend, then a name added, listed, read and
# deleted again, so the run leaves nothing behind. One line per check, a summary last; exit 0 when all pass.
#
# Usage: scripts/smoke-test.sh [options] [URL]
#   URL                   the frontend (default http://192.168.56.10:30080, names-dev on the Vagrant VM);
#                         the local stack: scripts/smoke-test.sh http://localhost:8080
#   --timeout SECONDS     limit for each request (default 10)
#   --resolve HOST:PORT:ADDRESS
#                         send HOST's requests to ADDRESS (curl --resolve), e.g. prod's Ingress without a hosts
#                         entry: scripts/smoke-test.sh --resolve names.local:80:192.168.56.10 http://names.local
#
# Checks: GET /healthz (frontend alive), GET /api/health and /api/health/db (backend and database, through the
# /api proxy), POST /api/names, GET /api/names?after=...&limit=1 (the new name is listed), GET /api/names/{id},
# DELETE /api/names/{id}, GET /api/names/{id} is 404 afterwards. If the script stops half-way it still deletes
# the name it added. Needs: curl.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

url=http://192.168.56.10:30080
timeout=10
curl_extra=()

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

url_given=false
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout | --resolve)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      case "$1" in
        --timeout)
          [[ $2 =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a whole number of seconds, not '$2'"
          timeout=$2
          ;;
        --resolve) curl_extra+=(--resolve "$2") ;;
      esac
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/smoke-test.sh --help)" ;;
    *)
      $url_given && die "one URL only (see scripts/smoke-test.sh --help)"
      url=$1
      url_given=true
      ;;
  esac
  shift
done
url=${url%/}
[[ $url =~ ^https?://[^/[:space:]]+$ ]] || die "invalid URL '$url' (expected http://host[:port], no path)"
require_cmd curl

passed=0
failed=0
body_file=$(mktemp)
created_id=""

cleanup() {
  # A name added by a run that stopped half-way is deleted, so the smoke test never leaves data behind.
  if [ -n "$created_id" ]; then
    curl -s -o /dev/null --max-time "$timeout" "${curl_extra[@]}" -X DELETE "$url/api/names/$created_id" || true
  fi
  rm -f "$body_file"
}
trap cleanup EXIT

# request METHOD PATH [BODY]: sets $code (000 when no HTTP answer), $body and $millis.
request() {
  local method=$1 path=$2 data=${3-} start args
  args=(-s -o "$body_file" -w '%{http_code}' --max-time "$timeout" "${curl_extra[@]}" -X "$method")
  if [ -n "$data" ]; then args+=(-H 'Content-Type: application/json' --data-binary "$data"); fi
  start=$(now_ms)
  code=$(curl "${args[@]}" "$url$path" 2>/dev/null) || true
  millis=$(($(now_ms) - start))
  [[ $code =~ ^[0-9]{3}$ ]] || code=000
  body=$(cat "$body_file" 2>/dev/null || true)
  : >"$body_file"
}

# check NAME EXPECTED_CODE BODY_PATTERN METHOD PATH [DATA]: one request, one PASS/FAIL line.
check() {
  local name=$1 expected=$2 pattern=$3 method=$4 path=$5 data=${6-} problem=""
  request "$method" "$path" "$data"
  if [ "$code" = 000 ]; then
    problem="no answer from $url within ${timeout}s"
  elif [ "$code" != "$expected" ]; then
    problem="expected $expected, got $code: ${body:0:200}"
  elif [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$body"; then
    problem="unexpected body: ${body:0:200}"
  fi
  if [ -z "$problem" ]; then
    printf 'PASS  %-10s %s %s -> %s (%d ms)\n' "$name" "$method" "$path" "$code" "$millis"
    passed=$((passed + 1))
    return 0
  fi
  printf 'FAIL  %-10s %s %s: %s\n' "$name" "$method" "$path" "$problem"
  failed=$((failed + 1))
  return 1
}

skip() {
  printf 'FAIL  %-10s not run: %s\n' "$1" "$2"
  failed=$((failed + 1))
}

echo "Smoke test of $url"
check healthz 200 '"status": ?"ok"' GET /healthz || true
check api 200 '"status": ?"healthy"' GET /api/health || true
check database 200 '"database": ?"connected"' GET /api/health/db || true

marker="smoke-test $(date -u +%Y%m%dT%H%M%SZ) $$"
if check add 201 '"id": ?[0-9]+' POST /api/names "{\"name\":\"$marker\"}"; then
  created_id=$(sed -nE 's/.*"id": ?([0-9]+).*/\1/p' <<<"$body")
  check list 200 "\"id\": ?${created_id}[,}]" GET "/api/names?after=$((created_id - 1))&limit=1" || true
  check read 200 "\"name\": ?\"$marker\"" GET "/api/names/$created_id" || true
  if check delete 204 '' DELETE "/api/names/$created_id"; then created_id_deleted=$created_id; created_id=""; fi
  if [ -n "${created_id_deleted:-}" ]; then
    check gone 404 '"error"' GET "/api/names/$created_id_deleted" || true
  else
    skip gone "the delete failed"
  fi
else
  for name in list read delete gone; do skip "$name" "the add failed"; done
fi

echo "smoke test: $passed passed, $failed failed ($url)"
[ "$failed" -eq 0 ]
