#!/usr/bin/env bats
# scripts/lib/common.sh's portable parts: the bash version gate and times computed without GNU date.

load helpers

setup() {
  common_setup
  # shellcheck source=scripts/lib/common.sh
  . "$REPO_ROOT/scripts/lib/common.sh"
}

@test "bash 4.4 or newer passes the gate; macOS's 3.2 and 4.3 do not" {
  bash_at_least 4 4 4 4
  bash_at_least 4 4 5 0
  bash_at_least 4 4 5 2
  refute bash_at_least 4 4 3 2
  refute bash_at_least 4 4 4 3
  bash_at_least 4 4
}

@test "epoch_seconds agrees with GNU date on leap days, centuries and fractions" {
  for time in 1970-01-01T00:00:00Z 1999-12-31T23:59:59Z 2000-02-29T12:34:56Z 2024-02-29T23:59:59Z \
    2024-03-01T00:00:00.123456Z 2026-11-23T10:00:21Z 2100-03-01T00:00:00Z 2400-02-29T08:00:00Z; do
    [ "$(epoch_seconds "$time")" = "$(date -u -d "$time" +%s)" ] || { echo "$time"; return 1; }
  done
}

@test "epoch_seconds refuses what is not an RFC 3339 UTC time" {
  refute epoch_seconds "2026-11-23 10:00:21"
  refute epoch_seconds "2026-11-23T10:00:21+01:00"
  refute epoch_seconds ""
}

@test "now_ms counts milliseconds" {
  a=$(now_ms)
  sleep 0.2
  b=$(now_ms)
  [ $((b - a)) -ge 150 ] && [ $((b - a)) -lt 5000 ]
  [ "${#a}" -eq 13 ]
}
