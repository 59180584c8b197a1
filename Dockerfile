# syntax=docker/dockerfile:1
# Multi-arch (x86-64 and arm64): only official multi-arch base images, no arch-specific downloads.
ARG NODE_VERSION=22
# Signal needs signal-cli and a Java runtime: build with --build-arg WITH_SIGNAL=1 (and give the VM 2 GB+).
# signal-cli 0.14.x needs Java 25 (0.13.x needed 21): the JRE comes from the official multi-arch
# eclipse-temurin image (Debian bookworm has no Java past 17). To stay on 0.13.x:
#   --build-arg SIGNAL_CLI_VERSION=0.13.24 --build-arg SIGNAL_JAVA_VERSION=21
ARG WITH_SIGNAL=0
ARG SIGNAL_CLI_VERSION=0.14.10
ARG SIGNAL_JAVA_VERSION=25

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json README.md LICENSE CHANGELOG.md ./
COPY scripts ./scripts
COPY src ./src
# /app is the npm package's files (npm pack runs prepack: a release build of dist/), so what users
# install and what the image runs match, plus only the modules the bundles load at run time (the
# WhatsApp Web library and what it needs, as the lock pins them), not the production node_modules.
RUN npm pack --silent --pack-destination /tmp >/dev/null && mkdir /app && \
    tar xzf /tmp/krabkrab-*.tgz -C /app --strip-components=1 && \
    node scripts/runtime-modules.mjs /app

FROM eclipse-temurin:${SIGNAL_JAVA_VERSION}-jre AS java

FROM node:${NODE_VERSION}-bookworm-slim AS runtime-base
ENV NODE_ENV=production \
    krabkrab_STATE_DIR=/data
WORKDIR /app

FROM runtime-base AS signal-0

FROM runtime-base AS signal-1
ARG SIGNAL_CLI_VERSION
# signal-cli keeps its account in $XDG_DATA_HOME/signal-cli: on the /data volume, so a redeploy keeps the link.
ENV JAVA_HOME=/opt/java/openjdk \
    XDG_DATA_HOME=/data
COPY --from=java /opt/java/openjdk /opt/java/openjdk
# The release tarball unpacks to signal-cli-<version>/{bin,lib}; bin/signal-cli finds Java via JAVA_HOME.
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && \
    curl -fsSL "https://github.com/AsamK/signal-cli/releases/download/v${SIGNAL_CLI_VERSION}/signal-cli-${SIGNAL_CLI_VERSION}.tar.gz" | tar xz -C /opt && \
    ln -s /opt/signal-cli-${SIGNAL_CLI_VERSION}/bin/signal-cli /usr/local/bin/signal-cli && \
    apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* && \
    signal-cli --version

# Only the stage WITH_SIGNAL names is built (BuildKit skips the other).
FROM signal-${WITH_SIGNAL} AS runtime
COPY --from=build /app ./
COPY scripts/docker-entrypoint.sh /usr/local/bin/krabkrab-entrypoint
# `krabkrab <command>` from `fly ssh console` (as root it acts as the owner of /data).
RUN ln -s /app/dist/index.js /usr/local/bin/krabkrab
# The gateway runs as the non-root `node` user; the entrypoint hands it /data first (see the script).
RUN mkdir -p /data && chown node:node /data
ENTRYPOINT ["krabkrab-entrypoint"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/index.js", "gateway", "--allow-unconfigured", "--port", "3000", "--bind", "lan"]
