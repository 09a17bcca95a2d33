#!/usr/bin/env bats
# scripts/cleanup.sh: the exact kubectl calls in order (pause the root, keep the volumes, delete the Application,
# then the namespace), confirmation, and that nothing is deleted when a step before it fails. What the volumes
# become (kept and Released, or purged by the provisioner) is shown against the real API server by the cluster
# stage (cluster-tests, OpsScriptsTest); the Application's deletion needs Argo CD and stays here.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  fake kubectl '
case "$*" in
  "config view --minify -o jsonpath={.clusters[0].cluster.server}") echo "${FAKE_SERVER-https://192.168.56.10:6443}" ;;
  *"get --raw=/readyz"*) [ -z "${FAKE_NO_CLUSTER:-}" ] || { echo "dial tcp 192.168.56.10:6443: connect: no route to host" >&2; exit 1; } ;;
  *"-n argocd get application names-"*) [ -n "${FAKE_NO_APP:-}" ] || echo "application.argoproj.io/${*##*application }" | cut -d" " -f1 ;;
  *"get namespace names-"*) [ -n "${FAKE_NO_NS:-}" ] || echo "namespace/names-dev" ;;
  *"get pvc"*) printf "%s" "${FAKE_PVS-pvc-0001
pvc-0002
}" ;;
  *"get application root"*) [ -n "${FAKE_ROOT_MANUAL:-}" ] || printf "%s" "{\"prune\":true,\"selfHeal\":true}" ;;
  *"patch pv"*) exit "${FAKE_PATCH_PV_STATUS:-0}" ;;
  *"delete application"*) exit "${FAKE_DELETE_APP_STATUS:-0}" ;;
esac
exit 0'
}

mutations() { grep -E ' (patch|delete) ' "$CALLS" || true; }

@test "--yes: pauses the root, keeps the volumes, deletes the Application then the namespace" {
  run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 0 ]
  expected='kubectl -n argocd patch application root --type=json -p=[{"op":"remove","path":"/spec/syncPolicy/automated"}]
kubectl patch pv pvc-0001 -p {"spec":{"persistentVolumeReclaimPolicy":"Retain"}}
kubectl patch pv pvc-0002 -p {"spec":{"persistentVolumeReclaimPolicy":"Retain"}}
kubectl -n argocd delete application names-dev --wait=true --timeout=300s
kubectl delete namespace names-dev --ignore-not-found --wait=true --timeout=300s'
  [ "$(mutations)" = "$expected" ]
  grep -qx 'kubectl -n names-dev get pvc -o jsonpath={range .items\[\*\]}{.spec.volumeName}{"\\n"}{end}' "$CALLS"
  [[ $output == *"keep volume pvc-0001 (reclaim policy Retain)"* ]]
  [[ $output == *"Kept volumes (Released, data intact): pvc-0001 pvc-0002"* ]]
  [[ $output == *"The root Application is paused. Resume it"* ]]
}

@test "it asks: without a terminal it refuses, a wrong answer deletes nothing, the name goes on" {
  run "$REPO_ROOT/scripts/cleanup.sh" dev </dev/null
  [ "$status" -eq 1 ]
  [[ $output == *"not asking without a terminal: pass --yes"* ]]
  [ -z "$(mutations)" ]
  run script -qec "$REPO_ROOT/scripts/cleanup.sh dev" /dev/null <<<"prod"
  [ "$status" -eq 1 ]
  [[ $output == *"not confirmed: nothing was changed"* ]]
  [ -z "$(mutations)" ]
  run script -qec "$REPO_ROOT/scripts/cleanup.sh dev" /dev/null <<<"dev"
  [ "$status" -eq 0 ]
  grep -q 'delete namespace names-dev' "$CALLS"
}

@test "a volume that cannot be kept stops it before anything is deleted" {
  FAKE_PATCH_PV_STATUS=1 run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"cannot set reclaim policy Retain on volume pvc-0001: nothing was deleted"* ]]
  refute grep -q ' delete ' "$CALLS"
}

@test "an Application that is not deleted in time: a clear message, the namespace is left alone" {
  FAKE_DELETE_APP_STATUS=1 CLEANUP_TIMEOUT=5s run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"Application names-dev was not deleted within 5s"* ]]
  refute grep -q 'delete namespace' "$CALLS"
}

@test "nothing deployed: nothing to do; no root to pause, no volumes: only the deletions" {
  FAKE_NO_APP=1 FAKE_NO_NS=1 run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 0 ]
  [[ $output == *"nothing to remove"* ]]
  [ -z "$(mutations)" ]
  FAKE_ROOT_MANUAL=1 FAKE_PVS='' run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 0 ]
  [ "$(mutations | cut -d' ' -f2-4)" = "-n argocd delete
delete namespace names-dev" ]
}

@test "no cluster, a foreign context, usage errors: refused before any call that changes something" {
  FAKE_NO_CLUSTER=1 run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"cannot reach the Kubernetes API: is the VM up?"* ]]
  FAKE_SERVER=https://10.0.0.1:6443 run "$REPO_ROOT/scripts/cleanup.sh" --yes dev
  [ "$status" -eq 1 ]
  [[ $output == *"not the Vagrant cluster"*"pass --context NAME"* ]]
  [ -z "$(mutations)" ]
  run "$REPO_ROOT/scripts/cleanup.sh" --yes
  [[ $output == *"which environment?"* ]]
  run "$REPO_ROOT/scripts/cleanup.sh" --yes dev prod
  [[ $output == *"one environment at a time"* ]]
  run "$REPO_ROOT/scripts/cleanup.sh" --help
  [ "$status" -eq 0 ]
  [[ $output == *"Usage: scripts/cleanup.sh"* ]]
  : >"$CALLS"
  FAKE_SERVER=https://10.0.0.1:6443 run "$REPO_ROOT/scripts/cleanup.sh" --context other --yes dev
  [ "$status" -eq 0 ]
  refute grep -v '^kubectl --context other ' "$CALLS"
}
