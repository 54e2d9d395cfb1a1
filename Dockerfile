# syntax=docker/dockerfile:1
# preflight as one static binary in an image that holds nothing else.
#
#   docker build -t preflight .
#   docker run --rm -v "$PWD:/src" preflight scan .
#
# The build stage is Alpine, whose Rust targets musl and links statically by
# default, so the same file builds the image for linux/amd64 and linux/arm64
# (docker buildx build --platform linux/amd64,linux/arm64 .).

FROM rust:1.95-alpine AS build
# musl-dev: the C runtime mimalloc's C code is compiled and linked against
# (the version that matches the image's Alpine release).
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked \
    && cp target/release/preflight /usr/local/bin/preflight

FROM scratch
COPY --from=build /usr/local/bin/preflight /usr/local/bin/preflight
ENV PATH=/usr/local/bin
# Runs only if the binary is static: the image has no loader and no libc.
RUN ["preflight", "--version"]
# The directory to mount the code to scan at: SARIF URIs and baselines are
# relative to the git work tree around it, as on the host.
WORKDIR /src
ENTRYPOINT ["preflight"]
CMD ["scan", "."]
