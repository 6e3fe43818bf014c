# The mapek CLI as a container image, for sweeps sharded over machines (docs/examples/k8s-indexed-job.yaml,
# docs/cli.md "Sharding"). Build from the repository root:
#
#   docker build -t mapek .
#   docker run --rm -v "$PWD:/work" -w /work mapek run scenarios/single-node-crash.yaml
#
# Two stages: the first installs every dependency and compiles dist/ (`npm ci` runs `prepare`, which is
# `npm run build`); the second keeps the runtime dependencies and the compiled package only.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /opt/mapek
COPY package.json package-lock.json ./
# `prepare` would rebuild with the dev dependencies this stage does not have: dist/ comes from the build stage.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY scenarios ./scenarios
COPY bench/scenarios ./bench/scenarios
RUN ln -s /opt/mapek/bin/mapek.js /usr/local/bin/mapek
# Runs as the image's unprivileged user; mount a directory for the scenarios and the results.
USER node
WORKDIR /work
ENTRYPOINT ["mapek"]
CMD ["--help"]
