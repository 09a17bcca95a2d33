#!/usr/bin/env bash
# Provisions the k3s server VM; the Vagrantfile runs it as root on `vagrant up` and `vagrant provision`.
# Every step checks what is already there, so running it again repairs or updates without redoing work.
#
#  1. packages (git, nginx, fcgiwrap, a JDK 21 for the image build) and pinned kubeseal and kustomize
#  2. k3s (the pinned release's binary and airgap images, checksum-verified) on the private network, registry
#     mirror, kubeconfig for the host in .secrets/kubeconfig
#  3. the BYO sealing keys from .secrets/sealing/<env>/ (made on first boot) into kube-system
#  4. the Git server (http://192.168.56.10:8418/names-manager.git) seeded from the host's HEAD, with the
#     post-receive hook that tells Argo CD about every push
#  5. the in-cluster registry (NodePort 30500), Argo CD (pinned, NodePort 30443) and its webhook secret
#  6. resealing db-credentials when the committed certificates are not this cluster's keys, the first image
#     build and push when the registry lacks what the overlays reference (both committed to the VM's Git)
#  7. the root Application (left alone when scripts/cleanup.sh paused it); then the URLs, the Argo CD admin password (first boot only) and next steps
#
# Environment: NM_REPO_DIR (default /vagrant), NM_WAIT_TIMEOUT seconds to wait for the environments (600), and the
# settings of scripts/vagrant/config.sh that the Vagrantfile passes on from the host (NM_AIRGAP_IMAGES, ...).
set -euo pipefail
exec 2>&1 # Vagrant shows stderr in red: keep the log one stream

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Vagrant runs an uploaded copy of this file: the rest of the scripts are in the shared folder.
[ -f "$HERE/lib.sh" ] || HERE="${NM_REPO_DIR:-/vagrant}/scripts/vagrant"
# shellcheck source=scripts/lib/common.sh
. "$HERE/../lib/common.sh"
# shellcheck source=scripts/vagrant/config.sh
. "$HERE/config.sh"
# shellcheck source=scripts/vagrant/lib.sh
. "$HERE/lib.sh"

[ "$(id -u)" -eq 0 ] || die "run as root (vagrant provision does)"
check_settings
export DEBIAN_FRONTEND=noninteractive
export KUBECONFIG=$NM_K3S_ETC/k3s.yaml
export PATH="$NM_BIN_DIR:$PATH"
timeout=${NM_WAIT_TIMEOUT:-600}
problems=()

step "Packages"
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  ca-certificates curl git openssl python3 nginx fcgiwrap openjdk-21-jdk-headless unzip >/dev/null
install_kubeseal
install_kustomize

step "k3s $K3S_VERSION"
iface=$(host_only_iface "$SERVER_IP")
ensure_cluster_token
config_changed=false
if k3s_server_config "$SERVER_IP" "$iface" | write_if_changed "$NM_K3S_ETC/config.yaml" 0600; then config_changed=true; fi
if write_registries_yaml "$REGISTRY"; then config_changed=true; fi
install_k3s server "$config_changed"
for _ in $(seq 60); do kubectl get --raw /readyz >/dev/null 2>&1 && break; sleep 5; done
wait_for_node "$(hostname)" 300
export_join_token
# The host's kubeconfig: the same credentials, the server's private-network address.
sed "s#https://127.0.0.1:6443#https://$SERVER_IP:6443#" "$KUBECONFIG" |
  write_if_changed "$NM_SECRETS_DIR/kubeconfig" 0600 || true
install -d -o vagrant -g vagrant /home/vagrant/.kube
install -m 0600 -o vagrant -g vagrant "$KUBECONFIG" /home/vagrant/.kube/config

step "Sealing keys"
for env in $NM_ENVS; do ensure_sealing_key "$env" || true; done
load_sealing_keys

step "Git server"
ensure_webhook_config
git_password_changed=false
if ensure_git_password; then git_password_changed=true; fi
ensure_bare_repo "$NM_REPO_DIR"
site_changed=false
if git_site | write_if_changed "$NM_NGINX_DIR/sites-available/names-manager-git" 0644; then site_changed=true; fi
ln -sfn ../sites-available/names-manager-git "$NM_NGINX_DIR/sites-enabled/names-manager-git"
# Port 80 belongs to k3s's Traefik (prod's Ingress): no nginx welcome page there.
if [ -e "$NM_NGINX_DIR/sites-enabled/default" ]; then
  rm -f "$NM_NGINX_DIR/sites-enabled/default"
  site_changed=true
fi
systemctl enable --now fcgiwrap.socket >/dev/null 2>&1
nginx -t -q || die "nginx rejects the Git server configuration"
if $site_changed || $git_password_changed || ! systemctl is-active --quiet nginx; then
  systemctl enable nginx >/dev/null 2>&1
  systemctl reload-or-restart nginx
fi
refresh_work_clone "http://127.0.0.1:$GIT_PORT/$GIT_REPO_NAME.git"

step "Registry ($REGISTRY)"
kubectl apply -k "$NM_WORK_DIR/argocd/registry"
kubectl -n registry rollout status deployment/registry --timeout=300s

step "Argo CD"
kubectl create namespace argocd --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply --server-side --force-conflicts -k "$NM_WORK_DIR/argocd/install" >/dev/null
ensure_argocd_webhook_secret || true
for workload in deployment/argocd-server deployment/argocd-repo-server statefulset/argocd-application-controller; do
  kubectl -n argocd rollout status "$workload" --timeout=600s
done

step "Sealed secrets"
resealed=false
for env in $NM_ENVS; do
  if reseal_if_needed "$env"; then resealed=true; fi
done
if $resealed; then
  git -C "$NM_WORK_DIR" push --quiet origin HEAD:main
  log "Resealed credentials committed to the VM's Git: fetch them into your clone (scripts/git-remote.sh)"
fi

step "Images"
mapfile -t release_envs < <(envs_needing_images)
if [ "${#release_envs[@]}" -gt 0 ]; then
  log "The registry lacks the images ${release_envs[*]} reference: building and pushing them (takes minutes)"
  if ! (cd "$NM_WORK_DIR" && MAVEN_OPTS="-Xmx1g" IMAGE_REGISTRY="$REGISTRY" \
    scripts/release.sh --skip-tests --remote origin --branch main "${release_envs[@]}"); then
    problems+=("the first image build failed (see above); fix it and run: vagrant provision")
  fi
else
  log "The registry has every image the overlays reference"
fi

step "Root application"
root_paused=false
apply_root_application || root_paused=true

step "Ready"
password_note="$NM_STATE_DIR/admin-password-shown"
password=""
if [ ! -e "$password_note" ]; then
  password=$(kubectl -n argocd get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' 2>/dev/null |
    base64 -d || true)
fi
cat <<EOF
Names Manager (dev)   $APP_URL
Argo CD               $ARGOCD_URL   (self-signed certificate; user admin)
EOF
if [ -n "$password" ]; then
  printf 'Argo CD password      %s   (shown once: change it in the UI, User Info)\n' "$password"
  mkdir -p "$NM_STATE_DIR"
  touch "$password_note"
else
  printf 'Argo CD password      shown on first boot; again: vagrant ssh -c "sudo kubectl -n argocd get secret argocd-initial-admin-secret -o jsonpath={.data.password} | base64 -d"\n'
fi
cat <<EOF
Git (Argo CD source)  $GIT_URL   (push user $GIT_PUSH_USER, password in .secrets/git-password)
Registry              $REGISTRY
kubectl from the host export KUBECONFIG=\$PWD/.secrets/kubeconfig

Next steps on the host:
  scripts/git-remote.sh          # adds the remote "vm" and fetches what this VM committed
  git pull --rebase vm main      # resealed secrets and pinned images, if any
  # change something, commit, then:
  git push vm HEAD:main          # Argo CD syncs at once (the hook notifies it)
EOF

step "Waiting for the environments (up to ${timeout}s)"
mapfile -t apps < <(apps_to_wait_for "$root_paused")
for app in "${apps[@]}"; do
  wait_for_application "$app" "$timeout" || problems+=("$app is not Synced/Healthy: kubectl -n argocd get application $app -o yaml")
done
if [ "${#problems[@]}" -gt 0 ]; then
  printf 'Provisioning finished with problems:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi
log "All environments are Synced and Healthy"
