#!/usr/bin/env bats
# scripts/check-tools.sh on a machine that has only the tools a test gives it: fakes on a PATH of their own and an
# empty root for absolute paths.
# shellcheck disable=SC2016 # the fakes' bodies are single-quoted bash

load helpers

setup() {
  common_setup
  sys="$BATS_TEST_TMPDIR/sys"
  mkdir -p "$sys"
  for tool in bash chmod cut grep sort; do ln -s "$(command -v "$tool")" "$sys/$tool"; done
  export CHECK_TOOLS_ROOT="$BATS_TEST_TMPDIR/root"
  mkdir -p "$CHECK_TOOLS_ROOT"
  for tool in podman runc slirp4netns docker-registry skopeo git; do fake "$tool"; done
}

check_tools() {
  PATH="$FAKE_BIN:$sys" run bash "$REPO_ROOT/scripts/check-tools.sh" "$@"
}

@test "podman without catatonit: the image stage names catatonit, its package and its use, in one line" {
  check_tools images
  [ "$status" -eq 1 ]
  [ "$output" = "missing: catatonit (Debian package catatonit), needed by podman kube play (the pod pause process) (images)" ]
}

@test "catatonit where podman looks for it counts as installed" {
  mkdir -p "$CHECK_TOOLS_ROOT/usr/libexec/podman"
  printf '#!/bin/sh\n' >"$CHECK_TOOLS_ROOT/usr/libexec/podman/catatonit"
  chmod +x "$CHECK_TOOLS_ROOT/usr/libexec/podman/catatonit"
  check_tools images
  [ "$status" -eq 0 ]
  [[ $output == *"everything images needs is here"* ]]
}

@test "every missing tool of every stage asked for is named once, before anything is installed or run" {
  rm "$FAKE_BIN/git"
  check_tools images cluster
  [ "$status" -eq 1 ]
  [ "$(grep -c '^missing: git ' <<<"$output")" -eq 1 ]
  [[ $output == *"missing: go, needed by building the programs (Go 1.26+ and the module proxy) (cluster); it is not a Debian package: see README.md"* ]]
  [[ $output == *"missing: /usr/sbin/nginx (Debian package nginx), needed by the Git server (cluster)"* ]]
  refute grep -q "^missing: podman " <<<"$output"
}

@test "--install apt-gets exactly the missing packages, then checks again" {
  fake apt-get 'if [ "$1" = install ]; then printf "#!/bin/sh\n" >"$FAKE_BIN/catatonit"; chmod +x "$FAKE_BIN/catatonit"; fi'
  check_tools --install images
  [ "$status" -eq 0 ]
  [ "$(calls | grep '^apt-get')" = "apt-get update -qq
apt-get install -y -qq catatonit" ]
}

@test "--install still fails, naming the tool, when the package did not provide it" {
  fake apt-get
  check_tools --install images
  [ "$status" -eq 1 ]
  [[ $output == *"missing: catatonit (Debian package catatonit)"* ]]
}

@test "an unknown stage is a usage error naming the stages" {
  check_tools image
  [ "$status" -eq 2 ]
  [ "$output" = "check-tools.sh: unknown stage 'image' (expected build, ops, images or cluster)" ]
}
