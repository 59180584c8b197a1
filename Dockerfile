# syntax=docker/dockerfile:1
# Multi-arch (x86-64 and arm64): only official multi-arch base images, no arch-specific downloads.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    krabkrab_STATE_DIR=/data
WORKDIR /app
# Webhook tunnels inside the container (gateway.tunnel.provider / the voice plugin's tunnel):
#   --build-arg WITH_NGROK=1      the ngrok agent (set NGROK_AUTHTOKEN as a Fly secret)
#   --build-arg WITH_TAILSCALE=1  tailscale + tailscaled (set TS_AUTHKEY; the entrypoint joins the tailnet)
ARG WITH_NGROK=0
ARG WITH_TAILSCALE=0
RUN if [ "$WITH_NGROK$WITH_TAILSCALE" != "00" ]; then \
      apt-get update && apt-get install -y --no-install-recommends curl ca-certificates gnupg && \
      if [ "$WITH_NGROK" = "1" ]; then \
        curl -fsSL https://ngrok-agent.s3.amazonaws.com/ngrok.asc -o /etc/apt/trusted.gpg.d/ngrok.asc && \
        echo "deb https://ngrok-agent.s3.amazonaws.com bookworm main" > /etc/apt/sources.list.d/ngrok.list; \
      fi && \
      if [ "$WITH_TAILSCALE" = "1" ]; then \
        curl -fsSL https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg -o /usr/share/keyrings/tailscale-archive-keyring.gpg && \
        curl -fsSL https://pkgs.tailscale.com/stable/debian/bookworm.tailscale-keyring.list -o /etc/apt/sources.list.d/tailscale.list; \
      fi && \
      apt-get update && \
      apt-get install -y --no-install-recommends $( [ "$WITH_NGROK" = "1" ] && echo ngrok ) $( [ "$WITH_TAILSCALE" = "1" ] && echo tailscale ) && \
      apt-get purge -y gnupg && rm -rf /var/lib/apt/lists/*; \
    fi
# Signal needs Java and signal-cli: build with --build-arg WITH_SIGNAL=1 (and give the VM 2 GB+).
ARG WITH_SIGNAL=0
ARG SIGNAL_CLI_VERSION=0.13.12
RUN if [ "$WITH_SIGNAL" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless curl ca-certificates && \
      curl -fsSL "https://github.com/AsamK/signal-cli/releases/download/v${SIGNAL_CLI_VERSION}/signal-cli-${SIGNAL_CLI_VERSION}.tar.gz" | tar xz -C /opt && \
      ln -s /opt/signal-cli-${SIGNAL_CLI_VERSION}/bin/signal-cli /usr/local/bin/signal-cli && \
      apt-get purge -y curl && rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scripts/docker-entrypoint.sh /usr/local/bin/krabkrab-entrypoint
# `krabkrab <command>` from `fly ssh console` (as root it acts as the owner of /data).
RUN ln -s /app/dist/index.js /usr/local/bin/krabkrab
# The gateway runs as the non-root `node` user; the entrypoint hands it /data first (see the script).
RUN mkdir -p /data && chown node:node /data
ENTRYPOINT ["krabkrab-entrypoint"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/index.js", "gateway", "--allow-unconfigured", "--port", "3000", "--bind", "lan"]
