# syntax=docker/dockerfile:1
#
# Flight Tracker's images (docker-compose.yml builds both; the README's "Deploy" section):
#   web     the Next.js standalone server (`node server.js`) on port 3000. Without DATABASE_URL it
#           runs the embedded engine, its data in the /data volume: a whole install in one container.
#   worker  the job queue's workers (`npm run worker`), and the one-shot commands that need the
#           sources and tsx: db:migrate, db:seed, admin:grant.
# Both run as the image's unprivileged `node` user.

# The Node.js line the app is tested on (package.json's engines: 20.9 or later).
ARG NODE_VERSION=20.20.2

FROM node:${NODE_VERSION}-bookworm-slim AS base
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /app

# Every dependency, dev ones included: the build needs them, and the worker runs TypeScript with tsx.
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
# next.config.ts turns on `output: "standalone"` for this build only (`next start` does not serve it).
ENV NEXT_OUTPUT=standalone
RUN npm run build

FROM base AS web
ENV NODE_ENV=production \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    EMBEDDED_DATABASE_DIR=/data/pglite
# The server and what it reads at run time, owned by root: the app can write only /data and its cache.
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/db/migrations ./db/migrations
RUN mkdir -p /data .next/cache && chown node:node /data .next/cache
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness: no database, no network (readiness is /api/health/ready, for the load balancer).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${PORT:-3000}/api/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "server.js"]

FROM deps AS worker
# Metrics and /live on every interface of the container (scraped from outside it; not published).
ENV NODE_ENV=production \
    WORKER_METRICS_HOST=0.0.0.0
COPY . .
USER node
# The worker's own liveness endpoint (WORKER_METRICS_PORT, 9464 by default; 0 turns it off, and this check with it).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${WORKER_METRICS_PORT:-9464}/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# tsx directly, not through npm, so that SIGTERM reaches the worker (a graceful stop).
CMD ["node_modules/.bin/tsx", "scripts/worker.ts"]
