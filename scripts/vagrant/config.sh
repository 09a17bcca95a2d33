# shellcheck shell=bash disable=SC2034
# Pinned versions and fixed addresses of the Vagrant lab, sourced by the provisioning scripts.
# The same addresses appear in the Vagrantfile, in argocd/ (repoURL, NodePorts) and in overlays/dev (registry);
# test/bats/consistency.bats fails when they drift apart.

# k3s: the project's one Kubernetes version. The manifests are validated against its API models
# (io.kubernetes:client-java-api, pom.xml), the namespaces enforce Pod Security at its minor, and the cluster stage
# runs this very release (cluster-tests/harness/controlplane/go.mod); test/bats/consistency.bats keeps them equal.
K3S_VERSION="v1.36.3+k3s1"
# What is downloaded by version (the k3s binary and airgap images, kubeseal, kustomize) is checked against the
# checksum file published with that release (lib.sh, fetch_verified), not against a sha256 written here: the
# file names the exact content of each asset of the tag, and it follows a version bump (renovate.json) without
# a second value to keep in step. It proves an intact download of what the release published, not that the
# release itself is trustworthy.
# k3s's own images (CoreDNS, Traefik, metrics-server, ...) from the release's airgap tarball instead of Docker Hub,
# whose anonymous pulls are limited per address and hour (docs/gitops.md, "Docker Hub pull limit"). true or false.
NM_AIRGAP_IMAGES=${NM_AIRGAP_IMAGES:-true}
# A Docker Hub mirror (pull-through cache) containerd asks first, e.g. https://mirror.gcr.io; empty: none. Docker Hub
# credentials are not set here: .secrets/dockerhub-credentials (lib.sh, registry_credentials).
NM_DOCKERHUB_MIRROR=${NM_DOCKERHUB_MIRROR:-}
# kubeseal: the same version as the controller the Helm chart 2.18.4 runs (argocd/applications/sealed-secrets.yaml).
KUBESEAL_VERSION="0.36.6"
# kustomize: `kustomize edit set image` for scripts/release.sh (kubectl has no `edit`).
KUSTOMIZE_VERSION="5.8.1"

SERVER_IP="192.168.56.10"
AGENT_IP="192.168.56.11"
REGISTRY="${SERVER_IP}:30500"
APP_URL="http://${SERVER_IP}:30080"
ARGOCD_URL="https://${SERVER_IP}:30443"
GIT_PORT="8418"
GIT_REPO_NAME="names-manager"
GIT_URL="http://${SERVER_IP}:${GIT_PORT}/${GIT_REPO_NAME}.git"
GIT_PUSH_USER="gitops"
