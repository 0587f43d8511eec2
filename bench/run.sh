#!/usr/bin/env bash
# Compares the SDK with raw net/http, go-retryablehttp and a client generated
# by oapi-codegen from the official OpenAPI spec, on one loopback server, and
# prints one Markdown table (see bench/README.md).
#
# Usage: bench/run.sh [-short] [other flags of cmd/benchtable: -rounds n,
#        -benchtime d, -list n, -q]
#
#   -short   a quick smoke run (a few seconds once built)
#
# The spec is read from $BEYONDIDENTITY_OPENAPI_SPEC, by default
# ../shared/openapi/beyond-identity-v1.yaml relative to the repository root.
# The generated client goes to bench/oapigen/ (git-ignored), rebuilt on every
# run. Without the spec the generated client is left out, or, when $CI is
# set, the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

spec="${BEYONDIDENTITY_OPENAPI_SPEC:-../shared/openapi/beyond-identity-v1.yaml}"
tags=()
if [ -f "$spec" ]; then
	spec="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"
	(cd bench && go run ./gen -spec "$spec")
	tags=(-tags oapi)
else
	msg="the OpenAPI spec is not at $spec (set BEYONDIDENTITY_OPENAPI_SPEC to its path)"
	if [ -n "${CI:-}" ]; then
		echo "bench: FAIL: $msg" >&2
		exit 1
	fi
	echo "bench: $msg; the oapi-codegen client is left out" >&2
fi

cd bench
go build "${tags[@]}" -o "${TMPDIR:-/tmp}/benchtable.$$" ./cmd/benchtable
trap 'rm -f "${TMPDIR:-/tmp}/benchtable.$$"' EXIT
"${TMPDIR:-/tmp}/benchtable.$$" "$@"
echo
echo "bench: wall time $(($(date +%s) - start)) s (generation, build and run)"
