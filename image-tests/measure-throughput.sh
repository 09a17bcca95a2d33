#!/usr/bin/env bash
# Measures the backend image's steady-state throughput under the dev overlay's limits (0.5 CPU, 384 MiB) for JVM
# option variants, to weigh start-up options against their cost under load (docs/images.md, "JVM options"). Not part
# of the build: run it by hand after `./mvnw -Pimages verify` has built and loaded the images.
#
# For each variant: `podman run` as the manifest runs the container, wait for readiness, 100 names in the database,
# 30 s of warm-up, then 30 s measured: wrk, 2 threads, 8 connections, GET /api/names?limit=100, all on 127.0.0.1.
# The database is a throwaway PostgreSQL the script starts on loopback (Debian's initdb/pg_ctl, as the postgres
# user).
#
# Usage: [IMAGE_TAG=…] [VARIANTS='default c1-only'] image-tests/measure-throughput.sh
# Needs: root, podman (with runc, see .ci/run), curl, wrk, PostgreSQL server binaries, the image loaded in podman.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tag=${IMAGE_TAG:-$(git -C "$root" rev-parse --short=12 HEAD)}
image=${IMAGE_REGISTRY:-192.168.56.10:30500}/names-backend:$tag
manifest_opts="-XX:MaxRAMPercentage=60.0 -XX:+ExitOnOutOfMemoryError"
name=nm-throughput-$$

podman image exists "$image" || { echo "missing image $image: run ./mvnw -Pimages verify first" >&2; exit 1; }
# shellcheck source=image-tests/measure-lib.sh
. "$root/image-tests/measure-lib.sh"

cleanup() {
  podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  stop_postgres
}
trap cleanup EXIT
start_postgres
port=$(free_port)
management=$(free_port)

declare -A variants=([default]="" [c1-only]="-XX:TieredStopAtLevel=1")
read -r -a order <<<"${VARIANTS:-default c1-only}"
url="http://127.0.0.1:$port/api/names?limit=100"

for variant in "${order[@]}"; do
  podman run -d --pull never --name "$name" --network slirp4netns:allow_host_loopback=true \
    -p "127.0.0.1:$port:8000" -p "127.0.0.1:$management:8001" --user 65532:65532 --read-only --tmpfs /tmp --security-opt no-new-privileges \
    --cap-drop ALL --memory 384m --cpus 0.5 -e "JDK_JAVA_OPTIONS=$manifest_opts ${variants[$variant]}" \
    -e SERVER_PORT=8000 -e LOG_LEVEL=WARNING \
    -e "DATABASE_URL=postgresql://names:$password@10.0.2.2:$pg_port/namesdb" "$image" >/dev/null
  until curl -fs -o /dev/null -m 1 "http://127.0.0.1:$management/observe/health/ready"; do sleep 0.2; done
  count=$(curl -fs "http://127.0.0.1:$port/api/names?limit=1000" | { grep -o '"id"' || true; } | wc -l)
  for i in $(seq $((count + 1)) 100); do
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"name\":\"Name $i\"}" \
      "http://127.0.0.1:$port/api/names"
  done
  wrk -t2 -c8 -d30s "$url" >/dev/null
  result=$(wrk -t2 -c8 -d30s --latency "$url")
  echo "backend $variant: $(awk '/Requests\/sec/ {print $2}' <<<"$result") req/s," \
    "p50 $(awk '$1 == "50%" {print $2}' <<<"$result"), p99 $(awk '$1 == "99%" {print $2}' <<<"$result")," \
    "memory $(podman stats --no-stream --format '{{.MemUsage}}' "$name") (load average $(cut -d' ' -f1 /proc/loadavg))"
  podman rm -f -t 30 "$name" >/dev/null
done
