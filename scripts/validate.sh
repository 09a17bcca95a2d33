#!/usr/bin/env bash
# Validates the Kubernetes manifests offline: renders every overlay with kubectl kustomize and runs the
# deploy-tests suite (strict schema of every object, the project's policies, the manifests<->apps contract,
# the SealedSecrets). Fails on the first error.
#
#   scripts/validate.sh
#
# When: locally before pushing a change to base/, overlays/, sealed-secrets/ or argocd/; CI runs the same suite
# as part of ./mvnw verify.
# Prerequisites: JDK 21+ (scripts/lib/java.sh picks one), kubectl 1.27+ on PATH (or KUBECTL=/path/to/kubectl).
# Offline: nothing is downloaded beyond Maven dependencies, nothing is sent to a cluster.
set -o errexit -o nounset -o pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/java.sh
. scripts/lib/java.sh
ensure_maven

kubectl_bin="${KUBECTL:-kubectl}"
if ! command -v "$kubectl_bin" >/dev/null 2>&1; then
  echo "validate: $kubectl_bin not found; install kubectl 1.27 or newer, or set KUBECTL" >&2
  exit 1
fi

# Every kustomization renders (fast feedback with kustomize's own message before the suite runs).
while IFS= read -r kustomization; do
  dir="$(dirname "$kustomization")"
  echo "render $dir"
  "$kubectl_bin" kustomize "$dir" >/dev/null
done < <(find base overlays sealed-secrets -name kustomization.yaml | sort)

# The suite, after the apps (built first so that their jars can be run and asked). -Dtest keeps the apps' own
# test suites out: ./mvnw verify, as CI runs it, has them.
modules=()
for pom in apps/*/pom.xml; do
  [[ -f "$pom" ]] && modules+=("$(dirname "$pom")")
done
modules+=(deploy-tests)
projects="$(IFS=,; echo "${modules[*]}")"
mvn_args=(-B verify -pl "$projects" '-Dtest=io.namesmanager.deploy.*Test' -Dsurefire.failIfNoSpecifiedTests=false)
./mvnw "${mvn_args[@]}"
