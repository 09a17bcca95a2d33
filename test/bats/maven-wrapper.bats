#!/usr/bin/env bats
# ./mvnw's first run: the wrapper installs Maven from the checksummed .zip, and cannot without unzip. The first test
# runs the real wrapper against Maven Central (the same download a fresh VM makes); the others run the scripts' check
# on a PATH without unzip.

load helpers

setup() {
  common_setup
  # Every command of this machine except unzip.
  nounzip="$BATS_TEST_TMPDIR/nounzip"
  mkdir -p "$nounzip"
  for dir in /usr/local/bin /usr/bin /bin; do
    for tool in "$dir"/*; do
      name=${tool##*/}
      [ "$name" = unzip ] || [ -e "$nounzip/$name" ] || ln -s "$tool" "$nounzip/$name"
    done
  done
  export MAVEN_USER_HOME="$BATS_TEST_TMPDIR/m2"
}

@test "the real wrapper without unzip fails the distribution's checksum, and installs Maven with it" {
  command -v unzip
  WRAPPER="$BATS_TEST_TMPDIR/wrapper"
  mkdir -p "$WRAPPER/.mvn/wrapper"
  cp "$REPO_ROOT/mvnw" "$WRAPPER/"
  cp "$REPO_ROOT/.mvn/wrapper/maven-wrapper.properties" "$WRAPPER/.mvn/wrapper/"
  cd "$WRAPPER"
  PATH="$nounzip" run ./mvnw --version
  [ "$status" -ne 0 ]
  [[ $output == *"checksum"* || $output == *"SHA-256"* ]]
  run ./mvnw --version
  [ "$status" -eq 0 ]
  [[ $output == *"Apache Maven 3.9"* ]]
}

@test "ensure_maven stops with one line naming unzip before the wrapper's first run" {
  PATH="$nounzip" run bash -c '. "$REPO_ROOT/scripts/lib/java.sh" && ensure_maven'
  [ "$status" -eq 1 ]
  [ "$output" = "error: unzip is required the first time ./mvnw runs (it installs Maven from the checksummed .zip): apt-get install unzip" ]
}

@test "ensure_maven needs no unzip once the wrapper has installed Maven" {
  mkdir -p "$MAVEN_USER_HOME/wrapper/dists/apache-maven-3.9.11-bin/abc123/bin"
  touch "$MAVEN_USER_HOME/wrapper/dists/apache-maven-3.9.11-bin/abc123/bin/mvn"
  PATH="$nounzip" run bash -c '. "$REPO_ROOT/scripts/lib/java.sh" && ensure_maven'
  [ "$status" -eq 0 ]
}
