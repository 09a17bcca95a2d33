#!/usr/bin/env bats
# scripts/rollback.sh: real git against a local bare "vm" remote. The revert of exactly the last commit that
# changed overlays/<env>, dry run without a terminal, confirmation at one, and that every failure (a refused
# push, a conflict, a stale clone) leaves the clone and the remote as they were.
# shellcheck disable=SC2030,SC2031 # each test runs in a subshell

load helpers

setup() {
  common_setup
  REPO="$BATS_TEST_TMPDIR/repo"
  fixture_repo "$REPO" scripts/rollback.sh scripts/lib/common.sh \
    overlays/dev/kustomization.yaml overlays/prod/kustomization.yaml
  # A release of dev, then an unrelated change on top.
  sed -i 's/newTag: 1.0.0-SNAPSHOT/newTag: abc123/' "$REPO/overlays/dev/kustomization.yaml"
  git -C "$REPO" commit --quiet -am "Release dev: abc123"
  RELEASE=$(git -C "$REPO" rev-parse HEAD)
  echo "notes" >"$REPO/NOTES.md"
  git -C "$REPO" add NOTES.md && git -C "$REPO" commit --quiet -m "Notes"
  REMOTE="$BATS_TEST_TMPDIR/remote.git"
  git init --quiet --bare "$REMOTE"
  git -C "$REPO" remote add vm "$REMOTE"
  git -C "$REPO" push --quiet vm HEAD:main
  START=$(git -C "$REPO" rev-parse HEAD)
}

assert_unchanged() {
  [ "$(git -C "$REPO" rev-parse HEAD)" = "$START" ]
  [ -z "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]
  [ "$(git --git-dir="$REMOTE" rev-parse main)" = "$START" ]
}

@test "without a terminal it is a dry run: shows the commit and the reverse diff, changes nothing" {
  run "$REPO/scripts/rollback.sh" dev </dev/null
  [ "$status" -eq 0 ]
  [[ $output == *"stdin is not a terminal: dry run"* ]]
  [[ $output == *"$(git -C "$REPO" rev-parse --short HEAD~1) Release dev: abc123"* ]]
  [[ $output == *"-    newTag: abc123"* ]]
  [[ $output == *"+    newTag: 1.0.0-SNAPSHOT"* ]]
  [[ $output == *"To roll back: scripts/rollback.sh --yes dev"* ]]
  assert_unchanged
}

@test "--yes reverts exactly the last change to the overlay and pushes it" {
  run "$REPO/scripts/rollback.sh" --yes dev </dev/null
  [ "$status" -eq 0 ]
  [ "$(git --git-dir="$REMOTE" rev-parse main)" = "$(git -C "$REPO" rev-parse HEAD)" ]
  [ "$(git -C "$REPO" rev-parse HEAD~1)" = "$START" ]
  [ "$(git -C "$REPO" log -1 --format=%s)" = "Roll back dev: revert $(git -C "$REPO" rev-parse --short=12 "$RELEASE")" ]
  git -C "$REPO" log -1 --format=%b | grep -q "Reverts $RELEASE"
  [ "$(git -C "$REPO" diff --name-only HEAD~1 HEAD)" = overlays/dev/kustomization.yaml ]
  grep -q 'newTag: 1.0.0-SNAPSHOT' "$REPO/overlays/dev/kustomization.yaml"
  [ -f "$REPO/NOTES.md" ]
  [[ $output == *"Argo CD rolls dev back now"* ]]
}

@test "at a terminal it asks: the environment's name goes on, anything else changes nothing" {
  run script -qec "$REPO/scripts/rollback.sh prod" /dev/null <<<"yes"
  [ "$status" -eq 1 ]
  [[ $output == *"the commit that created it: there is nothing to roll back to"* ]]
  run script -qec "$REPO/scripts/rollback.sh dev" /dev/null <<<"yes"
  [ "$status" -eq 1 ]
  [[ $output == *"not confirmed: nothing was changed"* ]]
  assert_unchanged
  run script -qec "$REPO/scripts/rollback.sh dev" /dev/null <<<"dev"
  [ "$status" -eq 0 ]
  [ "$(git --git-dir="$REMOTE" rev-parse main)" != "$START" ]
}

@test "a refused push undoes the local revert" {
  printf '#!/bin/sh\necho "rejected by policy" >&2\nexit 1\n' >"$REMOTE/hooks/pre-receive"
  chmod +x "$REMOTE/hooks/pre-receive"
  run "$REPO/scripts/rollback.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"push to vm/main was refused: the revert was undone locally, nothing changed"* ]]
  assert_unchanged
}

@test "a commit that also changed other files: listed; a later change to those files conflicts, nothing changed" {
  sed -i 's/newTag: abc123/newTag: def456/' "$REPO/overlays/dev/kustomization.yaml"
  echo "release notes: def456" >"$REPO/NOTES.md"
  git -C "$REPO" commit --quiet -am "Release dev: def456, with notes"
  echo "release notes: rewritten" >"$REPO/NOTES.md"
  git -C "$REPO" commit --quiet -am "Rewrite the notes"
  git -C "$REPO" push --quiet vm HEAD:main
  START=$(git -C "$REPO" rev-parse HEAD)
  run "$REPO/scripts/rollback.sh" --dry-run dev
  [ "$status" -eq 0 ]
  [[ $output == *"also changed files outside overlays/dev; reverting undoes those too"* ]]
  [[ $output == *"    NOTES.md"* ]]
  run "$REPO/scripts/rollback.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"conflicts with later changes"* ]]
  [[ $output == *"nothing was changed"* ]]
  assert_unchanged
  [ ! -e "$REPO/.git/REVERT_HEAD" ]
}

@test "a merge that changed the overlay is reverted against its first parent" {
  git -C "$REPO" switch --quiet -c scale-prod
  echo "# scaled" >>"$REPO/overlays/prod/kustomization.yaml"
  git -C "$REPO" commit --quiet -am "Scale prod"
  git -C "$REPO" switch --quiet main 2>/dev/null || git -C "$REPO" switch --quiet master
  git -C "$REPO" merge --quiet --no-ff -m "Merge scale-prod" scale-prod
  git -C "$REPO" push --quiet vm HEAD:main
  run "$REPO/scripts/rollback.sh" --yes prod
  [ "$status" -eq 0 ]
  [[ $(git -C "$REPO" log -1 --format=%b) == *'Reverts '*'("Merge scale-prod")'* ]]
  refute grep -q '# scaled' "$REPO/overlays/prod/kustomization.yaml"
}

@test "a clone that is not at the remote's branch, a missing remote, usage errors: refused, nothing changed" {
  git -C "$REPO" commit --quiet --allow-empty -m "local only"
  START=$(git -C "$REPO" rev-parse HEAD)
  run "$REPO/scripts/rollback.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"HEAD is not vm/main"* ]]
  [ "$(git -C "$REPO" rev-parse HEAD)" = "$START" ]
  run "$REPO/scripts/rollback.sh" --remote nowhere --yes dev
  [[ $output == *"no git remote 'nowhere'"* ]]
  run "$REPO/scripts/rollback.sh"
  [[ $output == *"which environment?"* ]]
  run "$REPO/scripts/rollback.sh" staging
  [[ $output == *"unknown environment 'staging'"* ]]
  run "$REPO/scripts/rollback.sh" --help
  [ "$status" -eq 0 ]
  [[ $output == *"Usage: scripts/rollback.sh"* ]]
}
