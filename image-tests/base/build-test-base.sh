#!/usr/bin/env bash
# Builds the offline stand-in for the production base image (gcr.io/distroless/java25-debian13:nonroot, see
# docs/images.md) as a `docker save` archive that Jib reads with -Djib.from.image=tar://…: no registry needed.
#
# Same layout as production: a Temurin 25 runtime in /usr/lib/jvm/temurin-25-jre-amd64 with the JDK's default CDS
# archive, /usr/bin/java pointing at it, distroless' /etc/passwd and /etc/group (root 0, nonroot 65532, nobody
# 65534), /home/nonroot owned by 65532, a world-writable /tmp, the Java CA certificates in /etc/ssl/certs/java,
# no shell; image config User 65532, WorkingDir /home/nonroot, LANG=C.UTF-8, JAVA_VERSION.
# The runtime is jlinked from a local Temurin 25 JDK with the JRE's application-facing modules, plus the shared
# libraries it links against, taken from this machine (the production image has Debian 13's).
#
# Usage: build-test-base.sh OUTPUT_DIR [JDK_HOME]      (JDK_HOME defaults to $JAVA_HOME)
# Writes OUTPUT_DIR/jre-base.tar (linux/amd64) and jre-base-arm64.tar (see write_archive below). Deterministic (sorted entries, fixed times and owners); rebuilt only when this
# script or the JDK changes (OUTPUT_DIR/jre-base.key), so repeated runs take no time.
set -euo pipefail

out=${1:?usage: build-test-base.sh OUTPUT_DIR [JDK_HOME]}
jdk=${2:-${JAVA_HOME:-}}
if [ -z "$jdk" ] || [ ! -x "$jdk/bin/jlink" ]; then
  echo "build-test-base.sh: no jlink in '$jdk': pass a Temurin 25 JDK (-Dimage.test.jdk=/path, or JAVA_HOME)" >&2
  exit 1
fi
# shellcheck disable=SC1091
version=$(. "$jdk/release" && echo "${JAVA_VERSION:-}")
case "$version" in
  25 | 25.*) ;;
  *)
    echo "build-test-base.sh: $jdk is Java '$version'; the production base runs Java 25, so must this one" \
      "(-Dimage.test.jdk=/usr/lib/jvm/temurin-25-jdk-amd64)" >&2
    exit 1
    ;;
esac
[ "$(uname -m)" = x86_64 ] || { echo "build-test-base.sh: only linux/amd64 is built offline" >&2; exit 1; }

# java.se (every standard module: Hikari, for one, needs java.desktop's java.beans) and the JDK modules a JRE
# offers to applications.
modules=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.charsets,jdk.localedata,jdk.zipfs
modules+=,jdk.management,jdk.management.agent,jdk.jfr,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.httpserver
modules+=,jdk.security.auth,jdk.security.jgss,jdk.jsobject,jdk.xml.dom
java_dir=usr/lib/jvm/temurin-25-jre-amd64
tag=localhost/names-test-jre:25

mkdir -p "$out"
out=$(cd "$out" && pwd)
key=$( (sha256sum "$0" | cut -d' ' -f1; cat "$jdk/release"; echo "$modules") | sha256sum | cut -d' ' -f1)
if [ -s "$out/jre-base.tar" ] && [ -s "$out/jre-base-arm64.tar" ] && [ "$(cat "$out/jre-base.key" 2>/dev/null)" = "$key" ]; then
  echo "Offline base image up to date: $out/jre-base.tar"
  exit 0
fi
echo "Building the offline base image ($version, jlink) into $out/jre-base.tar"

work=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root/usr/bin" "$root/etc/ssl/certs/java" "$root/home/nonroot" "$root/tmp" "$(dirname "$root/$java_dir")"

"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$root/$java_dir" >/dev/null
ln -s "/$java_dir/bin/java" "$root/usr/bin/java"
cp "$jdk/lib/security/cacerts" "$root/etc/ssl/certs/java/cacerts"

# usrmerge, as on Debian 13: /lib and /lib64 are links into /usr.
mkdir -p "$root/usr/lib" "$root/usr/lib64"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
# The shared libraries the runtime links against, and the dynamic loader, at their paths on this machine; not
# X11 and ALSA for the desktop and sound natives: a server runs headless (as on distroless, which has neither).
libs=$(find "$root/$java_dir" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  ! -name libawt_xawt.so ! -name libjawt.so ! -name libjsound.so ! -name libsplashscreen.so -exec ldd {} + 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' | sort -u)
for lib in $libs; do
  case "$lib" in "$root"/*) continue ;; esac # the runtime's own libraries
  real=$(readlink -f "$lib")
  mkdir -p "$root$(dirname "$real")"
  cp "$real" "$root$real"
  if [ ! -e "$root$lib" ]; then
    mkdir -p "$root$(dirname "$lib")"
    ln -s "$real" "$root$lib"
  fi
done

printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
  'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' >"$root/etc/group"
printf '%s\n' 'PRETTY_NAME="Distroless (offline test base)"' 'ID=debian' >"$root/etc/os-release"

chmod 1777 "$root/tmp"
chmod 0700 "$root/home/nonroot"
find "$root" -exec touch -h -d @0 {} +
tar_opts=(--sort=name --mtime=@0 --numeric-owner --format=posix
  "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime" -C "$root")
tar "${tar_opts[@]}" --owner=0 --group=0 --exclude=./home/nonroot -cf "$work/layer.tar" .
tar "${tar_opts[@]}" --owner=65532 --group=65532 -rf "$work/layer.tar" ./home/nonroot

layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/archive/$layer_sha"
mv "$work/layer.tar" "$work/archive/$layer_sha/layer.tar"
# write_archive ARCH FILE: the docker-archive of the layer with an image config for linux/ARCH.
write_archive() {
  local arch=$1 file=$2 config_sha
  cat >"$work/archive/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"65532","WorkingDir":"/home/nonroot","Entrypoint":["/usr/bin/java","-jar"],
  "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8","JAVA_VERSION=$version"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"image-tests/base/build-test-base.sh (jlink $version)"}]}
JSON
  config_sha=$(sha256sum "$work/archive/config.json" | cut -d' ' -f1)
  mv "$work/archive/config.json" "$work/archive/$config_sha.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' \
    "$config_sha" "$tag" "$layer_sha" >"$work/archive/manifest.json"
  # Entries named without a leading "./": Jib refuses those as paths outside the archive.
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/archive" -cf "$file" \
    manifest.json "$config_sha.json" "$layer_sha/layer.tar"
  rm "$work/archive/$config_sha.json" "$work/archive/manifest.json"
  echo "Offline base image: $out/$(basename "$file") ($(du -h "$file" | cut -f1), linux/$arch, sha256:$config_sha)"
}
write_archive amd64 "$work/jre-base.tar"
# The release build's two-platform stand-in (image-tests' ReleaseImagesTest): the same amd64 layer under an arm64
# config. It is never run; it lets a registry serve a two-platform index for Jib to build both platforms from.
write_archive arm64 "$work/jre-base-arm64.tar"

mv "$work/jre-base-arm64.tar" "$out/jre-base-arm64.tar"
mv "$work/jre-base.tar" "$out/jre-base.tar"
echo "$key" >"$out/jre-base.key"
