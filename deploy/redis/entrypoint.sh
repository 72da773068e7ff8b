#!/bin/sh
# `redis-server ARGS...`: Redis as the user redis, data in /data, listening on every address of
# the container (only the compose network reaches it: no published port), in the foreground.
# Anything else runs as given.
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  if [ "$(id -u)" = 0 ]; then
    chown redis:redis /data
    exec setpriv --reuid=redis --regid=redis --init-groups \
      redis-server --bind 0.0.0.0 --protected-mode no --dir /data "$@"
  fi
  exec redis-server --bind 0.0.0.0 --protected-mode no --dir /data "$@"
fi
exec "$@"
