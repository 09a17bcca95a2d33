# shellcheck shell=bash
# Sourced by the ops scripts: messages, fatal errors and tool checks, the same everywhere.
# Messages go to stderr so that a script's stdout stays free for data.
# The host scripts need bash 4.4+ (empty arrays under `set -u`, mapfile), and nothing of GNU coreutils that BSD's
# (macOS) lacks: times are computed here in bash, not with GNU date's -d or %N.

# bash_at_least MAJOR MINOR [THIS_MAJOR THIS_MINOR]: this bash (or the version given) is MAJOR.MINOR or newer.
bash_at_least() {
  local major=${3:-${BASH_VERSINFO[0]}} minor=${4:-${BASH_VERSINFO[1]}}
  [ "$major" -gt "$1" ] || { [ "$major" -eq "$1" ] && [ "$minor" -ge "$2" ]; }
}
if ! bash_at_least 4 4; then
  printf 'error: bash 4.4 or newer is required, this is %s (macOS: brew install bash, then run the script with it)\n' \
    "$BASH_VERSION" >&2
  exit 1
fi

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# require_cmd TOOL...: fails with a clear message naming the first missing tool.
require_cmd() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is required but was not found on PATH"
  done
}

# valid_env NAME: the environments this repository deploys (overlays/<env>, sealed-secrets/<env>).
valid_env() {
  case "$1" in
    dev | prod) return 0 ;;
    *) return 1 ;;
  esac
}

# take_env CURRENT ARG: the one <dev|prod> argument of an ops script. Prints ARG; fails clearly on a second
# environment or an unknown one. Use as: env=$(take_env "$env" "$1")
take_env() {
  [ -z "$1" ] || die "one environment at a time"
  valid_env "$2" || die "unknown environment '$2' (expected dev or prod)"
  printf '%s' "$2"
}

# epoch_seconds TIME: the seconds since 1970 of an RFC 3339 UTC time as Kubernetes writes it
# (2026-11-23T10:00:21Z, fractions ignored). Days from the civil date by the proleptic Gregorian calendar.
epoch_seconds() {
  [[ $1 =~ ^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?Z$ ]] || return 1
  local y=$((10#${BASH_REMATCH[1]})) m=$((10#${BASH_REMATCH[2]})) d=$((10#${BASH_REMATCH[3]}))
  local time=$((10#${BASH_REMATCH[4]} * 3600 + 10#${BASH_REMATCH[5]} * 60 + 10#${BASH_REMATCH[6]}))
  if [ "$m" -le 2 ]; then y=$((y - 1)); fi
  local era=$((y / 400)) # years from 1970 on: never negative
  local yoe=$((y - era * 400))
  local doy=$(((153 * ((m + 9) % 12) + 2) / 5 + d - 1))
  local doe=$((yoe * 365 + yoe / 4 - yoe / 100 + doy))
  printf '%s\n' $(((era * 146097 + doe - 719468) * 86400 + time))
}

# now_ms: milliseconds since 1970 (bash 5's EPOCHREALTIME, else GNU date's %3N, else whole seconds).
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then
    local now=${EPOCHREALTIME/[.,]/}
    printf '%s\n' $((10#${now:0:${#now}-3}))
    return
  fi
  local ms
  ms=$(date +%s%3N)
  if [[ $ms =~ ^[0-9]+$ ]]; then printf '%s\n' "$ms"; else printf '%s000\n' "$(date +%s)"; fi
}

