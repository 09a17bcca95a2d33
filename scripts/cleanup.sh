#!/usr/bin/env bash
# Removes one environment from the cluster: its Argo CD Application (whose finalizer deletes everything it
# deployed) and its namespace. The database volumes are kept unless --purge: their PersistentVolumes are switched
# to reclaim policy Retain first, so the data outlives the namespace and can be attached again (docs/operations.md,
# "Remove an environment"). Asks first.
#
# Usage: scripts/cleanup.sh [options] <dev|prod>
#   --purge          delete the volumes too (the data is gone)
#   --yes            do not ask (needed without a terminal)
#   --context NAME   kubectl context; without it the current context must be the Vagrant cluster
#
# The root Application would recreate the environment's Application from Git within minutes, so its automated
# sync is paused first; the script prints how to resume it. The pause is the mark: `vagrant provision` leaves a
# root without automated sync as it is (scripts/vagrant/lib.sh, apply_root_application). To remove an environment
# for good, delete it from argocd/kustomization.yaml in Git instead (or as well).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/cluster.sh
. "$ROOT/scripts/lib/cluster.sh"

purge=false
yes=false
context=""
env=""
TIMEOUT=${CLEANUP_TIMEOUT:-300s}

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --context)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value"; fi
      context=$2
      shift
      ;;
    --purge) purge=true ;;
    --yes) yes=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/cleanup.sh --help)" ;;
    *) env=$(take_env "$env" "$1") ;;
  esac
  shift
done
[ -n "$env" ] || die "which environment? usage: scripts/cleanup.sh [options] <dev|prod>"
namespace=$(env_namespace "$env")
app=names-$env

kube_setup "$ROOT" "$context"
require_cluster

app_found=$(kube -n argocd get application "$app" --ignore-not-found -o name) ||
  die "cannot read Applications in argocd: is Argo CD installed?"
ns_found=$(kube get namespace "$namespace" --ignore-not-found -o name) || die "cannot read namespaces"
if [ -z "$app_found" ] && [ -z "$ns_found" ]; then
  log "Neither Application $app nor namespace $namespace exists: nothing to remove"
  exit 0
fi
volumes=()
if [ -n "$ns_found" ]; then
  mapfile -t volumes < <(kube -n "$namespace" get pvc -o 'jsonpath={range .items[*]}{.spec.volumeName}{"\n"}{end}' | sed '/^$/d') ||
    die "cannot list the volumes in $namespace"
fi
root_automated=$(kube -n argocd get application root --ignore-not-found -o 'jsonpath={.spec.syncPolicy.automated}') || root_automated=""

echo "This removes environment $env:"
[ -z "$root_automated" ] || echo "  - pause automated sync of the root Application (it would recreate $app)"
[ -z "$app_found" ] || echo "  - delete Application argocd/$app and everything it deployed"
[ -z "$ns_found" ] || echo "  - delete namespace $namespace"
for volume in "${volumes[@]}"; do
  if $purge; then echo "  - DELETE volume $volume and its data"; else echo "  - keep volume $volume (reclaim policy Retain)"; fi
done
confirm "Remove $env?" "$env" "$yes"

if [ -n "$root_automated" ]; then
  kube -n argocd patch application root --type=json \
    -p='[{"op":"remove","path":"/spec/syncPolicy/automated"}]' >/dev/null ||
    die "cannot pause the root Application: nothing was deleted"
  log "Paused automated sync of the root Application"
fi
policy=Retain
if $purge; then policy=Delete; fi
for volume in "${volumes[@]}"; do
  kube patch pv "$volume" -p "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"$policy\"}}" >/dev/null ||
    die "cannot set reclaim policy $policy on volume $volume: nothing was deleted"
done
if [ -n "$app_found" ]; then
  log "Deleting Application $app (its finalizer deletes what it deployed; up to $TIMEOUT)"
  kube -n argocd delete application "$app" --wait=true "--timeout=$TIMEOUT" >/dev/null ||
    die "Application $app was not deleted within $TIMEOUT: see kubectl -n argocd describe application $app (stuck finalizer?), then run this again"
fi
log "Deleting namespace $namespace (up to $TIMEOUT)"
kube delete namespace "$namespace" --ignore-not-found --wait=true "--timeout=$TIMEOUT" >/dev/null ||
  die "namespace $namespace is still terminating after $TIMEOUT: kubectl get namespace $namespace -o yaml shows what blocks it; run this again"

log "Environment $env removed"
if [ "${#volumes[@]}" -gt 0 ] && ! $purge; then
  log "Kept volumes (Released, data intact): ${volumes[*]}; attach again or delete them: docs/operations.md, \"Remove an environment\""
fi
if [ -n "$root_automated" ]; then
  log "The root Application is paused. Resume it (this recreates $app from Git; vagrant provision leaves it paused):"
  log "  kubectl -n argocd patch application root --type=merge -p '{\"spec\":{\"syncPolicy\":{\"automated\":{\"prune\":true,\"selfHeal\":true}}}}'"
fi
