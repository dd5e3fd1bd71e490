# One image recipe for every app. The APP build argument picks the app the container starts; the command can
# override it (the migrate service runs dist/tools/migrate.js). Written for the legacy builder too: no
# RUN --mount, no heredocs. Build with `docker build --network host --build-arg APP=voice-service .`.
# APP is read only in the last instructions, so the five apps' images share every layer but the metadata.

# --- dependencies, with dev tools, for the build ---
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- the bundles: dist/apps/<app>/main.js (+ its migrations), dist/tools/migrate.js, and the founders' web app
# (dist/apps/web, built by Vite from the same install; the gateway serves it from WEB_APP_DIR) ---
FROM deps AS build
COPY tsconfig.base.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
RUN node tools/build.mjs

# --- production dependencies only: the same install, dev dependencies pruned (no second download) ---
FROM deps AS prod-deps
# npm keeps dev packages that a production package names as an optional peer (drizzle-orm: PGlite, valibot:
# TypeScript, stripe and drizzle-orm: type packages). Nothing loads them at run time: about 50 MB less.
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@electric-sql node_modules/typescript node_modules/@types node_modules/undici-types

# --- runtime ---
FROM node:20-bookworm-slim AS runtime
ARG APP_VERSION=0.1.0
# HOST: the apps listen on loopback unless told otherwise; in a container the network is the compose network.
ENV NODE_ENV=production \
    APP_VERSION=${APP_VERSION} \
    HOST=0.0.0.0
WORKDIR /app
# Owned by root and read-only to the app: the node user runs the code but cannot change it.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 8080 8081 8082 8083 8084
# Ready means Postgres and Redis answer and the app is not shutting down. Each app knows its own PORT.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||({'voice-service':8081,'analysis-service':8082,'domain-service':8083,'billing-service':8084}[process.env.APP]||8080);fetch('http://127.0.0.1:'+p+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ARG APP=gateway
ENV APP=${APP}
# V8_POOL_SIZE: V8's helper threads (concurrent GC marking, background compiling), one by default where node's own
# default is four; on two cores four marking threads took the other core from Redis in bursts (see the README's
# benchmarks). Set it to the cores a container is given.
ENV V8_POOL_SIZE=1
# exec: node is PID 1 and receives SIGTERM itself; compose adds an init for reaping (init: true).
CMD ["sh", "-c", "exec node --v8-pool-size=${V8_POOL_SIZE} dist/apps/${APP}/main.js"]
