#!/usr/bin/env bash
# Benchmarks Names Manager on this machine (Linux only: it reads /proc and pins cores with taskset), everything on
# 127.0.0.1, every load bounded in time and requests:
#   db       the backend's GET /api/names (first page) and POST /api/names against pgbench running the same SQL
#            with the same number of connections on the same PostgreSQL (ratio API/pgbench, p50/p90/p99, errors)
#   proxy    /api/names through the Helidon frontend vs nginx as the original app's reverse proxy (and nginx with
#            upstream keepalive), all to the same backend
#   startup  process start -> readiness 200 (backend, database migrated) and -> /healthz 200 (frontend)
#   soak     mixed load through the frontend for --soak seconds, RSS of both JVMs sampled every 5 s
# The RSS of both JVMs is sampled during db and proxy too. Results: RESULTS_DIR/results.md (+ raw output).
#
# Usage: scripts/benchmark.sh [options]
#   --quick            a fast smoke run: 3 s loads, 1 repeat, 2 starts, 20 s soak
#   --duration S       seconds per load run (default 10)
#   --repeats N        repeats of db and proxy, alternating the order of the compared runs (default 3)
#   --connections L    connection counts, e.g. "16 64" (default)
#   --startup-runs N   starts of each service (default 5)
#   --soak S           soak duration in seconds (default 300; 0 skips it)
#   --only LIST        comma-separated sections to run (default db,proxy,startup,soak)
#   --rows N           rows in the table before the measurements (default 10000)
#   --out DIR          results directory (default target/benchmark/<date>-<time>)
#   --self-test        check this script's parsing and statistics, start nothing
#   -h, --help         this help
# Environment: BACKEND_JAVA_OPTS / FRONTEND_JAVA_OPTS replace the JVM flags (default: the shipped
# JDK_JAVA_OPTIONS, with the container's CPU and memory limits emulated). Needs wrk, pgbench, nginx, curl, ss,
# PostgreSQL server binaries (initdb, pg_ctl) on PATH, a JDK 21+ and the jars:
#   ./mvnw -q -B package -DskipTests -pl apps/backend,apps/frontend -am
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="$ROOT/scripts/benchmark"

# JVM flags as shipped: JDK_JAVA_OPTIONS of base/*/deployment.yaml. A pod's JVM sizes itself from the container's
# limits (backend 500m CPU / 384Mi, frontend 200m / 256Mi); outside a container ActiveProcessorCount and MaxRAM
# give it the same view (1 CPU -> Serial GC, heap = 60 % of the limit).
SHIPPED_FLAGS="-XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError"
BACKEND_JAVA_OPTS="${BACKEND_JAVA_OPTS:--XX:ActiveProcessorCount=1 -XX:MaxRAM=384m $SHIPPED_FLAGS}"
FRONTEND_JAVA_OPTS="${FRONTEND_JAVA_OPTS:--XX:ActiveProcessorCount=1 -XX:MaxRAM=256m $SHIPPED_FLAGS}"

# ---------------------------------------------------------------------------------------------------------------
# Pure helpers (no services): parsing and statistics. Covered by --self-test.

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

# kv_get LINE KEY: the value of KEY in a "BENCH k=v k=v" line.
kv_get() {
  local word
  for word in $1; do
    if [[ $word == "$2="* ]]; then
      printf '%s\n' "${word#*=}"
      return 0
    fi
  done
  return 1
}

# percentiles P...: nearest-rank percentiles of the numbers on stdin (microseconds), printed in ms, one per line.
percentiles() {
  sort -n | awk -v ps="$*" '
    { v[NR] = $1 }
    END {
      n = split(ps, p, " ")
      for (i = 1; i <= n; i++) {
        if (NR == 0) { print "nan"; continue }
        r = p[i] / 100 * NR; k = int(r); if (k < r) k++; if (k < 1) k = 1
        printf "%.3f\n", v[k] / 1000
      }
    }'
}

# pgbench_tps FILE: throughput from pgbench's report (without connection time).
pgbench_tps() {
  awk '/^tps = / { print $3; exit }' "$1"
}

# pgbench_failed FILE: failed transactions from pgbench's report (0 if the line is absent, as before 15).
pgbench_failed() {
  awk '/number of failed transactions:/ { f = $5 } END { print f + 0 }' "$1"
}

# ratio A B: A/B with two decimals ("n/a" when B is 0 or empty).
ratio() {
  awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f\n", a / b }'
}

# median: of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2];
                                      else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# slope: least-squares slope of "x y" lines on stdin, in y units per 60 x units (MiB/min for "seconds MiB").
slope() {
  awk '{ n++; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
       END { d = n * sxx - sx * sx; if (n < 2 || d == 0) print "nan"; else printf "%.2f\n", 60 * (n * sxy - sx * sy) / d }'
}

# fmt DECIMALS NUMBER: NUMBER rounded ("nan" and "n/a" as they are).
fmt() {
  awk -v d="$1" -v x="$2" 'BEGIN { if (x ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) printf "%.*f\n", d, x; else print x }'
}

# mib KIB: kibibytes as mebibytes, one decimal.
mib() {
  awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'
}

# render_template FILE KEY=VALUE...: FILE with every @KEY@ replaced.
render_template() {
  local file=$1 text pair
  shift
  text="$(<"$file")"
  for pair in "$@"; do
    text="${text//@${pair%%=*}@/${pair#*=}}"
  done
  printf '%s\n' "$text"
}

self_test() {
  local failures=0
  check() { # check NAME EXPECTED ACTUAL
    if [[ "$2" == "$3" ]]; then
      echo "ok   $1"
    else
      echo "FAIL $1: expected '$2', got '$3'"
      failures=$((failures + 1))
    fi
  }
  local line="BENCH requests=1200 duration_s=10.001 rps=119.9 p50_ms=1.250 p99_ms=9.875 err_status=0 capped=false"
  check "kv_get rps" "119.9" "$(kv_get "$line" rps)"
  check "kv_get p99" "9.875" "$(kv_get "$line" p99_ms)"
  check "kv_get capped" "false" "$(kv_get "$line" capped)"
  check "kv_get missing" "absent" "$(kv_get "$line" nope || echo absent)"
  check "percentiles 1..100" "50.000 90.000 99.000 100.000" \
    "$(seq 1000 1000 100000 | shuf | percentiles 50 90 99 100 | paste -sd' ')"
  check "percentiles one value" "0.500 0.500" "$(echo 500 | percentiles 50 99 | paste -sd' ')"
  check "percentiles none" "nan" "$(percentiles 50 </dev/null)"
  local report
  report="$(mktemp)"
  cat >"$report" <<'EOF'
transaction type: list.sql
number of clients: 16
number of transactions actually processed: 98765
number of failed transactions: 3 (0.003%)
latency average = 1.618 ms
initial connection time = 12.345 ms
tps = 9876.543210 (without initial connection time)
EOF
  check "pgbench_tps" "9876.543210" "$(pgbench_tps "$report")"
  check "pgbench_failed" "3" "$(pgbench_failed "$report")"
  printf 'tps = 5.0 (without initial connection time)\n' >"$report"
  check "pgbench_failed absent" "0" "$(pgbench_failed "$report")"
  rm -f "$report"
  check "ratio" "0.75" "$(ratio 750 1000)"
  check "ratio by zero" "n/a" "$(ratio 1 0)"
  check "median odd" "2" "$(printf '3\n1\n2\n' | median)"
  check "median even" "2.500" "$(printf '4\n1\n2\n3\n' | median)"
  check "slope flat" "0.00" "$(printf '0 100\n60 100\n120 100\n' | slope)"
  check "slope 1 MiB/min" "1.00" "$(printf '0 100\n60 101\n120 102\n' | slope)"
  check "slope one point" "nan" "$(printf '0 100\n' | slope)"
  check "mib" "128.0" "$(mib 131072)"
  check "fmt" "1235 0.50 nan" "$(fmt 0 1234.5678) $(fmt 2 0.5) $(fmt 0 nan)"
  local template
  template="$(mktemp)"
  printf 'listen 127.0.0.1:@PORT@; root @DIR@/x;\n' >"$template"
  check "render_template" "listen 127.0.0.1:81; root /tmp/a b/x;" "$(render_template "$template" PORT=81 'DIR=/tmp/a b')"
  rm -f "$template"
  local port
  port="$(pick_port)"
  if [[ $port =~ ^[0-9]+$ ]]; then check "pick_port" ok ok; else check "pick_port" "a number" "$port"; fi
  if ((failures > 0)); then
    echo "$failures check(s) failed"
    return 1
  fi
  echo "all checks passed"
}

# ---------------------------------------------------------------------------------------------------------------
# Processes and ports.

PIDS=()
USED_PORTS=" "
WORK=""
PGDATA_DIR=""
PG_AS=()

# pick_port: a loopback TCP port nobody listens on (and not handed out before by this script).
pick_port() {
  local port
  while true; do
    port=$((20000 + RANDOM % 12000))
    if [[ $USED_PORTS != *" $port "* ]] && [[ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]]; then
      USED_PORTS+="$port "
      echo "$port"
      return 0
    fi
  done
}

# http_code PORT PATH: the status of a GET over bash's /dev/tcp (no process started per probe), 000 if none.
http_code() (
  exec 3<>"/dev/tcp/127.0.0.1/$1" || { echo 000; exit 0; }
  # HTTP/1.1: Helidon 4 answers HTTP/1.0 requests with 400.
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  local status
  if read -r -t 5 _ status _ <&3; then echo "$status"; else echo 000; fi
) 2>/dev/null

now_us() {
  echo "${EPOCHREALTIME/./}"
}

# wait_http PORT PATH TIMEOUT_S: polls every 10 ms until 200; prints the microseconds waited since START_US.
wait_http() {
  local deadline=$(($(now_us) + $3 * 1000000))
  while [[ $(http_code "$1" "$2") != 200 ]]; do
    if (($(now_us) > deadline)); then
      echo "error: http://127.0.0.1:$1$2 not 200 after $3 s" >&2
      return 1
    fi
    sleep 0.01
  done
  echo $(($(now_us) - START_US))
}

rss_kib() {
  awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0
}

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    [[ $i == 150 ]] && kill -KILL "$pid" 2>/dev/null
  done
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    stop_pid "$pid"
  done
  if [[ -n $PGDATA_DIR && -f $PGDATA_DIR/postmaster.pid ]]; then
    "${PG_AS[@]}" pg_ctl -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [[ -n $WORK ]] && rm -rf "$WORK"
}

start_postgres() {
  PG_PORT="$(pick_port)"
  PGDATA_DIR="$WORK/pgdata"
  mkdir -p "$WORK/pgsock"
  if ((EUID == 0)); then
    # initdb refuses to run as root: the cluster belongs to an unprivileged user.
    PG_AS=(runuser -u nobody --)
    chmod 755 "$WORK"
    chown nobody "$WORK/pgsock"
    mkdir -p "$PGDATA_DIR"
    chown nobody "$PGDATA_DIR"
  else
    PG_AS=()
  fi
  "${PG_AS[@]}" initdb -D "$PGDATA_DIR" -U bench --auth=trust -E UTF8 --locale=C.UTF-8 >"$RESULTS/postgres-initdb.log"
  "${PG_AS[@]}" pg_ctl -D "$PGDATA_DIR" -w -l "$PGDATA_DIR/postgres.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pgsock -c max_connections=200" start >/dev/null
  psql_q postgres -c "CREATE DATABASE names" >/dev/null
  echo "PostgreSQL $("${PG_AS[@]}" postgres -V | awk '{ print $3 }') on 127.0.0.1:$PG_PORT"
}

psql_q() {
  local db=$1
  shift
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U bench -d "$db" "$@"
}

# start_backend PORT DATABASE LOG: sets START_US, STARTED_PID and MANAGEMENT (the port of /observe/*).
start_backend() {
  START_US=$(now_us)
  MANAGEMENT=$(pick_port)
  # shellcheck disable=SC2086 # the JVM flags are a list of words
  DATABASE_URL="postgresql://bench@127.0.0.1:$PG_PORT/$2" SERVER_PORT=$1 MANAGEMENT_PORT=$MANAGEMENT \
    "$JAVA" $BACKEND_JAVA_OPTS -jar "$ROOT/apps/backend/target/names-backend.jar" >"$3" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

# start_frontend PORT BACKEND_PORT LOG: sets START_US, STARTED_PID and MANAGEMENT.
start_frontend() {
  START_US=$(now_us)
  MANAGEMENT=$(pick_port)
  # shellcheck disable=SC2086 # the JVM flags are a list of words
  SERVER_PORT=$1 MANAGEMENT_PORT=$MANAGEMENT BACKEND_URL="http://127.0.0.1:$2" \
    "$JAVA" $FRONTEND_JAVA_OPTS -jar "$ROOT/apps/frontend/target/names-frontend.jar" >"$3" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

forget_pid() {
  local keep=() pid
  for pid in "${PIDS[@]}"; do
    [[ $pid != "$1" ]] && keep+=("$pid")
  done
  PIDS=("${keep[@]}")
}

start_nginx() {
  NGINX_SEED_PORT="$(pick_port)"
  NGINX_KEEPALIVE_PORT="$(pick_port)"
  mkdir -p "$WORK/nginx"
  local user_line=""
  ((EUID == 0)) && user_line="user root;"
  render_template "$ASSETS/nginx.conf.template" "USER=$user_line" "DIR=$WORK/nginx" \
    "PORT_SEED=$NGINX_SEED_PORT" "PORT_KEEPALIVE=$NGINX_KEEPALIVE_PORT" "BACKEND_PORT=$BACKEND_PORT" \
    >"$WORK/nginx/nginx.conf"
  cp "$WORK/nginx/nginx.conf" "$RESULTS/nginx.conf"
  nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/nginx-error.log" &
  PIDS+=("$!")
  START_US=$(now_us)
  wait_http "$NGINX_SEED_PORT" /api/health 10 >/dev/null
  wait_http "$NGINX_KEEPALIVE_PORT" /api/health 10 >/dev/null
}

# ---------------------------------------------------------------------------------------------------------------
# Load runs. Each appends a TSV row: section rep connections operation target rps p50 p90 p99 errors

# run_wrk NAME URL MODE CONNECTIONS SECONDS: prints the BENCH line; raw output in RESULTS/raw.
run_wrk() {
  local name=$1 url=$2 mode=$3 connections=$4 seconds=$5
  # Safety bound on requests: 100k/s per thread is far above what this machine can do; a run that reaches it
  # is flagged "capped" and its throughput is not valid.
  local cap=$((seconds * 100000))
  wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 5s -s "$ASSETS/names.lua" "$url" -- "$mode" "$cap" \
    >"$RESULTS/raw/$name.txt" 2>&1 || true
  local line
  line="$(grep '^BENCH ' "$RESULTS/raw/$name.txt" || true)"
  if [[ -z $line ]]; then
    echo "error: wrk failed, see $RESULTS/raw/$name.txt" >&2
    return 1
  fi
  echo "$line"
}

# wrk_row SECTION REP CONNECTIONS OPERATION TARGET LINE
wrk_row() {
  local l=$6 errors
  errors=$(($(kv_get "$l" err_connect) + $(kv_get "$l" err_read) + $(kv_get "$l" err_write) + \
    $(kv_get "$l" err_status) + $(kv_get "$l" err_timeout)))
  [[ $(kv_get "$l" capped) == true ]] && errors="$errors (capped)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$(kv_get "$l" rps)" \
    "$(kv_get "$l" p50_ms)" "$(kv_get "$l" p90_ms)" "$(kv_get "$l" p99_ms)" "$errors" >>"$RESULTS/runs.tsv"
}

# run_pgbench NAME SCRIPT CONNECTIONS SECONDS -> TSV fields "rps p50 p90 p99 errors" on stdout
run_pgbench() {
  local name=$1 script=$2 connections=$3 seconds=$4 logs="$WORK/pglog-$1"
  mkdir -p "$logs"
  pgbench -n -M prepared -c "$connections" -j 2 -T "$seconds" -f "$ASSETS/$script" -l --log-prefix="$logs/tx" \
    -h 127.0.0.1 -p "$PG_PORT" -U bench names >"$RESULTS/raw/$name.txt" 2>&1
  local p
  p="$(cat "$logs"/tx.* | awk '{ print $3 }' | percentiles 50 90 99 | paste -sd'\t')"
  rm -rf "$logs"
  printf '%s\t%s\t%s\n' "$(pgbench_tps "$RESULTS/raw/$name.txt")" "$p" "$(pgbench_failed "$RESULTS/raw/$name.txt")"
}

# RSS sampler: "seconds backend_kib frontend_kib" every INTERVAL seconds until killed.
start_sampler() {
  local file=$1 interval=$2 t0
  t0=$(now_us)
  (
    while true; do
      printf '%s %s %s\n' "$((($(now_us) - t0) / 1000000))" "$(rss_kib "$BACKEND_PID")" "$(rss_kib "$FRONTEND_PID")"
      sleep "$interval"
    done
  ) >>"$file" &
  SAMPLER_PID=$!
  PIDS+=("$SAMPLER_PID")
}

stop_sampler() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  forget_pid "$SAMPLER_PID"
}

warm_up() {
  echo "warm-up (${WARMUP}s per target)"
  run_wrk warmup-backend-get "http://127.0.0.1:$BACKEND_PORT/api/names" get 16 "$WARMUP" >/dev/null
  run_wrk warmup-backend-post "http://127.0.0.1:$BACKEND_PORT/api/names" post 16 "$WARMUP" >/dev/null
  run_wrk warmup-frontend "http://127.0.0.1:$FRONTEND_PORT/api/names" mix 16 "$WARMUP" >/dev/null
  run_wrk warmup-nginx "http://127.0.0.1:$NGINX_SEED_PORT/api/names" get 16 "$WARMUP" >/dev/null
  run_wrk warmup-nginx-keepalive "http://127.0.0.1:$NGINX_KEEPALIVE_PORT/api/names" get 16 "$WARMUP" >/dev/null
  pgbench -n -M prepared -c 16 -j 2 -T "$WARMUP" -f "$ASSETS/list.sql" -h 127.0.0.1 -p "$PG_PORT" -U bench names \
    >/dev/null 2>&1
}

section_db() {
  local rep c op script tool order
  for rep in $(seq 1 "$REPEATS"); do
    for c in $CONNECTIONS; do
      for op in list create; do
        if [[ $op == list ]]; then script=list.sql; else script=insert.sql; fi
        # Alternate who goes first, so that a drift in the machine's load does not favour one side.
        if ((rep % 2)); then order="pgbench api"; else order="api pgbench"; fi
        for tool in $order; do
          echo "db: repeat $rep, $c connections, $op, $tool"
          if [[ $tool == pgbench ]]; then
            printf 'db\t%s\t%s\t%s\tpgbench\t%s\n' "$rep" "$c" "$op" \
              "$(run_pgbench "db-$rep-$c-$op-pgbench" "$script" "$c" "$DURATION")" >>"$RESULTS/runs.tsv"
          else
            local mode=get
            [[ $op == create ]] && mode=post
            wrk_row db "$rep" "$c" "$op" api "$(run_wrk "db-$rep-$c-$op-api" \
              "http://127.0.0.1:$BACKEND_PORT/api/names" "$mode" "$c" "$DURATION")"
          fi
        done
      done
    done
  done
}

section_proxy() {
  local rep c targets target port i n
  local all=(backend frontend nginx nginx-keepalive)
  for rep in $(seq 1 "$REPEATS"); do
    for c in $CONNECTIONS; do
      # Rotate the order by repeat.
      n=${#all[@]}
      targets=()
      for i in $(seq 0 $((n - 1))); do
        targets+=("${all[$(((i + rep - 1) % n))]}")
      done
      for target in "${targets[@]}"; do
        case $target in
          backend) port=$BACKEND_PORT ;;
          frontend) port=$FRONTEND_PORT ;;
          nginx) port=$NGINX_SEED_PORT ;;
          nginx-keepalive) port=$NGINX_KEEPALIVE_PORT ;;
        esac
        echo "proxy: repeat $rep, $c connections, $target"
        wrk_row proxy "$rep" "$c" list "$target" "$(run_wrk "proxy-$rep-$c-$target" \
          "http://127.0.0.1:$port/api/names" get "$c" "$DURATION")"
      done
    done
  done
}

section_startup() {
  local i kind port pid us rss
  : >"$RESULTS/startup.tsv"
  for i in $(seq 1 "$STARTUP_RUNS"); do
    # Empty database: Flyway creates the schema before readiness turns 200.
    psql_q postgres -c "CREATE DATABASE startup_$i" >/dev/null
    for kind in backend-empty-db backend-migrated-db frontend; do
      port="$(pick_port)"
      case $kind in
        backend-empty-db) start_backend "$port" "startup_$i" "$RESULTS/raw/startup-$i-$kind.log" ;;
        backend-migrated-db) start_backend "$port" names "$RESULTS/raw/startup-$i-$kind.log" ;;
        frontend) start_frontend "$port" "$(pick_port)" "$RESULTS/raw/startup-$i-$kind.log" ;;
      esac
      pid=$STARTED_PID
      if [[ $kind == frontend ]]; then
        us="$(wait_http "$port" /healthz 60)"
      else
        us="$(wait_http "$MANAGEMENT" /observe/health/ready 60)"
      fi
      rss="$(rss_kib "$pid")"
      stop_pid "$pid"
      forget_pid "$pid"
      printf '%s\t%s\t%s\t%s\n' "$i" "$kind" "$((us / 1000))" "$rss" >>"$RESULTS/startup.tsv"
      echo "startup: run $i, $kind: $((us / 1000)) ms, RSS $(mib "$rss") MiB"
    done
  done
}

section_soak() {
  echo "soak: ${SOAK}s of mixed load (4 GET : 1 POST) through the frontend, 16 connections"
  : >"$RESULTS/soak-rss.txt"
  start_sampler "$RESULTS/soak-rss.txt" 5
  SOAK_LINE="$(run_wrk soak "http://127.0.0.1:$FRONTEND_PORT/api/names" mix 16 "$SOAK")"
  stop_sampler
}

# ---------------------------------------------------------------------------------------------------------------
# Report.

# summary_rows SECTION: "connections operation target rps p50 p90 p99 errors" medians over the repeats.
summary_of() { # SECTION C OP TARGET FIELD(6..9) -> median
  awk -F'\t' -v s="$1" -v c="$2" -v o="$3" -v t="$4" -v f="$5" '$1 == s && $3 == c && $4 == o && $5 == t { print $f }' \
    "$RESULTS/runs.tsv" | median
}

errors_of() {
  awk -F'\t' -v s="$1" -v c="$2" -v o="$3" -v t="$4" '$1 == s && $3 == c && $4 == o && $5 == t { e += $10 } END { print e + 0 }' \
    "$RESULTS/runs.tsv"
}

# ratio_median SECTION C OP A B: median over repeats of rps(A)/rps(B) within the same repeat.
ratio_median() {
  local rep a b
  for rep in $(seq 1 "$REPEATS"); do
    a=$(awk -F'\t' -v s="$1" -v r="$rep" -v c="$2" -v o="$3" -v t="$4" '$1 == s && $2 == r && $3 == c && $4 == o && $5 == t { print $6 }' "$RESULTS/runs.tsv")
    b=$(awk -F'\t' -v s="$1" -v r="$rep" -v c="$2" -v o="$3" -v t="$5" '$1 == s && $2 == r && $3 == c && $4 == o && $5 == t { print $6 }' "$RESULTS/runs.tsv")
    [[ -n $a && -n $b ]] && ratio "$a" "$b"
  done | median
}

lat() { # SECTION C OP TARGET -> "p50 / p90 / p99"
  printf '%s / %s / %s' "$(fmt 2 "$(summary_of "$1" "$2" "$3" "$4" 7)")" \
    "$(fmt 2 "$(summary_of "$1" "$2" "$3" "$4" 8)")" "$(fmt 2 "$(summary_of "$1" "$2" "$3" "$4" 9)")"
}

rps() { # SECTION C OP TARGET -> median req/s, whole number
  fmt 0 "$(summary_of "$1" "$2" "$3" "$4" 6)"
}

report() {
  local out="$RESULTS/results.md" c op t
  {
    echo "# Benchmark results"
    echo
    echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "- Machine: $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r); load average at start: $LOAD_AT_START"
    echo "- $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1); PostgreSQL $("${PG_AS[@]}" postgres -V | awk '{ print $3 }'); $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'); $(nginx -v 2>&1 | sed 's/.*: //')"
    echo "- Backend JVM flags: \`$BACKEND_JAVA_OPTS\`; frontend: \`$FRONTEND_JAVA_OPTS\`"
    echo "- Command: \`scripts/benchmark.sh $ARGS\` ($DURATION s per run, $REPEATS repeat(s), wrk -t 2, pgbench -j 2 -M prepared, $ROWS rows seeded)"
    if [[ -s $RESULTS/runs.tsv ]] && grep -q '^db' "$RESULTS/runs.tsv"; then
      echo
      echo "## Backend vs pgbench (same SQL, same connections, same PostgreSQL)"
      echo
      echo "Medians over the repeats; latencies in ms; the ratio is the median of each repeat's API/pgbench."
      echo
      echo "| operation | connections | pgbench req/s | API req/s | API/pgbench | pgbench p50 / p90 / p99 | API p50 / p90 / p99 | API errors | pgbench failed |"
      echo "|---|---:|---:|---:|---:|---|---|---:|---:|"
      for op in list create; do
        for c in $CONNECTIONS; do
          echo "| $op | $c | $(rps db "$c" "$op" pgbench) | $(rps db "$c" "$op" api) | $(ratio_median db "$c" "$op" api pgbench) | $(lat db "$c" "$op" pgbench) | $(lat db "$c" "$op" api) | $(errors_of db "$c" "$op" api) | $(errors_of db "$c" "$op" pgbench) |"
        done
      done
    fi
    if [[ -s $RESULTS/runs.tsv ]] && grep -q '^proxy' "$RESULTS/runs.tsv"; then
      echo
      echo "## GET /api/names: Helidon frontend vs nginx, same backend"
      echo
      echo "nginx = the original app's proxy configuration (new backend connection per request); nginx-keepalive = the same with an upstream keepalive pool; backend = no proxy."
      echo
      echo "| connections | target | req/s | p50 / p90 / p99 ms | errors | frontend / this |"
      echo "|---:|---|---:|---|---:|---:|"
      for c in $CONNECTIONS; do
        for t in backend frontend nginx nginx-keepalive; do
          echo "| $c | $t | $(rps proxy "$c" list "$t") | $(lat proxy "$c" list "$t") | $(errors_of proxy "$c" list "$t") | $(ratio_median proxy "$c" list frontend "$t") |"
        done
      done
    fi
    if [[ -s $RESULTS/startup.tsv ]]; then
      echo
      echo "## Start-up (process start -> 200), $STARTUP_RUNS runs"
      echo
      echo "| service | median ms | min ms | max ms | RSS when ready MiB (median) |"
      echo "|---|---:|---:|---:|---:|"
      for t in backend-empty-db backend-migrated-db frontend; do
        local ms
        ms="$(awk -F'\t' -v t="$t" '$2 == t { print $3 }' "$RESULTS/startup.tsv")"
        echo "| $t | $(fmt 0 "$(median <<<"$ms")") | $(sort -n <<<"$ms" | head -n 1) | $(sort -n <<<"$ms" | tail -n 1) | $(mib "$(awk -F'\t' -v t="$t" '$2 == t { print $4 }' "$RESULTS/startup.tsv" | median)") |"
      done
    fi
    if [[ -s $RESULTS/load-rss.txt ]]; then
      echo
      echo "## Memory (RSS)"
      echo
      echo "| service | idle after warm-up MiB | max under the db/proxy load MiB |"
      echo "|---|---:|---:|"
      echo "| backend | $(mib "$IDLE_BACKEND_KIB") | $(mib "$(awk '{ print $2 }' "$RESULTS/load-rss.txt" | sort -n | tail -n 1)") |"
      echo "| frontend | $(mib "$IDLE_FRONTEND_KIB") | $(mib "$(awk '{ print $3 }' "$RESULTS/load-rss.txt" | sort -n | tail -n 1)") |"
    fi
    if [[ -s $RESULTS/soak-rss.txt ]]; then
      local half
      half=$((SOAK / 2))
      echo
      echo "## Soak: ${SOAK} s, 4 GET : 1 POST through the frontend, 16 connections"
      echo
      echo "Load: $(kv_get "$SOAK_LINE" rps) req/s, p99 $(kv_get "$SOAK_LINE" p99_ms) ms, errors $(($(kv_get "$SOAK_LINE" err_status) + $(kv_get "$SOAK_LINE" err_connect) + $(kv_get "$SOAK_LINE" err_read) + $(kv_get "$SOAK_LINE" err_timeout))). RSS sampled every 5 s; the trend is the least-squares slope over the second half."
      echo
      echo "| service | start MiB | at ${half} s MiB | end MiB | max MiB | trend, second half (MiB/min) |"
      echo "|---|---:|---:|---:|---:|---:|"
      local col name
      for col in 2 3; do
        name=backend
        ((col == 3)) && name=frontend
        echo "| $name | $(mib "$(awk -v c="$col" 'NR == 1 { print $c }' "$RESULTS/soak-rss.txt")") | $(mib "$(awk -v c="$col" -v h="$half" '$1 >= h { print $c; exit }' "$RESULTS/soak-rss.txt")") | $(mib "$(awk -v c="$col" 'END { print $c }' "$RESULTS/soak-rss.txt")") | $(mib "$(awk -v c="$col" '{ print $c }' "$RESULTS/soak-rss.txt" | sort -n | tail -n 1)") | $(awk -v c="$col" -v h="$half" '$1 >= h { print $1, $c / 1024 }' "$RESULTS/soak-rss.txt" | slope) |"
      done
    fi
  } >"$out"
  echo
  cat "$out"
  echo
  echo "Results: $out"
}

# ---------------------------------------------------------------------------------------------------------------

main() {
  DURATION=10 REPEATS=3 CONNECTIONS="16 64" STARTUP_RUNS=5 SOAK=300 ONLY="db,proxy,startup,soak" ROWS=10000
  WARMUP=5 RESULTS=""
  ARGS="$*"
  while (($#)); do
    case $1 in
      --quick) DURATION=3 REPEATS=1 STARTUP_RUNS=2 SOAK=20 WARMUP=2 ;;
      --duration) DURATION=$2; shift ;;
      --repeats) REPEATS=$2; shift ;;
      --connections) CONNECTIONS=$2; shift ;;
      --startup-runs) STARTUP_RUNS=$2; shift ;;
      --soak) SOAK=$2; shift ;;
      --only) ONLY=$2; shift ;;
      --rows) ROWS=$2; shift ;;
      --out) RESULTS=$2; shift ;;
      --self-test) self_test; return ;;
      -h | --help) usage; return 0 ;;
      *) echo "error: unknown option '$1' (see --help)" >&2; return 2 ;;
    esac
    shift
  done
  local n
  for n in "$DURATION" "$REPEATS" "$STARTUP_RUNS" "$SOAK" "$ROWS"; do
    [[ $n =~ ^[0-9]+$ ]] || { echo "error: '$n' is not a whole number" >&2; return 2; }
  done

  local tool
  for tool in wrk pgbench nginx psql initdb pg_ctl postgres curl ss; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found on PATH" >&2; return 1; }
  done
  # shellcheck source=scripts/lib/java.sh
  . "$ROOT/scripts/lib/java.sh"
  ensure_maven
  JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  for jar in apps/backend/target/names-backend.jar apps/frontend/target/names-frontend.jar; do
    [[ -f $ROOT/$jar ]] || {
      echo "error: $jar missing: ./mvnw -q -B package -DskipTests -pl apps/backend,apps/frontend -am" >&2
      return 1
    }
  done

  RESULTS="${RESULTS:-$ROOT/target/benchmark/$(date +%Y%m%d-%H%M%S)}"
  mkdir -p "$RESULTS/raw"
  : >"$RESULTS/runs.tsv"
  LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
  WORK="$(mktemp -d)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  start_postgres
  if [[ ,$ONLY, == *,startup,* ]]; then
    section_startup
  fi

  if [[ ,$ONLY, =~ ,(db|proxy|soak), ]]; then
    BACKEND_PORT="$(pick_port)"
    start_backend "$BACKEND_PORT" names "$RESULTS/backend.log"
    BACKEND_PID=$STARTED_PID
    wait_http "$MANAGEMENT" /observe/health/ready 60 >/dev/null
    psql_q names -c "INSERT INTO names (name) SELECT 'seed ' || g FROM generate_series(1, $ROWS) g" \
      -c "VACUUM ANALYZE names"
    FRONTEND_PORT="$(pick_port)"
    start_frontend "$FRONTEND_PORT" "$BACKEND_PORT" "$RESULTS/frontend.log"
    FRONTEND_PID=$STARTED_PID
    wait_http "$FRONTEND_PORT" /healthz 60 >/dev/null
    start_nginx
    echo "backend :$BACKEND_PORT (pid $BACKEND_PID), frontend :$FRONTEND_PORT (pid $FRONTEND_PID)," \
      "nginx :$NGINX_SEED_PORT and :$NGINX_KEEPALIVE_PORT (keepalive)"
    warm_up
    IDLE_BACKEND_KIB="$(rss_kib "$BACKEND_PID")"
    IDLE_FRONTEND_KIB="$(rss_kib "$FRONTEND_PID")"
    if [[ ,$ONLY, =~ ,(db|proxy), ]]; then
      start_sampler "$RESULTS/load-rss.txt" 1
      [[ ,$ONLY, == *,db,* ]] && section_db
      [[ ,$ONLY, == *,proxy,* ]] && section_proxy
      stop_sampler
    fi
    if [[ ,$ONLY, == *,soak,* ]] && ((SOAK > 0)); then
      section_soak
    fi
  fi
  report
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
