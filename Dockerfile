# Build and run Tenantry (Node 24 LTS). Used by docker-compose.yml.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# Backups, restores, clones and moves need no Postgres client programs (they copy with SQL's COPY), so the
# image carries none, whatever the server's major.
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The runtime user owns its data directory (generated files, uploads under /data/files): a volume mounted
# there starts out owned by it.
RUN mkdir -p /data/files && chown -R node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
