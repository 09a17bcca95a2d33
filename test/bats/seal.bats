#!/usr/bin/env bats
# scripts/seal.sh: what it hands the sealer, what it writes, and that a failure leaves the committed file alone.
# shellcheck disable=SC2016,SC2030,SC2031 # fakes' bodies are single-quoted bash; each test runs in a subshell

load helpers

setup() {
  common_setup
  REPO="$BATS_TEST_TMPDIR/repo"
  fixture_repo "$REPO" scripts/seal.sh scripts/lib/common.sh scripts/lib/java.sh scripts/lib/Seal.java \
    sealed-secrets/dev sealed-secrets/prod
  OUT="$REPO/sealed-secrets/dev/db-credentials.yaml"
  cp "$OUT" "$BATS_TEST_TMPDIR/original.yaml"
}

# A kubeseal that keeps what it was given and prints a well-formed SealedSecret.
fake_kubeseal() {
  fake kubeseal 'cat >"$BATS_TEST_TMPDIR/kubeseal.stdin"
printf -- "---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db-credentials\n  namespace: names-dev\nspec:\n  encryptedData:\n    DATABASE_URL: AgA1\n    POSTGRES_DB: AgA2\n    POSTGRES_PASSWORD: AgA3\n    POSTGRES_USER: AgA4\n"'
}

# secret_value KEY: the plaintext value of KEY in the Secret kubeseal was given.
secret_value() {
  sed -n "s/^  $1: //p" "$BATS_TEST_TMPDIR/kubeseal.stdin" | base64 -d
}

assert_unchanged() {
  cmp "$BATS_TEST_TMPDIR/original.yaml" "$OUT"
  [ -z "$(find "$REPO/sealed-secrets" -name '.db-credentials.*')" ]
}

@test "seals random credentials with kubeseal, the committed certificate and strict scope" {
  fake_kubeseal
  run "$REPO/scripts/seal.sh" dev
  [ "$status" -eq 0 ]
  [ "$(calls)" = "kubeseal --cert $REPO/sealed-secrets/dev/cert.pem --scope strict --format yaml" ]
  grep -qx 'kind: Secret' "$BATS_TEST_TMPDIR/kubeseal.stdin"
  grep -qx '  name: db-credentials' "$BATS_TEST_TMPDIR/kubeseal.stdin"
  grep -qx '  namespace: names-dev' "$BATS_TEST_TMPDIR/kubeseal.stdin"
  password=$(secret_value POSTGRES_PASSWORD)
  [[ $password =~ ^[0-9a-f]{48}$ ]]
  [ "$(secret_value POSTGRES_USER)" = names ]
  [ "$(secret_value POSTGRES_DB)" = namesdb ]
  [ "$(secret_value DATABASE_URL)" = "postgresql://names:$password@db:5432/namesdb" ]
  # The written file: a header comment, then the sealer's document without its leading marker.
  head -n 1 "$OUT" | grep -q '^# Sealed by scripts/seal.sh with sealed-secrets/dev/cert.pem'
  sed -n 2p "$OUT" | grep -qx 'apiVersion: bitnami.com/v1alpha1'
  [ "$(stat -c %a "$OUT")" = 644 ]
  # The plaintext is nowhere in the repository.
  refute grep -rqF "$password" "$REPO"
}

@test "two runs make two different passwords" {
  fake_kubeseal
  "$REPO/scripts/seal.sh" dev
  first=$(secret_value POSTGRES_PASSWORD)
  "$REPO/scripts/seal.sh" dev
  [ "$(secret_value POSTGRES_PASSWORD)" != "$first" ]
}

@test "--stdin takes the given values and percent-encodes them in DATABASE_URL" {
  fake_kubeseal
  run "$REPO/scripts/seal.sh" --stdin prod <<'IN'
# comments and blank lines are skipped

POSTGRES_USER=app user
POSTGRES_PASSWORD=p@ss:w/rd%é=long-enough
IN
  [ "$status" -eq 0 ]
  grep -qx '  namespace: names-prod' "$BATS_TEST_TMPDIR/kubeseal.stdin"
  [ "$(secret_value POSTGRES_USER)" = "app user" ]
  [ "$(secret_value POSTGRES_PASSWORD)" = "p@ss:w/rd%é=long-enough" ]
  [ "$(secret_value POSTGRES_DB)" = namesdb ]
  [ "$(secret_value DATABASE_URL)" = "postgresql://app%20user:p%40ss%3Aw%2Frd%25%C3%A9%3Dlong-enough@db:5432/namesdb" ]
}

@test "--stdin keeps a given DATABASE_URL as it is" {
  fake_kubeseal
  printf 'POSTGRES_PASSWORD=0123456789abcdef0123\nDATABASE_URL=postgresql://u:x@db:5432/other\n' |
    "$REPO/scripts/seal.sh" --stdin dev
  [ "$(secret_value DATABASE_URL)" = "postgresql://u:x@db:5432/other" ]
}

@test "rejects bad input on stdin without naming its value, and writes nothing" {
  fake_kubeseal
  run "$REPO/scripts/seal.sh" --stdin dev <<<'PASSWORD=s3cret-value-that-is-long'
  [ "$status" -eq 1 ]
  [[ $output == *"unknown key 'PASSWORD'"* ]]
  [[ $output != *s3cret* ]]
  run "$REPO/scripts/seal.sh" --stdin dev <<<'POSTGRES_PASSWORD=short'
  [ "$status" -eq 1 ]
  [[ $output == *"shorter than 16"* ]]
  run "$REPO/scripts/seal.sh" --stdin dev <<<'just-a-line'
  [ "$status" -eq 1 ]
  [[ $output == *"has no '='"* ]]
  [ ! -s "$CALLS" ]
  assert_unchanged
}

@test "usage errors: no environment, an unknown one, two of them, an unknown option" {
  run "$REPO/scripts/seal.sh"
  [ "$status" -eq 1 ]
  [[ $output == *"which environment?"* ]]
  run "$REPO/scripts/seal.sh" staging
  [ "$status" -eq 1 ]
  [[ $output == *"unknown environment 'staging'"* ]]
  run "$REPO/scripts/seal.sh" dev prod
  [ "$status" -eq 1 ]
  [[ $output == *"one environment only"* ]]
  run "$REPO/scripts/seal.sh" --force dev
  [ "$status" -eq 1 ]
  [[ $output == *"unknown option '--force'"* ]]
  assert_unchanged
}

@test "a missing certificate is an error before anything is generated" {
  fake_kubeseal
  rm "$REPO/sealed-secrets/dev/cert.pem"
  run "$REPO/scripts/seal.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"no certificate at sealed-secrets/dev/cert.pem"* ]]
  [ ! -s "$CALLS" ]
  assert_unchanged
}

@test "a failing kubeseal leaves the committed file untouched" {
  fake kubeseal 'cat >/dev/null; echo "error: cannot fetch certificate" >&2; exit 1'
  run "$REPO/scripts/seal.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"kubeseal failed; sealed-secrets/dev/db-credentials.yaml is unchanged"* ]]
  assert_unchanged
}

@test "incomplete sealer output is refused" {
  fake kubeseal 'cat >/dev/null; printf "kind: SealedSecret\nspec:\n  encryptedData:\n    POSTGRES_USER: AgA\n"'
  run "$REPO/scripts/seal.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"lacks POSTGRES_PASSWORD"* ]]
  assert_unchanged
}

@test "sealer output that contains the plaintext password is refused" {
  fake kubeseal 'grep POSTGRES_PASSWORD | sed "s/.*: //" | base64 -d >"$BATS_TEST_TMPDIR/pw"
printf "kind: SealedSecret\n    POSTGRES_USER: a\n    POSTGRES_PASSWORD: %s\n    POSTGRES_DB: b\n    DATABASE_URL: c\n" "$(cat "$BATS_TEST_TMPDIR/pw")"'
  run "$REPO/scripts/seal.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"contains the plaintext password"* ]]
  assert_unchanged
}

@test "SEAL_TOOL=java seals with scripts/lib/Seal.java (the fallback when kubeseal is absent)" {
  SEAL_TOOL=java run "$REPO/scripts/seal.sh" --stdin dev <<<'POSTGRES_PASSWORD=java-sealed-password-1234'
  [ "$status" -eq 0 ]
  [[ $output == *"written (java"* ]]
  grep -qx 'kind: SealedSecret' "$OUT"
  grep -qx '  namespace: names-dev' "$OUT"
  for key in POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB DATABASE_URL; do
    grep -Eq "^    $key: Ag[A-Za-z0-9+/=]{300,}$" "$OUT"
  done
  refute grep -qF java-sealed-password-1234 "$OUT"
  refute cmp -s "$BATS_TEST_TMPDIR/original.yaml" "$OUT"
}

@test "an unknown SEAL_TOOL is refused" {
  SEAL_TOOL=openssl run "$REPO/scripts/seal.sh" dev
  [ "$status" -eq 1 ]
  [[ $output == *"SEAL_TOOL must be kubeseal or java"* ]]
  assert_unchanged
}
