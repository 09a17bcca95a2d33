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

# ensure_maven: a JDK 21+ (ensure_java21) and what ./mvnw needs to install Maven the first time. The wrapper
# verifies the .zip of the distribution against maven-wrapper.properties' sha256; without unzip it downloads the
# .tar.gz instead, whose checksum cannot match, and every build fails. Once Maven is installed unzip is not needed.
ensure_maven() {
  ensure_java21 || return 1
  command -v unzip >/dev/null 2>&1 && return 0
  local properties url
  properties="$(dirname "${BASH_SOURCE[0]}")/../../.mvn/wrapper/maven-wrapper.properties"
  url=$(sed -n 's/^distributionUrl=//p' "$properties" 2>/dev/null) || true
  url=${url##*/}
  if ! compgen -G "${MAVEN_USER_HOME:-$HOME/.m2}/wrapper/dists/${url%.zip}/*/bin/mvn" >/dev/null; then
    echo "error: unzip is required the first time ./mvnw runs (it installs Maven from the checksummed .zip):" \
      "apt-get install unzip" >&2
    return 1
  fi
}
