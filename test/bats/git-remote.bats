#!/usr/bin/env bats
# scripts/git-remote.sh: the remote, the credential helper that reads .secrets/git-password, idempotence, and
# what it reports after fetching. The VM's server is stood in for by a local bare repository (url.insteadOf).
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

URL=http://192.168.56.10:8418/names-manager.git

setup() {
  common_setup
  REPO="$BATS_TEST_TMPDIR/repo"
  fixture_repo "$REPO" scripts/git-remote.sh scripts/lib/common.sh scripts/vagrant/config.sh
  mkdir -p "$REPO/.secrets"
  printf 'the-push-password\n' >"$REPO/.secrets/git-password"
}

# credential_for URL: what git would send for URL (no network: git credential only asks the helpers).
credential_for() {
  local proto=${1%%://*} rest=${1#*://}
  printf 'protocol=%s\nhost=%s\npath=%s\n\n' "$proto" "${rest%%/*}" "${rest#*/}" |
    GIT_TERMINAL_PROMPT=0 git -C "$REPO" credential fill
}

# A bare repository standing in for the VM's server, reached through the real URL.
stand_in_server() {
  SERVER="$BATS_TEST_TMPDIR/server.git"
  git clone --quiet --bare "$REPO" "$SERVER"
  git -C "$REPO" config "url.$SERVER.insteadOf" "$URL"
}

@test "adds the remote and a credential helper that reads the password file" {
  run "$REPO/scripts/git-remote.sh" --no-fetch
  [ "$status" -eq 0 ]
  [ "$(git -C "$REPO" remote get-url vm)" = "$URL" ]
  credentials=$(credential_for "$URL")
  [[ $credentials == *"username=gitops"* ]]
  [[ $credentials == *"password=the-push-password"* ]]
  # The password itself is not in the repository's configuration.
  refute grep -q the-push-password "$REPO/.git/config"
  # A new password in the file is used at the next push, without running the script again.
  printf 'rotated\n' >"$REPO/.secrets/git-password"
  [[ $(credential_for "$URL") == *"password=rotated"* ]]
}

@test "helpers configured elsewhere are reset for this server only" {
  git config --global credential.helper "store --file=$BATS_TEST_TMPDIR/store"
  "$REPO/scripts/git-remote.sh" --no-fetch
  [ "$(git -C "$REPO" config --get-all credential.http://192.168.56.10:8418.helper | head -n 1)" = "" ]
  credential_for "$URL" >/dev/null
  [ ! -s "$BATS_TEST_TMPDIR/store" ]
}

@test "running it again changes nothing" {
  "$REPO/scripts/git-remote.sh" --no-fetch
  cp "$REPO/.git/config" "$BATS_TEST_TMPDIR/config.first"
  run "$REPO/scripts/git-remote.sh" --no-fetch
  [ "$status" -eq 0 ]
  cmp "$BATS_TEST_TMPDIR/config.first" "$REPO/.git/config"
  [ "$(git -C "$REPO" config --get-all credential.http://192.168.56.10:8418.helper | wc -l)" = 2 ]
}

@test "an existing remote of that name is repointed" {
  git -C "$REPO" remote add vm https://old.example/names-manager.git
  run "$REPO/scripts/git-remote.sh" --no-fetch
  [ "$status" -eq 0 ]
  [[ $output == *"Remote 'vm' now points at $URL"* ]]
  [ "$(git -C "$REPO" remote get-url vm)" = "$URL" ]
}

@test "--name and --url choose another remote and server" {
  run "$REPO/scripts/git-remote.sh" --no-fetch --name lab --url https://git.example:8443/names-manager.git
  [ "$status" -eq 0 ]
  [ "$(git -C "$REPO" remote get-url lab)" = https://git.example:8443/names-manager.git ]
  [[ $(credential_for https://git.example:8443/names-manager.git) == *"password=the-push-password"* ]]
}

@test "without .secrets/git-password it stops before touching the configuration" {
  rm "$REPO/.secrets/git-password"
  run "$REPO/scripts/git-remote.sh"
  [ "$status" -eq 1 ]
  [[ $output == *"run 'vagrant up' first"* ]]
  refute git -C "$REPO" remote get-url vm
}

@test "bad arguments are refused" {
  run "$REPO/scripts/git-remote.sh" --url file:///tmp/x.git
  [ "$status" -eq 1 ]
  [[ $output == *"must be http(s)"* ]]
  run "$REPO/scripts/git-remote.sh" --name 'two words'
  [ "$status" -eq 1 ]
  [[ $output == *"invalid remote name"* ]]
  run "$REPO/scripts/git-remote.sh" --bogus
  [ "$status" -eq 1 ]
  [[ $output == *"unknown argument '--bogus'"* ]]
  refute git -C "$REPO" remote get-url vm
}

@test "fetches and says what to pull when the VM has commits this clone lacks" {
  stand_in_server
  other="$BATS_TEST_TMPDIR/other"
  git clone --quiet "$SERVER" "$other"
  git -C "$other" commit --quiet --allow-empty -m "Reseal dev db-credentials"
  git -C "$other" push --quiet origin HEAD:main
  run "$REPO/scripts/git-remote.sh"
  [ "$status" -eq 0 ]
  [[ $output == *"vm/main has 1 commit(s) this branch lacks"* ]]
  [[ $output == *"git pull --rebase vm main"* ]]
}

@test "reports a clone that is level with the VM" {
  stand_in_server
  run "$REPO/scripts/git-remote.sh"
  [ "$status" -eq 0 ]
  [[ $output == *"same commit"* ]]
}

@test "an unreachable VM is an error, with the remote left configured" {
  run "$REPO/scripts/git-remote.sh" --url http://127.0.0.1:9/names-manager.git
  [ "$status" -eq 1 ]
  [[ $output == *"cannot fetch from http://127.0.0.1:9/names-manager.git"* ]]
  [ "$(git -C "$REPO" remote get-url vm)" = http://127.0.0.1:9/names-manager.git ]
}
