#!/usr/bin/env bash
# Installs everything the grader needs on a fresh Debian machine, idempotently:
# system packages (bubblewrap, util-linux's setpriv, build tools) and a virtual
# environment in .venv with the grader and its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || need_apt+=(util-linux)
command -v gcc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# The Docker backend: the engine, debootstrap to build the sandbox image with no registry,
# and docker-compose to validate the compose file.
command -v dockerd >/dev/null 2>&1 || need_apt+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_apt+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
# The sandbox's root image for bubblewrap (a squashfs) and its system-call filter (libseccomp).
command -v mksquashfs >/dev/null 2>&1 || need_apt+=(squashfs-tools)
ls /usr/lib/*/libseccomp.so.2 >/dev/null 2>&1 || need_apt+=(libseccomp2)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# The README's examples: requests with curl, bodies built and read with jq.
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
# The browser tests (tests/browser): headless Chromium driven by Selenium through Debian's chromedriver.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # torch is pinned to the CPU wheel (pyproject); an unpinned torch would pull CUDA builds.
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
