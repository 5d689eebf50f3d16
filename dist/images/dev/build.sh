#!/bin/sh
# Builds Ocean's dev image (Containerfile beside this script) with Podman, or Docker when Podman
# is missing. Usage: build.sh [--tag T] [--base IMAGE] [--tarball FILE] [--engine podman|docker]
#
# Registries and sites the build reaches (a mirror of each will do):
#   docker.io                      the base image (nvidia/cuda, or ubuntu with --base)
#   developer.download.nvidia.com  CUDA apt repository that the nvidia/cuda base configures
#   archive.ubuntu.com, security.ubuntu.com   Ubuntu packages (openssh-server, git, python3, ...)
#   github.com, objects.githubusercontent.com code-server's release tarball
#   api.adoptium.net (and github.com)         a Java 25 runtime for `ocean`, only when the
#                                             release tarball carries none of its own
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tag=localhost/ocean-dev:latest
base=""
tarball=""
engine=""

die() {
  echo "Error: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; tag=$2; shift 2 ;;
    --base) [ $# -ge 2 ] || die "--base needs a value"; base=$2; shift 2 ;;
    --tarball) [ $# -ge 2 ] || die "--tarball needs a value"; tarball=$2; shift 2 ;;
    --engine) [ $# -ge 2 ] || die "--engine needs a value"; engine=$2; shift 2 ;;
    -h | --help)
      sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

if [ -z "$engine" ]; then
  if command -v podman >/dev/null 2>&1; then engine=podman
  elif command -v docker >/dev/null 2>&1; then engine=docker
  else die "neither podman nor docker is installed"
  fi
fi
case "$engine" in podman | docker) ;; *) die "--engine must be podman or docker, not '$engine'" ;; esac
command -v "$engine" >/dev/null 2>&1 || die "--engine $engine is not installed"

if [ -z "$tarball" ]; then
  # the newest release tarball of this checkout (./mvnw -B -DskipTests package makes it)
  tarball=$(ls -t "$repo"/dist/target/ocean-*.tar.gz 2>/dev/null | head -n 1 || true)
  [ -n "$tarball" ] || die "no release tarball in $repo/dist/target; build one with './mvnw -B -DskipTests package' or pass --tarball FILE"
fi
[ -f "$tarball" ] || die "--tarball $tarball does not exist"

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT INT TERM
cp "$here/Containerfile" "$here/sshd-ocean.conf" "$context/"
cp "$tarball" "$context/ocean.tar.gz"

set -- build -f "$context/Containerfile" -t "$tag"
if [ -n "$base" ]; then set -- "$@" --build-arg "BASE=$base"; fi
echo "Building $tag with $engine from $tarball" >&2
"$engine" "$@" "$context"
echo "Built $tag. Register it: ocean admin image add dev $tag --description 'Ocean dev image'" >&2
