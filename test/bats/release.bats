#!/usr/bin/env bats
# scripts/release.sh: the exact build and edit commands, one commit with only the overlays, the push, and that
# every failure before the commit leaves Git as it was.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

BACKEND=sha256:1111111111111111111111111111111111111111111111111111111111111111
FRONTEND=sha256:2222222222222222222222222222222222222222222222222222222222222222

setup() {
  common_setup
  REPO="$BATS_TEST_TMPDIR/repo"
  fixture_repo "$REPO" scripts/release.sh scripts/lib/common.sh scripts/lib/java.sh \
    overlays/dev/kustomization.yaml overlays/prod/kustomization.yaml
  # The Maven wrapper: records its arguments, then "pushes" by writing Jib's digest files.
  cat >"$REPO/mvnw" <<'MVNW'
#!/usr/bin/env bash
printf 'mvnw %s\n' "$*" >>"$CALLS"
[ -z "${FAKE_MVN_FAIL:-}" ] || { echo "[ERROR] BUILD FAILURE" >&2; exit 1; }
mkdir -p apps/backend/target apps/frontend/target
printf '%s' "${FAKE_BACKEND_DIGEST-sha256:1111111111111111111111111111111111111111111111111111111111111111}" >apps/backend/target/jib-image.digest
printf '%s' "${FAKE_FRONTEND_DIGEST-sha256:2222222222222222222222222222222222222222222222222222222222222222}" >apps/frontend/target/jib-image.digest
MVNW
  chmod +x "$REPO/mvnw"
  git -C "$REPO" add mvnw && git -C "$REPO" commit --quiet -m "wrapper"
  # kustomize edit: records where and what, and changes the file as the real one would.
  fake kustomize 'printf "%s\n" "cwd ${PWD#"$REPO"/}" >>"$CALLS"
[ -z "${FAKE_KUSTOMIZE_FAIL_IN:-}" ] || [ "${PWD##*/}" != "$FAKE_KUSTOMIZE_FAIL_IN" ] || exit 1
[ -n "${FAKE_KUSTOMIZE_NOOP:-}" ] || printf "# %s\n" "$*" >>kustomization.yaml'
  export REPO
  REMOTE="$BATS_TEST_TMPDIR/remote.git"
  git init --quiet --bare "$REMOTE"
  git -C "$REPO" remote add vm "$REMOTE"
  git -C "$REPO" push --quiet vm HEAD:main
  START=$(git -C "$REPO" rev-parse HEAD)
  TAG=$(git -C "$REPO" rev-parse --short=12 HEAD)
}

assert_nothing_committed() {
  [ "$(git -C "$REPO" rev-parse HEAD)" = "$START" ]
  [ -z "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]
  [ "$(git --git-dir="$REMOTE" rev-parse main)" = "$START" ]
}

@test "builds once, pins both digests in the overlay, commits only the overlay and pushes" {
  run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 0 ]
  expected="mvnw -B -pl apps/backend,apps/frontend -am package jib:build -Dimage.registry=192.168.56.10:30500 -Dimage.tag=$TAG -Djib.allowInsecureRegistries=true
kustomize edit set image names-backend=192.168.56.10:30500/names-backend@$BACKEND names-frontend=192.168.56.10:30500/names-frontend@$FRONTEND
cwd overlays/dev"
  [ "$(calls)" = "$expected" ]
  [ "$(git -C "$REPO" rev-list --count "$START..HEAD")" = 1 ]
  [ "$(git -C "$REPO" diff --name-only "$START" HEAD)" = overlays/dev/kustomization.yaml ]
  [ "$(git -C "$REPO" log -1 --format=%s)" = "Release dev: names-backend and names-frontend at $TAG" ]
  git -C "$REPO" log -1 --format=%b | grep -qx "names-backend@$BACKEND"
  [ "$(git --git-dir="$REMOTE" rev-parse main)" = "$(git -C "$REPO" rev-parse HEAD)" ]
  [[ $output == *"Roll back with: git revert"* ]]
}

@test "several environments: one build, one edit per overlay, one commit" {
  run "$REPO/scripts/release.sh" --skip-tests --registry registry.example:5000 dev prod
  [ "$status" -eq 0 ]
  [ "$(grep -c '^mvnw ' "$CALLS")" = 1 ]
  grep -qx "mvnw -B -pl apps/backend,apps/frontend -am package jib:build -Dimage.registry=registry.example:5000 -Dimage.tag=$TAG -Djib.allowInsecureRegistries=true -DskipTests" "$CALLS"
  [ "$(grep -c '^kustomize edit set image names-backend=registry.example:5000/names-backend@' "$CALLS")" = 2 ]
  grep -qx 'cwd overlays/prod' "$CALLS"
  [ "$(git -C "$REPO" rev-list --count "$START..HEAD")" = 1 ]
  [ "$(git -C "$REPO" diff --name-only "$START" HEAD | sort | tr '\n' ' ')" = "overlays/dev/kustomization.yaml overlays/prod/kustomization.yaml " ]
  [ "$(git -C "$REPO" log -1 --format=%s)" = "Release dev prod: names-backend and names-frontend at $TAG" ]
}

@test "a release that changes nothing commits nothing" {
  FAKE_KUSTOMIZE_NOOP=1 run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 0 ]
  [[ $output == *"nothing to commit"* ]]
  assert_nothing_committed
}

@test "uncommitted changes stop it before the build" {
  echo "# local edit" >>"$REPO/overlays/dev/kustomization.yaml"
  run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"uncommitted changes"* ]]
  [ ! -s "$CALLS" ]
  [ "$(git -C "$REPO" rev-parse HEAD)" = "$START" ]
}

@test "a clone behind the remote is told to pull, before the build" {
  other="$BATS_TEST_TMPDIR/other"
  git clone --quiet "$REMOTE" "$other"
  git -C "$other" commit --quiet --allow-empty -m "someone else"
  git -C "$other" push --quiet origin HEAD:main
  run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"pull first (git pull --rebase vm main)"* ]]
  [ ! -s "$CALLS" ]
  [ "$(git -C "$REPO" rev-parse HEAD)" = "$START" ]
}

@test "a failed build changes nothing in Git" {
  FAKE_MVN_FAIL=1 run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"the build or the image push failed; nothing was changed in Git"* ]]
  refute grep -q '^kustomize' "$CALLS"
  assert_nothing_committed
}

@test "a missing or malformed digest file changes nothing in Git" {
  FAKE_FRONTEND_DIGEST='' run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"apps/frontend/target/jib-image.digest was not written"* ]]
  assert_nothing_committed
  FAKE_BACKEND_DIGEST=latest run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"does not hold an image digest"* ]]
  assert_nothing_committed
}

@test "a failing edit of the second overlay puts the first one back" {
  FAKE_KUSTOMIZE_FAIL_IN=prod run "$REPO/scripts/release.sh" dev prod
  [ "$status" -eq 1 ]
  [[ $output == *"kustomize edit failed in overlays/prod"* ]]
  grep -qx 'cwd overlays/dev' "$CALLS"
  assert_nothing_committed
}

@test "a rejected push says the commit is local and how to push it" {
  printf '#!/bin/sh\necho "rejected by policy" >&2\nexit 1\n' >"$REMOTE/hooks/pre-receive"
  chmod +x "$REMOTE/hooks/pre-receive"
  run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  release=$(git -C "$REPO" rev-parse --short=12 HEAD)
  [[ $output == *"push failed: the release commit $release is local only"* ]]
  [[ $output == *"git push vm HEAD:main"* ]]
  [ "$(git --git-dir="$REMOTE" rev-parse main)" = "$START" ]
}

@test "no such remote: it points at scripts/git-remote.sh; --no-push commits without one" {
  git -C "$REPO" remote remove vm
  run "$REPO/scripts/release.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"no git remote 'vm' (run scripts/git-remote.sh"* ]]
  [ ! -s "$CALLS" ]
  run "$REPO/scripts/release.sh" --no-push dev
  [ "$status" -eq 0 ]
  [ "$(git -C "$REPO" rev-list --count "$START..HEAD")" = 1 ]
}

@test "usage errors are reported before anything runs" {
  run "$REPO/scripts/release.sh"
  [ "$status" -eq 1 ]
  [[ $output == *"which environment?"* ]]
  run "$REPO/scripts/release.sh" qa
  [ "$status" -eq 1 ]
  [[ $output == *"unknown environment 'qa'"* ]]
  run "$REPO/scripts/release.sh" --registry 'bad registry' dev
  [ "$status" -eq 1 ]
  [[ $output == *"invalid registry"* ]]
  run "$REPO/scripts/release.sh" --remote
  [ "$status" -eq 1 ]
  [[ $output == *"--remote needs a value"* ]]
  [ ! -s "$CALLS" ]
  assert_nothing_committed
}
