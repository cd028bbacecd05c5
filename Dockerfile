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
USER node
EXPOSE 3000
CMD ["node", "src/server.ts"]
