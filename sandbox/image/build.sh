#!/usr/bin/env bash
# Builds the sandbox image with no container registry: a Debian root filesystem from
# debootstrap, Python packages from the package index (wheels fetched on this host),
# `docker import`, then the runner on top with a local `docker build`.
#
#   sandbox/image/build.sh TAG [cpu|gpu]
#
# The base (Debian + NumPy + SciPy + torch) is tagged by a hash of its inputs and reused
# while they do not change; only the runner layer is rebuilt when the runner changes.
set -euo pipefail
tag=${1:?usage: build.sh TAG [cpu|gpu]}
variant=${2:-cpu}
here=$(cd "$(dirname "$0")" && pwd)
torch_spec=${GRADER_SANDBOX_TORCH:-torch==2.13.0}
packages="numpy scipy $torch_spec"
python=${PYTHON:-python3}

inputs=$(printf '%s\n' "$variant" "$packages" "$(sha256sum "$0" | cut -c1-16)")
base="dl-grader-sandbox-base:$(printf '%s' "$inputs" | sha256sum | cut -c1-16)"

if ! docker image inspect "$base" >/dev/null 2>&1; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "building $base (debootstrap, then $packages)" >&2
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
  tar -C "$work/root" -c . | docker import - "$base" >/dev/null
fi

# The runner layer: a local build from the base, no registry involved.
context=$(mktemp -d)
cp "$here/../runner.py" "$context/runner.py"
cat >"$context/Dockerfile" <<DOCKERFILE
FROM $base
COPY runner.py /opt/grader/runner.py
USER 10001:10001
WORKDIR /tmp
DOCKERFILE
docker build --quiet --tag "$tag" "$context" >/dev/null
rm -rf "$context"
echo "$tag"
