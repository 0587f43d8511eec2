#!/usr/bin/env bash
# Contract suite: every request of the SDK and every answer of the fake
# (cmd/bifake) checked against the official OpenAPI spec of the Beyond
# Identity v1 API, with Prism as the judge, the API: lines of the SDK's
# doc comments checked against the spec, and ParseBindingLink compared with
# the official Embedded SDK's isBindPasskeyUrl. See contract/doc.go.
#
# Usage: contract/run.sh [go test flags, e.g. -run TestProxy -v]
#
# Needs Go and Node/npm (Node >= 18.20). Installs the npm packages pinned in
# contract/package-lock.json (Prism, the official Embedded SDK
# @beyondidentity/bi-sdk-js, fake-indexeddb) into contract/node_modules
# (npm ci; never globally), then runs go test in the contract module
# (contract/go.mod). The
# spec is read from $BEYONDIDENTITY_OPENAPI_SPEC, by default
# ../shared/openapi/beyond-identity-v1.yaml; a relative path is taken from
# the repository root. Without the spec it prints one line saying where to
# get it and exits 0, or 1 when $CI is set.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

spec="${BEYONDIDENTITY_OPENAPI_SPEC:-../shared/openapi/beyond-identity-v1.yaml}"
if [ ! -f "$spec" ]; then
	msg="no OpenAPI spec at $spec: download static/api/v1/openapi.yaml from the GitHub repository gobeyondidentity/developer-docs (reference: https://developer.beyondidentity.com/api/v1) and set BEYONDIDENTITY_OPENAPI_SPEC to its path"
	if [ -n "${CI:-}" ]; then
		echo "contract: FAIL: $msg" >&2
		exit 1
	fi
	echo "contract: skipped: $msg" >&2
	exit 0
fi
BEYONDIDENTITY_OPENAPI_SPEC="$(cd "$(dirname "$spec")" && pwd)/$(basename "$spec")"
export BEYONDIDENTITY_OPENAPI_SPEC

for tool in node npm go; do
	command -v "$tool" >/dev/null || { echo "contract: FAIL: $tool is not installed" >&2; exit 1; }
done
echo "contract: node $(node --version), npm $(npm --version), $(go version)"
echo "contract: spec $BEYONDIDENTITY_OPENAPI_SPEC"

# Install the pinned packages unless node_modules already holds exactly the
# locked packages.
stamp=contract/node_modules/.installed-from-lock
want=$(cksum < contract/package-lock.json)
if [ ! -x contract/node_modules/.bin/prism ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	(cd contract && npm ci --no-audit --no-fund --loglevel=error)
	echo "$want" > "$stamp"
fi
echo "contract: prism $(contract/node_modules/.bin/prism --version)"
echo "contract: official Embedded SDK @beyondidentity/bi-sdk-js $(node -p 'require("./contract/node_modules/@beyondidentity/bi-sdk-js/package.json").version')"

# The suite is its own module: go test runs inside contract/ (the suite
# builds cmd/bifake from the repository root itself).
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
(cd contract && CONTRACT_REPORT="$report" go test -count=1 "$@" ./...) || status=$?
cat "$report"
echo "contract: wall time $(($(date +%s) - start)) s (install and tests)"
exit "$status"
