#!/usr/bin/env bash
# The TypeScript client in clients/node: installs node and npm where missing,
# `npm ci` from the committed lockfile, type-checks (tsc --noEmit, strict),
# lints (eslint with typescript-eslint), builds, runs its tests with node's
# own runner against a database of this suite's own with the real extension,
# then runs the example conversation, which checks its own end state.
# Tests of a 1.1 function that is not in this build are skipped and counted
# here in a line of their own; nothing else is ever skipped.
set -euo pipefail
. test/ops/lib.sh
. scripts/lib.sh

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if ! command -v npm >/dev/null || [ "$(node_major)" -lt 18 ]; then
	install_packages nodejs npm
fi
check "node 18 or later" "$([ "$(node_major)" -ge 18 ] && echo yes)" yes

DB=client_node
# the pg_cron test runs in the database pg_cron serves; here it must not be skipped
export BOOKING_REQUIRE_CRON=1
with_booking $DB
export PGDATABASE=$DB

cd clients/node
step() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
step "npm ci from package-lock.json" npm ci --no-audit --no-fund --loglevel=error
step "tsc --noEmit (strict)" npx --no-install tsc --noEmit -p tsconfig.json
step "eslint" npx --no-install eslint --max-warnings=0 .
step "build of the package (dist/)" npm run --silent build
step "the package's entry point and types exist" test -f dist/index.js -a -f dist/index.d.ts
step "build of the tests and the example" npx --no-install tsc -p tsconfig.json

out=$(mktemp)
on_exit "rm -f $out"
if node --test --test-reporter=tap build/test/*.test.js >"$out" 2>&1; then
	pass "node --test"
else
	cat "$out"
	fail "node --test"
fi
grep -E '^# (tests|pass|fail|skipped) ' "$out" | sed 's/^# /node --test: /'
skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$out")
if [ "${skipped:-0}" -gt 0 ]; then
	echo "SKIPPED: $skipped client test(s), because these SQL functions are not in this build:"
	grep -o 'SQL function [a-z_]* does not exist' "$out" | sort -u | sed 's/^/  /'
fi

set +e
node build/examples/chat.js
rc=$?
set -e
case $rc in
	0) pass "the example conversation went as scripted" ;;
	3) echo "SKIPPED: the example conversation: this build lacks booking 1.1's functions (see above)" ;;
	*) fail "the example conversation (exit status $rc)" ;;
esac
