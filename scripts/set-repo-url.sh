#!/usr/bin/env bash
# Points every Argo CD object in argocd/ at another Git repository (e.g. your GitHub fork): the repoURL of the
# root and child Applications and the sourceRepos of both AppProjects. Edits files only; review, commit and push
# them to the NEW repository, then apply the root once: kubectl apply -f argocd/root-application.yaml
# (see docs/gitops.md, "A GitHub fork instead of the VM's Git server").
#
# Usage: scripts/set-repo-url.sh <new-url>
#   e.g. scripts/set-repo-url.sh https://github.com/you/names-manager.git
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
  exit 0
fi
[ $# -eq 1 ] || die "usage: scripts/set-repo-url.sh <new-url>"
new=$1
[[ $new =~ ^(https?://|ssh://)[A-Za-z0-9._~:@/%+-]+$ || $new =~ ^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$ ]] ||
  die "'$new' does not look like a Git URL (https://…, http://…, ssh://… or git@host:path)"

root_app="$ROOT/argocd/root-application.yaml"
[ -f "$root_app" ] || die "argocd/root-application.yaml not found"
old=$(sed -n 's/^[[:space:]]*repoURL:[[:space:]]*//p' "$root_app" | head -n 1)
[ -n "$old" ] || die "no repoURL in argocd/root-application.yaml"
if [ "$old" = "$new" ]; then
  log "argocd/ already points at $new"
  exit 0
fi

# Only whole values equal to the old URL change (the Sealed Secrets Helm repository stays as it is).
files=()
while IFS= read -r file; do files+=("$file"); done < <(grep -rlF --include='*.yaml' -- "$old" "$ROOT/argocd")
# The old URL as an extended regular expression, the new one as a sed replacement.
old_re=$(printf '%s' "$old" | sed 's/[][\.*^$/&+?(){}|]/\\&/g')
new_re=$(printf '%s' "$new" | sed 's/[\/&]/\\&/g')
for file in "${files[@]}"; do
  tmp=$(mktemp "$file.XXXXXX")
  sed -E "s/^([[:space:]]*(repoURL:|-)[[:space:]]*)${old_re}[[:space:]]*$/\\1${new_re}/" "$file" >"$tmp"
  chmod --reference="$file" "$tmp" 2>/dev/null || chmod 0644 "$tmp"
  mv -f "$tmp" "$file"
  log "updated ${file#"$ROOT"/}"
done
if grep -rqF --include='*.yaml' -- "$old" "$ROOT/argocd"; then
  die "some occurrences of $old were not replaced (not a plain 'repoURL:' or list value): check argocd/ by hand"
fi
log "argocd/ now points at $new. Review (git diff argocd), commit, push to that repository, then:"
log "  kubectl apply -f argocd/root-application.yaml"
