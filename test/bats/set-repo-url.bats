#!/usr/bin/env bats
# scripts/set-repo-url.sh: every repoURL and sourceRepos entry of this repository moves, nothing else does.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

OLD=http://192.168.56.10:8418/names-manager.git
NEW=https://github.com/someone/names-manager.git

setup() {
  common_setup
  REPO="$BATS_TEST_TMPDIR/repo"
  fixture_repo "$REPO" scripts/set-repo-url.sh scripts/lib/common.sh argocd
}

@test "repoints every Application and AppProject, and leaves the Helm repository alone" {
  before=$(grep -rcF "$OLD" "$REPO/argocd" | awk -F: '{ n += $2 } END { print n }')
  [ "$before" -ge 7 ]
  run "$REPO/scripts/set-repo-url.sh" "$NEW"
  [ "$status" -eq 0 ]
  refute grep -rqF "$OLD" "$REPO/argocd"
  [ "$(grep -rcF "$NEW" "$REPO/argocd" | awk -F: '{ n += $2 } END { print n }')" = "$before" ]
  grep -q '^    repoURL: https://bitnami-labs.github.io/sealed-secrets$' "$REPO/argocd/applications/sealed-secrets.yaml"
  grep -q '^    - https://bitnami-labs.github.io/sealed-secrets$' "$REPO/argocd/project-platform.yaml"
  # Only the URL lines changed.
  [ "$(git -C "$REPO" diff --numstat | awk '{ a += $1; d += $2 } END { print a "=" d }')" = "$before=$before" ]
  # The result still renders.
  kubectl kustomize "$REPO/argocd" | grep -c "repoURL: $NEW" | grep -qx 5
}

@test "a second run with the same URL changes nothing" {
  "$REPO/scripts/set-repo-url.sh" "$NEW"
  git -C "$REPO" add -A && git -C "$REPO" commit --quiet -m moved
  run "$REPO/scripts/set-repo-url.sh" "$NEW"
  [ "$status" -eq 0 ]
  [[ $output == *"already points at $NEW"* ]]
  [ -z "$(git -C "$REPO" status --porcelain)" ]
}

@test "URLs with regex and sed metacharacters are replaced literally" {
  odd='https://git.example/a+b/names-manager.git?x=1&y=[2]'
  run "$REPO/scripts/set-repo-url.sh" 'https://git.example/a+b/names-manager.git'
  [ "$status" -eq 0 ]
  run "$REPO/scripts/set-repo-url.sh" "$OLD"
  [ "$status" -eq 0 ]
  [ -z "$(git -C "$REPO" status --porcelain)" ]
  run "$REPO/scripts/set-repo-url.sh" "$odd"
  [ "$status" -eq 1 ]
  [[ $output == *"does not look like a Git URL"* ]]
}

@test "git@host:path URLs are accepted" {
  run "$REPO/scripts/set-repo-url.sh" git@github.com:someone/names-manager.git
  [ "$status" -eq 0 ]
  grep -q '^    repoURL: git@github.com:someone/names-manager.git$' "$REPO/argocd/root-application.yaml"
}

@test "a bad URL or a missing argument changes nothing" {
  run "$REPO/scripts/set-repo-url.sh" 'not a url'
  [ "$status" -eq 1 ]
  run "$REPO/scripts/set-repo-url.sh"
  [ "$status" -eq 1 ]
  [[ $output == *"usage:"* ]]
  [ -z "$(git -C "$REPO" status --porcelain)" ]
}
