#!/usr/bin/env bash
# Builds the cluster stage's programs from the Go modules pinned in the folders beside it (one module per program,
# with that program's own dependency versions) and prints the folder
# that holds them. Built once per pin: the binaries are cached under a key made of the go.mod/go.sum files, the Go
# version and this script, so a warm machine only checks the key.
#
#   cluster-tests/harness/build.sh [PROPERTIES]   # prints e.g. ~/.cache/names-manager/cluster/3f2a…/bin
#   NAMES_CLUSTER_CACHE=/elsewhere build.sh       # another cache root
#
# Beside bin/ it keeps share/: the upstream files the stage applies, taken from the same pinned modules (kwok's
# stages, the Sealed Secrets chart, Argo CD's CRDs and install manifest). With PROPERTIES it also writes
# "bin=…" and "share=…" there for the tests.
# Needs Go (the version in the go.mod files or newer) and the Go module proxy. Exit 1 with one line on failure;
# the build log stays beside the cache folder.
set -euo pipefail
# The Go version each module asks for (a toolchain line fetches a newer one through the proxy when needed).
export GOTOOLCHAIN=auto
here=$(cd "$(dirname "$0")" && pwd)
properties=${1:-}
cache_root=${NAMES_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/names-manager/cluster}

command -v go >/dev/null 2>&1 || { echo "build.sh: go not found on PATH (Go 1.26+ is needed for the cluster stage)" >&2; exit 1; }

# Every go.mod/go.sum below this folder, the Go version and this script make the key.
key=$( { go version; cat "$0"; find "$here" -name 'go.mod' -o -name 'go.sum' | sort | xargs cat; } | sha256sum | cut -c1-16)
target="$cache_root/$key"
# finish: prints the result (and writes it into PROPERTIES when asked)
finish() {
  if [ -n "$properties" ]; then
    mkdir -p "$(dirname "$properties")"
    printf 'bin=%s\nshare=%s\n' "$target/bin" "$target/share" >"$properties"
  fi
  echo "$target/bin"
  exit 0
}
[ -f "$target/complete" ] && finish

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.build-XXXXXX")
log="$cache_root/build-$key.log"
trap 'rm -rf "$work"' EXIT

# The version a module is pinned at, as go.mod resolves it (one place: the go.mod files), and its source folder.
module_version() { (cd "$1" && go list -m -f '{{.Version}}' "$2"); }
module_dir() { (cd "$1" && go mod download "$2" && go list -m -f '{{.Dir}}' "$2"); }

# build MODULE_DIR OUTPUT LDFLAGS PACKAGE... (OUTPUT: a file for one package, a folder ending in / for several)
build() {
  local dir=$1 out=$2 ldflags=$3
  shift 3
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out" "$@") >>"$log" 2>&1 \
    || { echo "build.sh: building $* failed; log: $log" >&2; exit 1; }
}

: >"$log"
kube=$(module_version "$here/controlplane" k8s.io/kubernetes)          # v1.36.3
kube_date=$(cd "$here/controlplane" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
minor=${kube#v1.}; minor=${minor%%.*}
# Without these the servers report v0.0.0-master, which breaks the semver checks of kubectl, Helm and Argo CD.
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$kube_date"
done
build "$here/controlplane" "$work/bin/" "-s -w$kube_ldflags" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
build "$here/controlplane" "$work/bin/etcd" "-s -w" go.etcd.io/etcd/server/v3

build "$here/kwok" "$work/bin/" "-s -w" sigs.k8s.io/kwok/cmd/kwok

sealed=$(module_version "$here/sealed-secrets" github.com/bitnami-labs/sealed-secrets)
build "$here/sealed-secrets" "$work/bin/sealed-secrets-controller" "-s -w -X main.VERSION=${sealed#v}" \
  github.com/bitnami-labs/sealed-secrets/cmd/controller
build "$here/sealed-secrets" "$work/bin/" "-s -w -X main.VERSION=${sealed#v}" \
  github.com/bitnami-labs/sealed-secrets/cmd/kubeseal

helm=$(module_version "$here/helm" helm.sh/helm/v4)
build "$here/helm" "$work/bin/" "-s -w -X helm.sh/helm/v4/internal/version.version=$helm" helm.sh/helm/v4/cmd/helm

build "$here/local-path-provisioner" "$work/bin/" "-s -w" github.com/rancher/local-path-provisioner

# Argo CD is one binary that acts as the component it is named after (argocd-repo-server, …); its Go version comes
# from the toolchain line of its go.mod, fetched through the module proxy.
argocd=$(module_version "$here/argocd" github.com/argoproj/argo-cd/v3)
argocd_date=$(cd "$here/argocd" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' github.com/argoproj/argo-cd/v3)
argocd_kubectl=$(cd "$here/argocd" && go list -m -f '{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' k8s.io/kubectl)
argocd_common=github.com/argoproj/argo-cd/v3/common
build "$here/argocd" "$work/bin/argocd" "-s -w -X $argocd_common.version=${argocd#v} -X $argocd_common.buildDate=$argocd_date \
-X $argocd_common.gitTreeState=clean -X $argocd_common.kubectlVersion=$argocd_kubectl" github.com/argoproj/argo-cd/v3/cmd
for component in argocd-application-controller argocd-repo-server argocd-server; do
  ln -s argocd "$work/bin/$component"
done
build "$here/kustomize" "$work/bin/" "-s -w" sigs.k8s.io/kustomize/kustomize/v5

# Upstream files, read from the pinned modules' sources (never copied into the repository).
kwok_src=$(module_dir "$here/kwok" sigs.k8s.io/kwok)
mkdir -p "$work/share/kwok-stages"
cp "$kwok_src"/kustomize/stage/node/fast/node-initialize.yaml \
   "$kwok_src"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
   "$kwok_src"/kustomize/stage/pod/fast/pod-{ready,complete,delete}.yaml "$work/share/kwok-stages/"
cp -r "$(module_dir "$here/sealed-secrets" github.com/bitnami-labs/sealed-secrets)/helm/sealed-secrets" \
   "$work/share/sealed-secrets-chart"
argocd_src=$(module_dir "$here/argocd" github.com/argoproj/argo-cd/v3)
mkdir -p "$work/share/argocd"
cp -r "$argocd_src/manifests/crds" "$work/share/argocd/crds"
cp "$argocd_src/manifests/install.yaml" "$work/share/argocd/install.yaml"
# The helpers Argo CD's image puts beside the binary: the repo-server runs git-verify-wrapper.sh for every revision.
install -m 0755 "$argocd_src/hack/git-verify-wrapper.sh" "$argocd_src/hack/gpg-wrapper.sh" "$work/bin/"
chmod -R u+w "$work/share"

touch "$work/complete"
rm -rf "$target"
mv "$work" "$target"
trap - EXIT
# Builds of earlier pins are not needed any more.
find "$cache_root" -mindepth 1 -maxdepth 1 ! -name "$key" ! -name "build-$key.log" -exec rm -rf {} +
finish
