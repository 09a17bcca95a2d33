#!/usr/bin/env bash
# Runs a controller that knows only in-cluster configuration (the Sealed Secrets controller) as a process: in a
# mount namespace of its own, /var/run/secrets/kubernetes.io/serviceaccount shows the folder given, as the kubelet
# would mount it into a pod. Nothing changes outside that namespace. The command replaces this shell, so its PID
# is the one the caller started.
#
#   in-cluster.sh SERVICE_ACCOUNT_DIR COMMAND [ARG...]   (the folder holds token, ca.crt and namespace)
#   with KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT set to the API server
set -euo pipefail
if [ "${1:-}" != --inside ]; then
  [ $# -ge 2 ] || { echo "usage: in-cluster.sh SERVICE_ACCOUNT_DIR COMMAND [ARG...]" >&2; exit 2; }
  user_ns=()
  [ "$(id -u)" -eq 0 ] || user_ns=(--user --map-root-user)
  exec unshare "${user_ns[@]}" --mount --propagation private -- "$0" --inside "$@"
fi
shift
account=$1
shift
mount -t tmpfs -o mode=0755 names-cluster-stage /run
mkdir -p /run/secrets/kubernetes.io/serviceaccount
mount --bind "$account" /run/secrets/kubernetes.io/serviceaccount
exec "$@"
