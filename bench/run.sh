#!/usr/bin/env bash
# Compares the SDK with raw net/http, go-retryablehttp and a client generated
# by oapi-codegen from the official OpenAPI spec, on one loopback server, and
# prints one Markdown table (see bench/README.md).
#
# Usage: bench/run.sh [-short] [-no-oapi] [other flags of cmd/benchtable:
#        -rounds n, -benchtime d, -list n, -only ids, -q]
#
#   -short    a quick smoke run (about 10 s once built)
#   -no-oapi  leave out the generated client (no generation, faster build)
#
# The spec is read from $BEYONDIDENTITY_OPENAPI_SPEC, by default
# ../shared/openapi/beyond-identity-v1.yaml relative to the repository root.
# The generated client goes to bench/oapigen/ (git-ignored), rebuilt on every
# run. Without the spec the generated client is left out, or, when $CI is
# set, the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

oapi=1
args=()
for a in "$@"; do
	if [ "$a" = -no-oapi ]; then oapi=0; else args+=("$a"); fi
done

spec="${BEYONDIDENTITY_OPENAPI_SPEC:-../shared/openapi/beyond-identity-v1.yaml}"
tags=()
if [ "$oapi" = 0 ]; then
	echo "bench: -no-oapi: the oapi-codegen client is left out" >&2
elif [ -f "$spec" ]; then
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
bin="${TMPDIR:-/tmp}/benchtable.$$"
trap 'rm -f "$bin"' EXIT
go build ${tags[@]+"${tags[@]}"} -o "$bin" ./cmd/benchtable
"$bin" ${args[@]+"${args[@]}"}
echo
echo "bench: wall time $(($(date +%s) - start)) s (generation, build and run)"
