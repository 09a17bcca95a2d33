#!/usr/bin/env bash
# Shows what Argo CD will apply for an environment, or how prod differs from dev, for reviewers.
#
#   scripts/preview.sh dev            # the rendered overlays/dev (what Argo CD applies to names-dev)
#   scripts/preview.sh prod           # the same for overlays/prod
#   scripts/preview.sh --diff         # unified diff dev -> prod, namespaces and ConfigMap hashes normalised
#   scripts/preview.sh --diff A B     # the same between any two overlays
#
# When: before opening a merge request that touches base/, overlays/ or sealed-secrets/, and while reviewing one.
# Prerequisites: kubectl 1.27+ (its built-in kustomize v5); diff. Offline: nothing is sent to a cluster.
set -o errexit -o nounset -o pipefail

cd "$(dirname "$0")/.."

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

render() {
  local env="$1"
  if [[ ! -f "overlays/$env/kustomization.yaml" ]]; then
    local have=(overlays/*/kustomization.yaml)
    echo "preview: no overlay overlays/$env (have: ${have[*]%/kustomization.yaml})" >&2
    exit 2
  fi
  kubectl kustomize "overlays/$env"
}

# The parts that always differ and hide the interesting changes: the namespace name, the generated
# ConfigMap hash suffixes (app-config-<hash>) and the sealed values (each environment has its own key).
normalise() {
  sed -E -e 's/names-(dev|prod)\b/names-ENV/g' \
         -e 's/\b(app-config|frontend-config)-[a-z0-9]{10}\b/\1-HASH/g' \
         -e 's/^(    [A-Za-z0-9_.-]+: )Ag[A-Za-z0-9+\/=]{64,}$/\1<sealed>/'
}

if ! command -v kubectl >/dev/null 2>&1; then
  echo "preview: kubectl not found; install kubectl 1.27 or newer (kustomize v5 built in)" >&2
  exit 1
fi

case "${1:-}" in
  --diff)
    from="${2:-dev}"
    to="${3:-prod}"
    diff_args=(--unified=3 --label "overlays/$from" --label "overlays/$to")
    # diff exits 1 when the renders differ, which is the expected outcome here.
    diff "${diff_args[@]}" <(render "$from" | normalise) <(render "$to" | normalise) || [[ $? -eq 1 ]]
    ;;
  -h | --help | "")
    usage
    ;;
  *)
    render "$1"
    ;;
esac
