#!/bin/sh
# Installs what the agent's container-runtime tests need on a fresh Debian machine (run as root):
# rootful podman with runc (its Docker-compatible API is the engine under test) and a static
# busybox, from which the tests build their only image locally (no registry is reachable).
# uidmap, slirp4netns and fuse-overlayfs are podman's usual companions; the tests use vfs storage
# and host networking, so they are not strictly needed, but keep podman's own checks quiet.
# Instance tests publish ports from a container's own network (bridge: iptables and the CNI
# plugins) and build an image from this machine's OpenSSH server.
# Idempotent: does nothing when everything is already installed.
set -eu

packages="podman runc busybox-static uidmap slirp4netns fuse-overlayfs tar iptables containernetworking-plugins openssh-server"

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -q $missing
fi

podman --version
busybox true
