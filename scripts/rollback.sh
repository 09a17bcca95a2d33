#!/usr/bin/env bash
# Rolls one environment back the GitOps way: finds the last commit on the branch Argo CD follows that changed
# overlays/<env>, shows it, and on confirmation reverts it with `git revert` and pushes. Argo CD then syncs the
# environment back to what that commit replaced (a release's image digests, a config change, a patch).
#
# Usage: scripts/rollback.sh [options] <dev|prod>
#   --remote NAME    git remote Argo CD follows (default vm, see scripts/git-remote.sh)
#   --branch NAME    branch Argo CD follows (default main)
#   --dry-run        only show the commit and its diff (the default when stdin is not a terminal)
#   --yes            revert and push without asking
#
# Needs a clean work tree and HEAD at <remote>/<branch> (it fetches first). A rejected push undoes the local
# revert: either the rollback is pushed or nothing changed. Run it again to roll back one more change.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

remote=vm
branch=main
mode=ask
env=""

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --remote | --branch)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      case "$1" in
        --remote) remote=$2 ;;
        --branch) branch=$2 ;;
      esac
      shift
      ;;
    --dry-run) mode=dry-run ;;
    --yes) [ "$mode" = dry-run ] || mode=yes ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/rollback.sh --help)" ;;
    *) env=$(take_env "$env" "$1") ;;
  esac
  shift
done
[ -n "$env" ] || die "which environment? usage: scripts/rollback.sh [options] <dev|prod>"
if [ "$mode" = ask ] && ! [ -t 0 ]; then
  log "stdin is not a terminal: dry run (pass --yes to revert and push)"
  mode=dry-run
fi

cd "$ROOT"
require_cmd git
overlay="overlays/$env"
[ -d "$overlay" ] || die "$overlay does not exist"
git remote get-url "$remote" >/dev/null 2>&1 || die "no git remote '$remote' (run scripts/git-remote.sh, or pass --remote)"
log "Fetching $remote/$branch"
git fetch --quiet "$remote" "$branch" || die "cannot fetch $branch from remote '$remote'"
[ "$(git rev-parse HEAD)" = "$(git rev-parse FETCH_HEAD)" ] ||
  die "HEAD is not $remote/$branch: check it out and bring it up to date first (git switch $branch && git pull --rebase $remote $branch)"

# The last change on the branch's own line of history (a merge counts as one change to the branch).
target=$(git log -1 --first-parent --format=%H FETCH_HEAD -- "$overlay")
[ -n "$target" ] || die "no commit on $remote/$branch changed $overlay: nothing to roll back"
short=$(git rev-parse --short=12 "$target")
git rev-parse --quiet --verify "${target}^1" >/dev/null ||
  die "the last change to $overlay is $short, the commit that created it: there is nothing to roll back to"
revert_args=(--no-edit)
if [ "$(git rev-list --parents -n 1 "$target" | wc -w)" -gt 2 ]; then revert_args+=(-m 1); fi

echo "Last change to $overlay on $remote/$branch:"
git --no-pager log -1 --format='  %h %s%n  by %an, %ar' "$target"
others=$(git diff --name-only "${target}^1" "$target" | grep -v "^$overlay/" || true)
if [ -n "$others" ]; then
  warn "the commit also changed files outside $overlay; reverting undoes those too:"
  while IFS= read -r file; do printf '    %s\n' "$file" >&2; done <<<"$others"
fi
echo "Reverting it applies:"
git --no-pager diff --stat "$target" "${target}^1"
git --no-pager diff "$target" "${target}^1"

case "$mode" in
  dry-run)
    log "Dry run: nothing changed. To roll back: scripts/rollback.sh --yes $env"
    exit 0
    ;;
  ask)
    printf 'Revert %s and push to %s/%s? [type %s to go on] ' "$short" "$remote" "$branch" "$env" >&2
    read -r reply || reply=""
    [ "$reply" = "$env" ] || die "not confirmed: nothing was changed"
    ;;
esac

[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  die "the work tree has uncommitted changes: commit or stash them first"
start=$(git rev-parse HEAD)
if ! git revert --quiet "${revert_args[@]}" "$target" >/dev/null 2>&1; then
  git revert --abort >/dev/null 2>&1 || true
  die "reverting $short conflicts with later changes to $overlay: nothing was changed; revert by hand (git revert $short)"
fi
git commit --quiet --amend -m "Roll back $env: revert $short" -m "$(git log -1 --format='Reverts %H ("%s").' "$target")"
rollback=$(git rev-parse --short=12 HEAD)
if ! git push --quiet "$remote" "HEAD:refs/heads/$branch"; then
  git reset --quiet --keep "$start"
  die "push to $remote/$branch was refused: the revert was undone locally, nothing changed (fetch and try again)"
fi
log "Pushed $rollback to $remote/$branch: Argo CD rolls $env back now (watch: kubectl -n names-$env get pods -w)"
log "Undo the rollback with: git revert $rollback && git push $remote HEAD:$branch"
