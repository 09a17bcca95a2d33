#!/usr/bin/env bash
# Ships the current commit the GitOps way: builds names-backend and names-frontend with Jib, pushes them to the
# registry, pins the pushed digests in overlays/<env> (kustomize edit set image), commits that change and pushes
# it. Argo CD then rolls the environment out. Rollback: git revert <release commit> && git push.
#
# Usage: scripts/release.sh [options] <env>...      e.g. scripts/release.sh dev   or   scripts/release.sh dev prod
#   --registry HOST:PORT  where Jib pushes and the overlays pull from (default $IMAGE_REGISTRY or 192.168.56.10:30500)
#   --remote NAME         git remote to push to (default vm, see scripts/git-remote.sh)
#   --branch NAME         branch Argo CD follows (default main)
#   --skip-tests          build without running the tests (the VM's first boot uses it)
#   --no-push             commit only
#
# Needs: a clean work tree (tracked files), a JDK 21+, kustomize, and HEAD not behind <remote>/<branch>.
# Maven properties handed to the apps' Jib configuration: image.registry and image.tag (the commit, 12 hex).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

registry=${IMAGE_REGISTRY:-192.168.56.10:30500}
remote=vm
branch=main
skip_tests=false
push=true
envs=()

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --registry | --remote | --branch)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      case "$1" in
        --registry) registry=$2 ;;
        --remote) remote=$2 ;;
        --branch) branch=$2 ;;
      esac
      shift
      ;;
    --skip-tests) skip_tests=true ;;
    --no-push) push=false ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/release.sh --help)" ;;
    *)
      valid_env "$1" || die "unknown environment '$1' (expected dev or prod)"
      envs+=("$1")
      ;;
  esac
  shift
done
[ "${#envs[@]}" -gt 0 ] || die "which environment? usage: scripts/release.sh [options] <dev|prod>..."
[[ $registry =~ ^[A-Za-z0-9.-]+(:[0-9]+)?(/[a-z0-9._/-]+)?$ ]] || die "invalid registry '$registry'"

cd "$ROOT"
require_cmd git kustomize
for env in "${envs[@]}"; do
  [ -f "overlays/$env/kustomization.yaml" ] || die "overlays/$env/kustomization.yaml does not exist"
done
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
  die "the work tree has uncommitted changes: commit or stash them first (a release commits only the overlays)"

if $push; then
  git remote get-url "$remote" >/dev/null 2>&1 ||
    die "no git remote '$remote' (run scripts/git-remote.sh, or pass --remote / --no-push)"
  log "Fetching $remote/$branch"
  git fetch --quiet "$remote" "$branch" || die "cannot fetch $branch from remote '$remote'"
  git merge-base --is-ancestor FETCH_HEAD HEAD ||
    die "HEAD does not contain $remote/$branch: pull first (git pull --rebase $remote $branch)"
fi

tag=$(git rev-parse --short=12 HEAD)
digest_files=(apps/backend/target/jib-image.digest apps/frontend/target/jib-image.digest)
rm -f "${digest_files[@]}"

# shellcheck source=scripts/lib/java.sh
. "$ROOT/scripts/lib/java.sh"
ensure_maven
mvn_args=(-B -pl "apps/backend,apps/frontend" -am package jib:build
  "-Dimage.registry=$registry" "-Dimage.tag=$tag" -Djib.allowInsecureRegistries=true)
if $skip_tests; then mvn_args+=(-DskipTests); fi
log "Building and pushing $registry/names-backend:$tag and $registry/names-frontend:$tag"
./mvnw "${mvn_args[@]}" || die "the build or the image push failed; nothing was changed in Git"

read_digest() {
  local file=$1 digest
  [ -s "$file" ] || die "$file was not written: did Jib push the image?"
  digest=$(tr -d ' \n' <"$file")
  [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || die "$file does not hold an image digest"
  printf '%s' "$digest"
}
backend=$(read_digest apps/backend/target/jib-image.digest)
frontend=$(read_digest apps/frontend/target/jib-image.digest)

overlay_files=()
for env in "${envs[@]}"; do overlay_files+=("overlays/$env/kustomization.yaml"); done
# From here until the commit, a failure puts the overlays back as they were.
trap 'git checkout --quiet -- "${overlay_files[@]}"' EXIT
for env in "${envs[@]}"; do
  (cd "overlays/$env" && kustomize edit set image \
    "names-backend=$registry/names-backend@$backend" \
    "names-frontend=$registry/names-frontend@$frontend") ||
    die "kustomize edit failed in overlays/$env; the overlays are unchanged"
done

if git diff --quiet -- "${overlay_files[@]}"; then
  trap - EXIT
  log "overlays already pin these digests: nothing to commit"
  exit 0
fi
git commit --quiet -m "Release ${envs[*]}: names-backend and names-frontend at $tag" \
  -m "names-backend@$backend
names-frontend@$frontend" -- "${overlay_files[@]}" || die "git commit failed; the overlays are unchanged"
trap - EXIT
release=$(git rev-parse --short=12 HEAD)
log "Committed $release: ${envs[*]} now pin names-backend@$backend and names-frontend@$frontend"

if $push; then
  git push --quiet "$remote" "HEAD:refs/heads/$branch" ||
    die "push failed: the release commit $release is local only; fix the remote, then: git push $remote HEAD:$branch"
  log "Pushed to $remote/$branch: Argo CD syncs ${envs[*]} now"
fi
log "Roll back with: git revert $release && git push $remote HEAD:$branch"
