#!/usr/bin/env bash
# Runs each example program offline, as a new user would (`go run`, nothing
# configured, against the in-process fake), with a deadline, and checks what
# it prints:
#   bindpasskey   the first line says it uses the fake, the binding link has
#                 the RETURN shape, the new passkey is ACTIVE;
#   emailbinding  the /bind handler received the emailed link, the job is
#                 COMPLETE and the passkey ACTIVE;
#   provision     1,000 generated users are created, then a rerun against the
#                 same fake creates none (all existing) and emails nobody twice;
#   groups        two users are put into a group; a member gets access, a
#                 stranger does not;
#   rbac          a role granting two scopes goes to a group; a user in the
#                 group has the role and its scopes.
# Usage: examples/run-all.sh   (from anywhere; CI runs it from .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

# Offline means no configuration at all: drop any BEYOND_IDENTITY_* variable.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^BEYOND_IDENTITY_' || true)

DEADLINE=120 # seconds per example
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0

fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# expect NAME FILE ERE DESCRIPTION: FILE has a line matching ERE.
expect() {
	if ! grep -Eq -- "$3" "$2"; then fail "$1: $4 (no line matches /$3/)"; fi
}

# run NAME ARGS...: go run ./examples/NAME ARGS with the deadline; prints
# the output and the wall time.
run() {
	local name=$1
	shift
	local start end rc=0
	start=$(date +%s%N)
	timeout --kill-after=10 "$DEADLINE" go run "./examples/$name" "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
	end=$(date +%s%N)
	printf -- '--- %s %s (exit %d, %d ms)\n' "$name" "$*" "$rc" $(((end - start) / 1000000))
	sed 's/^/    /' "$out/$name.out"
	if [ -s "$out/$name.err" ]; then sed 's/^/    stderr: /' "$out/$name.err"; fi
	case $rc in
	0) ;;
	124 | 137) fail "$name: did not finish within ${DEADLINE}s" ;;
	*) fail "$name: exit status $rc" ;;
	esac
	if ! head -n 1 "$out/$name.out" | grep -q 'in-process fake'; then
		fail "$name: the first line does not say it runs against the in-process fake"
	fi
}

go build ./examples/... # compile once, so the timings below are the runs

run bindpasskey
expect bindpasskey "$out/bindpasskey.out" \
	'^   https?://[^/ ]+/v1/tenants/[0-9a-f]{16}/realms/[0-9a-f]{16}/identities/[0-9a-f]{16}/credential-binding-jobs/[0-9a-f]{16}:invokeAuthenticator\?token=[A-Za-z0-9_-]+$' \
	"prints a binding link of the RETURN shape"
expect bindpasskey "$out/bindpasskey.out" '^Passkey [0-9a-f]{16}: state ACTIVE, key EC P-256, ' "the new passkey is ACTIVE"

run emailbinding
expect emailbinding "$out/emailbinding.out" '^5\. /bind received the link of identity [0-9a-f]{16}, job [0-9a-f]{16} ' "the /bind handler received the link"
expect emailbinding "$out/emailbinding.out" ': COMPLETE\. Passkey [0-9a-f]{16}: state ACTIVE\.$' "the job is COMPLETE and the passkey ACTIVE"

run provision -runs 2
created=$(awk '$1 == "created" { printf "%s ", $2 }' "$out/provision.out")
existing=$(awk '$1 == "existing" { printf "%s ", $2 }' "$out/provision.out")
sent=$(awk '$1 == "emails" && $2 == "sent" { printf "%s ", $3 }' "$out/provision.out")
[ "$created" = "1000 0 " ] || fail "provision: created per run = '$created', want '1000 0 '"
[ "$existing" = "0 1000 " ] || fail "provision: existing per run = '$existing', want '0 1000 '"
[ "$sent" = "1000 0 " ] || fail "provision: emails sent per run = '$sent', want '1000 0 '"

run groups
expect groups "$out/groups.out" '^3\. Group "admins" has 2 members\.$' "both users are in the group"
expect groups "$out/groups.out" '^4\. ada\.lovelace signed in: access granted' "a member gets access"
expect groups "$out/groups.out" '^4\. mallory signed in: access denied' "a stranger does not"

run rbac
expect rbac "$out/rbac.out" '^2\. Role "Pet editors" grants pets:read pets:write\.$' "the role grants two scopes"
expect rbac "$out/rbac.out" '^4\. ada\.lovelace has roles \[Pet editors\] and scopes \[pets:read pets:write\]\.$' "the user has the role through the group"

if [ "$failures" -gt 0 ]; then
	echo "examples: $failures check(s) failed"
	exit 1
fi
echo "examples: all checks passed"
