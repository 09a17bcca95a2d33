#!/usr/bin/env bash
# Checks, tool by tool, what each test stage runs, before anything runs: one line per missing tool naming it, the
# Debian package that has it and what needs it. With --install (root, Debian/Ubuntu), apt-get installs the missing
# packages first, then checks again.
#
# Usage: scripts/check-tools.sh [--install] STAGE...
#   build    ./mvnw verify (the default build and its tests)
#   ops      test/ops-checks.sh (shellcheck, vagrant validate, workflow validators, bats)
#   images   -Pimages (build both images, run them with podman, the two-platform release build)
#   cluster  -Pcluster (the control plane, the controllers and Argo CD, built from Go modules)
# Exit 0 when everything is there, 1 when something is missing (named on stderr), 2 on a bad argument.
# CHECK_TOOLS_ROOT (default /): where absolute paths are looked up, e.g. a machine image being prepared.
set -euo pipefail
root=${CHECK_TOOLS_ROOT:-}
root=${root%/}

# stage | tool: a command on PATH, or an absolute path (a glob is fine) | Debian package ("-": none) | needed for
# A tool with alternatives lists them with commas, e.g. catatonit is found on PATH or where podman looks for it.
TOOLS='
build   | /usr/bin/chromium                     | chromium        | the frontend browser test (headless Chromium)
build   | /usr/bin/chromedriver                 | chromium-driver | the frontend browser test (WebDriver)
build   | kubectl                               | -               | the deploy tests (kubectl kustomize; kubectl 1.32+)
build   | git                                   | git             | the image tag and labels (git rev-parse)
build   | unzip                                 | unzip           | the Maven wrapper first run (the checksummed .zip)
build   | pg_dump                               | postgresql      | the backup and restore round trip
ops     | shellcheck                            | shellcheck      | shellcheck of every script
ops     | bats                                  | bats            | the script tests (test/bats)
ops     | vagrant                               | vagrant         | vagrant validate
ops     | java                                  | -               | the scripts that build (a JDK 17+: see README.md)
ops     | node                                  | nodejs          | the workflow validators
ops     | npm                                   | npm             | the workflow validators (npm ci)
ops     | kubectl                               | -               | kustomize renders in the script tests
ops     | git                                   | git             | the script tests (throwaway repositories)
ops     | openssl                               | openssl         | the sealing certificate tests
ops     | python3                               | python3         | the post-receive hook and its tests
ops     | curl                                  | curl            | the provisioning scripts
ops     | script                                | bsdutils        | the tests of interactive prompts
ops     | psql,pg_dump,pg_restore               | postgresql      | the backup and restore tests
ops     | initdb,/usr/lib/postgresql/*/bin/initdb | postgresql    | the backup and restore tests (a real server)
images  | podman                                | podman          | building and running the images
images  | runc                                  | runc            | the container runtime podman uses here
images  | slirp4netns                           | slirp4netns     | the containers network
images  | catatonit,/usr/libexec/podman/catatonit | catatonit     | podman kube play (the pod pause process)
images  | docker-registry                       | docker-registry | the release build (a local registry)
images  | skopeo                                | skopeo          | the release build (pushing the stand-in base)
images  | git                                   | git             | the image tag and the release build
cluster | go                                    | -               | building the programs (Go 1.26+ and the module proxy)
cluster | git                                   | git             | the Git server and the provisioning steps
cluster | openssl                               | openssl         | the sealing key and the webhook secret
cluster | unshare                               | util-linux      | the controllers service-account mounts
cluster | redis-server                          | redis-server    | Argo CD (its cache)
cluster | /usr/sbin/nginx                       | nginx           | the Git server
cluster | /usr/sbin/fcgiwrap                    | fcgiwrap        | the Git server (git http-backend)
cluster | curl                                  | curl            | the post-receive hook
cluster | python3                               | python3         | the post-receive hook
'

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

install=false
stages=()
for arg in "$@"; do
  case "$arg" in
    --install) install=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    build | ops | images | cluster) stages+=("$arg") ;;
    *)
      echo "check-tools.sh: unknown stage '$arg' (expected build, ops, images or cluster)" >&2
      exit 2
      ;;
  esac
done
if [ "${#stages[@]}" -eq 0 ]; then
  echo "check-tools.sh: which stage? (build, ops, images or cluster; see --help)" >&2
  exit 2
fi

trim() {
  local value=$1
  value=${value#"${value%%[![:space:]]*}"}
  printf '%s' "${value%"${value##*[![:space:]]}"}"
}

# found ALTERNATIVES: one of the comma-separated commands or paths exists.
found() {
  local alternative path
  IFS=',' read -ra alternatives <<<"$1"
  for alternative in "${alternatives[@]}"; do
    if [[ $alternative == /* ]]; then
      for path in $root$alternative; do
        [ -x "$path" ] && return 0
      done
    elif command -v "$alternative" >/dev/null 2>&1; then
      return 0
    fi
  done
  return 1
}

# missing: "tool|package|why" for every tool the stages need and this machine has not (each tool once).
missing() {
  local stage tool package why seen=' '
  while IFS='|' read -r stage tool package why; do
    stage=$(trim "$stage")
    [ -n "$stage" ] || continue
    [[ " ${stages[*]} " == *" $stage "* ]] || continue
    tool=$(trim "$tool")
    [[ $seen == *" $tool "* ]] && continue
    seen+="$tool "
    found "$tool" || printf '%s|%s|%s (%s)\n' "${tool%%,*}" "$(trim "$package")" "$(trim "$why")" "$stage"
  done <<<"$TOOLS"
}

gaps=$(missing)
if [ -n "$gaps" ] && $install; then
  mapfile -t packages < <(cut -d'|' -f2 <<<"$gaps" | grep -vx -- '-' | sort -u)
  if [ "${#packages[@]}" -gt 0 ]; then
    echo "check-tools.sh: installing ${packages[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
    gaps=$(missing)
  fi
fi
if [ -n "$gaps" ]; then
  while IFS='|' read -r tool package why; do
    if [ "$package" = "-" ]; then
      echo "missing: $tool, needed by $why; it is not a Debian package: see README.md" >&2
    else
      echo "missing: $tool (Debian package $package), needed by $why" >&2
    fi
  done <<<"$gaps"
  exit 1
fi
echo "check-tools.sh: everything ${stages[*]} needs is here"
