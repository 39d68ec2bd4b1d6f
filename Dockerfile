# syntax=docker/dockerfile:1

# chokepoint: a static Go binary on Alpine, run as an unprivileged user.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t chokepoint .
#   docker run --rm -p 8080:8080 chokepoint                 # embedded store, bundled dataset
#   docker compose up                                       # with Neo4j: see docker-compose.yml
#
# Alpine rather than distroless so that BusyBox wget can probe /readyz for the healthcheck.

ARG GO_VERSION=1.26
ARG ALPINE_VERSION=3.22

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/chokepoint ./cmd/chokepoint

FROM alpine:${ALPINE_VERSION}
RUN apk add --no-cache ca-certificates \
    && addgroup -S -g 10001 chokepoint \
    && adduser -S -D -H -u 10001 -G chokepoint -s /sbin/nologin chokepoint
COPY --from=build /out/chokepoint /usr/local/bin/chokepoint
USER 10001:10001
# The default address (127.0.0.1) would be unreachable from outside the container.
ENV CHOKEPOINT_ADDR=0.0.0.0:8080
EXPOSE 8080
# /readyz also checks Neo4j when NEO4J_URI is set; the bundled import runs before the listener
# opens, hence the start period. Adjust the port here if you change CHOKEPOINT_ADDR.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD wget -q -T 4 -O /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["chokepoint"]
CMD ["serve"]
