#!/usr/bin/env bash
# Builds the sandbox's root filesystem once, with no container registry, for both backends:
# a Debian root filesystem from debootstrap with Python packages from the package index
# (wheels fetched on this host), then
#   - a squashfs file that the bubblewrap backend loop-mounts read-only as the sandbox's /
#     (--rootfs FILE; FILE is a link to the file named by the inputs' hash), and
#   - the Docker image: `docker import` of the same tree, and the runner on top with a
#     local `docker build` (--image TAG).
#
#   sandbox/image/build.sh [--rootfs FILE] [--image TAG] [cpu|gpu]
#
# The base (Debian + NumPy + SciPy + torch) is named by a hash of its inputs and reused while
# they do not change: either output is made from the other when only one exists, and only the
# runner layer is rebuilt when the runner changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rootfs="" image="" variant=cpu
while [ $# -gt 0 ]; do
  case "$1" in
    --rootfs) rootfs=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    cpu|gpu) variant=$1; shift ;;
    *) echo "usage: build.sh [--rootfs FILE] [--image TAG] [cpu|gpu]" >&2; exit 2 ;;
  esac
done
[ -n "$rootfs$image" ] || { echo "build.sh: nothing to build (give --rootfs and/or --image)" >&2; exit 2; }
torch_spec=${GRADER_SANDBOX_TORCH:-torch==2.13.0}
packages="numpy scipy $torch_spec"
python=${PYTHON:-python3}

inputs=$(printf '%s\n' "$variant" "$packages" "$(sha256sum "$0" | cut -c1-16)")
hash=$(printf '%s' "$inputs" | sha256sum | cut -c1-16)
base="dl-grader-sandbox-base:$hash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have_base() { [ -n "$image" ] && docker image inspect "$base" >/dev/null 2>&1; }
squashfs_file() { printf '%s' "$(dirname "$rootfs")/rootfs-$variant-$hash.sqfs"; }

make_tree() {  # the Debian root filesystem in $work/root
  echo "building the sandbox root filesystem $hash (debootstrap, then $packages)" >&2
  debootstrap --variant=minbase --include=python3,python3-venv bookworm "$work/root" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # Wheels for the image's CPython 3.11, fetched by this host's pip (its indexes and caches).
  "$python" -m pip download --quiet --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --dest "$work/root/wheels" $packages
  chroot "$work/root" /usr/bin/python3 -m venv /opt/venv
  chroot "$work/root" /opt/venv/bin/pip install --quiet --no-index --find-links /wheels $packages
  rm -rf "$work/root/wheels" "$work/root/var/cache/apt/archives"/*.deb "$work/root/var/lib/apt/lists"/*
  chroot "$work/root" /usr/sbin/useradd --uid 10001 --no-create-home --home-dir /tmp \
    --shell /usr/sbin/nologin sandbox
  # Where bubblewrap binds the runner (the squashfs is read-only: the file must exist).
  mkdir -p "$work/root/opt/grader" && : >"$work/root/opt/grader/runner.py"
}

if [ -n "$rootfs" ] && [ ! -f "$(squashfs_file)" ]; then
  mkdir -p "$(dirname "$rootfs")"
  if have_base; then  # made from the Docker base: no debootstrap
    container=$(docker create "$base" /bin/true)
    docker export "$container" | mksquashfs - "$(squashfs_file).tmp" -tar -noappend -quiet -comp lz4
    docker rm "$container" >/dev/null
  else
    [ -d "$work/root" ] || make_tree
    mksquashfs "$work/root" "$(squashfs_file).tmp" -noappend -quiet -comp lz4
  fi
  mv "$(squashfs_file).tmp" "$(squashfs_file)"
fi
if [ -n "$rootfs" ]; then
  ln -sfn "$(basename "$(squashfs_file)")" "$rootfs.tmp" && mv -T "$rootfs.tmp" "$rootfs"
  echo "$rootfs -> $(squashfs_file)" >&2
fi

if [ -n "$image" ]; then
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    if [ ! -d "$work/root" ] && [ -n "$rootfs" ] && [ -f "$(squashfs_file)" ]; then
      unsquashfs -quiet -no-progress -dest "$work/root" "$(squashfs_file)" >/dev/null
    fi
    [ -d "$work/root" ] || make_tree
    tar -C "$work/root" -c . | docker import - "$base" >/dev/null
  fi
  # The runner layer: a local build from the base, no registry involved.
  mkdir -p "$work/context"
  cp "$here/../runner.py" "$work/context/runner.py"
  cat >"$work/context/Dockerfile" <<DOCKERFILE
FROM $base
COPY runner.py /opt/grader/runner.py
USER 10001:10001
WORKDIR /tmp
DOCKERFILE
  docker build --quiet --tag "$image" "$work/context" >/dev/null
  echo "$image" >&2
fi
