# syntax=docker/dockerfile:1
# Build stage: production dependencies only. No compile step: Node 24 runs the TypeScript sources as they are.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY seed ./seed
# The image's unprivileged `node` user, by id: a name need not resolve on the host that runs the container.
USER 1000:1000
EXPOSE 3000
# Liveness only (/health never touches the database); readiness (/ready) is the load balancer's check.
# The image has no curl: Node's own fetch does the probe.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful close (in-flight requests finish, then MongoDB closes; 10 s at most).
STOPSIGNAL SIGTERM
CMD ["node", "--import", "./src/tracing.ts", "src/server.ts"]
