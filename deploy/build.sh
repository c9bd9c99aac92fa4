#!/usr/bin/env bash
# build.sh OUTDIR — builds the static alexa-brief binary into OUTDIR
# (default ./dist) and checks that it is static.
#
# This script IS the Dockerfile's build stage: the Dockerfile runs
# `deploy/build.sh /out` and copies /out/alexa-brief into the runtime image,
# so CI running this script exercises the image build on machines without a
# Docker engine. Change the build here, never in the Dockerfile.
#
# Inputs (environment):
#   VERSION  version to stamp (default: `git describe`, else "dev")
#   COMMIT   commit to stamp  (default: `git rev-parse HEAD`, else empty)
#   GOOS, GOARCH  target platform (default: the Go toolchain's)
set -euo pipefail

out=${1:-dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The image build sees no .git (.dockerignore drops it), so version and commit
# arrive as build args there and are detected from git here.
if [[ -z ${VERSION:-} ]]; then
	VERSION=$(git describe --tags --always --dirty 2>/dev/null || true)
	VERSION=${VERSION:-dev}
fi
if [[ -z ${COMMIT:-} ]]; then
	COMMIT=$(git rev-parse HEAD 2>/dev/null || true)
fi

# CGO_ENABLED=0: pure-Go SQLite, so the binary runs on distroless/static.
# -trimpath and -buildvcs=false: the same bytes whether or not .git is
# present (the image build has none); the commit is stamped explicitly.
# -s -w: no symbol table or DWARF; panics still print function names.
export CGO_ENABLED=0
go build \
	-trimpath \
	-buildvcs=false \
	-ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
	-o "$out/alexa-brief" \
	./cmd/alexa-brief

bin="$out/alexa-brief"

# Static or not? go version -m works for every target; readelf, file and ldd
# add a second opinion when present (the golang image has readelf).
if ! go version -m "$bin" | grep -q 'CGO_ENABLED=0'; then
	echo "build.sh: $bin was not built with CGO_ENABLED=0" >&2
	exit 1
fi
if [[ $(go env GOOS) == linux ]]; then
	if command -v readelf >/dev/null 2>&1; then
		if readelf -l "$bin" | grep -q 'INTERP'; then
			echo "build.sh: $bin asks for a dynamic loader (readelf shows INTERP)" >&2
			exit 1
		fi
	elif command -v file >/dev/null 2>&1; then
		if ! file "$bin" | grep -q 'statically linked'; then
			echo "build.sh: $bin is not statically linked: $(file -b "$bin")" >&2
			exit 1
		fi
	elif command -v ldd >/dev/null 2>&1 && [[ $(go env GOARCH) == $(go env GOHOSTARCH) ]]; then
		if ! ldd "$bin" 2>&1 | grep -q 'not a dynamic executable'; then
			echo "build.sh: $bin is dynamically linked" >&2
			exit 1
		fi
	fi
fi

echo "build.sh: built $bin (version ${VERSION}, commit ${COMMIT:-unknown}, $(go env GOOS)/$(go env GOARCH), static)"
