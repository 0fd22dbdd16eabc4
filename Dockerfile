# syntax=docker/dockerfile:1
# edi-gateway: docker build -t edi-gateway . ; docker run -p 8080:8080 -v edigw-data:/data edi-gateway
# The gateway runs its TypeScript with tsx (a runtime dependency), as `npm start` does.

# --- dependencies: production node_modules (better-sqlite3 is compiled here when no prebuilt binary fits)
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && node -e "new (require('better-sqlite3'))(':memory:').close()"

# --- runtime: no compilers, runs as the image's unprivileged `node` user (uid 1000)
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    EDIGW_DATABASE_URL=/data/gateway.db \
    EDIGW_BLOB_DIR=/data/blobs \
    EDIGW_PARTNERS_DIR=/app/partners \
    EDIGW_MAPPINGS_DIR=/app/mappings \
    EDIGW_FIXTURES_DIR=/app/fixtures \
    EDIGW_SUBSCRIBERS_DIR=/app/subscribers \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json package-lock.json tsconfig.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
COPY --chown=root:root partners ./partners
COPY --chown=root:root mappings ./mappings
COPY --chown=root:root fixtures ./fixtures
COPY --chown=root:root subscribers ./subscribers
# the SQLite file and the file store (archived and streamed raw messages) live on the volume
RUN mkdir -p /data/blobs && chown -R node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
# /healthz answers 503 while draining or while the database cannot take writes
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains (stops taking messages, finishes what it holds) before it exits
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=4", "--import", "tsx", "src/main.ts"]
