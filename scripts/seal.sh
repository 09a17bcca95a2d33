#!/usr/bin/env bash
# Seals the database credentials of one environment into sealed-secrets/<env>/db-credentials.yaml
# (SealedSecret db-credentials, namespace names-<env>, strict scope), with the public certificate
# sealed-secrets/<env>/cert.pem. Only the sealed file is written: the plaintext travels through pipes only.
#
# Usage: scripts/seal.sh [--stdin] <dev|prod>
#   Without --stdin: a new random password (192 bits), user "names", database "namesdb".
#   With --stdin: KEY=value lines (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, DATABASE_URL); a key not
#   given gets the default above (DATABASE_URL is derived from the others), e.g. to keep a live password:
#     kubectl -n names-dev get secret db-credentials -o go-template=\
#       '{{range $k,$v := .data}}{{$k}}={{$v|base64decode}}{{"\n"}}{{end}}' | scripts/seal.sh --stdin dev
#
# Sealer: kubeseal when installed, else the project's scripts/lib/Seal.java (a JDK 17+ is enough);
# SEAL_TOOL=kubeseal|java forces one. Run it whenever cert.pem changes, then commit both files.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/common.sh
. "$ROOT/scripts/lib/common.sh"

KEYS="POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB DATABASE_URL"
MIN_PASSWORD_LENGTH=16

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# 24 random bytes as 48 hex characters: strong, and safe in a URL without encoding.
random_password() {
  od -An -vtx1 -N24 /dev/urandom | tr -d ' \n'
}

# Percent-encodes everything but RFC 3986 unreserved characters, byte by byte.
urlencode() {
  local LC_ALL=C
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

b64() { printf '%s' "$1" | base64 | tr -d '\n'; }

from_stdin=false
env=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stdin) from_stdin=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option '$1' (see scripts/seal.sh --help)" ;;
    *)
      [ -z "$env" ] || die "one environment only (got '$env' and '$1')"
      env=$1
      ;;
  esac
  shift
done
[ -n "$env" ] || die "which environment? usage: scripts/seal.sh [--stdin] <dev|prod>"
valid_env "$env" || die "unknown environment '$env' (expected dev or prod)"

namespace="names-$env"
dir="$ROOT/sealed-secrets/$env"
cert="$dir/cert.pem"
out="$dir/db-credentials.yaml"
[ -s "$cert" ] || die "no certificate at sealed-secrets/$env/cert.pem (see sealed-secrets/README.md)"

tool=${SEAL_TOOL:-}
if [ -z "$tool" ]; then
  if command -v kubeseal >/dev/null 2>&1; then tool=kubeseal; else tool=java; fi
fi
case "$tool" in
  kubeseal) require_cmd kubeseal ;;
  java)
    require_cmd java
    [ -f "$ROOT/scripts/lib/Seal.java" ] || die "kubeseal is not installed and scripts/lib/Seal.java is missing"
    ;;
  *) die "SEAL_TOOL must be kubeseal or java (got '$tool')" ;;
esac

user="" password="" db="" url=""
if $from_stdin; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in '' | '#'*) continue ;; esac
    key=${line%%=*}
    [ "$key" != "$line" ] || die "a line on stdin has no '=' (expected KEY=value lines)"
    value=${line#*=}
    case "$key" in
      POSTGRES_USER) user=$value ;;
      POSTGRES_PASSWORD) password=$value ;;
      POSTGRES_DB) db=$value ;;
      DATABASE_URL) url=$value ;;
      *) die "unknown key '$key' on stdin (allowed: $KEYS)" ;;
    esac
  done
fi
user=${user:-names}
db=${db:-namesdb}
if [ -z "$password" ]; then
  password=$(random_password)
elif [ "${#password}" -lt "$MIN_PASSWORD_LENGTH" ]; then
  die "POSTGRES_PASSWORD is shorter than $MIN_PASSWORD_LENGTH characters"
fi
url=${url:-postgresql://$(urlencode "$user"):$(urlencode "$password")@db:5432/$(urlencode "$db")}

# The Secret kubeseal reads (values base64-encoded, as in a Secret's data).
secret_manifest() {
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: %s\ntype: Opaque\ndata:\n' \
    "$namespace"
  printf '  POSTGRES_USER: %s\n' "$(b64 "$user")"
  printf '  POSTGRES_PASSWORD: %s\n' "$(b64 "$password")"
  printf '  POSTGRES_DB: %s\n' "$(b64 "$db")"
  printf '  DATABASE_URL: %s\n' "$(b64 "$url")"
}

# The KEY=value lines Seal.java reads.
env_lines() {
  printf 'POSTGRES_USER=%s\nPOSTGRES_PASSWORD=%s\nPOSTGRES_DB=%s\nDATABASE_URL=%s\n' "$user" "$password" "$db" "$url"
}

tmp=$(mktemp "$dir/.db-credentials.XXXXXX")
trap 'rm -f "$tmp"' EXIT

printf '# Sealed by scripts/seal.sh with sealed-secrets/%s/cert.pem (strict scope: names-%s/db-credentials).\n' \
  "$env" "$env" >"$tmp"
case "$tool" in
  kubeseal)
    # kubeseal starts its YAML with a document marker; the header comment above takes its place.
    secret_manifest | kubeseal --cert "$cert" --scope strict --format yaml | sed '1{/^---$/d;}' >>"$tmp" ||
      die "kubeseal failed; sealed-secrets/$env/db-credentials.yaml is unchanged"
    ;;
  java)
    env_lines | java "$ROOT/scripts/lib/Seal.java" --cert "$cert" --namespace "$namespace" --name db-credentials \
      >>"$tmp" || die "scripts/lib/Seal.java failed; sealed-secrets/$env/db-credentials.yaml is unchanged"
    ;;
esac

# Never replace the committed file with something that is not a complete SealedSecret, or that leaks.
sealed=$(<"$tmp")
[[ $sealed == *"kind: SealedSecret"* ]] || die "the sealer printed no SealedSecret; nothing was written"
for key in $KEYS; do
  [[ $sealed == *" $key: "* ]] || die "the sealed output lacks $key; nothing was written"
done
[[ $sealed != *"$password"* ]] || die "the sealed output contains the plaintext password; nothing was written"

chmod 0644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
log "sealed-secrets/$env/db-credentials.yaml written ($tool, names-$env/db-credentials, strict scope)."
log "Commit it; the plaintext was never written to disk."
