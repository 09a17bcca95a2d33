#!/usr/bin/env bash
# Points a git remote of this clone at the Git server in the Vagrant VM (the repository Argo CD follows), so that
# `git push vm HEAD:main` ships a change. Safe to run again: it updates what is already there.
#
# Usage: scripts/git-remote.sh [--name NAME] [--url URL] [--no-fetch]
#   --name NAME   remote name (default vm)
#   --url URL     repository URL (default http://192.168.56.10:8418/names-manager.git)
#   --no-fetch    configure only; do not contact the VM
#
# Reading is anonymous; pushing authenticates as "gitops" with the password the VM wrote to
# .secrets/git-password on first boot. A credential helper configured for that URL only reads the file when
# git asks, so the password is neither copied into .git/config nor shown by `git remote -v`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/vagrant/config.sh
. "$ROOT/scripts/vagrant/config.sh"

name=vm
url=$GIT_URL
fetch=true

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --name | --url)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      if [ "$1" = --name ]; then name=$2; else url=$2; fi
      shift
      ;;
    --no-fetch) fetch=false ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$1' (see scripts/git-remote.sh --help)" ;;
  esac
  shift
done

require_cmd git
[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid remote name '$name'"
[[ $url =~ ^https?://[^[:space:]\'\"]+$ ]] || die "the VM's Git server URL must be http(s)://… (got '$url')"
git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "$ROOT is not a git work tree"

password_file="$ROOT/.secrets/git-password"
[ -s "$password_file" ] || die "no $password_file yet: run 'vagrant up' first (the VM writes it on first boot)"
case "$password_file" in *"'"*) die "the repository path contains a single quote; configure the remote by hand" ;; esac

# Credentials apply to the server (scheme://host:port), the same for every repository on it.
server=$(printf '%s' "$url" | sed -E 's#^(https?://[^/]+).*#\1#')

if git -C "$ROOT" remote get-url "$name" >/dev/null 2>&1; then
  git -C "$ROOT" remote set-url "$name" "$url"
  log "Remote '$name' now points at $url"
else
  git -C "$ROOT" remote add "$name" "$url"
  log "Remote '$name' added: $url"
fi

# Rewritten whole on every run, so a second run leaves the same configuration. The empty helper first resets
# helpers configured elsewhere (a keychain must not store this lab password).
git -C "$ROOT" config --unset-all "credential.$server.helper" || true
git -C "$ROOT" config --unset-all "credential.$server.username" || true
git -C "$ROOT" config --add "credential.$server.helper" ""
git -C "$ROOT" config --add "credential.$server.helper" \
  "!f() { test \"\$1\" = get && printf 'password=%s\\n' \"\$(cat '$password_file')\"; }; f"
git -C "$ROOT" config --add "credential.$server.username" "$GIT_PUSH_USER"
log "Pushes to $server authenticate as $GIT_PUSH_USER with .secrets/git-password"

if ! $fetch; then
  exit 0
fi
git -C "$ROOT" fetch --quiet "$name" ||
  die "cannot fetch from $url: is the VM up (vagrant status)? The remote is configured; run this again later"
if ! git -C "$ROOT" rev-parse --verify --quiet "refs/remotes/$name/main" >/dev/null; then
  warn "$name has no main branch yet"
  exit 0
fi
read -r ahead behind < <(git -C "$ROOT" rev-list --left-right --count "HEAD...refs/remotes/$name/main")
if [ "$behind" -gt 0 ]; then
  log "$name/main has $behind commit(s) this branch lacks (the VM's first boot commits resealed secrets and"
  log "pinned images): git pull --rebase $name main"
fi
if [ "$ahead" -gt 0 ]; then
  log "This branch has $ahead commit(s) $name/main lacks: git push $name HEAD:main"
fi
if [ "$ahead" -eq 0 ] && [ "$behind" -eq 0 ]; then
  log "This branch and $name/main are the same commit"
fi
