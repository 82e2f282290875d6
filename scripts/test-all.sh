#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine, as root: installs what is
# missing, builds with -Wall -Wextra -Werror, installs the extension, starts a
# throwaway cluster, runs every suite against it, and stops it.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_root
install_deps
build_and_install || exit 1

TEST_DB=booking_regress
passed=0 failed=0 failed_names=""
suite() {
	local name=$1 t0=$SECONDS; shift
	log "suite: $name"
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failed_names="$failed_names $name"
		echo "suite $name FAILED"
	fi
	# what each suite costs, for keeping the whole run within CI's budget
	echo "suite $name took $((SECONDS - t0)) s"
}

regress() {
	make -s installcheck TEST_DB=$TEST_DB PG_CONFIG="$PG_BIN/pg_config" && return 0
	for f in regression.diffs output_iso/regression.diffs; do
		[ -f "$f" ] && cat "$f"
	done
	return 1
}

pgtap() {
	psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION IF NOT EXISTS pgtap' >/dev/null &&
		pg_prove --ext .sql -d "$TEST_DB" test/pgtap/
}

suite unit make -s unit WERROR=1
trap cluster_stop EXIT
cluster_start $TEST_DB || exit 1
suite regress regress
suite pgtap pgtap
# TEST_SUITES="a b" runs only those of test/suites/ (set and empty: none of
# them, only unit, regress and pgtap); unset, every one.
for t in test/suites/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	[ -n "${TEST_SUITES+set}" ] && [[ " $TEST_SUITES " != *" $name "* ]] && continue
	suite "$name" bash "$t"
done

log "suites${failed_names:+ failed:$failed_names}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
