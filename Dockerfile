# genesys_exporter and genesys_sim on Debian 12.
#   docker build -t genesys_exporter .
#   docker run -e GENESYS_CLIENT_ID=... -e GENESYS_CLIENT_SECRET=... -e GENESYS_REGION=mypurecloud.ie \
#     -p 9786:9786 genesys_exporter
# The simulator is in the same image: --entrypoint genesys_sim.

# ---- build: the -dev packages from shared/docs/design.md, then CMake -------------------------
# (libbenchmark-dev is left out: the image builds no benchmarks. GTest is needed because the
# top-level CMakeLists.txt requires it at configure time.)
FROM debian:12 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config git ca-certificates \
      prometheus-cpp-dev libcpp-httplib-dev libssl-dev libsimdjson-dev \
      libboost1.81-dev libboost-system1.81-dev libspdlog-dev libfmt-dev libyaml-cpp-dev \
      zlib1g-dev libsystemd-dev libgtest-dev libgmock-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# build_info's revision comes from `git rev-parse`; the checkout belongs to another uid.
RUN git config --global --add safe.directory /src
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build /build --target genesys_exporter genesys_sim -j"$(nproc)" \
 && strip --strip-debug /build/genesys_exporter /build/genesys_sim

# ---- runtime: shared libraries only -----------------------------------------------------------
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl \
      libprometheus-cpp-core1.0 libcpp-httplib0.11 libssl3 libsimdjson14 \
      libboost-system1.81.0 libspdlog1.10 libfmt9 libyaml-cpp0.7 libsystemd0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/genesys_exporter \
      --shell /usr/sbin/nologin genesys \
 && mkdir -p /etc/genesys_exporter /var/lib/genesys_exporter/spool \
 && chown -R genesys:genesys /var/lib/genesys_exporter
COPY --from=build /build/genesys_exporter /build/genesys_sim /usr/local/bin/
# Fail the build, not the first start, when a runtime library is missing.
RUN ! ldd /usr/local/bin/genesys_exporter /usr/local/bin/genesys_sim | grep 'not found'

USER genesys:genesys
WORKDIR /var/lib/genesys_exporter
VOLUME ["/var/lib/genesys_exporter"]
EXPOSE 9786
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:9786/-/healthy || exit 1
ENTRYPOINT ["/usr/local/bin/genesys_exporter"]
