# syntax=docker/dockerfile:1
# Outlay's container image. The steps are in scripts/image-build.sh, which CI runs too
# (without a container engine, into a temporary folder), so what this file builds is what CI
# checked. Build:   docker build -t outlay .
# Run:              see "Running in production" in the README (it needs PostgreSQL and keys).

ARG NODE_IMAGE=node:20-bookworm-slim

# Build: every package, the compiled server and web app, then the runtime tree in /app with
# the production packages only (sharp's linux-x64 glibc binaries and the English OCR data
# are npm packages, so they come with it), proven by the same check CI runs.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.npm bash scripts/image-build.sh build /src
RUN --mount=type=cache,target=/root/.npm bash scripts/image-build.sh runtime /src /app
RUN bash scripts/image-build.sh check /app

# Runtime: Node and the runtime tree, owned by root and read-only to the service's user.
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="Outlay" \
      org.opencontainers.image.description="Open-source company spend platform" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    OUTLAY_METRICS_HOST=0.0.0.0 \
    OUTLAY_METRICS_PORT=9464 \
    OUTLAY_DEMO=0 \
    OUTLAY_DATA_DIR=/var/lib/outlay
WORKDIR /app
COPY --from=build /app /app
# The image's "node" user (uid 1000); numeric, so Kubernetes can verify runAsNonRoot.
RUN mkdir -p /var/lib/outlay && chown 1000:1000 /var/lib/outlay
USER 1000:1000
# 3000 HTTP (web app, API, processor endpoint), 9464 /metrics only, 2525 receipts by SMTP,
# 8583 the ISO 8583 gateway (it listens on 127.0.0.1 unless OUTLAY_ISO8583_HOST says otherwise).
EXPOSE 3000 9464 2525 8583
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Outlay stops gracefully on SIGTERM (about 25 s); give `docker stop` a longer -t than that.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
