# shellcheck shell=bash
# Sourced by the scripts that talk to a cluster (verify-cluster, backup, restore, cleanup): which cluster, whether
# it answers, and asking before anything destructive. Needs scripts/lib/common.sh sourced first.
#
# Every kubectl call goes through `kube ...` so that --context, when given, applies to all of them.

# The Vagrant VM's API server (scripts/vagrant/config.sh SERVER_IP; the kubeconfig provisioning writes).
VAGRANT_API_SERVER="https://192.168.56.10:6443"
KUBE_CONTEXT=""

# kube_setup ROOT CONTEXT: the kubeconfig and context every later `kube` call uses. Without a context the current
# one must point at the Vagrant cluster; with KUBECONFIG unset, the VM's .secrets/kubeconfig is used if present.
kube_setup() {
  local root=$1 server
  KUBE_CONTEXT=$2
  require_cmd kubectl
  if [ -z "${KUBECONFIG:-}" ] && [ -f "$root/.secrets/kubeconfig" ]; then
    export KUBECONFIG="$root/.secrets/kubeconfig"
  fi
  [ -n "$KUBE_CONTEXT" ] && return 0
  server=$(kubectl config view --minify -o 'jsonpath={.clusters[0].cluster.server}' 2>/dev/null) || server=""
  if [ "$server" != "$VAGRANT_API_SERVER" ]; then
    die "the current kubectl context points at '${server:-nothing}', not the Vagrant cluster ($VAGRANT_API_SERVER): pass --context NAME to run against another cluster on purpose"
  fi
}

kube() {
  if [ -n "$KUBE_CONTEXT" ]; then
    kubectl --context "$KUBE_CONTEXT" "$@"
  else
    kubectl "$@"
  fi
}

# require_cluster: the API server answers, or a clear message (before anything has been changed).
require_cluster() {
  local which="the Kubernetes API"
  [ -z "$KUBE_CONTEXT" ] || which="the Kubernetes API of context $KUBE_CONTEXT"
  kube get --raw=/readyz --request-timeout=10s >/dev/null 2>&1 ||
    die "cannot reach $which: is the VM up? (vagrant status; vagrant up; KUBECONFIG=${KUBECONFIG:-~/.kube/config})"
}

# confirm QUESTION ANSWER YES: true when YES is "true", or when the person at the terminal types ANSWER.
# Without a terminal and without --yes it refuses: a script in a pipeline never deletes by accident.
confirm() {
  local question=$1 expected=$2 yes=$3 reply
  [ "$yes" = true ] && return 0
  [ -t 0 ] || die "not asking without a terminal: pass --yes to proceed"
  printf '%s [type %s to go on] ' "$question" "$expected" >&2
  read -r reply || reply=""
  [ "$reply" = "$expected" ] || die "not confirmed: nothing was changed"
}

# env_namespace ENV: the namespace the overlay deploys to.
env_namespace() { printf 'names-%s' "$1"; }
