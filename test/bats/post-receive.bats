#!/usr/bin/env bats
# scripts/vagrant/post-receive: the push event Argo CD gets (a GitHub push payload, HMAC-SHA256 signed), which
# refs trigger one, and that the hook never fails a push. curl is a fake that keeps the request.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

HOOK="$REPO_ROOT/scripts/vagrant/post-receive"
OLD_SHA=1111111111111111111111111111111111111111
NEW_SHA=2222222222222222222222222222222222222222

setup() {
  common_setup
  printf 'shared-webhook-secret\n' >"$BATS_TEST_TMPDIR/webhook-secret"
  export NM_WEBHOOK_ENV="$BATS_TEST_TMPDIR/webhook.env"
  cat >"$NM_WEBHOOK_ENV" <<ENV
ARGOCD_WEBHOOK_URL=https://192.168.56.10:30443/api/webhook
REPO_WEB_URL=http://192.168.56.10:8418/names-manager
DEFAULT_BRANCH=main
WEBHOOK_SECRET_FILE=$BATS_TEST_TMPDIR/webhook-secret
ENV
  # curl: keeps each request's headers and body; FAKE_CURL_FAIL makes it fail like an unreachable server.
  fake curl 'n=$(grep -c "^curl " "$CALLS")
body="" ; headers=()
while [ $# -gt 0 ]; do
  case "$1" in
    -H) headers+=("$2"); shift ;;
    --data-binary) body=$2; shift ;;
  esac
  shift
done
printf "%s\n" "${headers[@]}" >"$BATS_TEST_TMPDIR/request$n.headers"
printf "%s" "$body" >"$BATS_TEST_TMPDIR/request$n.body"
[ -z "${FAKE_CURL_FAIL:-}" ] || { echo "curl: (7) Failed to connect" >&2; exit 7; }'
}

@test "a push to main sends Argo CD a signed GitHub push event" {
  run "$HOOK" <<<"$OLD_SHA $NEW_SHA refs/heads/main"
  [ "$status" -eq 0 ]
  [[ $output == *"Argo CD notified: main is now 222222222222"* ]]
  [ "$(grep -c '^curl ' "$CALLS")" = 1 ]
  grep -q -- '--fail' "$CALLS"
  grep -q -- '--max-time 10' "$CALLS"
  grep -q ' https://192.168.56.10:30443/api/webhook$' "$CALLS"
  body=$(cat "$BATS_TEST_TMPDIR/request1.body")
  [ "$body" = '{"ref":"refs/heads/main","before":"'$OLD_SHA'","after":"'$NEW_SHA'","repository":{"html_url":"http://192.168.56.10:8418/names-manager","default_branch":"main"},"commits":[]}' ]
  grep -qx 'X-GitHub-Event: push' "$BATS_TEST_TMPDIR/request1.headers"
  grep -qx 'Content-Type: application/json' "$BATS_TEST_TMPDIR/request1.headers"
  # The signature Argo CD checks: HMAC-SHA256 of the exact body with the shared secret, computed here with openssl.
  expected=$(printf '%s' "$body" | openssl dgst -sha256 -hmac shared-webhook-secret | sed 's/^.*= //')
  grep -qx "X-Hub-Signature-256: sha256=$expected" "$BATS_TEST_TMPDIR/request1.headers"
}

@test "the payload is valid JSON with the fields Argo CD reads" {
  "$HOOK" <<<"$OLD_SHA $NEW_SHA refs/heads/feature/x"
  python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
assert p["ref"] == "refs/heads/feature/x"
assert p["repository"]["html_url"] == "http://192.168.56.10:8418/names-manager"
assert p["repository"]["default_branch"] == "main"
assert p["commits"] == []' "$BATS_TEST_TMPDIR/request1.body"
}

@test "one event per pushed branch; tags and deleted branches send none" {
  run "$HOOK" <<IN
$OLD_SHA $NEW_SHA refs/heads/main
0000000000000000000000000000000000000000 $NEW_SHA refs/tags/v1.0.0
$OLD_SHA 0000000000000000000000000000000000000000 refs/heads/old-topic
$OLD_SHA $NEW_SHA refs/heads/topic
IN
  [ "$status" -eq 0 ]
  [ "$(grep -c '^curl ' "$CALLS")" = 2 ]
  grep -q '"ref":"refs/heads/main"' "$BATS_TEST_TMPDIR/request1.body"
  grep -q '"ref":"refs/heads/topic"' "$BATS_TEST_TMPDIR/request2.body"
}

@test "without a secret file the event goes unsigned" {
  rm "$BATS_TEST_TMPDIR/webhook-secret"
  run "$HOOK" <<<"$OLD_SHA $NEW_SHA refs/heads/main"
  [ "$status" -eq 0 ]
  refute grep -q 'X-Hub-Signature' "$BATS_TEST_TMPDIR/request1.headers"
}

@test "an unreachable Argo CD does not fail the push" {
  FAKE_CURL_FAIL=1 run "$HOOK" <<<"$OLD_SHA $NEW_SHA refs/heads/main"
  [ "$status" -eq 0 ]
  [[ $output == *"picks the change up within 3 minutes"* ]]
}

@test "no configuration: the push succeeds and nothing is sent" {
  rm "$NM_WEBHOOK_ENV"
  run "$HOOK" <<<"$OLD_SHA $NEW_SHA refs/heads/main"
  [ "$status" -eq 0 ]
  [[ $output == *"webhook not configured"* ]]
  [ ! -s "$CALLS" ]
}

@test "installed in a real bare repository, a git push runs it" {
  bare="$BATS_TEST_TMPDIR/server.git"
  git init --quiet --bare "$bare"
  install -m 0755 "$HOOK" "$bare/hooks/post-receive"
  work="$BATS_TEST_TMPDIR/work"
  git init --quiet "$work"
  git -C "$work" commit --quiet --allow-empty -m first
  run git -C "$work" push "$bare" HEAD:main
  [ "$status" -eq 0 ]
  [[ $output == *"remote: Argo CD notified: main is now"* ]]
  grep -q "\"after\":\"$(git -C "$work" rev-parse HEAD)\"" "$BATS_TEST_TMPDIR/request1.body"
}
