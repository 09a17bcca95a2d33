#!/usr/bin/env bats
# The k3s side of the VM provisioning (scripts/vagrant/lib.sh and provision-agent.sh) against a scratch
# directory: the verified k3s binary and its unit, the preloaded airgap images, registries.yaml with a Docker Hub
# mirror and credentials, the agent's join token, the root Application that cleanup.sh paused. curl, systemctl,
# kubectl and the k3s binary are recording fakes; the release files they serve are made here.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  provisioning_scratch
  export NM_K3S_DATA="$BATS_TEST_TMPDIR/k3s-data"
  export NM_SYSTEMD_DIR="$BATS_TEST_TMPDIR/systemd"
  export NM_WORK_DIR="$REPO_ROOT"
  # shellcheck source=scripts/lib/common.sh
  . "$REPO_ROOT/scripts/lib/common.sh"
  # shellcheck source=scripts/vagrant/config.sh
  . "$REPO_ROOT/scripts/vagrant/config.sh"
  # shellcheck source=scripts/vagrant/lib.sh
  . "$REPO_ROOT/scripts/vagrant/lib.sh"
  ARCH=$(arch_name)
  RELEASE="https://github.com/k3s-io/k3s/releases/download/${K3S_VERSION//+/%2B}"
  BINARY=k3s
  [ "$ARCH" = amd64 ] || BINARY="k3s-$ARCH"
  AIRGAP="k3s-airgap-images-$ARCH.tar.zst"
  fake systemctl
}

# A curl that serves $BATS_TEST_TMPDIR/downloads/<last path segment of the URL>, and fails (22) on anything else.
fake_download_curl() {
  mkdir -p "$BATS_TEST_TMPDIR/downloads"
  fake curl 'out="" url=""
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift ;; http*) url=$1 ;; esac; shift; done
[ -f "$BATS_TEST_TMPDIR/downloads/${url##*/}" ] || exit 22
cp "$BATS_TEST_TMPDIR/downloads/${url##*/}" "$out"'
}

# release_files: the pinned release's k3s binary (a script that reports the version) and airgap images, with
# the release's checksum file listing both.
release_files() {
  fake_download_curl
  printf '#!/bin/sh\necho "k3s version %s (0123abcd)"\n' "$K3S_VERSION" >"$BATS_TEST_TMPDIR/downloads/$BINARY"
  printf 'images of %s\n' "$K3S_VERSION" >"$BATS_TEST_TMPDIR/downloads/$AIRGAP"
  (cd "$BATS_TEST_TMPDIR/downloads" && sha256sum "$BINARY" "$AIRGAP" >"sha256sum-$ARCH.txt")
}

@test "k3s is the release binary, checked against the release's checksum file: no install script fetched by tag" {
  release_files
  install_k3s server
  refute grep -q raw.githubusercontent.com "$CALLS"
  grep -qx "curl -fsSL --retry 3 -o .* $RELEASE/$BINARY" "$CALLS"
  grep -qx "curl -fsSL --retry 3 -o .* $RELEASE/sha256sum-$ARCH.txt" "$CALLS"
  cmp "$BATS_TEST_TMPDIR/downloads/$BINARY" "$NM_BIN_DIR/k3s"
  [ -x "$NM_BIN_DIR/k3s" ]
  for tool in kubectl crictl ctr; do [ "$(readlink "$NM_BIN_DIR/$tool")" = k3s ]; done
  unit="$NM_SYSTEMD_DIR/k3s.service"
  grep -qx "ExecStart=$NM_BIN_DIR/k3s server" "$unit"
  grep -qx 'Type=notify' "$unit"
  grep -qx 'KillMode=process' "$unit"
  grep -qx 'Delegate=yes' "$unit"
  [ "$(grep '^systemctl' "$CALLS")" = 'systemctl daemon-reload
systemctl enable k3s
systemctl restart k3s' ]
  # Again: that version is there, nothing is downloaded, the running service is left alone.
  : >"$CALLS"
  run install_k3s server
  [ "$status" -eq 0 ]
  [[ $output == *"k3s $K3S_VERSION already installed"* ]]
  refute grep -q "^curl .*/$BINARY\$" "$CALLS"
  [ "$(grep '^systemctl' "$CALLS")" = 'systemctl enable k3s
systemctl is-active --quiet k3s' ]
}

@test "a k3s binary that does not match the release's checksum is not installed, nothing is started" {
  release_files
  printf 'tampered\n' >>"$BATS_TEST_TMPDIR/downloads/$BINARY"
  run install_k3s agent
  [ "$status" -eq 1 ]
  [[ $output == *"checksum mismatch for $BINARY"* ]]
  [ ! -e "$NM_BIN_DIR/k3s" ]
  refute grep -q '^systemctl' "$CALLS"
}

@test "the agent's unit runs k3s agent" {
  release_files
  install_k3s agent
  grep -qx "ExecStart=$NM_BIN_DIR/k3s agent" "$NM_SYSTEMD_DIR/k3s-agent.service"
  grep -qx 'systemctl restart k3s-agent' "$CALLS"
}

# A systemctl that notes whether the airgap images were in place when it was asked to start something.
fake_systemctl_seeing_images() {
  fake systemctl 'case "$1" in start | restart) [ -f "$NM_K3S_DATA/agent/images/'"$AIRGAP"'" ] && echo "$1 with images" >>"$BATS_TEST_TMPDIR/starts" || echo "$1 WITHOUT images" >>"$BATS_TEST_TMPDIR/starts" ;; esac'
}

@test "the pinned release's airgap images are preloaded, checked, and not downloaded again" {
  release_files
  preload_airgap_images
  images="$NM_K3S_DATA/agent/images/$AIRGAP"
  cmp "$BATS_TEST_TMPDIR/downloads/$AIRGAP" "$images"
  grep -qx "curl -fsSL --retry 3 -o .* $RELEASE/$AIRGAP" "$CALLS"
  grep -qx "curl -fsSL --retry 3 -o .* $RELEASE/sha256sum-$ARCH.txt" "$CALLS"
  # vagrant provision: the file is there with the right checksum, only the checksum file is read.
  : >"$CALLS"
  run preload_airgap_images
  [ "$status" -eq 0 ]
  [[ $output == *"$AIRGAP already there"* ]]
  refute grep -q "/$AIRGAP\$" "$CALLS"
  # A damaged file (or another release's) is replaced.
  printf 'truncated' >"$images"
  preload_airgap_images
  cmp "$BATS_TEST_TMPDIR/downloads/$AIRGAP" "$images"
}

@test "airgap images that do not match the release's checksum are not installed" {
  release_files
  printf 'tampered\n' >>"$BATS_TEST_TMPDIR/downloads/$AIRGAP"
  run preload_airgap_images
  [ "$status" -eq 1 ]
  [[ $output == *"checksum mismatch for $AIRGAP"* ]]
  [ ! -e "$NM_K3S_DATA/agent/images/$AIRGAP" ]
}

@test "the airgap images are in place before k3s starts, on the server and on the agent" {
  release_files
  fake_systemctl_seeing_images
  install_k3s server
  [ "$(cat "$BATS_TEST_TMPDIR/starts")" = "restart with images" ]
  rm -rf "$NM_K3S_DATA" "$NM_BIN_DIR/k3s" "$BATS_TEST_TMPDIR/starts"
  install_k3s agent
  [ "$(cat "$BATS_TEST_TMPDIR/starts")" = "restart with images" ]
}

@test "NM_AIRGAP_IMAGES=false downloads no images; any other value than true or false is refused by name" {
  release_files
  mkdir -p "$NM_K3S_DATA/agent/images"
  printf 'old\n' >"$NM_K3S_DATA/agent/images/$AIRGAP"
  NM_AIRGAP_IMAGES=false preload_airgap_images
  refute grep -q "$AIRGAP" "$CALLS"
  [ ! -e "$NM_K3S_DATA/agent/images/$AIRGAP" ]
  NM_AIRGAP_IMAGES=yes run check_settings
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "error: NM_AIRGAP_IMAGES must be true or false, not 'yes'" ]]
  NM_AIRGAP_IMAGES=yes run preload_airgap_images
  [ "$status" -eq 1 ]
  [[ $output == *NM_AIRGAP_IMAGES* ]]
  refute grep -q "$AIRGAP" "$CALLS"
  [ "$NM_AIRGAP_IMAGES" = true ] # config.sh's default
}

# yaml_get FILE EXPRESSION: a value of the parsed YAML file (python's yaml, as a k3s registries.yaml is read), as JSON.
yaml_get() {
  python3 -c 'import json, sys, yaml; doc = yaml.safe_load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2], {"doc": doc})))' "$1" "$2"
}

@test "registries.yaml: the lab's registry over HTTP, and nothing for Docker Hub unless asked" {
  write_registries_yaml "$REGISTRY"
  file="$NM_K3S_ETC/registries.yaml"
  [ "$(yaml_get "$file" doc)" = '{"mirrors": {"192.168.56.10:30500": {"endpoint": ["http://192.168.56.10:30500"]}}}' ]
  [ "$(stat -c %a "$file")" = 644 ]
}

@test "registries.yaml: a Docker Hub mirror and credentials from .secrets, 0600, never printed" {
  mkdir -p "$NM_SECRETS_DIR"
  printf 'NM_REGISTRY_USERNAME=labuser\nNM_REGISTRY_PASSWORD=dckr_pat_a"b\\c:d#e f\n' >"$NM_SECRETS_DIR/dockerhub-credentials"
  NM_DOCKERHUB_MIRROR=https://mirror.example.org:5000 run write_registries_yaml "$REGISTRY"
  [ "$status" -eq 0 ]
  refute grep -q dckr_pat <<<"$output"
  file="$NM_K3S_ETC/registries.yaml"
  [ "$(stat -c %a "$file")" = 600 ]
  [ "$(yaml_get "$file" 'doc["mirrors"]["docker.io"]')" = '{"endpoint": ["https://mirror.example.org:5000"]}' ]
  [ "$(yaml_get "$file" 'doc["mirrors"]["192.168.56.10:30500"]')" = '{"endpoint": ["http://192.168.56.10:30500"]}' ]
  [ "$(yaml_get "$file" 'doc["configs"]')" = '{"registry-1.docker.io": {"auth": {"username": "labuser", "password": "dckr_pat_a\"b\\c:d#e f"}}}' ]
  # The credentials removed: the file says nothing about Docker Hub's login any more.
  rm "$NM_SECRETS_DIR/dockerhub-credentials"
  write_registries_yaml "$REGISTRY"
  [ "$(yaml_get "$file" '"configs" in doc')" = false ]
  [ "$(stat -c %a "$file")" = 644 ]
  # The environment works as well (a direct run of the provisioning script as root).
  NM_REGISTRY_USERNAME=u NM_REGISTRY_PASSWORD=p write_registries_yaml "$REGISTRY"
  [ "$(yaml_get "$file" 'doc["configs"]["registry-1.docker.io"]["auth"]')" = '{"username": "u", "password": "p"}' ]
  [ "$(stat -c %a "$file")" = 600 ]
}

@test "a bad mirror URL or half a login is refused by the setting's name, and the password is not shown" {
  NM_DOCKERHUB_MIRROR='mirror.example.org' run check_settings
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "error: NM_DOCKERHUB_MIRROR must be"* ]]
  NM_DOCKERHUB_MIRROR='https://mirror.example.org/"x' run check_settings
  [ "$status" -eq 1 ]
  NM_DOCKERHUB_MIRROR='https://mirror.example.org' check_settings
  NM_REGISTRY_PASSWORD=s3cret-value run write_registries_yaml "$REGISTRY"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == *NM_REGISTRY_USERNAME* ]]
  refute grep -q s3cret-value <<<"$output"
  NM_REGISTRY_USERNAME=u NM_REGISTRY_PASSWORD=$'two\nlines' run write_registries_yaml "$REGISTRY"
  [ "$status" -eq 1 ]
  [[ $output == *"NM_REGISTRY_PASSWORD"* ]]
  [ ! -e "$NM_K3S_ETC/registries.yaml" ]
}

SECURE_TOKEN="K10$(printf '%064d' 0 | tr 0 a)::server:0123456789abcdef0123456789abcdef"

@test "the server hands the agent its secure token (K10<CA hash>::server:<secret>), root-only" {
  mkdir -p "$NM_K3S_DATA/server"
  printf '%s\n' "$SECURE_TOKEN" >"$NM_K3S_DATA/server/token"
  export_join_token
  [ "$(cat "$NM_SECRETS_DIR/k3s-join-token")" = "$SECURE_TOKEN" ]
  [ "$(stat -c %a "$NM_SECRETS_DIR/k3s-join-token")" = 600 ]
  printf '0123456789abcdef\n' >"$NM_K3S_DATA/server/token"
  run export_join_token
  [ "$status" -eq 1 ]
  [[ $output == *"is not in the secure form"* ]]
  [ "$(cat "$NM_SECRETS_DIR/k3s-join-token")" = "$SECURE_TOKEN" ]
}

@test "a server whose host token was lost keeps the secret of its datastore's token" {
  mkdir -p "$NM_K3S_DATA/server"
  printf '%s\n' "$SECURE_TOKEN" >"$NM_K3S_DATA/server/token"
  ensure_cluster_token
  [ "$(cat "$NM_SECRETS_DIR/k3s-token")" = 0123456789abcdef0123456789abcdef ]
  [ "$(cat "$NM_K3S_ETC/cluster-token")" = 0123456789abcdef0123456789abcdef ]
}

# The agent's provisioning, run for real: root, apt-get, the private network's interface and the server's API are
# fakes; k3s comes from release_files.
run_agent_provisioning() {
  fake id '[ "$1" = -u ] && echo 0 || exec /usr/bin/id "$@"'
  fake apt-get
  fake ip 'echo "3: enp0s8    inet 192.168.56.11/24 brd 192.168.56.255 scope global enp0s8\    valid_lft forever"'
  release_files
  mv "$FAKE_BIN/curl" "$FAKE_BIN/curl-downloads"
  fake curl 'case "$*" in *https://192.168.56.10:6443/ping) exit 0 ;; esac; exec curl-downloads "$@"'
  fake_systemctl_seeing_images
  run "$REPO_ROOT/scripts/vagrant/provision-agent.sh"
}

@test "the agent joins with the secure token, its images preloaded before it starts" {
  mkdir -p "$NM_SECRETS_DIR"
  printf '0123456789abcdef0123456789abcdef\n' >"$NM_SECRETS_DIR/k3s-token"
  printf '%s\n' "$SECURE_TOKEN" >"$NM_SECRETS_DIR/k3s-join-token"
  run_agent_provisioning
  [ "$status" -eq 0 ]
  [ "$(cat "$NM_K3S_ETC/cluster-token")" = "$SECURE_TOKEN" ]
  [ "$(stat -c %a "$NM_K3S_ETC/cluster-token")" = 600 ]
  grep -qx "token-file: $NM_K3S_ETC/cluster-token" "$NM_K3S_ETC/config.yaml"
  grep -qx 'server: https://192.168.56.10:6443' "$NM_K3S_ETC/config.yaml"
  grep -qx "ExecStart=$NM_BIN_DIR/k3s agent" "$NM_SYSTEMD_DIR/k3s-agent.service"
  [ "$(cat "$BATS_TEST_TMPDIR/starts")" = "restart with images" ]
}

@test "the agent refuses a token without the server's CA hash, before anything is installed" {
  mkdir -p "$NM_SECRETS_DIR"
  printf '0123456789abcdef0123456789abcdef\n' >"$NM_SECRETS_DIR/k3s-token"
  printf '0123456789abcdef0123456789abcdef\n' >"$NM_SECRETS_DIR/k3s-join-token"
  run_agent_provisioning
  [ "$status" -eq 1 ]
  [[ $output == *"k3s-join-token is not the secure K10<CA hash>::server:<secret> token"* ]]
  refute grep -q 0123456789abcdef <<<"$output"
  [ ! -e "$NM_K3S_ETC/cluster-token" ]
  [ ! -e "$NM_BIN_DIR/k3s" ]
  [ ! -e "$BATS_TEST_TMPDIR/starts" ]
  # No token from the server at all: bring it up first.
  rm "$NM_SECRETS_DIR/k3s-join-token"
  run_agent_provisioning
  [ "$status" -eq 1 ]
  [[ $output == *"no .secrets/k3s-join-token"*"vagrant provision k3s-server"* ]]
}

# A kubectl for the root Application: FAKE_ROOT is absent, auto (automated sync) or paused (what cleanup.sh leaves).
fake_root_kubectl() {
  fake kubectl 'case "$*" in
  "-n argocd get application root --ignore-not-found -o name") [ "${FAKE_ROOT:-absent}" = absent ] || echo application.argoproj.io/root ;;
  "-n argocd get application root -o jsonpath={.spec.syncPolicy.automated}") [ "$FAKE_ROOT" != auto ] || printf "{\"prune\":true,\"selfHeal\":true}" ;;
  "-n argocd get application names-dev -o name") [ -z "${FAKE_NO_DEV:-}" ] && echo application.argoproj.io/names-dev || exit 1 ;;
  "-n argocd get application names-prod -o name") echo application.argoproj.io/names-prod ;;
  *"get application"*) exit 1 ;;
esac'
}

@test "the root Application is created when absent and updated while it syncs on its own" {
  fake_root_kubectl
  apply_root_application
  grep -qx "kubectl apply -f $NM_WORK_DIR/argocd/project-platform.yaml" "$CALLS"
  grep -qx "kubectl apply -f $NM_WORK_DIR/argocd/root-application.yaml" "$CALLS"
  : >"$CALLS"
  FAKE_ROOT=auto apply_root_application
  grep -qx "kubectl apply -f $NM_WORK_DIR/argocd/root-application.yaml" "$CALLS"
  [ "$(apps_to_wait_for false | tr '\n' ' ')" = "names-dev names-prod " ]
}

@test "a root paused by cleanup.sh stays paused, and the removed environment is not waited for" {
  fake_root_kubectl
  FAKE_ROOT=paused run apply_root_application
  [ "$status" -eq 1 ]
  [[ $output == *"the root Application is paused"* ]]
  [[ $output == *"kubectl -n argocd patch application root --type=merge"* ]]
  refute grep -q 'root-application.yaml' "$CALLS"
  refute grep -Eq ' (patch|replace|delete|edit) ' "$CALLS"
  # cleanup.sh removed names-dev: provisioning waits for prod only.
  [ "$(FAKE_NO_DEV=1 apps_to_wait_for true)" = names-prod ]
  [ "$(apps_to_wait_for true | tr '\n' ' ')" = "names-dev names-prod " ]
}

@test "cleanup.sh's paused root, then provisioning: the pause survives (cleanup.sh and lib.sh run for real)" {
  # The Argo CD both see: a root whose automated sync cleanup.sh's patch removes, kept in a file.
  printf auto >"$BATS_TEST_TMPDIR/root"
  fake kubectl 'state=$(cat "$BATS_TEST_TMPDIR/root")
case "$*" in
  "config view --minify -o jsonpath={.clusters[0].cluster.server}") echo https://192.168.56.10:6443 ;;
  *"get application root --ignore-not-found -o name") echo application.argoproj.io/root ;;
  *"get application root --ignore-not-found -o jsonpath={.spec.syncPolicy.automated}"|*"get application root -o jsonpath={.spec.syncPolicy.automated}")
    [ "$state" != auto ] || printf "{\"prune\":true,\"selfHeal\":true}" ;;
  *"patch application root --type=json"*) echo paused >"$BATS_TEST_TMPDIR/root" ;;
  *"apply -f"*root-application.yaml) echo auto >"$BATS_TEST_TMPDIR/root" ;;
  *"get application names-dev --ignore-not-found -o name") echo application.argoproj.io/names-dev ;;
  *"get namespace names-dev"*) echo namespace/names-dev ;;
esac
exit 0'
  run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 0 ]
  [ "$(cat "$BATS_TEST_TMPDIR/root")" = paused ]
  # provision-server.sh's own step (vagrant provision), as the script has it.
  root_step=$(sed -n '/^step "Root application"/,/^step "Ready"/{/^step "Ready"/d;p}' "$REPO_ROOT/scripts/vagrant/provision-server.sh")
  [ -n "$root_step" ]
  run eval "$root_step"
  [ "$(cat "$BATS_TEST_TMPDIR/root")" = paused ]
  [[ $output == *"the root Application is paused"* ]]
}
