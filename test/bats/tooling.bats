#!/usr/bin/env bats
# The checks themselves must catch what they are there for: vagrant validate rejects a broken Vagrantfile,
# ShellCheck rejects a broken script, and test/ops-checks.sh covers every shell script of the repository.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  printf '#!/bin/sh\n[ "$1" = --version ] && echo 7.0.14r161095\nexit 0\n' >"$FAKE_BIN/VBoxManage"
  chmod +x "$FAKE_BIN/VBoxManage"
  export VAGRANT_DEFAULT_PROVIDER=virtualbox
  LAB="$BATS_TEST_TMPDIR/lab"
  mkdir -p "$LAB/scripts"
  cp "$REPO_ROOT/Vagrantfile" "$LAB/"
  cp -R "$REPO_ROOT/scripts/vagrant" "$LAB/scripts/"
}

@test "vagrant validate accepts the Vagrantfile" {
  cd "$LAB"
  run vagrant validate
  [ "$status" -eq 0 ]
}

@test "vagrant validate rejects a misspelt VirtualBox setting" {
  cd "$LAB"
  sed -i 's/vb.memory = SERVER_MEMORY/vb.memroy = SERVER_MEMORY/' Vagrantfile
  run vagrant validate
  [ "$status" -ne 0 ]
  [[ $output == *"memroy"* ]]
}

@test "vagrant validate rejects a missing provisioning script" {
  cd "$LAB"
  rm scripts/vagrant/provision-agent.sh
  run vagrant validate
  [ "$status" -ne 0 ]
  [[ $output == *"provision-agent.sh"* ]]
}

@test "shellcheck rejects an unquoted expansion" {
  printf '#!/usr/bin/env bash\nfile=$1\nrm $file\n' >"$BATS_TEST_TMPDIR/broken.sh"
  run shellcheck "$BATS_TEST_TMPDIR/broken.sh"
  [ "$status" -ne 0 ]
  [[ $output == *SC2086* ]]
}

@test "test/ops-checks.sh lints every shell script in the repository" {
  cd "$REPO_ROOT"
  for file in scripts/seal.sh scripts/release.sh scripts/git-remote.sh scripts/set-repo-url.sh \
    scripts/lib/common.sh scripts/lib/java.sh scripts/vagrant/lib.sh scripts/vagrant/config.sh \
    scripts/vagrant/provision-server.sh scripts/vagrant/provision-agent.sh scripts/vagrant/post-receive \
    test/ops-checks.sh test/bats/helpers.bash .ci/run; do
    [ -f "$file" ] || { echo "missing $file" >&2; return 1; }
  done
  # shell_scripts is the runner's own list: every file above must be on it.
  list=$(sed -n '/^shell_scripts() {/,/^}/p' test/ops-checks.sh)
  eval "$list"
  listed=$(shell_scripts)
  for file in scripts/vagrant/post-receive .ci/run scripts/vagrant/config.sh test/bats/seal.bats; do
    printf '%s\n' "$listed" | grep -qx "$file"
  done
}

@test "a checkout with core.autocrlf keeps LF in scripts and manifests (.gitattributes)" {
  src="$BATS_TEST_TMPDIR/src"
  mkdir -p "$src/scripts" "$src/base"
  cp "$REPO_ROOT/.gitattributes" "$REPO_ROOT/Vagrantfile" "$src/"
  cp "$REPO_ROOT/scripts/seal.sh" "$src/scripts/"
  cp "$REPO_ROOT/base/kustomization.yaml" "$src/base/"
  git -C "$src" init --quiet
  git -C "$src" add -A
  git -C "$src" -c user.name=t -c user.email=t@localhost commit --quiet -m files
  git -c core.autocrlf=true clone --quiet "$src" "$BATS_TEST_TMPDIR/windows"
  for file in Vagrantfile scripts/seal.sh base/kustomization.yaml; do
    refute grep -q $'\r' "$BATS_TEST_TMPDIR/windows/$file"
  done
}
