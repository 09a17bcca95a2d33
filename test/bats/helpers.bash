# shellcheck shell=bash
# Shared by the bats tests: the repository root, a scratch PATH for recording fakes, fixture repositories.
# Tests never contact a real cluster, registry or VM: the tools that would are replaced by fakes that record
# their arguments (one line per call in $CALLS) and answer what the test scripted.

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
export REPO_ROOT

common_setup() {
  FAKE_BIN="$BATS_TEST_TMPDIR/bin"
  CALLS="$BATS_TEST_TMPDIR/calls.log"
  mkdir -p "$FAKE_BIN"
  : >"$CALLS"
  export FAKE_BIN CALLS
  export PATH="$FAKE_BIN:$PATH"
  # git: a predictable identity, no user or system configuration.
  export HOME="$BATS_TEST_TMPDIR/home"
  mkdir -p "$HOME"
  export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.invalid
  export GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.invalid
  git config --global init.defaultBranch main
  git config --global advice.detachedHead false
}

# fake NAME [BODY]: puts a command NAME first on PATH. It records "NAME args..." in $CALLS, then runs BODY
# (bash, with the arguments in "$@"; default: succeed silently).
fake() {
  local name=$1 body=${2:-:}
  cat >"$FAKE_BIN/$name" <<FAKE
#!/usr/bin/env bash
printf '%s\n' "$name \$*" >>"\$CALLS"
$body
FAKE
  chmod +x "$FAKE_BIN/$name"
}

# fixture_repo DIR PATH...: a git repository at DIR with the given repository paths copied in, committed.
fixture_repo() {
  local dir=$1 path
  shift
  mkdir -p "$dir"
  for path in "$@"; do
    mkdir -p "$dir/$(dirname "$path")"
    cp -R "$REPO_ROOT/$path" "$dir/$path"
  done
  git -C "$dir" init --quiet
  printf '.secrets/\ntarget/\n' >"$dir/.gitignore"
  git -C "$dir" add -A
  git -C "$dir" commit --quiet -m "fixture"
}

# calls: the recorded calls, for assertions.
calls() { cat "$CALLS"; }

# refute COMMAND...: fails when COMMAND succeeds. (A bare `! command` does not fail a bats test: errexit
# ignores negated commands.)
refute() {
  if "$@"; then
    echo "expected to fail: $*" >&2
    return 1
  fi
}

# provisioning_scratch: the VM provisioning's folders (scripts/vagrant/config.sh's NM_* settings) under the test's
# scratch directory, the repository itself as the host's clone.
provisioning_scratch() {
  export NM_REPO_DIR="$REPO_ROOT"
  export NM_SECRETS_DIR="$BATS_TEST_TMPDIR/secrets"
  export NM_STATE_DIR="$BATS_TEST_TMPDIR/state"
  export NM_ETC_DIR="$BATS_TEST_TMPDIR/etc"
  export NM_K3S_ETC="$BATS_TEST_TMPDIR/k3s-etc"
  export NM_BIN_DIR="$BATS_TEST_TMPDIR/usr-local-bin"
  mkdir -p "$NM_BIN_DIR"
}

