#!/bin/sh
# Fly mounts the volume at /data owned by root. Start as root only long enough to hand the
# state dir to the unprivileged `node` user, then run the gateway (or any command) as that user.
set -e
STATE_DIR="${krabkrab_STATE_DIR:-${KRABKRAB_STATE_DIR:-/data}}"
if [ "$(id -u)" = "0" ]; then
  mkdir -p "$STATE_DIR"
  [ "$(stat -c %U "$STATE_DIR")" = "node" ] || chown -R node:node "$STATE_DIR"
  exec setpriv --reuid=node --regid=node --init-groups -- "$@"
fi
exec "$@"
