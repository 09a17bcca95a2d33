#!/usr/bin/env bats
# scripts/vagrant/lib.sh, the steps of the VM provisioning, run against a scratch directory: generated
# configuration, the sealing keys, resealing, the Git server's repository and password, verified downloads,
# the registry check and the wait for Argo CD. kubectl and curl are fakes; git and openssl are real.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  provisioning_scratch
  export NM_GIT_ROOT="$BATS_TEST_TMPDIR/git"
  export NM_NGINX_DIR="$BATS_TEST_TMPDIR/nginx"
  export NM_WORK_DIR="$BATS_TEST_TMPDIR/work"
  NM_GIT_USER=$(id -un)
  export NM_GIT_USER
  # Quick keys for the tests that only need some key; the key test itself uses the real size.
  export NM_SEALING_KEY_BITS=2048
  # shellcheck source=scripts/lib/common.sh
  . "$REPO_ROOT/scripts/lib/common.sh"
  # shellcheck source=scripts/vagrant/config.sh
  . "$REPO_ROOT/scripts/vagrant/config.sh"
  # shellcheck source=scripts/vagrant/lib.sh
  . "$REPO_ROOT/scripts/vagrant/lib.sh"
}

@test "write_if_changed writes new content with its mode, and leaves equal content alone" {
  f="$BATS_TEST_TMPDIR/sub/file"
  printf 'a\n' | write_if_changed "$f" 0600
  [ "$(cat "$f")" = a ]
  [ "$(stat -c %a "$f")" = 600 ]
  touch -d '2020-01-01' "$f"
  run write_if_changed "$f" 0600 <<<'a'
  [ "$status" -eq 1 ]
  [ "$(stat -c %Y "$f")" = "$(date -d 2020-01-01 +%s)" ]
  printf 'b\n' | write_if_changed "$f" 0644
  [ "$(cat "$f")" = b ]
  [ "$(stat -c %a "$f")" = 644 ]
  [ "$(find "$BATS_TEST_TMPDIR/sub" -type f | wc -l)" = 1 ]
}

@test "k3s configuration: private-network address and interface, encrypted secrets, token file" {
  run k3s_server_config 192.168.56.10 enp0s8
  [[ $output == *$'\nnode-ip: 192.168.56.10\n'* ]]
  [[ $output == *$'\nadvertise-address: 192.168.56.10\n'* ]]
  [[ $output == *$'\nflannel-iface: enp0s8\n'* ]]
  [[ $output == *$'\ntls-san:\n  - 192.168.56.10\n'* ]]
  [[ $output == *$'\nsecrets-encryption: true\n'* ]]
  [[ $output == *"token-file: $NM_K3S_ETC/cluster-token"* ]]
  run k3s_agent_config 192.168.56.11 enp0s8 192.168.56.10
  [[ $output == *$'\nserver: https://192.168.56.10:6443\n'* ]]
  [[ $output == *$'\nnode-ip: 192.168.56.11\n'* ]]
  run registries_yaml 192.168.56.10:30500
  [[ $output == *$'mirrors:\n  "192.168.56.10:30500":\n    endpoint:\n      - "http://192.168.56.10:30500"'* ]]
}

@test "ensure_cluster_token makes one token and keeps it" {
  ensure_cluster_token
  token=$(cat "$NM_SECRETS_DIR/k3s-token")
  [[ $token =~ ^[0-9a-f]{64}$ ]]
  [ "$(cat "$NM_K3S_ETC/cluster-token")" = "$token" ]
  [ "$(stat -c %a "$NM_K3S_ETC/cluster-token")" = 600 ]
  ensure_cluster_token
  [ "$(cat "$NM_SECRETS_DIR/k3s-token")" = "$token" ]
}

@test "a sealing key pair is made once (RSA 4096, 10 years) and never replaced" {
  unset NM_SEALING_KEY_BITS
  . "$REPO_ROOT/scripts/vagrant/lib.sh"
  run ensure_sealing_key dev
  [ "$status" -eq 0 ]
  dir="$NM_SECRETS_DIR/sealing/dev"
  [ "$(stat -c %a "$dir")" = 700 ]
  [ "$(stat -c %a "$dir/tls.key")" = 600 ]
  openssl x509 -in "$dir/tls.crt" -noout -text | grep -q 'Public-Key: (4096 bit)'
  openssl x509 -in "$dir/tls.crt" -noout -checkend $((9 * 365 * 86400))
  before=$(sha256sum "$dir/tls.key" "$dir/tls.crt")
  run ensure_sealing_key dev
  [ "$status" -eq 1 ]
  [ "$(sha256sum "$dir/tls.key" "$dir/tls.crt")" = "$before" ]
}

@test "half a key pair, or a pair that does not match, stops the provisioning" {
  mkdir -p "$NM_SECRETS_DIR/sealing/dev"
  touch "$NM_SECRETS_DIR/sealing/dev/tls.crt"
  run ensure_sealing_key dev
  [ "$status" -eq 1 ]
  [[ $output == *"only half a key pair"* ]]
  [ ! -e "$NM_SECRETS_DIR/sealing/dev/tls.key" ]
  rm "$NM_SECRETS_DIR/sealing/dev/tls.crt"
  ensure_sealing_key dev || true
  ensure_sealing_key prod || true
  cp "$NM_SECRETS_DIR/sealing/prod/tls.crt" "$NM_SECRETS_DIR/sealing/dev/tls.crt"
  run ensure_sealing_key dev
  [ "$status" -eq 1 ]
  [[ $output == *"do not belong together"* ]]
}

@test "the key Secret is a kube-system TLS Secret labelled as an active sealing key" {
  ensure_sealing_key dev || true
  secret=$(sealing_key_secret dev)
  [[ $secret == *$'kind: Secret\ntype: kubernetes.io/tls\n'* ]]
  [[ $secret == *$'  name: names-manager-sealing-dev\n  namespace: kube-system\n'* ]]
  [[ $secret == *'sealedsecrets.bitnami.com/sealed-secrets-key: active'* ]]
  printf '%s\n' "$secret" | sed -n 's/^  tls.key: //p' | base64 -d | cmp - "$NM_SECRETS_DIR/sealing/dev/tls.key"
  printf '%s\n' "$secret" | sed -n 's/^  tls.crt: //p' | base64 -d | cmp - "$NM_SECRETS_DIR/sealing/dev/tls.crt"
}

@test "loading keys restarts a running controller only when a key changed" {
  ensure_sealing_key dev || true
  ensure_sealing_key prod || true
  fake kubectl 'case "$*" in
  "apply -f -") cat >/dev/null; echo "secret/x ${FAKE_APPLY:-unchanged}" ;;
  "-n kube-system get deployment sealed-secrets-controller") [ -n "${FAKE_CONTROLLER:-}" ] ;;
esac'
  FAKE_CONTROLLER=1 load_sealing_keys
  [ "$(grep -c '^kubectl apply -f -$' "$CALLS")" = 2 ]
  refute grep -q 'rollout restart' "$CALLS"
  : >"$CALLS"
  FAKE_APPLY=configured FAKE_CONTROLLER=1 load_sealing_keys
  grep -qx 'kubectl -n kube-system rollout restart deployment sealed-secrets-controller' "$CALLS"
  : >"$CALLS"
  FAKE_APPLY=created load_sealing_keys
  refute grep -q 'rollout restart' "$CALLS"
}

@test "a failing kubectl stops the key loading" {
  ensure_sealing_key dev || true
  fake kubectl 'cat >/dev/null; echo "connection refused" >&2; exit 1'
  NM_ENVS=dev run load_sealing_keys
  [ "$status" -eq 1 ]
  [[ $output == *"could not load the dev sealing key"* ]]
}

# A work clone with what resealing needs; kubeseal is a fake that keeps its input.
reseal_fixture() {
  fixture_repo "$NM_WORK_DIR" scripts/seal.sh scripts/lib/common.sh scripts/lib/java.sh scripts/lib/Seal.java \
    sealed-secrets/dev
  fake kubeseal 'cat >"$BATS_TEST_TMPDIR/kubeseal.stdin"
printf "kind: SealedSecret\n    POSTGRES_USER: Ag1\n    POSTGRES_PASSWORD: Ag2\n    POSTGRES_DB: Ag3\n    DATABASE_URL: Ag4\n"'
  NM_ENVS=dev
  ensure_sealing_key dev || true
  START=$(git -C "$NM_WORK_DIR" rev-parse HEAD)
}

@test "a committed certificate that is not this cluster's key is replaced and the secret resealed" {
  reseal_fixture
  fake kubectl 'exit 1' # no live Secret yet
  run reseal_if_needed dev
  [ "$status" -eq 0 ]
  cmp "$NM_SECRETS_DIR/sealing/dev/tls.crt" "$NM_WORK_DIR/sealed-secrets/dev/cert.pem"
  grep -q "kubeseal --cert $NM_WORK_DIR/sealed-secrets/dev/cert.pem --scope strict" "$CALLS"
  [ "$(git -C "$NM_WORK_DIR" rev-list --count "$START..HEAD")" = 1 ]
  [ "$(git -C "$NM_WORK_DIR" diff --name-only "$START" HEAD | sort | tr '\n' ' ')" = \
    "sealed-secrets/dev/cert.pem sealed-secrets/dev/db-credentials.yaml " ]
  [ -z "$(git -C "$NM_WORK_DIR" status --porcelain)" ]
  # Run again: the certificate matches now, nothing more happens.
  : >"$CALLS"
  run reseal_if_needed dev
  [ "$status" -eq 1 ]
  [ ! -s "$CALLS" ]
  [ "$(git -C "$NM_WORK_DIR" rev-list --count "$START..HEAD")" = 1 ]
}

@test "resealing keeps the credentials the cluster already runs with" {
  reseal_fixture
  fake kubectl 'case "$*" in
  *"-o name"*) echo secret/db-credentials ;;
  *go-template*) printf "POSTGRES_USER=names\nPOSTGRES_PASSWORD=the-live-password-123\nPOSTGRES_DB=namesdb\nDATABASE_URL=postgresql://names:the-live-password-123@db:5432/namesdb\n" ;;
esac'
  run reseal_if_needed dev
  [ "$status" -eq 0 ]
  [[ $output == *"resealing the credentials the cluster already runs with"* ]]
  grep -q '^  POSTGRES_PASSWORD: '"$(printf the-live-password-123 | base64)"'$' "$BATS_TEST_TMPDIR/kubeseal.stdin"
}

@test "the Git push password: made once, hashed for nginx, rehashed only when it changes" {
  run ensure_git_password
  [ "$status" -eq 0 ]
  password=$(cat "$NM_SECRETS_DIR/git-password")
  [[ $password =~ ^[0-9a-f]{48}$ ]]
  [ "$(stat -c %a "$NM_ETC_DIR/git-password")" = 600 ]
  line=$(cat "$NM_NGINX_DIR/names-manager-git.htpasswd")
  [[ $line == 'gitops:$apr1$'* ]]
  salt=$(printf '%s' "$line" | cut -d'$' -f3)
  [ "gitops:$(printf '%s' "$password" | openssl passwd -apr1 -salt "$salt" -stdin)" = "$line" ]
  run ensure_git_password
  [ "$status" -eq 1 ]
  [ "$(cat "$NM_NGINX_DIR/names-manager-git.htpasswd")" = "$line" ]
  printf 'a-new-password-0123456789\n' >"$NM_SECRETS_DIR/git-password"
  run ensure_git_password
  [ "$status" -eq 0 ]
  [ "$(cat "$NM_NGINX_DIR/names-manager-git.htpasswd")" != "$line" ]
}

@test "the nginx site: anonymous reads, authentication for git-receive-pack only" {
  run git_site
  [[ $output == *"listen $GIT_PORT;"* ]]
  [[ $output == *'map "$nm_git_push_query$nm_git_push_path" $nm_git_auth'* ]]
  [[ $output == *'    00 off;'* ]]
  [[ $output == *'git-receive-pack 1;'* ]]
  [[ $output == *'~/git-receive-pack$ 1;'* ]]
  [[ $output == *"auth_basic_user_file $NM_NGINX_DIR/names-manager-git.htpasswd;"* ]]
  [[ $output == *'fastcgi_param REMOTE_USER $remote_user;'* ]]
  [[ $output == *"fastcgi_param GIT_PROJECT_ROOT $NM_GIT_ROOT;"* ]]
}

@test "the webhook configuration points the hook at Argo CD and this repository's web URL" {
  ensure_webhook_config
  [[ $(cat "$NM_ETC_DIR/webhook-secret") =~ ^[0-9a-f]{64}$ ]]
  [ "$(stat -c %a "$NM_ETC_DIR/webhook-secret")" = 640 ]
  grep -qx 'ARGOCD_WEBHOOK_URL=https://192.168.56.10:30443/api/webhook' "$NM_ETC_DIR/webhook.env"
  grep -qx 'REPO_WEB_URL=http://192.168.56.10:8418/names-manager' "$NM_ETC_DIR/webhook.env"
  secret=$(cat "$NM_ETC_DIR/webhook-secret")
  ensure_webhook_config
  [ "$(cat "$NM_ETC_DIR/webhook-secret")" = "$secret" ]
}

@test "the bare repository is seeded once from the host's HEAD and refuses rewriting history" {
  source_repo="$BATS_TEST_TMPDIR/host"
  fixture_repo "$source_repo" README.md
  ensure_bare_repo "$source_repo"
  bare="$NM_GIT_ROOT/names-manager.git"
  [ "$(git --git-dir="$bare" rev-parse main)" = "$(git -C "$source_repo" rev-parse HEAD)" ]
  [ "$(git --git-dir="$bare" symbolic-ref HEAD)" = refs/heads/main ]
  [ -x "$bare/hooks/post-receive" ]
  cmp "$bare/hooks/post-receive" "$REPO_ROOT/scripts/vagrant/post-receive"
  [ -e "$bare/git-daemon-export-ok" ]
  [ -z "$(git --git-dir="$bare" config --get http.receivepack || true)" ]
  seeded=$(git --git-dir="$bare" rev-parse main)
  # The host moves on: a second run does not touch main (pushes are its history).
  git -C "$source_repo" commit --quiet --allow-empty -m later
  ensure_bare_repo "$source_repo"
  [ "$(git --git-dir="$bare" rev-parse main)" = "$seeded" ]
  # A force push is refused.
  rm "$bare/hooks/post-receive"
  git -C "$source_repo" reset --quiet --hard HEAD~1
  git -C "$source_repo" commit --quiet --amend --allow-empty -m rewritten
  run git -C "$source_repo" push --force "$bare" HEAD:main
  [ "$status" -ne 0 ]
  [ "$(git --git-dir="$bare" rev-parse main)" = "$seeded" ]
}

@test "a host folder that is not a git checkout is a clear error" {
  mkdir -p "$BATS_TEST_TMPDIR/download"
  run ensure_bare_repo "$BATS_TEST_TMPDIR/download"
  [ "$status" -eq 1 ]
  [[ $output == *"is not a git checkout with a commit"* ]]
}

@test "the VM's work clone follows main and refuses to diverge" {
  bare="$BATS_TEST_TMPDIR/origin.git"
  fixture_repo "$BATS_TEST_TMPDIR/host" README.md
  git clone --quiet --bare "$BATS_TEST_TMPDIR/host" "$bare"
  refresh_work_clone "$bare"
  [ "$(git -C "$NM_WORK_DIR" rev-parse HEAD)" = "$(git --git-dir="$bare" rev-parse main)" ]
  [ "$(git -C "$NM_WORK_DIR" config user.name)" = "Names Manager VM" ]
  git -C "$BATS_TEST_TMPDIR/host" commit --quiet --allow-empty -m next
  git -C "$BATS_TEST_TMPDIR/host" push --quiet "$bare" HEAD:main
  refresh_work_clone "$bare"
  [ "$(git -C "$NM_WORK_DIR" rev-parse HEAD)" = "$(git --git-dir="$bare" rev-parse main)" ]
  git -C "$NM_WORK_DIR" commit --quiet --allow-empty -m "local only"
  git -C "$BATS_TEST_TMPDIR/host" commit --quiet --allow-empty -m "server only"
  git -C "$BATS_TEST_TMPDIR/host" push --quiet "$bare" HEAD:main
  run refresh_work_clone "$bare"
  [ "$status" -eq 1 ]
  [[ $output == *"has diverged from main"* ]]
}

# A curl that serves files from $BATS_TEST_TMPDIR/downloads by the URL's last path segment.
fake_download_curl() {
  mkdir -p "$BATS_TEST_TMPDIR/downloads"
  fake curl 'out="" url=""
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift ;; http*) url=$1 ;; esac; shift; done
cp "$BATS_TEST_TMPDIR/downloads/${url##*/}" "$out"'
}

@test "a download is installed only when its checksum matches the published one" {
  fake_download_curl
  printf 'binary\n' >"$BATS_TEST_TMPDIR/downloads/tool.tar.gz"
  (cd "$BATS_TEST_TMPDIR/downloads" && sha256sum tool.tar.gz other >sums.txt 2>/dev/null || true)
  fetch_verified https://example.invalid/v1/tool.tar.gz https://example.invalid/v1/sums.txt tool.tar.gz \
    "$BATS_TEST_TMPDIR/tool.tar.gz"
  cmp "$BATS_TEST_TMPDIR/downloads/tool.tar.gz" "$BATS_TEST_TMPDIR/tool.tar.gz"
  rm "$BATS_TEST_TMPDIR/tool.tar.gz"
  printf 'tampered\n' >"$BATS_TEST_TMPDIR/downloads/tool.tar.gz"
  run fetch_verified https://example.invalid/v1/tool.tar.gz https://example.invalid/v1/sums.txt tool.tar.gz \
    "$BATS_TEST_TMPDIR/tool.tar.gz"
  [ "$status" -eq 1 ]
  [[ $output == *"checksum mismatch for tool.tar.gz"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/tool.tar.gz" ]
  printf 'deadbeef  something-else\n' >"$BATS_TEST_TMPDIR/downloads/sums.txt"
  run fetch_verified https://example.invalid/v1/tool.tar.gz https://example.invalid/v1/sums.txt tool.tar.gz \
    "$BATS_TEST_TMPDIR/tool.tar.gz"
  [ "$status" -eq 1 ]
  [[ $output == *"expected 'none listed'"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/tool.tar.gz" ]
}

@test "kubeseal is installed from the pinned release and its checksum file, and not again" {
  fake_download_curl
  arch=$(arch_name)
  mkdir -p "$BATS_TEST_TMPDIR/pkg" "$NM_BIN_DIR"
  printf '#!/bin/sh\necho "kubeseal version: %s"\n' "$KUBESEAL_VERSION" >"$BATS_TEST_TMPDIR/pkg/kubeseal"
  chmod +x "$BATS_TEST_TMPDIR/pkg/kubeseal"
  tarball="kubeseal-$KUBESEAL_VERSION-linux-$arch.tar.gz"
  tar -czf "$BATS_TEST_TMPDIR/downloads/$tarball" -C "$BATS_TEST_TMPDIR/pkg" kubeseal
  (cd "$BATS_TEST_TMPDIR/downloads" && sha256sum "$tarball" >"sealed-secrets_${KUBESEAL_VERSION}_checksums.txt")
  install_kubeseal
  grep -qx "curl -fsSL --retry 3 -o .* https://github.com/bitnami-labs/sealed-secrets/releases/download/v$KUBESEAL_VERSION/$tarball" "$CALLS"
  [ -x "$NM_BIN_DIR/kubeseal" ]
  : >"$CALLS"
  run install_kubeseal
  [[ $output == *"already installed"* ]]
  [ ! -s "$CALLS" ]
}

@test "overlay_images lists the app images the real overlays render" {
  export NM_WORK_DIR="$REPO_ROOT"
  run overlay_images dev
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 2 ]
  [[ ${lines[0]} == 192.168.56.10:30500/names-backend[:@]* ]]
  [[ ${lines[1]} == 192.168.56.10:30500/names-frontend[:@]* ]]
}

@test "environments whose images the registry lacks are the ones released" {
  fake kubectl 'case "$*" in
  *overlays/dev) printf "        image: 192.168.56.10:30500/names-backend@sha256:aa\n        image: 192.168.56.10:30500/names-frontend@sha256:bb\n" ;;
  *overlays/prod) printf "        image: 192.168.56.10:30500/names-backend@sha256:cc\n        - image: ghcr.io/other/names-frontend:1.0\n" ;;
esac'
  # The registry has dev's two images, not prod's backend.
  fake curl 'case "$*" in *names-backend/manifests/sha256:aa|*names-frontend/manifests/sha256:bb) exit 0 ;; *) exit 22 ;; esac'
  run envs_needing_images
  [ "$status" -eq 0 ]
  [ "$output" = prod ]
  grep -q -- "-I .*http://192.168.56.10:30500/v2/names-backend/manifests/sha256:cc" "$CALLS"
  refute grep -q ghcr.io "$CALLS"
}

@test "waiting for an Application: progress, success, and a timeout that says where it stands" {
  printf '0' >"$BATS_TEST_TMPDIR/n"
  fake kubectl 'n=$(cat "$BATS_TEST_TMPDIR/n"); echo $((n + 1)) >"$BATS_TEST_TMPDIR/n"
case $n in 0) exit 1 ;; 1) printf OutOfSync/Missing ;; 2) printf Synced/Progressing ;; *) printf Synced/Healthy ;; esac'
  NM_WAIT_INTERVAL=0 run wait_for_application names-dev 60
  [ "$status" -eq 0 ]
  [[ $output == *"names-dev: not created yet"*"OutOfSync/Missing"*"Synced/Progressing"*"Synced/Healthy"* ]]
  fake kubectl 'printf Synced/Degraded'
  NM_WAIT_INTERVAL=1 run wait_for_application names-prod 2
  [ "$status" -eq 1 ]
  [[ $output == *"names-prod is not Synced/Healthy after 2s (now: Synced/Degraded)"* ]]
}
