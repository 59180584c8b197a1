#!/bin/sh
# Fly mounts the volume at /data owned by root. Start as root only long enough to hand the
# state dir to the unprivileged user (KRABKRAB_RUN_AS, default `node`), then run the gateway
# (or any command) as that user.
set -e
STATE_DIR="${krabkrab_STATE_DIR:-${KRABKRAB_STATE_DIR:-/data}}"
RUN_AS="${KRABKRAB_RUN_AS:-node}"
if [ "$(id -u)" = "0" ]; then
  mkdir -p "$STATE_DIR"
  # Tailscale Funnel inside the container (image built with WITH_TAILSCALE=1): userspace networking,
  # state kept on the volume so the node keeps its name across deploys.
  if command -v tailscaled >/dev/null && [ -n "${TS_AUTHKEY:-}" ]; then
    mkdir -p "$STATE_DIR/tailscale"
    tailscaled --tun=userspace-networking --state="$STATE_DIR/tailscale/tailscaled.state" --socket=/var/run/tailscale/tailscaled.sock >/dev/null 2>&1 &
    tailscale up --operator="$RUN_AS" --authkey="$TS_AUTHKEY" --hostname="${FLY_APP_NAME:-krabkrab}" >/dev/null
  fi
  # `user:` is the user and its login group (Debian's nobody is in nogroup, the image's node in node).
  [ "$(stat -c %U "$STATE_DIR")" = "$RUN_AS" ] || chown -R "$RUN_AS": "$STATE_DIR"
  exec setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --init-groups -- "$@"
fi
exec "$@"
