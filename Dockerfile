# syntax=docker/dockerfile:1
# deploybot image: `docker build -t deploybot:dev .`
# Node 24 LTS on Debian bookworm-slim, pinned to an exact release; bump both stages together.

# Build: compile TypeScript with the dev dependencies.
FROM node:24.20.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime: the production dependencies and the compiled JavaScript, nothing else (no sandbox, tests or sources).
FROM node:24.20.0-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="deploybot" \
      org.opencontainers.image.description="Slack ChatOps for GitOps deploys with Argo CD" \
      org.opencontainers.image.licenses="Apache-2.0"
# V8's heap, sized for a pod (k8s/base limits memory to 384Mi), not for the node's RAM: an old generation of
# at most 128 MB (the live heap is about 35 MB with 500 cards; V8 otherwise lets garbage pile up to hundreds
# of MB before a full collection) and a young generation of at most 8 MB per semi-space (16 MB is V8's
# default; 2 MB saved another 15 MB of RSS but cost a third of the ingest throughput in promotions).
# Measured in `npm run bench` (it runs the bot with this NODE_OPTIONS): after 10,000 notifications + GC
# 206 → 126 MB, peak 246 → 143 MB (docs/benchmarks.md has the runs). A fleet far larger than 2,000 apps can
# raise --max-old-space-size through the Deployment's NODE_OPTIONS.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=128" \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    TMPDIR=/tmp \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none of the runtime dependencies needs one, and none gets the chance to run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The node user of the base image, by number so that Kubernetes can check runAsNonRoot. The files above stay
# owned by root: the process can read them, not change them, and needs no writable path but TMPDIR.
USER 1000:1000
EXPOSE 3000
# For `docker run`; Kubernetes uses the probes of k8s/base/deployment.yaml instead.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
