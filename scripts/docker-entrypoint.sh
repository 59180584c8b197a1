#!/bin/sh
# Fly mounts the volume at /data owned by root. Start as root only long enough to hand the
# state dir to the unprivileged `node` user, then run the gateway (or any command) as that user.
set -e
STATE_DIR="${krabkrab_STATE_DIR:-${KRABKRAB_STATE_DIR:-/data}}"
if [ "$(id -u)" = "0" ]; then
  mkdir -p "$STATE_DIR"
  # Tailscale Funnel inside the container (image built with WITH_TAILSCALE=1): userspace networking,
  # state kept on the volume so the node keeps its name across deploys.
  if command -v tailscaled >/dev/null && [ -n "${TS_AUTHKEY:-}" ]; then
    mkdir -p "$STATE_DIR/tailscale"
    tailscaled --tun=userspace-networking --state="$STATE_DIR/tailscale/tailscaled.state" --socket=/var/run/tailscale/tailscaled.sock >/dev/null 2>&1 &
    tailscale up --operator=node --authkey="$TS_AUTHKEY" --hostname="${FLY_APP_NAME:-krabkrab}" >/dev/null
  fi
  [ "$(stat -c %U "$STATE_DIR")" = "node" ] || chown -R node:node "$STATE_DIR"
  exec setpriv --reuid=node --regid=node --init-groups -- "$@"
fi
exec "$@"
