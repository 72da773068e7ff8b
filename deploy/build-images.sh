#!/usr/bin/env bash
# Builds the images of docker-compose.yml, with or without a container registry:
#   - the service image (./Dockerfile: the API and the workers);
#   - Redis and PostgreSQL.
# With a registry (`--base registry`), the service image starts from python:3.11-slim-bookworm
# and Redis and PostgreSQL are the official images. Without one (`--base debian`), each starts
# from a Debian root filesystem made by debootstrap (deploy/debian-base.sh): Python and the
# grader's dependencies (wheels fetched by this host's pip) for the service image, Debian's
# redis-server and postgresql packages for the others (deploy/redis, deploy/postgres).
# `--base auto` (the default) tries to pull python:3.11-slim-bookworm and falls back to debian.
#
#   deploy/build-images.sh [--base auto|registry|debian] [--env-file FILE]
#
# Prints the images as compose variables (DL_GRADER_IMAGE=..., REDIS_IMAGE=..., POSTGRES_IMAGE=...);
# --env-file also sets them in FILE (e.g. .env, which docker-compose reads). Every image built
# here is tagged by a hash of its inputs and reused while they do not change. The sandbox image
# (dl-grader-sandbox:*) is not built here: see `grader sandbox build`.
set -euo pipefail
shopt -s inherit_errexit        # a failure inside $(...) stops the script too
cd "$(dirname "$0")/.."
base=auto
env_file=
while [ $# -gt 0 ]; do
  case $1 in
    --base) base=${2:?--base needs auto, registry or debian}; shift 2 ;;
    --env-file) env_file=${2:?--env-file needs a file}; shift 2 ;;
    *) echo "usage: deploy/build-images.sh [--base auto|registry|debian] [--env-file FILE]" >&2; exit 2 ;;
  esac
done
PUBLIC_PYTHON=python:3.11-slim-bookworm
PUBLIC_REDIS=redis:7
PUBLIC_POSTGRES=postgres:16
if [ -x .venv/bin/python ]; then export PYTHON=${PYTHON:-.venv/bin/python}; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DEBIAN_MINBASE_DIR=$work/minbase      # one debootstrap per run, whatever it builds

digest() { sha256sum | cut -c1-16; }
# The contents of every file under the given paths (names included), as one digest.
tree_digest() {
  find "$@" -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum | digest
}
have() { docker image inspect "$1" >/dev/null 2>&1; }

# A Debian base image: TAG-PREFIX PACKAGES [REQUIREMENTS_FILE]; prints its tag.
debian_base() {
  local tag
  tag="$1:$( { cat deploy/debian-base.sh; echo "$2"; [ -z "${3:-}" ] || cat "$3"; } | digest)"
  have "$tag" || deploy/debian-base.sh "$tag" "$2" "${3:-}" >/dev/null || return 1
  echo "$tag"
}

# `docker build` unless the tag exists: TAG-PREFIX BASE_IMAGE CONTEXT DOCKERFILE INPUTS...; prints the tag.
build() {
  local name=$1 from=$2 context=$3 dockerfile=$4 tag
  shift 4
  tag="$name:$( { docker image inspect -f '{{.Id}}' "$from"; tree_digest "$@"; } | digest)"
  if ! have "$tag"; then
    echo "building $tag from $from" >&2
    docker build --build-arg BASE_IMAGE="$from" -f "$dockerfile" -t "$tag" "$context" >"$work/build.log" 2>&1 \
      || { tail -30 "$work/build.log" >&2; return 1; }
  fi
  echo "$tag"
}

# The grader's runtime dependencies (pyproject.toml), gunicorn, and what builds the package.
requirements() {
  "${PYTHON:-python3}" -c 'import sys, tomllib; print("\n".join(tomllib.load(open(sys.argv[1], "rb"))["project"]["dependencies"]))' pyproject.toml
  printf '%s\n' "gunicorn>=23" "setuptools>=68" "wheel"
}

if [ "$base" = auto ]; then
  if docker pull --quiet "$PUBLIC_PYTHON" >/dev/null 2>&1; then base=registry; else base=debian; fi
  echo "base: $base" >&2
fi
service_inputs=(Dockerfile .dockerignore pyproject.toml README.md grader sandbox submissions_schema tasks deploy/build-images.sh)
case $base in
  registry)
    for image in "$PUBLIC_PYTHON" "$PUBLIC_REDIS" "$PUBLIC_POSTGRES"; do docker pull --quiet "$image" >/dev/null; done
    service=$(build dl-grader "$PUBLIC_PYTHON" . Dockerfile "${service_inputs[@]}")
    redis=$PUBLIC_REDIS
    postgres=$PUBLIC_POSTGRES ;;
  debian)
    requirements >"$work/requirements.txt"
    python_base=$(debian_base dl-grader-deploy-python "python3 python3-venv ca-certificates" "$work/requirements.txt")
    service=$(build dl-grader "$python_base" . Dockerfile "${service_inputs[@]}")
    redis_base=$(debian_base dl-grader-deploy-redis redis-server)
    redis=$(build dl-grader-redis "$redis_base" deploy/redis deploy/redis/Dockerfile deploy/redis deploy/build-images.sh)
    postgres_base=$(debian_base dl-grader-deploy-postgres postgresql)
    postgres=$(build dl-grader-postgres "$postgres_base" deploy/postgres deploy/postgres/Dockerfile deploy/postgres \
      deploy/build-images.sh) ;;
  *) echo "error: --base must be auto, registry or debian" >&2; exit 2 ;;
esac

assignments=("DL_GRADER_IMAGE=$service" "REDIS_IMAGE=$redis" "POSTGRES_IMAGE=$postgres")
printf '%s\n' "${assignments[@]}"
if [ -n "$env_file" ]; then
  touch "$env_file"
  grep -v -E '^(DL_GRADER_IMAGE|REDIS_IMAGE|POSTGRES_IMAGE)=' "$env_file" >"$work/env" || true
  printf '%s\n' "${assignments[@]}" >>"$work/env"
  cat "$work/env" >"$env_file"
fi
