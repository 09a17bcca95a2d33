# shellcheck shell=bash
# Sourced by the ops scripts: messages, fatal errors and tool checks, the same everywhere.
# Messages go to stderr so that a script's stdout stays free for data.

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
