#!/usr/bin/env bash
# Provisions the optional k3s agent VM (vagrant up k3s-agent, after the server): the same pinned k3s, joined to
# the server with the server's secure token (.secrets/k3s-join-token, which pins the server's CA), and the same
# registry mirror.
# Safe to run again (vagrant provision k3s-agent).
set -euo pipefail
exec 2>&1

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
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

step "Packages"
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl >/dev/null

step "k3s $K3S_VERSION agent"
config_changed=false
if agent_join_token; then config_changed=true; fi
iface=$(host_only_iface "$AGENT_IP")
if k3s_agent_config "$AGENT_IP" "$iface" "$SERVER_IP" | write_if_changed "$NM_K3S_ETC/config.yaml" 0600; then
  config_changed=true
fi
if write_registries_yaml "$REGISTRY"; then config_changed=true; fi
curl -fsk --max-time 10 -o /dev/null "https://$SERVER_IP:6443/ping" ||
  die "the server's API (https://$SERVER_IP:6443) does not answer: is k3s-server up?"
install_k3s agent "$config_changed"
log "Agent $(hostname) joins the cluster; on the server: kubectl get nodes"
