# syntax=docker/dockerfile:1

# alexa-brief container image: a static Go binary on distroless/static.
#
#   docker build --build-arg VERSION=v1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) -t alexa-brief .
#   docker run --rm -p 127.0.0.1:8080:8080 --env-file deploy/.env --stop-timeout 30 -v alexa-brief-data:/data alexa-brief
#
# The build stage runs deploy/build.sh and nothing else, so the CI job that
# runs that script builds exactly what this image ships (no Docker engine is
# needed to test the build). `go test ./deploy/` checks this file keeps it so.

# The builder runs on the build machine's platform and cross-compiles for the
# target one (pure Go, no cgo), so multi-platform builds need no emulation.
FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS
ARG TARGETARCH
# Empty unless given with --build-arg; build.sh then stamps "dev".
ARG VERSION
ARG COMMIT
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH bash deploy/build.sh /out
# An empty /data owned by the runtime user (distroless has no mkdir).
RUN mkdir -p /rootfs/data

# distroless/static: CA certificates, tzdata and /etc/passwd, no shell, no
# libc. The :nonroot tag runs as uid/gid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION
ARG COMMIT
LABEL org.opencontainers.image.title="alexa-brief" \
      org.opencontainers.image.description="Briefs a team on a news story in Slack and Discord" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$COMMIT"
COPY --from=build /out/alexa-brief /alexa-brief

# SQLite lives on this volume by default; point DATABASE_URL at postgres://…
# to share one store between replicas. The directory is created here, owned
# by the nonroot user, so a fresh named volume inherits a writable owner.
COPY --from=build --chown=65532:65532 /rootfs/data /data
VOLUME ["/data"]
ENV DATABASE_URL=/data/alexa-brief.db \
    ALEXA_BRIEF_ADDR=:8080 \
    LOG_FORMAT=json
WORKDIR /data
USER 65532:65532
EXPOSE 8080

# No HEALTHCHECK command: the image has no shell or curl to run one, and a
# check that only runs `alexa-brief version` would report healthy while the
# server is wedged. Orchestrators probe the HTTP endpoints instead:
# GET /healthz (liveness) and GET /readyz (readiness) on port 8080 — see
# deploy/compose.yaml and deploy/kubernetes/deployment.yaml.
HEALTHCHECK NONE

# SIGTERM drains in-flight work (ALEXA_BRIEF_SHUTDOWN_TIMEOUT, default 20s):
# give `docker stop` at least 30s (docker stop -t 30, stop_grace_period: 30s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/alexa-brief"]
CMD ["serve"]
