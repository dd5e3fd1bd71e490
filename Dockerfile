# One image recipe for every app. The APP build argument picks the app the container starts; the command can
# override it (the migrate service runs dist/tools/migrate.js). Written for the legacy builder too: no
# RUN --mount, no heredocs. Build with `docker build --network host --build-arg APP=voice-service .`.

# --- dependencies, with dev tools, for the build ---
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- the bundles: dist/apps/<app>/main.js (+ its migrations) and dist/tools/migrate.js ---
FROM deps AS build
COPY tsconfig.base.json ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
RUN node tools/build.mjs

# --- production dependencies only ---
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM node:20-bookworm-slim AS runtime
ARG APP=gateway
ARG APP_VERSION=0.1.0
ENV NODE_ENV=production \
    APP=${APP} \
    APP_VERSION=${APP_VERSION}
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 8080 8081 8082 8083 8084
# Ready means Postgres and Redis answer and the app is not shutting down. Each app knows its own PORT.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||({'voice-service':8081,'analysis-service':8082,'domain-service':8083,'billing-service':8084}[process.env.APP]||8080);fetch('http://127.0.0.1:'+p+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec: node is PID 1 and receives SIGTERM itself; compose adds an init for reaping (init: true).
CMD ["sh", "-c", "exec node dist/apps/${APP}/main.js"]
