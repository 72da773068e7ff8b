#!/usr/bin/env bash
# The documented deployment, end to end, as CI runs it: builds the images of docker-compose.yml
# with no registry (deploy/build-images.sh; reused while their inputs are unchanged), brings
# the stack up under a project name of its own (Redis, PostgreSQL, the API, two CPU workers
# using the Docker backend through this host's engine), creates a key, then
# tests/compose/drive_stack.py submits 50 submissions, kills one worker container mid-load and
# checks that every submission ends with one report and its expected verdict. The stack, its
# volumes and the sandbox containers its workers started are removed on every path.
#
#   scripts/compose-e2e.sh
#
# Needs: a Docker engine, docker-compose, debootstrap (first run), .venv (scripts/setup.sh)
# and the sandbox image (scripts/docker-ready.sh). Environment: GRADER_DOCKER_IMAGE (the
# sandbox image, default dl-grader-sandbox:cpu), COMPOSE_E2E_BASE (debian, or auto/registry
# where a registry is reachable). Compose settings for the test: tests/compose/docker-compose.e2e.yml.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
t0=$(date +%s)
log() { printf '[compose-e2e %4ss] %s\n' "$(($(date +%s) - t0))" "$*"; }

project=dl-grader-e2e-$$-$RANDOM
compose=(docker-compose --project-name "$project" -f docker-compose.yml -f tests/compose/docker-compose.e2e.yml)
export GRADER_DOCKER_IMAGE=${GRADER_DOCKER_IMAGE:-dl-grader-sandbox:cpu}
export DOCKER_GID=${DOCKER_GID:-$(stat -c %g /var/run/docker.sock)}
export API_PORT=127.0.0.1:              # a free port on the loopback, chosen by Docker
export POSTGRES_PASSWORD=e2e$RANDOM$RANDOM

# Everything this run started, whatever happened: the stack, its volumes and network, and the
# sandbox containers of its workers (labelled with their host names, the containers' ids).
cleanup() {
  local rc=$? hosts owner id removed=0
  [ -z "${driver:-}" ] || kill "$driver" 2>/dev/null || true
  if [ "$rc" -ne 0 ]; then
    log "failed (exit $rc); last lines of the stack's logs:"
    "${compose[@]}" logs --no-color --tail=30 2>&1 | tail -120 || true
  fi
  hosts=$(docker ps -aq --filter "label=com.docker.compose.project=$project" \
    | xargs -r docker inspect -f '{{.Config.Hostname}}' 2>/dev/null || true)
  "${compose[@]}" down --volumes --remove-orphans --timeout 10 >/dev/null 2>&1 || true
  while read -r id owner; do
    if [ -n "${owner%%:*}" ] && grep -qxF "${owner%%:*}" <<<"$hosts" && docker rm -f "$id" >/dev/null 2>&1; then
      removed=$((removed + 1))
    fi
  done < <(docker ps -a --filter label=dl-grader.sandbox --format '{{.ID}} {{.Label "dl-grader.owner"}}')
  log "stack $project removed, and $removed sandbox containers its workers left; exit $rc"
}

docker image inspect "$GRADER_DOCKER_IMAGE" >/dev/null 2>&1 \
  || { echo "error: no sandbox image $GRADER_DOCKER_IMAGE: run scripts/docker-ready.sh first" >&2; exit 1; }
log "images (deploy/build-images.sh --base ${COMPOSE_E2E_BASE:-debian})"
images=$(deploy/build-images.sh --base "${COMPOSE_E2E_BASE:-debian}")
while IFS='=' read -r name value; do export "$name=$value"; log "  $name=$value"; done <<<"$images"
[ -n "${DL_GRADER_IMAGE:-}" ] || { echo "error: deploy/build-images.sh named no service image" >&2; exit 1; }

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log "up: project $project, two CPU workers"
"${compose[@]}" up --detach --no-build --scale worker-cpu=2 2>&1 | sed 's/^/  /'
url="http://$("${compose[@]}" port api 8000)"
healthy() { .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$url/healthz" 2>/dev/null; }
deadline=$((SECONDS + 300))
until healthy; do
  [ "$SECONDS" -lt "$deadline" ] || { log "the API did not answer /healthz within 300 s"; exit 1; }
  sleep 2
done
log "API healthy at $url"

key=$("${compose[@]}" exec -T api grader keys create --role admin --name compose-e2e --rate-limit 100000 | tail -n 1)
log "key created; load: 50 submissions, one worker killed mid-load"
# In the background, so that a signal to this script runs the cleanup at once.
.venv/bin/python tests/compose/drive_stack.py --url "$url" --key "$key" --project "$project" --count 50 \
  --deadline-s 600 &
driver=$!
wait "$driver"
driver=
log "all checks passed"
