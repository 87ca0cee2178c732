# The API image used by docker-compose.yml (Neo4j runs in its own container there).
# Two stages: the build compiles the server and bundles the explorer with the dev tools; the
# image holds the production dependencies, the compiled server and the files it reads.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci applies patches/ to the dependencies it installs (postinstall: patch-package).
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY patches ./patches
# No install scripts of the dependencies; the project's own patches/ applied by hand.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npx patch-package \
  && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time: the SDL, the saved questions, the pages, the seed and the IATI codelists.
COPY schema ./schema
COPY queries ./queries
COPY public ./public
COPY seeds ./seeds
COPY vendor ./vendor
USER node
EXPOSE 4000
# node itself, not npm: SIGTERM from `docker stop` reaches the server, which drains and exits.
CMD ["node", "dist/main.js"]
