# Shared by test/suites/stress.sh and test/suites/crash.sh: the load, and the
# checks that follow it.  Source it from the repository root with PGHOST,
# PGPORT and PGUSER set; it defines functions and counters and runs nothing.

STRESS_DIR=test/stress
STRESS_CLIENTS=${STRESS_CLIENTS:-32}
STRESS_SECONDS=${STRESS_SECONDS:-60}
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# check DESCRIPTION COMMAND...: PASS if the command succeeds.
check() {
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# The psql every helper uses: no psqlrc, stop at the first error.
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# stress_createdb DB ISOLATION: a fresh database set up for the load.
stress_createdb() {
	local db=$1 isolation=$2
	dropdb --if-exists "$db" && createdb "$db" &&
		sql -d "$db" -v isolation="$isolation" -f "$STRESS_DIR/setup.sql" >/dev/null &&
		sql -d "$db" -f "$STRESS_DIR/calendar_setup.sql" >/dev/null
}

# stress_load DB SECONDS OUTFILE [pgbench options...]: the mixed load, every
# script hitting 4 consultants and 6 start times of the current day.  Returns
# pgbench's status; its report is in OUTFILE.
stress_load() {
	local db=$1 seconds=$2 out=$3; shift 3
	local threads=2
	[ "$STRESS_CLIENTS" -lt 2 ] && threads=1
	pgbench -n -c "$STRESS_CLIENTS" -j "$threads" -T "$seconds" -P 10 \
		-D nclients="$STRESS_CLIENTS" \
		-f "$STRESS_DIR/propose_confirm.sql@30" \
		-f "$STRESS_DIR/confirm_latest.sql@12" \
		-f "$STRESS_DIR/cancel.sql@10" \
		-f "$STRESS_DIR/switch.sql@10" \
		-f "$STRESS_DIR/tiny_ttl.sql@8" \
		-f "$STRESS_DIR/duplicate.sql@15" \
		-f "$STRESS_DIR/parked.sql@5" \
		-f "$STRESS_DIR/sweep.sql@5" \
		-f "$STRESS_DIR/calendar.sql@10" \
		$(topic_load_scripts) \
		"$@" "$db" >"$out" 2>&1
}

# The load scripts of the topics of 1.1, test/stress/load_*.sql, each
# weighted by its first line, "-- weight: N".
topic_load_scripts() {
	local f weight
	for f in "$STRESS_DIR"/load_*.sql; do
		[ -e "$f" ] || continue
		weight=$(sed -n '1s/^-- weight: \([0-9][0-9]*\).*/\1/p' "$f")
		printf -- '-f %s@%s ' "$f" "${weight:-5}"
	done
}

# run_topic_checks DB: the invariants of the topics of 1.1,
# test/stress/invariants_*.sql, in the shape of invariants.sql.
run_topic_checks() {
	local f
	for f in "$STRESS_DIR"/invariants_*.sql; do
		[ -e "$f" ] && run_checks "$1" "$f"
	done
}

# pgbench_value OUTFILE LABEL: the number after "LABEL: " in the report's
# summary (the first such line: the totals come before the per-script ones).
pgbench_value() {
	sed -n "s/^$2: \([0-9][0-9]*\).*/\1/p" "$1" | head -n 1
}

# check_pgbench_clean OUTFILE STATUS: the run completed, no client aborted,
# no transaction failed.
check_pgbench_clean() {
	local out=$1 status=$2 processed failures
	processed=$(pgbench_value "$out" "number of transactions actually processed")
	failures=$(pgbench_value "$out" "number of failed transactions")
	if [ "$status" -eq 0 ] && ! grep -q 'aborted' "$out" &&
		[ "${processed:-0}" -gt 0 ] && [ "${failures:-x}" = 0 ]; then
		pass "pgbench: $processed script runs, 0 failed, no client aborted"
	else
		fail "pgbench: status $status, ${processed:-?} script runs, ${failures:-?} failed transactions"
		grep -E 'error|abort|ERROR' "$out" | sed 's/client [0-9]*/client N/' |
			sort | uniq -c | sort -rn | head -n 20
	fi
}

# run_checks DB SQLFILE: each row of the file's result is one check:
# description, violations, a sample violation.
run_checks() {
	local db=$1 file=$2 rows name bad sample
	if ! rows=$(sql -d "$db" -At -F $'\t' -f "$file"); then
		fail "$file could not be run against $db"
		return
	fi
	while IFS=$'\t' read -r name bad sample; do
		if [ "$bad" = 0 ]; then
			pass "$name"
		else
			fail "$name: $bad violation(s), e.g. $sample"
		fi
	done <<<"$rows"
}

# print_outcomes DB: how many calls ended in each outcome.
print_outcomes() {
	echo "outcomes of the calls, by function and result:"
	sql -d "$1" -c "SELECT call, outcome, count(*) AS calls, sum(n) FILTER (WHERE call = 'expire_holds') AS holds_expired
	                FROM stress_outcomes GROUP BY call, outcome ORDER BY call, count(*) DESC"
}

# check_no_advisory_locks DB: nothing keeps a consultant locked once the
# load has stopped.
check_no_advisory_locks() {
	local n
	n=$(sql -d "$1" -At -c "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
	                        WHERE l.locktype = 'advisory' AND d.datname = '$1'")
	if [ "$n" = 0 ]; then
		pass "no advisory lock is left in pg_locks"
	else
		fail "$n advisory lock(s) left in pg_locks"
	fi
}

# check_outcome_seen DB CALL OUTCOME: the load really exercised a path.
check_outcome_seen() {
	local n
	n=$(sql -d "$1" -At -c "SELECT count(*) FROM stress_outcomes WHERE call = '$2' AND outcome = '$3'")
	if [ "${n:-0}" -gt 0 ]; then
		pass "the load produced $2 -> $3 ($n times)"
	else
		fail "the load never produced $2 -> $3: it did not test that path"
	fi
}

# check_collisions DB: most calls collided, which is the point of the load.
check_exercised() {
	local db=$1
	check_outcome_seen "$db" propose ok
	check_outcome_seen "$db" propose SLOT_HELD
	check_outcome_seen "$db" propose SLOT_TAKEN
	check_outcome_seen "$db" propose ok:superseded
	check_outcome_seen "$db" propose_retry ok:reused
	check_outcome_seen "$db" confirm ok
	check_outcome_seen "$db" confirm_retry ok:already_confirmed
	check_outcome_seen "$db" confirm_duplicate ok:already_confirmed
	check_outcome_seen "$db" confirm_tiny_ttl EXPIRED
	check_outcome_seen "$db" confirm_latest ok
	check_outcome_seen "$db" cancel ok:cancelled
	check_outcome_seen "$db" confirm_superseded NOT_PENDING
	# and what the load scripts of the topics of 1.1 must have produced:
	# test/stress/exercised_*.txt, one "call outcome" a line
	local f call outcome
	for f in "$STRESS_DIR"/exercised_*.txt; do
		[ -e "$f" ] || continue
		while read -r call outcome; do
			[ -n "$call" ] && check_outcome_seen "$db" "$call" "$outcome"
		done <"$f"
	done
}
