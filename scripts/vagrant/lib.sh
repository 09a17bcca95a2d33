# shellcheck shell=bash
# The steps of the VM provisioning (scripts/vagrant/provision-server.sh and provision-agent.sh), one function per
# concern, each safe to run again. Sourced after scripts/lib/common.sh and scripts/vagrant/config.sh.
# Every path is a variable, so that test/bats/ can run these functions against a scratch directory.

NM_REPO_DIR=${NM_REPO_DIR:-/vagrant}                 # the host's clone, shared into the VM
NM_SECRETS_DIR=${NM_SECRETS_DIR:-$NM_REPO_DIR/.secrets} # git-ignored, on the host: survives `vagrant destroy`
NM_STATE_DIR=${NM_STATE_DIR:-/var/lib/names-manager}
NM_ETC_DIR=${NM_ETC_DIR:-/etc/names-manager}
NM_GIT_ROOT=${NM_GIT_ROOT:-/srv/git}
NM_K3S_ETC=${NM_K3S_ETC:-/etc/rancher/k3s}
NM_K3S_DATA=${NM_K3S_DATA:-/var/lib/rancher/k3s}
NM_SYSTEMD_DIR=${NM_SYSTEMD_DIR:-/etc/systemd/system}
NM_BIN_DIR=${NM_BIN_DIR:-/usr/local/bin}
NM_NGINX_DIR=${NM_NGINX_DIR:-/etc/nginx}
NM_GIT_USER=${NM_GIT_USER:-www-data}                # fcgiwrap runs git-http-backend (and the hook) as this user
NM_FCGIWRAP_SOCKET=${NM_FCGIWRAP_SOCKET:-/run/fcgiwrap.socket} # Debian's fcgiwrap.socket unit
NM_GIT_LISTEN=${NM_GIT_LISTEN:-}                     # an address for the Git server alone; empty: every interface
NM_WORK_DIR=${NM_WORK_DIR:-$NM_STATE_DIR/work}     # the VM's own clone: reseal and first release commit here
NM_ENVS=${NM_ENVS:-"dev prod"}
NM_SEALING_KEY_BITS=${NM_SEALING_KEY_BITS:-4096}     # the controller's own keys are RSA 4096 too

step() { printf '\n===== %s =====\n' "$*" >&2; }

# random_hex BYTES: that many random bytes as lowercase hex.
random_hex() { od -An -vtx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# write_if_changed PATH MODE < content: replaces PATH (atomically, with MODE) only when the content differs.
# Returns 0 when it wrote, 1 when PATH already had that content.
write_if_changed() {
  local path=$1 mode=$2 tmp
  mkdir -p "$(dirname "$path")"
  tmp=$(mktemp "$path.XXXXXX")
  cat >"$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path"; then
    rm -f "$tmp"
    return 1
  fi
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$path"
  return 0
}

# host_only_iface IP: the network interface that carries IP (the Vagrant private network).
host_only_iface() {
  local iface
  iface=$(ip -o -4 addr show | awk -v ip="$1" '{ split($4, a, "/"); if (a[1] == ip) { print $2; exit } }')
  [ -n "$iface" ] || die "no network interface has the address $1: is the Vagrant private network up?"
  printf '%s' "$iface"
}

# k3s_server_config IP IFACE: /etc/rancher/k3s/config.yaml of the server.
k3s_server_config() {
  cat <<EOF
# Written by scripts/vagrant/provision-server.sh (change it there, then: vagrant provision).
# The node speaks on the private network, not on VirtualBox's NAT address (the same 10.0.2.15 on every VM).
node-ip: $1
advertise-address: $1
flannel-iface: $2
tls-san:
  - $1
write-kubeconfig-mode: "0600"
# Secrets (the unsealed db-credentials among them) are encrypted at rest in the datastore.
secrets-encryption: true
token-file: $NM_K3S_ETC/cluster-token
EOF
}

# k3s_agent_config IP IFACE SERVER_IP: /etc/rancher/k3s/config.yaml of the optional agent.
k3s_agent_config() {
  cat <<EOF
# Written by scripts/vagrant/provision-agent.sh (change it there, then: vagrant provision k3s-agent).
server: https://$3:6443
token-file: $NM_K3S_ETC/cluster-token
node-ip: $1
flannel-iface: $2
EOF
}

# yaml_quoted VALUE: VALUE as a double-quoted YAML string.
yaml_quoted() {
  local v=${1//\\/\\\\}
  printf '"%s"' "${v//\"/\\\"}"
}

# registry_credentials: NM_REGISTRY_USERNAME and NM_REGISTRY_PASSWORD (a Docker Hub account and an access token)
# from the environment, or else from .secrets/dockerhub-credentials on the host (lines NAME=value; git-ignored,
# and never passed through the Vagrantfile). Both or neither, one line each; their values are never printed.
registry_credentials() {
  local file="$NM_SECRETS_DIR/dockerhub-credentials" name
  if [ -z "${NM_REGISTRY_USERNAME:-}${NM_REGISTRY_PASSWORD:-}" ] && [ -f "$file" ]; then
    NM_REGISTRY_USERNAME=$(sed -n 's/^NM_REGISTRY_USERNAME=//p' "$file" | head -n 1 | tr -d '\r')
    NM_REGISTRY_PASSWORD=$(sed -n 's/^NM_REGISTRY_PASSWORD=//p' "$file" | head -n 1 | tr -d '\r')
  fi
  NM_REGISTRY_USERNAME=${NM_REGISTRY_USERNAME:-}
  NM_REGISTRY_PASSWORD=${NM_REGISTRY_PASSWORD:-}
  for name in NM_REGISTRY_USERNAME NM_REGISTRY_PASSWORD; do
    case "${!name}" in *[[:cntrl:]]*) die "$name must be one line without control characters (value not shown)" ;; esac
  done
  if { [ -n "$NM_REGISTRY_USERNAME" ] && [ -z "$NM_REGISTRY_PASSWORD" ]; } ||
    { [ -z "$NM_REGISTRY_USERNAME" ] && [ -n "$NM_REGISTRY_PASSWORD" ]; }; then
    die "NM_REGISTRY_USERNAME and NM_REGISTRY_PASSWORD go together, and only one of them is set"
  fi
}

# registries_yaml REGISTRY: containerd pulls REGISTRY (the in-cluster registry's NodePort) over plain HTTP;
# Docker Hub through NM_DOCKERHUB_MIRROR first if set (k3s still falls back to Docker Hub itself), logged in
# when registry_credentials has an account (a logged-in pull counts against the account, not the address).
registries_yaml() {
  cat <<EOF
# Written by scripts/vagrant/lib.sh: the in-cluster registry (argocd/registry/) over plain HTTP, and how Docker Hub
# is reached (docs/gitops.md, "Docker Hub pull limit").
mirrors:
  "$1":
    endpoint:
      - "http://$1"
EOF
  if [ -n "${NM_DOCKERHUB_MIRROR:-}" ]; then
    cat <<EOF
  docker.io:
    endpoint:
      - $(yaml_quoted "$NM_DOCKERHUB_MIRROR")
EOF
  fi
  if [ -n "${NM_REGISTRY_USERNAME:-}" ]; then
    cat <<EOF
configs:
  registry-1.docker.io:
    auth:
      username: $(yaml_quoted "$NM_REGISTRY_USERNAME")
      password: $(yaml_quoted "$NM_REGISTRY_PASSWORD")
EOF
  fi
}

# write_registries_yaml REGISTRY: $NM_K3S_ETC/registries.yaml, readable by root only when it holds credentials.
# Returns 0 when it changed (k3s reads it when it starts), 1 otherwise.
write_registries_yaml() {
  local mode=0644
  registry_credentials
  [ -z "$NM_REGISTRY_USERNAME" ] || mode=0600
  registries_yaml "$1" | write_if_changed "$NM_K3S_ETC/registries.yaml" "$mode"
}

# arch_name: the release-asset architecture of this machine.
arch_name() {
  case "$(uname -m)" in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "unsupported architecture $(uname -m) (amd64 and arm64 only)" ;;
  esac
}

# fetch_verified URL CHECKSUMS_URL ASSET DEST: downloads URL to DEST only if its SHA-256 matches the line for
# ASSET in the release's published checksum file. That catches corrupt and truncated downloads; it cannot
# catch a compromised release (the checksums come from the same place). Nothing is left behind on failure.
# A DEST that already has the listed checksum is kept, and URL is not downloaded (a large file, again and again).
fetch_verified() {
  local url=$1 sums_url=$2 asset=$3 dest=$4 tmp expected actual
  tmp=$(mktemp -d)
  if ! curl -fsSL --retry 3 -o "$tmp/sums" "$sums_url"; then
    rm -rf "$tmp"
    die "download failed: $sums_url"
  fi
  expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/sums")
  if [ -n "$expected" ] && [ -f "$dest" ] && [ "$(sha256sum "$dest" | awk '{ print $1 }')" = "$expected" ]; then
    rm -rf "$tmp"
    log "$asset already there (its checksum matches the release's)"
    return 0
  fi
  if ! curl -fsSL --retry 3 -o "$tmp/$asset" "$url"; then
    rm -rf "$tmp"
    die "download failed: $url"
  fi
  actual=$(sha256sum "$tmp/$asset" | awk '{ print $1 }')
  if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
    rm -rf "$tmp"
    die "checksum mismatch for $asset (expected '${expected:-none listed}', got $actual): not installed"
  fi
  mv -f "$tmp/$asset" "$dest"
  rm -rf "$tmp"
}

# install_release_tool NAME VERSION VERSION_ARGS TARBALL BASE_URL CHECKSUMS: the tool NAME from a release tarball
# (checked against the release's checksums file) in $NM_BIN_DIR, unless `NAME VERSION_ARGS` already reports VERSION.
install_release_tool() {
  local name=$1 version=$2 version_args=$3 tarball=$4 base=$5 checksums=$6 tmp
  # shellcheck disable=SC2086 # VERSION_ARGS is a word list on purpose ("--version", "version")
  if "$NM_BIN_DIR/$name" $version_args 2>/dev/null | grep -qF "$version"; then
    log "$name $version already installed"
    return 0
  fi
  tmp=$(mktemp -d)
  fetch_verified "$base/$tarball" "$base/$checksums" "$tarball" "$tmp/$tarball"
  tar -xzf "$tmp/$tarball" -C "$tmp" "$name"
  install -m 0755 "$tmp/$name" "$NM_BIN_DIR/$name"
  rm -rf "$tmp"
  log "$name $version installed"
}

# install_kubeseal: kubeseal $KUBESEAL_VERSION in $NM_BIN_DIR, unless that version is there.
install_kubeseal() {
  install_release_tool kubeseal "$KUBESEAL_VERSION" --version \
    "kubeseal-$KUBESEAL_VERSION-linux-$(arch_name).tar.gz" \
    "https://github.com/bitnami-labs/sealed-secrets/releases/download/v$KUBESEAL_VERSION" \
    "sealed-secrets_${KUBESEAL_VERSION}_checksums.txt"
}

# install_kustomize: kustomize $KUSTOMIZE_VERSION in $NM_BIN_DIR, unless that version is there.
install_kustomize() {
  install_release_tool kustomize "v$KUSTOMIZE_VERSION" version \
    "kustomize_v${KUSTOMIZE_VERSION}_linux_$(arch_name).tar.gz" \
    "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2Fv$KUSTOMIZE_VERSION" \
    checksums.txt
}

# k3s_release_url: where the pinned k3s release's files are.
k3s_release_url() { printf 'https://github.com/k3s-io/k3s/releases/download/%s' "${K3S_VERSION//+/%2B}"; }

# k3s_installed: the pinned k3s is the one in $NM_BIN_DIR.
k3s_installed() { "$NM_BIN_DIR/k3s" --version 2>/dev/null | grep -qF "$K3S_VERSION"; }

# k3s_unit ROLE: the systemd unit of "k3s ROLE" (server or agent); its settings are in $NM_K3S_ETC/config.yaml.
k3s_unit() {
  cat <<EOF
# Written by scripts/vagrant/lib.sh (install_k3s).
[Unit]
Description=k3s $1 (Names Manager lab)
Documentation=https://docs.k3s.io
Wants=network-online.target
After=network-online.target

[Service]
# k3s tells systemd when it is ready: systemctl start returns once it serves.
Type=notify
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=$NM_BIN_DIR/k3s $1
# Stopping or restarting k3s leaves the containers running (they belong to containerd's shims).
KillMode=process
Delegate=yes
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s

[Install]
WantedBy=multi-user.target
EOF
}

# check_settings: the lab's settings that come from the host's environment (config.sh), each checked once, before
# anything is installed; a bad value stops with one line that names it.
check_settings() {
  case "${NM_AIRGAP_IMAGES:-true}" in
    true | false) ;;
    *) die "NM_AIRGAP_IMAGES must be true or false, not '$NM_AIRGAP_IMAGES'" ;;
  esac
  case "${NM_DOCKERHUB_MIRROR:-}" in
    "") ;;
    *[[:space:]\"\\]*) die "NM_DOCKERHUB_MIRROR must be an http:// or https:// URL without spaces or quotes" ;;
    http://?* | https://?*) ;;
    *) die "NM_DOCKERHUB_MIRROR must be an http:// or https:// URL (https://mirror.example.org)" ;;
  esac
}

# preload_airgap_images: the pinned release's k3s-airgap-images-<arch>.tar.zst (checked against its checksum file)
# in the directory k3s imports images from when it starts, so that its own images (CoreDNS, Traefik,
# metrics-server, local-path, pause, ...) are not pulled from Docker Hub. NM_AIRGAP_IMAGES=false: none (and a
# preloaded file is removed).
preload_airgap_images() {
  local asset dir="$NM_K3S_DATA/agent/images"
  check_settings
  asset="k3s-airgap-images-$(arch_name).tar.zst"
  if [ "${NM_AIRGAP_IMAGES:-true}" = false ]; then
    if [ -e "$dir/$asset" ]; then
      rm -f "$dir/$asset"
      log "NM_AIRGAP_IMAGES=false: removed the preloaded $asset"
    fi
    return 0
  fi
  mkdir -p "$dir"
  fetch_verified "$(k3s_release_url)/$asset" "$(k3s_release_url)/sha256sum-$(arch_name).txt" "$asset" "$dir/$asset"
}

# install_k3s ROLE [CONFIG_CHANGED]: the pinned k3s binary (server or agent), its kubectl/crictl/ctr links and systemd unit,
# running, restarted when CONFIG_CHANGED is true. The airgap images come first: k3s reads them when it starts.
# The binary comes from the release and is checked against the release's checksum file (see
# fetch_verified), not through k3s's install.sh: that script would be fetched by tag from the repository, and
# nothing published with the release lists its checksum. Nothing is downloaded when that version is installed.
install_k3s() {
  local role=$1 restart=${2:-false} service=k3s arch asset tmp tool
  [ "$role" = agent ] && service=k3s-agent
  preload_airgap_images
  if k3s_installed; then
    log "k3s $K3S_VERSION already installed"
  else
    arch=$(arch_name)
    asset=k3s
    [ "$arch" = amd64 ] || asset="k3s-$arch"
    tmp=$(mktemp -d)
    fetch_verified "$(k3s_release_url)/$asset" "$(k3s_release_url)/sha256sum-$arch.txt" "$asset" "$tmp/k3s"
    mkdir -p "$NM_BIN_DIR"
    # A new name, then a rename: a running k3s keeps its (old) file until it restarts.
    install -m 0755 "$tmp/k3s" "$NM_BIN_DIR/.k3s.new"
    mv -f "$NM_BIN_DIR/.k3s.new" "$NM_BIN_DIR/k3s"
    rm -rf "$tmp"
    log "k3s $K3S_VERSION installed"
    restart=true
  fi
  for tool in kubectl crictl ctr; do
    [ -e "$NM_BIN_DIR/$tool" ] || ln -sfn k3s "$NM_BIN_DIR/$tool"
  done
  if k3s_unit "$role" | write_if_changed "$NM_SYSTEMD_DIR/$service.service" 0644; then
    systemctl daemon-reload
    restart=true
  fi
  systemctl enable "$service" >/dev/null 2>&1 || die "systemd cannot enable $service"
  if $restart; then
    log "Starting $service"
    systemctl restart "$service" || die "$service did not start (see: journalctl -u $service)"
  else
    systemctl is-active --quiet "$service" || systemctl start "$service" ||
      die "$service did not start (see: journalctl -u $service)"
  fi
}

# ensure_cluster_token: the secret the server is started with, kept in .secrets/k3s-token on the host. A server
# that already has a datastore keeps its secret (taken back from its token if the host file was lost).
ensure_cluster_token() {
  local token_file="$NM_SECRETS_DIR/k3s-token" server_token="$NM_K3S_DATA/server/token"
  mkdir -p "$NM_SECRETS_DIR"
  if [ ! -s "$token_file" ]; then
    if [ -s "$server_token" ]; then
      # The server's token is K10<CA hash>::server:<secret>; the server is configured with the secret.
      sed 's/^K10[0-9a-f]*::server://' "$server_token" >"$token_file"
    else
      random_hex 32 >"$token_file"
    fi
    chmod 0600 "$token_file"
  fi
  write_if_changed "$NM_K3S_ETC/cluster-token" 0600 <"$token_file" || true
}

# secure_token TOKEN: TOKEN is k3s's secure form, K10<sha256 of the server's CA>::server:<secret>. An agent that
# joins with it checks the server's CA before it sends the secret; with the bare secret it would trust any
# server that answers on the address.
secure_token() { [[ $1 =~ ^K10[0-9a-f]{64}::server:[^[:space:]]+$ ]]; }

# export_join_token: the server's secure token (made by k3s at its first start) in .secrets/k3s-join-token on the
# host, for the agent (provision-agent.sh, agent_join_token).
export_join_token() {
  local token
  token=$(cat "$NM_K3S_DATA/server/token" 2>/dev/null) || die "k3s has not written $NM_K3S_DATA/server/token"
  secure_token "$token" || die "$NM_K3S_DATA/server/token is not in the secure form K10<CA hash>::server:<secret>"
  mkdir -p "$NM_SECRETS_DIR"
  printf '%s\n' "$token" | write_if_changed "$NM_SECRETS_DIR/k3s-join-token" 0600 || true
}

# agent_join_token: the agent's token file from .secrets/k3s-join-token, refused unless it is the secure form.
# Returns 0 when it changed (the agent must restart to use it), 1 otherwise. The token is never printed.
agent_join_token() {
  local file="$NM_SECRETS_DIR/k3s-join-token" token
  [ -s "$file" ] ||
    die "no .secrets/k3s-join-token: bring the server up first (vagrant up k3s-server, or vagrant provision k3s-server)"
  token=$(<"$file")
  secure_token "$token" ||
    die ".secrets/k3s-join-token is not the secure K10<CA hash>::server:<secret> token: vagrant provision k3s-server writes it"
  printf '%s\n' "$token" | write_if_changed "$NM_K3S_ETC/cluster-token" 0600
}

# ensure_sealing_key ENV: the BYO sealing key pair in .secrets/sealing/ENV/ (tls.key, tls.crt), made on first
# use: RSA 4096, self-signed, 10 years, as the controller would make it. An existing pair is checked, never
# replaced. Returns 0 when it made a new pair, 1 when the pair was already there.
ensure_sealing_key() {
  local env=$1 dir="$NM_SECRETS_DIR/sealing/$1"
  if [ -s "$dir/tls.key" ] && [ -s "$dir/tls.crt" ]; then
    [ "$(openssl x509 -in "$dir/tls.crt" -noout -pubkey 2>/dev/null)" = "$(openssl pkey -in "$dir/tls.key" -pubout 2>/dev/null)" ] ||
      die "$dir/tls.crt and tls.key do not belong together: restore the pair from your backup"
    return 1
  fi
  if [ -e "$dir/tls.key" ] || [ -e "$dir/tls.crt" ]; then
    die "$dir has only half a key pair: restore tls.key and tls.crt from your backup (or remove both)"
  fi
  mkdir -p "$dir"
  chmod 0700 "$dir"
  (umask 077 && openssl req -x509 -newkey "rsa:$NM_SEALING_KEY_BITS" -nodes -sha256 -days 3650 \
    -subj "/CN=sealed-secret/O=names-manager-$env" -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null) ||
    die "openssl could not make the $env sealing key"
  log "New $env sealing key in ${dir#"$NM_REPO_DIR"/} (back it up: see sealed-secrets/README.md)"
  return 0
}

# sealing_key_secret ENV: the kube-system Secret the controller reads as one of its keys.
sealing_key_secret() {
  local dir="$NM_SECRETS_DIR/sealing/$1"
  cat <<EOF
apiVersion: v1
kind: Secret
type: kubernetes.io/tls
metadata:
  name: names-manager-sealing-$1
  namespace: kube-system
  labels:
    sealedsecrets.bitnami.com/sealed-secrets-key: active
    app.kubernetes.io/part-of: names-manager
data:
  tls.crt: $(base64 <"$dir/tls.crt" | tr -d '\n')
  tls.key: $(base64 <"$dir/tls.key" | tr -d '\n')
EOF
}

# load_sealing_keys: every environment's key into kube-system before the controller starts. A controller that
# already runs reads keys only at start-up: it is restarted when a key changed.
load_sealing_keys() {
  local env out changed=false
  for env in $NM_ENVS; do
    out=$(sealing_key_secret "$env" | kubectl apply -f -) || die "could not load the $env sealing key"
    log "$out"
    case "$out" in *unchanged*) ;; *) changed=true ;; esac
  done
  if $changed && kubectl -n kube-system get deployment sealed-secrets-controller >/dev/null 2>&1; then
    kubectl -n kube-system rollout restart deployment sealed-secrets-controller
    log "sealed-secrets-controller restarted to read the new keys"
  fi
}

# same_certificate A B: both files hold the same certificate.
same_certificate() {
  local a b
  a=$(openssl x509 -in "$1" -noout -fingerprint -sha256 2>/dev/null) || return 1
  b=$(openssl x509 -in "$2" -noout -fingerprint -sha256 2>/dev/null) || return 1
  [ "$a" = "$b" ]
}

# reseal_if_needed ENV (in the work clone): when the committed sealed-secrets/ENV/cert.pem is not this
# cluster's sealing certificate (a fresh clone, a new key), commits the certificate and db-credentials sealed
# with it. The credentials running in the cluster are kept if there are any (their database already uses them);
# otherwise new random ones. Returns 0 when it committed, 1 when nothing had to change.
reseal_if_needed() {
  local env=$1 crt="$NM_SECRETS_DIR/sealing/$1/tls.crt" cert="sealed-secrets/$1/cert.pem" live
  [ -d "$NM_WORK_DIR/sealed-secrets/$env" ] || die "the repository has no sealed-secrets/$env/"
  if [ -f "$NM_WORK_DIR/$cert" ] && same_certificate "$crt" "$NM_WORK_DIR/$cert"; then
    log "$env: the committed certificate is this cluster's sealing key"
    return 1
  fi
  cp "$crt" "$NM_WORK_DIR/$cert"
  if live=$(kubectl -n "names-$env" get secret db-credentials -o name 2>/dev/null) && [ -n "$live" ]; then
    log "$env: resealing the credentials the cluster already runs with"
    # shellcheck disable=SC2016 # a Go template, not shell
    kubectl -n "names-$env" get secret db-credentials \
      -o go-template='{{range $k, $v := .data}}{{$k}}={{$v | base64decode}}{{"\n"}}{{end}}' |
      "$NM_WORK_DIR/scripts/seal.sh" --stdin "$env" || die "resealing $env failed"
  else
    log "$env: sealing new random credentials"
    "$NM_WORK_DIR/scripts/seal.sh" "$env" || die "sealing $env failed"
  fi
  git -C "$NM_WORK_DIR" add "$cert" "sealed-secrets/$env/db-credentials.yaml"
  git -C "$NM_WORK_DIR" commit --quiet -m "Reseal $env db-credentials for this cluster's sealing key" \
    -m "The certificate is the public half of .secrets/sealing/$env (kept on the host, outside Git)."
  return 0
}

# git_site: the nginx site of the VM's Git server (git-http-backend through fcgiwrap). Reading is anonymous
# (Argo CD needs no credentials); a push (git-receive-pack) needs the $GIT_PUSH_USER user.
git_site() {
  cat <<EOF
# Written by scripts/vagrant/provision-server.sh: the Git server Argo CD reads from ($GIT_URL).
map \$arg_service \$nm_git_push_query {
    default 0;
    git-receive-pack 1;
}
map \$uri \$nm_git_push_path {
    default 0;
    ~/git-receive-pack\$ 1;
}
map "\$nm_git_push_query\$nm_git_push_path" \$nm_git_auth {
    default "Names Manager Git push";
    00 off;
}

server {
    listen ${NM_GIT_LISTEN:+$NM_GIT_LISTEN:}$GIT_PORT;
    server_name _;
    client_max_body_size 0;
    access_log /var/log/nginx/names-manager-git.access.log;

    location ~ ^/[A-Za-z0-9._-]+\.git(/.*)?\$ {
        auth_basic \$nm_git_auth;
        auth_basic_user_file $NM_NGINX_DIR/names-manager-git.htpasswd;
        include fastcgi_params;
        fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
        fastcgi_param GIT_PROJECT_ROOT $NM_GIT_ROOT;
        fastcgi_param PATH_INFO \$uri;
        fastcgi_param REMOTE_USER \$remote_user;
        fastcgi_read_timeout 300s;
        fastcgi_pass unix:$NM_FCGIWRAP_SOCKET;
    }

    location / {
        return 404;
    }
}
EOF
}

# ensure_git_password: the push password, kept in .secrets/git-password on the host (scripts/git-remote.sh reads
# it there), a root-only copy for the VM's own pushes, and nginx's htpasswd entry.
# Returns 0 when the password changed (nginx must reload), 1 otherwise.
ensure_git_password() {
  local file="$NM_SECRETS_DIR/git-password" hash
  mkdir -p "$NM_SECRETS_DIR"
  if [ ! -s "$file" ]; then
    (umask 077 && random_hex 24 >"$file")
  fi
  if ! write_if_changed "$NM_ETC_DIR/git-password" 0600 <"$file"; then
    [ -s "$NM_NGINX_DIR/names-manager-git.htpasswd" ] && return 1
  fi
  hash=$(openssl passwd -apr1 -stdin <"$file") || die "openssl could not hash the Git password"
  printf '%s:%s\n' "$GIT_PUSH_USER" "$hash" | write_if_changed "$NM_NGINX_DIR/names-manager-git.htpasswd" 0640 || true
  chgrp "$NM_GIT_USER" "$NM_NGINX_DIR/names-manager-git.htpasswd" 2>/dev/null || true
  return 0
}

# webhook_env: where the post-receive hook sends its push events, and the shared secret it signs them with
# (the same value goes into argocd-secret as webhook.github.secret).
ensure_webhook_config() {
  local secret="$NM_ETC_DIR/webhook-secret"
  mkdir -p "$NM_ETC_DIR"
  if [ ! -s "$secret" ]; then
    (umask 027 && random_hex 32 >"$secret")
  fi
  chgrp "$NM_GIT_USER" "$secret" 2>/dev/null || true
  chmod 0640 "$secret"
  write_if_changed "$NM_ETC_DIR/webhook.env" 0644 <<EOF || true
# Read by the post-receive hook of $NM_GIT_ROOT/$GIT_REPO_NAME.git (scripts/vagrant/post-receive).
ARGOCD_WEBHOOK_URL=$ARGOCD_URL/api/webhook
REPO_WEB_URL=${GIT_URL%.git}
DEFAULT_BRANCH=main
WEBHOOK_SECRET_FILE=$secret
EOF
}

# wait_for_node NAME SECONDS: until node NAME is registered and Ready. Right after k3s starts, the API server
# answers before the kubelet has registered its node, and `kubectl wait` fails at once on an object that does not
# exist yet.
wait_for_node() {
  local node=$1 timeout=$2 waited=0
  until kubectl get "node/$node" >/dev/null 2>&1; do
    [ "$waited" -lt "$timeout" ] || die "node $node did not register within ${timeout}s (see: journalctl -u k3s)"
    sleep 2
    waited=$((waited + 2))
  done
  local left=$((timeout - waited))
  [ "$left" -ge 10 ] || left=10
  kubectl wait --for=condition=Ready "node/$node" --timeout="${left}s" >/dev/null ||
    die "node $node is not Ready after ${timeout}s (see: kubectl describe node/$node)"
  log "Node $node is Ready"
}

# ensure_argocd_webhook_secret: the webhook secret of ensure_webhook_config as Argo CD's webhook.github.secret
# (argocd-secret), so Argo CD accepts the hook's signed push events and refuses unsigned or wrongly signed ones.
ensure_argocd_webhook_secret() {
  local secret current
  secret=$(<"$NM_ETC_DIR/webhook-secret")
  current=$(kubectl -n argocd get secret argocd-secret -o jsonpath='{.data.webhook\.github\.secret}' | base64 -d) ||
    die "cannot read Argo CD's argocd-secret"
  [ "$current" = "$secret" ] && return 1
  printf '{"stringData":{"webhook.github.secret":"%s"}}' "$secret" |
    kubectl -n argocd patch secret argocd-secret --type merge --patch-file /dev/stdin >/dev/null ||
    die "cannot set Argo CD's webhook secret"
  log "Argo CD webhook secret set (the post-receive hook signs with it)"
}

# ensure_bare_repo SOURCE: the repository Argo CD follows. Made once from SOURCE's HEAD (the host's checkout)
# as branch main; later runs never overwrite it (pushes are its history). History is append-only: no force
# push, no branch deletion. The hook is (re)installed every run.
ensure_bare_repo() {
  local source=$1 repo="$NM_GIT_ROOT/$GIT_REPO_NAME.git"
  if [ ! -d "$repo" ]; then
    mkdir -p "$NM_GIT_ROOT"
    git init --quiet --bare --initial-branch=main "$repo"
  fi
  git --git-dir="$repo" config receive.denyNonFastForwards true
  git --git-dir="$repo" config receive.denyDeletes true
  git --git-dir="$repo" config names-manager.webhookEnv "$NM_ETC_DIR/webhook.env" # read by the hook
  # Pushes only as an authenticated user (nginx asks for the password; git-http-backend then sees REMOTE_USER).
  git --git-dir="$repo" config --unset-all http.receivepack || true
  touch "$repo/git-daemon-export-ok"
  if ! git --git-dir="$repo" rev-parse --verify --quiet refs/heads/main >/dev/null; then
    # The host's files belong to another user: git refuses to read a repository it does not own unless told.
    git config --global --get-all safe.directory 2>/dev/null | grep -qxF "$source" ||
      git config --global --add safe.directory "$source"
    git -C "$source" rev-parse --verify --quiet HEAD >/dev/null ||
      die "$source is not a git checkout with a commit: clone the repository (not a download) and vagrant up again"
    git --git-dir="$repo" fetch --quiet --no-tags "$source" "+HEAD:refs/heads/main" ||
      die "could not copy $source into $repo"
    log "Git server seeded with $(git --git-dir="$repo" rev-parse --short=12 main) (the host's HEAD) as main"
    if [ -n "$(git -C "$source" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
      warn "the host checkout has uncommitted changes: they are not in the VM's repository (commit, then push)"
    fi
  fi
  install -m 0755 "$NM_REPO_DIR/scripts/vagrant/post-receive" "$repo/hooks/post-receive"
  chown -R "$NM_GIT_USER:$NM_GIT_USER" "$repo"
}

# refresh_work_clone URL: the VM's own clone of main (for resealing and the first release), up to date.
refresh_work_clone() {
  local url=$1 server
  server=$(printf '%s' "$url" | sed -E 's#^(https?://[^/]+).*#\1#')
  if [ ! -d "$NM_WORK_DIR/.git" ]; then
    mkdir -p "$(dirname "$NM_WORK_DIR")"
    git clone --quiet --branch main "$url" "$NM_WORK_DIR" || die "cannot clone $url"
  fi
  git -C "$NM_WORK_DIR" config user.name "Names Manager VM"
  git -C "$NM_WORK_DIR" config user.email "gitops@k3s-server.invalid"
  git -C "$NM_WORK_DIR" config --unset-all "credential.$server.helper" || true
  git -C "$NM_WORK_DIR" config --unset-all "credential.$server.username" || true
  git -C "$NM_WORK_DIR" config --add "credential.$server.helper" ""
  git -C "$NM_WORK_DIR" config --add "credential.$server.helper" \
    "!f() { test \"\$1\" = get && printf 'password=%s\\n' \"\$(cat '$NM_ETC_DIR/git-password')\"; }; f"
  git -C "$NM_WORK_DIR" config --add "credential.$server.username" "$GIT_PUSH_USER"
  git -C "$NM_WORK_DIR" checkout --quiet main
  git -C "$NM_WORK_DIR" pull --quiet --ff-only origin main ||
    die "the VM's work clone $NM_WORK_DIR has diverged from main: remove it and provision again"
}

# overlay_images ENV (in the work clone): the names-backend and names-frontend image references overlays/ENV
# renders, one per line.
overlay_images() {
  kubectl kustomize "$NM_WORK_DIR/overlays/$1" |
    sed -n -E 's#^[[:space:]]*(- )?image:[[:space:]]*"?([^"[:space:]]*/names-(backend|frontend)[@:][^"[:space:]]*)"?.*#\2#p' |
    sort -u
}

# image_in_registry REF: REF (registry/name@sha256:… or registry/name:tag) is served by the lab's registry.
image_in_registry() {
  local ref=$1 repo_path reference
  case "$ref" in "$REGISTRY"/*) ;; *) return 1 ;; esac
  repo_path=${ref#"$REGISTRY"/}
  if [[ $repo_path == *@* ]]; then
    reference=${repo_path#*@}
    repo_path=${repo_path%@*}
  else
    reference=${repo_path##*:}
    repo_path=${repo_path%:*}
  fi
  curl -fsS -o /dev/null --max-time 10 -I \
    -H 'Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$REGISTRY/v2/$repo_path/manifests/$reference" 2>/dev/null
}

# envs_needing_images: the environments whose overlay references an image of the lab's registry that the
# registry does not have (a fresh VM: its registry is empty). Their first release builds and pins it.
envs_needing_images() {
  local env ref needed
  for env in $NM_ENVS; do
    needed=false
    while IFS= read -r ref; do
      [ -n "$ref" ] || continue
      case "$ref" in "$REGISTRY"/*) ;; *) continue ;; esac
      image_in_registry "$ref" || needed=true
    done < <(overlay_images "$env")
    if $needed; then printf '%s\n' "$env"; fi
  done
}

# apply_root_application: the platform project and the root Application (in the work clone). A root that exists
# without automated sync was paused on purpose (scripts/cleanup.sh does so before it removes an environment, which
# the root would otherwise recreate from Git): it is left exactly as it is. Returns 1 when the root is paused.
apply_root_application() {
  local found automated
  kubectl apply -f "$NM_WORK_DIR/argocd/project-platform.yaml" || die "cannot apply the platform project"
  found=$(kubectl -n argocd get application root --ignore-not-found -o name) ||
    die "cannot read the root Application"
  if [ -n "$found" ]; then
    automated=$(kubectl -n argocd get application root -o jsonpath='{.spec.syncPolicy.automated}') ||
      die "cannot read the root Application's sync policy"
    if [ -z "$automated" ]; then
      warn "the root Application is paused (no automated sync, as scripts/cleanup.sh leaves it): not changed"
      log "Resume it when you want Git to rule again (this recreates removed environments):"
      log "  kubectl -n argocd patch application root --type=merge -p '{\"spec\":{\"syncPolicy\":{\"automated\":{\"prune\":true,\"selfHeal\":true}}}}'"
      return 1
    fi
  fi
  kubectl apply -f "$NM_WORK_DIR/argocd/root-application.yaml" || die "cannot apply the root Application"
}

# apps_to_wait_for ROOT_PAUSED: the environments' Applications provisioning waits for; with a paused root only the
# ones that exist (an environment cleanup.sh removed stays removed).
apps_to_wait_for() {
  local env
  for env in $NM_ENVS; do
    if [ "$1" = true ] && ! kubectl -n argocd get application "names-$env" -o name >/dev/null 2>&1; then
      log "names-$env is not deployed while the root Application is paused: not waiting for it"
      continue
    fi
    printf 'names-%s\n' "$env"
  done
}

# wait_for_application NAME TIMEOUT_SECONDS: until the Argo CD Application is Synced and Healthy.
wait_for_application() {
  local name=$1 timeout=$2 waited=0 interval=${NM_WAIT_INTERVAL:-10} state last="(unknown)"
  while :; do
    state=$(kubectl -n argocd get application "$name" \
      -o jsonpath='{.status.sync.status}/{.status.health.status}' 2>/dev/null || true)
    if [ "$state" != "$last" ]; then
      log "$name: ${state:-not created yet}"
      last=$state
    fi
    [ "$state" = "Synced/Healthy" ] && return 0
    if [ "$waited" -ge "$timeout" ]; then
      warn "$name is not Synced/Healthy after ${timeout}s (now: ${state:-missing})"
      return 1
    fi
    sleep "$interval"
    waited=$((waited + interval))
  done
}
