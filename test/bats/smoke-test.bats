#!/usr/bin/env bats
# scripts/smoke-test.sh: usage and the "nothing answers" path with the real curl. The passing run and the
# database-down run against the real stack are in test/smoke (./mvnw verify).

load helpers

setup() {
  common_setup
}

@test "nothing listening: every check fails with a clear line, exit 1" {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  run "$REPO_ROOT/scripts/smoke-test.sh" --timeout 2 "http://127.0.0.1:$port"
  [ "$status" -eq 1 ]
  [[ $output == *"FAIL  healthz    GET /healthz: no answer from http://127.0.0.1:$port within 2s"* ]]
  [[ $output == *"FAIL  list       not run: the add failed"* ]]
  [[ $output == *"smoke test: 0 passed, 8 failed (http://127.0.0.1:$port)"* ]]
}

@test "usage: --help, a bad URL, a bad timeout, two URLs" {
  run "$REPO_ROOT/scripts/smoke-test.sh" --help
  [ "$status" -eq 0 ]
  [[ $output == *"Usage: scripts/smoke-test.sh [options] [URL]"* ]]
  [[ $output == *"default http://192.168.56.10:30080"* ]]
  run "$REPO_ROOT/scripts/smoke-test.sh" localhost:8080
  [ "$status" -eq 1 ]
  [[ $output == *"invalid URL 'localhost:8080'"* ]]
  run "$REPO_ROOT/scripts/smoke-test.sh" http://localhost:8080/app
  [[ $output == *"invalid URL"* ]]
  run "$REPO_ROOT/scripts/smoke-test.sh" --timeout 0 http://localhost:8080
  [[ $output == *"--timeout needs a whole number of seconds"* ]]
  run "$REPO_ROOT/scripts/smoke-test.sh" http://a:1 http://b:2
  [[ $output == *"one URL only"* ]]
}
