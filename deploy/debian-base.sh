#!/usr/bin/env bash
# Makes a base image with no container registry: a Debian root filesystem from debootstrap
# (minbase), the given Debian packages installed by apt in it, optionally a virtual environment
# in /opt/venv with the given Python requirements (wheels for the image's CPython 3.11, fetched
# by this host's pip: its indexes and caches), then `docker import`. The approach of
# sandbox/image/build.sh.
#
#   deploy/debian-base.sh TAG PACKAGES [REQUIREMENTS_FILE]
#
# PACKAGES: Debian package names, separated by spaces. Environment: DEBIAN_SUITE (bookworm),
# DEBIAN_MIRROR, PYTHON (the host's Python that downloads wheels), DEBIAN_MINBASE_DIR (optional:
# a folder where the bare root is kept, so that several calls debootstrap only once).
set -euo pipefail
tag=${1:?usage: debian-base.sh TAG PACKAGES [REQUIREMENTS_FILE]}
packages=${2:?usage: debian-base.sh TAG PACKAGES [REQUIREMENTS_FILE]}
requirements=${3:-}
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root

# Commands inside the root, with none of this host's environment (its pip settings included).
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 "$@"
}

# A bare Debian (minbase) in $root. dpkg is told not to fsync every file it writes
# (force-unsafe-io, set between debootstrap's two stages): a root that becomes an image needs
# no crash safety, and on a busy disk those syncs take most of the time.
minbase() {
  echo "debootstrap ${DEBIAN_SUITE:-bookworm}" >&2
  debootstrap --foreign --variant=minbase "${DEBIAN_SUITE:-bookworm}" "$root" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
    && mkdir -p "$root/etc/dpkg/dpkg.cfg.d" \
    && echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/unsafe-io" \
    && chroot "$root" /debootstrap/debootstrap --second-stage >>"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; return 1; }
}

if [ -n "${DEBIAN_MINBASE_DIR:-}" ] && [ -d "$DEBIAN_MINBASE_DIR/root" ]; then
  cp -a "$DEBIAN_MINBASE_DIR/root" "$root"
else
  minbase
  if [ -n "${DEBIAN_MINBASE_DIR:-}" ]; then
    mkdir -p "$DEBIAN_MINBASE_DIR"
    cp -a "$root" "$DEBIAN_MINBASE_DIR/root.part" && mv "$DEBIAN_MINBASE_DIR/root.part" "$DEBIAN_MINBASE_DIR/root"
  fi
fi

# The packages, from the package lists debootstrap left; no service is started in the root.
echo "apt-get install $packages" >&2
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
# shellcheck disable=SC2086  # one word per package
in_root DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages \
  >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; exit 1; }
rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/dpkg/dpkg.cfg.d/unsafe-io"

# Wheels for the image's CPython 3.11 on x86_64, into the root's /tmp/wheels.
download() {
  "$python" -m pip download --quiet --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --dest "$root/tmp/wheels" "$@" >"$work/pip.log" 2>&1 || { tail -20 "$work/pip.log" >&2; exit 1; }
}

# Installs the requirements into /opt/venv from /tmp/wheels. pip download evaluates environment
# markers for this host's Python, not the image's (redis needs async-timeout below 3.11.3,
# and Debian's is 3.11.2): what the image's pip then finds missing is fetched too, and it retries.
install_venv() {
  in_root python3 -m venv /opt/venv
  for _ in 1 2 3 4; do
    if in_root /opt/venv/bin/pip install --quiet --no-index --find-links /tmp/wheels "$@" 2>"$work/install.log"; then
      return 0
    fi
    mapfile -t missing < <(sed -n 's/^ERROR: No matching distribution found for \([^;]*\).*/\1/p' "$work/install.log")
    [ ${#missing[@]} -gt 0 ] || break
    echo "wheels the image's Python needs too: ${missing[*]}" >&2
    download "${missing[@]}"
  done
  cat "$work/install.log" >&2
  return 1
}

changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'ENV LANG=C.UTF-8')
if [ -n "$requirements" ]; then
  mapfile -t reqs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$requirements")
  echo "wheels for ${reqs[*]}" >&2
  download "${reqs[@]}"
  install_venv "${reqs[@]}"
  # Builds on top install with no index: pip finds what a package build needs here.
  mkdir -p "$root/opt/wheels"
  mv "$root"/tmp/wheels/setuptools-*.whl "$root"/tmp/wheels/wheel-*.whl "$root/opt/wheels/"
  rm -rf "$root/tmp/wheels"
  changes+=(--change 'ENV PIP_NO_INDEX=1' --change 'ENV PIP_FIND_LINKS=/opt/wheels')
fi
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/*
# debootstrap copied this host's name and resolver; Docker provides a container's own.
rm -f "$root/etc/hostname" "$root/etc/resolv.conf"
tar -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
echo "$tag"
