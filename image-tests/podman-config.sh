#!/usr/bin/env bash
# Configures podman for the image tests on a machine of this project's kind (Debian 12, root, cgroups v1 hybrid):
# runc with the cgroupfs manager (crun, podman's default, fails there: "cgroups in hybrid mode not supported"), no
# default ulimits (runc cannot set podman's default RLIMIT_NOFILE there: "error setting rlimit type 7") and a file
# events log (no systemd journal). Written as a drop-in, so an existing /etc/containers/containers.conf is left as
# it is. Idempotent; needs root. .ci/run calls it after installing podman, runc and slirp4netns.
set -euo pipefail

conf=/etc/containers/containers.conf.d/50-names-manager.conf
wanted='# Written by image-tests/podman-config.sh (names-manager).
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"'

if [ "$(cat "$conf" 2>/dev/null)" != "$wanted" ]; then
  mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$wanted" >"$conf"
  echo "Wrote $conf"
fi
podman info --format 'podman {{.Version.Version}}: runtime {{.Host.OCIRuntime.Name}}, cgroups {{.Host.CgroupManager}}'
