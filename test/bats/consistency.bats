#!/usr/bin/env bats
# Cross-file checks of the GitOps wiring in the real repository: the addresses and versions that several files
# must agree on, the shape of the Argo CD objects, the AppProject against what the overlays render, and the
# Argo CD install kustomization rendered against a small stand-in for the upstream manifest (offline).
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  cd "$REPO_ROOT" || return 1
  # shellcheck source=scripts/vagrant/config.sh
  . scripts/vagrant/config.sh
}

# top_level_kinds: "group kind" of every document on stdin (group empty for the core API).
top_level_kinds() {
  awk '/^apiVersion:/ { av = $2 } /^kind:/ { g = (av ~ /\//) ? av : ""; sub(/\/[^\/]*$/, "", g); print g " " $2 }' |
    sort -u
}

# whitelist FILE SECTION: "group kind" pairs listed under SECTION of an AppProject file.
whitelist() {
  awk -v section="  $2:" '
    $0 == section { inside = 1; next }
    inside && /^  [A-Za-z]/ { inside = 0 }
    inside && /- group:/ { g = $3; gsub(/"/, "", g) }
    inside && /^ +kind:/ { print g " " $2 }' "$1" | sort -u
}

# app_field FILE KEY: the first value of KEY (e.g. repoURL) in FILE.
app_field() { sed -n -E "s/^[[:space:]]*$2:[[:space:]]*\"?([^\"]*)\"?[[:space:]]*$/\\1/p" "$1" | head -n 1; }

@test "the Vagrantfile uses the addresses of scripts/vagrant/config.sh and a pinned box" {
  grep -qx "SERVER_IP = \"$SERVER_IP\"" Vagrantfile
  grep -qx "AGENT_IP = \"$AGENT_IP\"" Vagrantfile
  grep -qE '^BOX = "bento/ubuntu-24\.04"$' Vagrantfile
  grep -qE '^BOX_VERSION = "[0-9]{6}\.[0-9]+\.[0-9]+"$' Vagrantfile
  scripts=$(sed -n -E 's/.*path: "([^"]+)".*/\1/p' Vagrantfile)
  [ "$(printf '%s\n' "$scripts" | wc -l)" -eq 2 ]
  while IFS= read -r script; do
    [ -x "$script" ]
  done <<<"$scripts"
}

@test "one Kubernetes version: the k3s pin, the cluster stage, the API models and Pod Security agree" {
  [[ $K3S_VERSION =~ ^v1\.([0-9]+)\.([0-9]+)\+k3s[0-9]+$ ]]
  minor=${BASH_REMATCH[1]} patch=${BASH_REMATCH[2]}
  harness=cluster-tests/harness/controlplane/go.mod
  grep -qE "^[[:space:]]*k8s.io/kubernetes v1\.$minor\.$patch( |$)" "$harness"
  # every staging module at the same release, and none at another
  [ "$(grep -cE "=> k8s.io/[a-z-]+ v0\.$minor\.$patch$" "$harness")" -ge 30 ]
  others=$(grep -E "=> k8s.io/" "$harness" | grep -vE "v0\.$minor\.$patch$" || true)
  [ -z "$others" ] || { echo "staging modules at another release: $others" >&2; return 1; }
  # client-java-api N is generated from Kubernetes 1.(N+9)
  models=$(sed -n -E 's/.*<version.lib.kubernetes-client-java>([0-9]+)\..*/\1/p' pom.xml)
  [ "$((models + 9))" -eq "$minor" ]
  for file in overlays/dev/namespace.yaml overlays/prod/namespace.yaml argocd/registry/namespace.yaml; do
    grep -q "enforce-version: v1\.$minor$" "$file" || { echo "$file: Pod Security not at v1.$minor" >&2; return 1; }
  done
}

@test "the tools are pinned to exact versions" {
  [[ $KUBESEAL_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
  [[ $KUSTOMIZE_VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every Application of this repository follows the VM's Git server on main" {
  count=0
  for file in argocd/root-application.yaml argocd/applications/*.yaml; do
    url=$(app_field "$file" repoURL)
    [ "$url" = https://bitnami-labs.github.io/sealed-secrets ] && continue
    [ "$url" = "$GIT_URL" ] || { echo "$file: repoURL $url" >&2; return 1; }
    [ "$(app_field "$file" targetRevision)" = main ]
    count=$((count + 1))
  done
  [ "$count" -eq 5 ]
}

@test "Argo CD objects: named projects only, quoted waves in the right order, finalizers where wanted" {
  refute grep -rqE '^[[:space:]]*project:[[:space:]]*default' argocd
  refute grep -rqE "sourceRepos:[[:space:]]*\[?[[:space:]]*'?\*" argocd
  for file in argocd/root-application.yaml argocd/applications/*.yaml; do
    project=$(app_field "$file" project)
    [[ $project == names-manager || $project == platform ]]
    grep -qE '^[[:space:]]+prune: true$' "$file"
    grep -qE '^[[:space:]]+selfHeal: true$' "$file"
  done
  refute grep -rqE 'sync-wave:[[:space:]]*-?[0-9]+[[:space:]]*$' argocd
  wave() { sed -n -E 's/.*argocd\.argoproj\.io\/sync-wave: "(-?[0-9]+)"/\1/p' "$1"; }
  [ "$(wave argocd/project.yaml)" -lt "$(wave argocd/applications/sealed-secrets.yaml)" ]
  [ "$(wave argocd/project-platform.yaml)" -lt "$(wave argocd/applications/registry.yaml)" ]
  for env in dev prod; do
    [ "$(wave argocd/applications/sealed-secrets.yaml)" -lt "$(wave "argocd/applications/names-$env.yaml")" ]
    [ "$(wave argocd/applications/registry.yaml)" -lt "$(wave "argocd/applications/names-$env.yaml")" ]
    # The environments are the root's last wave: their health never holds back a platform Application.
    [ "$(wave argocd/applications/argocd.yaml)" -lt "$(wave "argocd/applications/names-$env.yaml")" ]
    grep -q 'resources-finalizer.argocd.argoproj.io' "argocd/applications/names-$env.yaml"
    [ "$(app_field "argocd/applications/names-$env.yaml" project)" = names-manager ]
  done
  # Deleting these must never cascade: no finalizer on the root, the controller or Argo CD itself.
  for file in argocd/root-application.yaml argocd/applications/sealed-secrets.yaml argocd/applications/argocd.yaml; do
    refute grep -q 'finalizers:' "$file"
  done
}

@test "argocd/ renders offline and includes every Application file" {
  rendered=$(kubectl kustomize argocd)
  for file in argocd/root-application.yaml argocd/applications/*.yaml; do
    name=$(app_field "$file" name)
    printf '%s\n' "$rendered" | grep -qx "  name: $name"
  done
  [ "$(printf '%s\n' "$rendered" | grep -c '^kind: Application$')" -eq "$(find argocd/applications -name '*.yaml' | wc -l | awk '{ print $1 + 1 }')" ]
  [ "$(printf '%s\n' "$rendered" | grep -c '^kind: AppProject$')" -eq 2 ]
}

@test "every source repository is one its project admits, and every destination namespace too" {
  for file in argocd/root-application.yaml argocd/applications/*.yaml; do
    project=$(app_field "$file" project)
    pfile=argocd/project.yaml
    [ "$project" = platform ] && pfile=argocd/project-platform.yaml
    grep -qxF "    - $(app_field "$file" repoURL)" "$pfile"
    ns=$(sed -n '/^  destination:/,/^  [a-z]/s/^    namespace: //p' "$file")
    sed -n '/^  destinations:/,/^  [a-z]/p' "$pfile" | grep -qx "      namespace: $ns"
  done
}

@test "the names-manager project admits what the overlays render and what the controllers make of it" {
  rendered=$(for env in dev prod; do kubectl kustomize "overlays/$env"; echo "---"; done)
  # The controllers' objects (shown in Argo CD's tree only when admitted); the overlays never render them.
  derived=$'apps ReplicaSet\napps ControllerRevision\n Pod\nbatch Job\ndiscovery.k8s.io EndpointSlice\n Endpoints\n Secret'
  printf '%s\n' "$rendered" | top_level_kinds | { ! grep -qxF -f <(printf '%s\n' "$derived"); }
  namespaced=$( { printf '%s\n' "$rendered" | top_level_kinds | grep -v ' Namespace$'; printf '%s\n' "$derived"; } | sort -u)
  [ "$namespaced" = "$(whitelist argocd/project.yaml namespaceResourceWhitelist)" ] || {
    diff <(printf '%s\n' "$namespaced") <(whitelist argocd/project.yaml namespaceResourceWhitelist) >&2
    return 1
  }
  [ "$(whitelist argocd/project.yaml clusterResourceWhitelist)" = " Namespace" ]
  namespaces=$(printf '%s\n' "$rendered" | awk '/^kind: Namespace$/ { ns = 1; next } /^kind:/ { ns = 0 } ns && /^  name:/ { print $2 }' | sort)
  [ "$namespaces" = "$(sed -n 's/^      name: //p' argocd/project.yaml | sort)" ]
  [ "$namespaces" = "$(sed -n '/^  destinations:/,/^  [a-z]/s/^      namespace: //p' argocd/project.yaml | sort)" ]
}

@test "ports and registry agree across config.sh, argocd/ and the dev overlay" {
  grep -qx "  url: $ARGOCD_URL" argocd/install/argocd-cm.yaml
  grep -qx "      nodePort: ${ARGOCD_URL##*:}" argocd/install/argocd-server-service.yaml
  grep -qx "      nodePort: ${REGISTRY##*:}" argocd/registry/service.yaml
  kubectl kustomize overlays/dev | grep -qE "^ +nodePort: ${APP_URL##*:}$"
  kubectl kustomize overlays/dev | grep -qE "^ +image: $REGISTRY/names-backend[:@]"
  grep -qF "IMAGE_REGISTRY:-$REGISTRY}" scripts/release.sh
}

@test "kubeseal and the controller run the same version; the chart is pinned" {
  grep -qE '^    targetRevision: [0-9]+\.[0-9]+\.[0-9]+$' argocd/applications/sealed-secrets.yaml
  grep -qx "          tag: $KUBESEAL_VERSION" argocd/applications/sealed-secrets.yaml
  grep -qx '        keyrenewperiod: "0"' argocd/applications/sealed-secrets.yaml
  grep -qx '        fullnameOverride: sealed-secrets-controller' argocd/applications/sealed-secrets.yaml
}

@test "the Argo CD install is the release the cluster stage runs and its patches apply (rendered with a stand-in)" {
  url=$(sed -n -E 's/^  - (https:\/\/raw\.githubusercontent\.com\/argoproj\/argo-cd\/.*)$/\1/p' argocd/install/kustomization.yaml)
  [[ $url =~ ^https://raw\.githubusercontent\.com/argoproj/argo-cd/(v[0-9]+\.[0-9]+\.[0-9]+)/manifests/install\.yaml$ ]]
  grep -qE "^(require )?[[:space:]]*github.com/argoproj/argo-cd/v3 ${BASH_REMATCH[1]}( //.*)?$" cluster-tests/harness/argocd/go.mod
  work="$BATS_TEST_TMPDIR/install"
  cp -R argocd/install "$work"
  sed -i "s#  - $url#  - upstream-stand-in.yaml#" "$work/kustomization.yaml"
  # The objects the patches target, as the upstream manifest has them (names, kinds, the Service's ports).
  cat >"$work/upstream-stand-in.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cmd-params-cm
---
apiVersion: v1
kind: Service
metadata:
  name: argocd-server
spec:
  ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: 8080
    - name: https
      port: 443
      protocol: TCP
      targetPort: 8080
  selector:
    app.kubernetes.io/name: argocd-server
YAML
  rendered=$(kubectl kustomize "$work")
  [[ $rendered == *"resource.customizations.health.argoproj.io_Application"* ]]
  [[ $rendered == *"reposerver.parallelism.limit: \"2\""* ]]
  [[ $rendered == *"  type: NodePort"* ]]
  [[ $rendered == *"    nodePort: 30443"* ]]
  [ "$(printf '%s\n' "$rendered" | grep -c '^  namespace: argocd$')" = 3 ]
  # Both upstream ports survive the patch.
  [[ $rendered == *"name: http"$'\n'"    port: 80"* ]]
}

@test "a patch that targets nothing upstream fails the stand-in render" {
  work="$BATS_TEST_TMPDIR/install"
  cp -R argocd/install "$work"
  sed -i -E 's#^  - https://.*#  - stand-in.yaml#' "$work/kustomization.yaml"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n' >"$work/stand-in.yaml"
  run kubectl kustomize "$work"
  [ "$status" -ne 0 ]
}

@test "the registry and argocd/ render offline; nothing tracked is a plaintext Secret" {
  kubectl kustomize argocd/registry | grep -q '^kind: Deployment$'
  [ -z "$(git ls-files -z -- '*.yaml' '*.yml' ':!deploy-tests/src/test/resources/fixtures' | xargs -0 grep -lE '^kind:[[:space:]]*Secret[[:space:]]*$')" ]
  grep -qx '.secrets/' .gitignore
  [ -z "$(git ls-files .secrets)" ]
}

# The repository speaks only of itself: its links, the tests its comments and docs cite, no references elsewhere.

@test "every relative Markdown link resolves to a tracked file or directory" {
  tracked=$(git ls-files)
  dead=""
  while IFS= read -r doc; do
    dir=$(dirname "$doc")
    while IFS= read -r target; do
      case $target in http://* | https://* | mailto:* | '#'*) continue ;; esac
      path=${target%%#*}
      path=${path#<} path=${path%>}
      [ -n "$path" ] || continue
      resolved=$(realpath -m --relative-to=. "$dir/$path")
      printf '%s\n' "$tracked" | grep -qxF "$resolved" && continue
      printf '%s\n' "$tracked" | awk -v dir="$resolved/" 'index($0, dir) == 1 { found = 1 } END { exit !found }' && continue
      dead+="$doc: ($target)"$'\n'
    done < <(grep -o -E '\]\([^) ]+\)' "$doc" | sed -E 's/^\]\(//; s/\)$//')
  done < <(git ls-files '*.md')
  [ -z "$dead" ] || { printf 'dead links:\n%s' "$dead" >&2; return 1; }
}

@test "every test class or bats file named in a comment or doc exists" {
  tracked=$(git ls-files)
  missing=""
  # Class names ending in Test or IT, not an annotation (@ParameterizedTest) or a qualified import.
  for class in $(git grep -h -o -P '(?<![@A-Za-z0-9.])[A-Z][a-z][A-Za-z0-9]*(Test|IT)(\.java)?\b' | sed 's/\.java$//' | sort -u); do
    printf '%s\n' "$tracked" | grep -qE "(^|/)$class\.java$" || missing+="$class"$'\n'
  done
  for bats in $(git grep -h -o -E '[a-z][a-z0-9-]*\.bats\b' | sort -u); do
    printf '%s\n' "$tracked" | grep -qE "(^|/)${bats//./\\.}$" || missing+="$bats"$'\n'
  done
  [ -z "$missing" ] || { printf 'cited but not in the repository:\n%s' "$missing" >&2; return 1; }
}

@test "no tracked file refers to a conventions file or to a numbered issue" {
  run git grep -n -i -E 'CONVENTIONS[.]md|\bissues? ?#?[0-9]+'
  [ "$status" -eq 1 ] || { printf '%s\n' "$output" >&2; return 1; }
}
