#!/usr/bin/env bash
# Runs Names Manager on this machine with no set-up: builds the jars, then starts an embedded PostgreSQL
# (data kept in .local-data/) and the services. Ctrl-C stops everything cleanly.
#
# Usage: scripts/run-local.sh            (DATABASE_URL=postgresql://… to use an existing database instead)
set -euo pipefail

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/java.sh
. scripts/lib/java.sh
ensure_maven

./mvnw -q -B package -DskipTests
# ensure_maven (ensure_java21) leaves PATH alone when JAVA_HOME is already set: use its java, not the first one on PATH.
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar apps/local/target/names-local.jar
