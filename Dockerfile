# genesys_exporter's container image (the last stage, built by default), and genesys_sim's in a
# target of its own: the simulator has no place in a production image.
#   docker build -t genesys_exporter .
#   docker build --target genesys_sim -t genesys_sim .
#   docker run -e GENESYS_CLIENT_ID=... -e GENESYS_CLIENT_SECRET=... -e GENESYS_REGION=mypurecloud.ie \
#     -p 9786:9786 -v genesys-data:/var/lib/genesys_exporter genesys_exporter
# Build arguments: JOBS (compile jobs, default 2); VERSION, REVISION, CREATED and
# SOURCE_DATE_EPOCH fill the OCI labels and --version (the build context has no .git):
# tests/scripts/docker_image_test.sh passes them from git. Builds with the classic builder
# (Debian 12's docker.io) and with BuildKit. docs/packaging.md, "Container image".

# ---- build: the -dev packages of scripts/install-deps, then CMake ---------------------------------
# BUILD_TESTING=OFF: no GTest or Google Benchmark, only the two programs.
FROM debian:12 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ make cmake pkg-config \
      prometheus-cpp-dev libcpp-httplib-dev libssl-dev libsimdjson-dev \
      libboost1.81-dev libboost-system1.81-dev libspdlog-dev libfmt-dev libyaml-cpp-dev \
      zlib1g-dev libsystemd-dev libcrypt-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG JOBS=2
ARG REVISION=unknown
ARG BRANCH=unknown
ARG SOURCE_DATE_EPOCH
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
      -DGX_REVISION="$REVISION" -DGX_BRANCH="$BRANCH" -DGX_BUILD_USER=docker \
 && cmake --build /build --target genesys_exporter genesys_sim -j"$JOBS" \
 && strip /build/genesys_exporter /build/genesys_sim

# ---- genesys_sim: the simulator, for the compose demo and tests ----------------------------------
# Only the packages of the libraries it links (`ldd`; tests/scripts/compose_test.sh checks both
# ways). It serves on 127.0.0.1 only: share its network namespace (docker-compose.yml).
FROM debian:12-slim AS genesys_sim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcpp-httplib0.11 libssl3 libsimdjson14 libyaml-cpp0.7 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10002 --user-group --no-create-home --shell /usr/sbin/nologin genesys_sim
COPY --from=build /build/genesys_sim /usr/local/bin/
COPY packaging/docker/http-healthcheck /usr/local/bin/
RUN ! ldd /usr/local/bin/genesys_sim | grep 'not found'
USER genesys_sim:genesys_sim
ENTRYPOINT ["/usr/local/bin/genesys_sim"]
CMD ["--scenario", "demo", "--listen", "127.0.0.1:8080"]

# ---- genesys_exporter: the runtime image -----------------------------------------------------------
# Only the packages of the libraries the binary links, and ca-certificates (it verifies Genesys
# Cloud's and the carriers' certificates against the system store).
FROM debian:12-slim AS genesys_exporter
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      libcpp-httplib0.11 libprometheus-cpp-core1.0 libssl3 libsimdjson14 libfmt9 libyaml-cpp0.7 libsystemd0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/genesys_exporter --no-create-home \
      --shell /usr/sbin/nologin genesys \
 && install -d -o genesys -g genesys -m 0750 /var/lib/genesys_exporter /var/lib/genesys_exporter/spool
COPY --from=build /build/genesys_exporter /usr/local/bin/
COPY packaging/docker/http-healthcheck /usr/local/bin/
COPY packaging/config.example.yml /etc/genesys_exporter/config.yml
# Fail the build, not the first start, when a runtime library is missing.
RUN ! ldd /usr/local/bin/genesys_exporter | grep 'not found'
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="genesys_exporter" \
      org.opencontainers.image.description="Prometheus exporter and alert bridge for Genesys Cloud telephony" \
      org.opencontainers.image.source="https://github.com/genesys-exporter/genesys_exporter" \
      org.opencontainers.image.documentation="https://github.com/genesys-exporter/genesys_exporter/blob/main/README.md" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.created="$CREATED" \
      org.opencontainers.image.base.name="debian:12-slim"
USER genesys:genesys
WORKDIR /var/lib/genesys_exporter
# The webhook spool and the alert state (alerting.spool_dir, state_file) survive the container.
VOLUME ["/var/lib/genesys_exporter"]
EXPOSE 9786
# /-/healthy over plain HTTP with bash's /dev/tcp (packaging/docker/http-healthcheck): no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/http-healthcheck", "127.0.0.1:9786", "/-/healthy"]
ENTRYPOINT ["/usr/local/bin/genesys_exporter"]
CMD ["--config.file=/etc/genesys_exporter/config.yml"]
