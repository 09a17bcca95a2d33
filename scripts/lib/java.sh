# shellcheck shell=bash
# Sourced by scripts that run Maven or the apps: makes sure JAVA_HOME points at a JDK 21+.
# Helidon 4 needs Java 21; when the default java is older, the Temurin 25 JDK is used if present.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

ensure_java21() {
  local java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  if command -v "$java_bin" >/dev/null 2>&1 && [ "$(java_major "$java_bin")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  local candidate
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "error: Java 21 or newer is required (set JAVA_HOME to a JDK 21+)" >&2
  return 1
}
