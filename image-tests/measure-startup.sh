#!/usr/bin/env bash
# Measures start-up to readiness of the names-backend and names-frontend images under the dev overlay's limits, for
# a set of JVM option variants (docs/performance.md, "Images"). Not part of the build: run it by hand after
# `./mvnw -Pimages verify` has built and loaded the images.
#
# Each run is `podman run` as the manifests run the containers (uid 65532, read-only root, /tmp on a volume as the
# emptyDir, the manifest's CPU and memory limits, JDK_JAVA_OPTIONS = the manifest's value + the variant's options),
# timed from `podman run` to the first 2xx on the readiness path (polled every 50 ms). The backend's database is a
# throwaway PostgreSQL the script starts on loopback (Debian's initdb/pg_ctl, run as the postgres user).
# "restart" variants stop the container (SIGTERM) and start it again with the same /tmp, as the kubelet restarts a
# container inside its pod, and time that second start (and the stop before it: SIGTERM to exit, code 0).
#
# Usage: [IMAGE_TAG=…] [VARIANTS='default c1-only'] [SERVICES=backend] [BACKEND_CPUS=0.5] [FRONTEND_CPUS=0.2] \
#          image-tests/measure-startup.sh [RUNS]
#        (RUNS default 5; prints one line per run and the medians; the tag defaults to HEAD's, as the build tags)
# Needs: root, podman (with runc, see .ci/run), curl, PostgreSQL server binaries, the images loaded in podman.
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
tag=${IMAGE_TAG:-$(git -C "$root" rev-parse --short=12 HEAD)}
registry=${IMAGE_REGISTRY:-192.168.56.10:30500}
backend_image=$registry/names-backend:$tag
frontend_image=$registry/names-frontend:$tag
manifest_opts="-XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError"
net=slirp4netns:allow_host_loopback=true
prefix=nm-measure-$$

for image in "$backend_image" "$frontend_image"; do
  podman image exists "$image" || { echo "missing image $image: run ./mvnw -Pimages verify first" >&2; exit 1; }
done

# shellcheck source=image-tests/measure-lib.sh
. "$root/image-tests/measure-lib.sh"

cleanup() {
  podman rm -f -t 0 "$prefix-backend" "$prefix-frontend" >/dev/null 2>&1 || true
  podman volume rm -f "$prefix-tmp" >/dev/null 2>&1 || true
  stop_postgres
}
trap cleanup EXIT
start_postgres
database_url="postgresql://names:$password@10.0.2.2:$pg_port/namesdb"

# start SERVICE VARIANT_OPTS: runs the container detached, prints the milliseconds until readiness.
start() {
  local service=$1 opts=$2 port start_ns
  port=$(free_port)
  local args=(--name "$prefix-$service" --network "$net" -p "127.0.0.1:$port:${svc_ready_port[$service]}"
    --user 65532:65532 --read-only -v "$prefix-tmp:/tmp" --security-opt no-new-privileges --cap-drop ALL
    --memory "${svc_mem[$service]}" --cpus "${svc_cpus[$service]}"
    -e "JDK_JAVA_OPTIONS=$manifest_opts $opts" -e "SERVER_PORT=${svc_port[$service]}" -e LOG_LEVEL=INFO)
  if [ "$service" = backend ]; then
    args+=(-e "DATABASE_URL=$database_url")
  else
    args+=(-e "BACKEND_URL=http://10.0.2.2:1")
  fi
  start_ns=$(date +%s%N)
  podman run -d --pull never "${args[@]}" "${svc_image[$service]}" >/dev/null
  wait_ready "$service" "$port" "$start_ns"
  echo "$port" >"$work/$service.port"
}

wait_ready() {
  local service=$1 port=$2 start_ns=$3 deadline
  deadline=$(($(date +%s) + 120))
  until curl -fs -o /dev/null -m 1 "http://127.0.0.1:$port${svc_ready[$service]}"; do
    if [ "$(date +%s)" -gt "$deadline" ]; then
      podman logs "$prefix-$service" >&2
      echo "$service not ready within 120 s" >&2
      exit 1
    fi
    sleep 0.05
  done
  echo $((($(date +%s%N) - start_ns) / 1000000))
}

restart() {
  local service=$1 variant=$2 start_ns
  start_ns=$(date +%s%N)
  podman stop -t 30 "$prefix-$service" >/dev/null
  echo $((($(date +%s%N) - start_ns) / 1000000)) >>"$work/$variant.stop"
  [ "$(podman inspect -f '{{.State.ExitCode}}' "$prefix-$service")" = 0 ] || echo "$service: exit code not 0" >&2
  start_ns=$(date +%s%N)
  podman start "$prefix-$service" >/dev/null
  # podman start keeps the published port of the first run.
  wait_ready "$service" "$(cat "$work/$service.port")" "$start_ns"
}

remove() {
  podman rm -f -t 30 "$prefix-$1" >/dev/null
  podman volume rm -f "$prefix-tmp" >/dev/null
}

declare -A svc_image=([backend]=$backend_image [frontend]=$frontend_image)
declare -A svc_port=([backend]=8000 [frontend]=8080)
declare -A svc_ready=([backend]=/observe/health/ready [frontend]=/healthz)
# The container port each readiness path is served on (the backend's /observe/* is on its management port).
declare -A svc_ready_port=([backend]=8001 [frontend]=8080)
declare -A svc_mem=([backend]=384m [frontend]=256m)
declare -A svc_cpus=([backend]=${BACKEND_CPUS:-0.5} [frontend]=${FRONTEND_CPUS:-0.2})

declare -A variants=(
  [default]=""
  [no-cds]="-Xshare:off"
  [c1-only]="-XX:TieredStopAtLevel=1"
  [appcds-auto]="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/tmp/app.jsa"
)
read -r -a order <<<"${VARIANTS:-default no-cds c1-only appcds-auto}"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

# Variants alternate within each round, so that load from other processes spreads over all of them alike.
for service in ${SERVICES:-backend frontend}; do
  for variant in "${order[@]}"; do : >"$work/$variant.first" && : >"$work/$variant.again" && : >"$work/$variant.stop"; done
  for round in $(seq "$runs"); do
    for variant in "${order[@]}"; do
      first=$(start "$service" "${variants[$variant]}")
      again=$(restart "$service" "$variant")
      remove "$service"
      echo "$service $variant round $round: first=${first}ms stop=$(tail -n 1 "$work/$variant.stop")ms" \
        "restart=${again}ms (load average $(cut -d' ' -f1 /proc/loadavg))"
      echo "$first" >>"$work/$variant.first"
      echo "$again" >>"$work/$variant.again"
    done
  done
  for variant in "${order[@]}"; do
    echo "MEDIAN $service $variant: first=$(median <"$work/$variant.first")ms stop=$(median <"$work/$variant.stop")ms" \
      "restart=$(median <"$work/$variant.again")ms ($runs runs)"
  done
done
