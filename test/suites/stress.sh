#!/usr/bin/env bash
# Many clients at once on a few consultants and slots, first under READ
# COMMITTED, then under SERIALIZABLE with serialization failures retried;
# after each run the tables must show no double booking and must agree with
# what every caller was told.  See test/stress/lib.sh for the load.
#
# Runs against the cluster in PGHOST/PGPORT (as scripts/test-all.sh sets
# them), in databases of its own.  STRESS_SECONDS (default 60) sets the
# length of each run, STRESS_CLIENTS (default 32) the number of clients.
set -uo pipefail
cd "$(dirname "$0")/../.."
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
export PATH="$PG_BIN:$PATH"
. test/stress/lib.sh

work=$(mktemp -d /tmp/booking-stress.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Backends flush their statistics when they exit: wait for pgbench's.
wait_for_backends_gone() {
	local i
	for i in $(seq 1 100); do
		[ "$(sql -d "$1" -At -c "SELECT count(*) FROM pg_stat_activity
		      WHERE datname = current_database() AND pid <> pg_backend_pid()")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

db_stat() {
	sql -d "$1" -At -c "SELECT $2 FROM pg_stat_database WHERE datname = current_database()"
}

collision_check() {
	local db=$1 line
	line=$(sql -d "$db" -At -F ' ' -c "
		SELECT count(*) FILTER (WHERE outcome IN ('SLOT_HELD', 'SLOT_TAKEN')), count(*)
		FROM stress_outcomes WHERE call = 'propose'")
	set -- $line
	# a third at least: the calls of 1.1 in the mix leave fewer proposals
	# to the contended slots, but they must still meet each other often
	if [ "$2" -gt 0 ] && [ $((100 * $1 / $2)) -ge 33 ]; then
		pass "proposals collided: $1 of $2 met a held or booked slot"
	else
		fail "too few proposals collided ($1 of $2): the load does not contend"
	fi
}

# run_load NAME DB ISOLATION [pgbench options]
run_load() {
	local name=$1 db=$2 isolation=$3; shift 3
	local out="$work/$db.pgbench" status started elapsed

	echo
	echo "== $name: $STRESS_CLIENTS clients for $STRESS_SECONDS s, default_transaction_isolation = $isolation"
	if ! stress_createdb "$db" "$isolation" 2>"$work/$db.setup"; then
		cat "$work/$db.setup"
		fail "$name: could not set up database $db"
		return
	fi
	started=$SECONDS
	stress_load "$db" "$STRESS_SECONDS" "$out" "$@"
	status=$?
	elapsed=$((SECONDS - started))
	echo "pgbench ran for $elapsed s and exited with $status"
	sed -n '/^number of transactions actually processed/,/^tps/p' "$out"
	# the statistics read afterwards are complete only once they have exited
	if wait_for_backends_gone "$db"; then
		pass "$name: pgbench's backends exited, so their statistics are flushed"
	else
		fail "$name: pgbench's connections are still open: the statistics below may be incomplete"
	fi

	check_pgbench_clean "$out" "$status"
	print_outcomes "$db"
	run_checks "$db" "$STRESS_DIR/invariants.sql"
	run_checks "$db" "$STRESS_DIR/outcome_checks.sql"
	run_checks "$db" "$STRESS_DIR/calendar_checks.sql"
	run_topic_checks "$db"
	check_no_advisory_locks "$db"
	check_exercised "$db"
	collision_check "$db"
}

# The violations of the topics of 1.1, test/stress/corrupt_*.sql.
plant_topic_violations() {
	local f
	for f in "$STRESS_DIR"/corrupt_*.sql; do
		[ -e "$f" ] || continue
		sql -d "$1" -f "$f" || return 1
	done
}

# First the checks themselves: on data with one planted violation of each,
# every one of them must report it.
self_check() {
	local db=booking_stress_selfcheck rows name bad sample
	echo
	echo "== self-check: the invariant and outcome checks against planted violations"
	if ! { stress_createdb "$db" "read committed" &&
		sql -d "$db" -f "$STRESS_DIR/corrupt.sql" &&
		sql -d "$db" -f "$STRESS_DIR/calendar_corrupt.sql" &&
		plant_topic_violations "$db"; } >"$work/selfcheck.log" 2>&1; then
		cat "$work/selfcheck.log"
		fail "self-check: could not plant the violations"
		return
	fi
	rows=$(sql -d "$db" -At -F $'\t' -f "$STRESS_DIR/invariants.sql" &&
		sql -d "$db" -At -F $'\t' -f "$STRESS_DIR/outcome_checks.sql" &&
		sql -d "$db" -At -F $'\t' -f "$STRESS_DIR/calendar_checks.sql" &&
		for f in "$STRESS_DIR"/invariants_*.sql; do
			[ ! -e "$f" ] || sql -d "$db" -At -F $'\t' -f "$f" || exit 1
		done)
	while IFS=$'\t' read -r name bad sample; do
		if [ "${bad:-0}" -gt 0 ]; then
			pass "self-check: \"$name\" reports the planted violation ($sample)"
		else
			fail "self-check: \"$name\" does not see the planted violation"
		fi
	done <<<"$rows"
	dropdb --if-exists "$db"
}
self_check

# One client, one conversation, two consultants, two proposals at once (an
# app that sends a turn twice from two workers): the contract keeps one hold
# per conversation, so whichever commits last must supersede the other.
# Deterministic: the first proposal's transaction stays open while the second
# runs.
conversation_race() {
	local db=booking_stress_conversation first i second active
	echo
	echo "== two concurrent proposals in one conversation"
	if ! stress_createdb "$db" "read committed" >"$work/race.log" 2>&1; then
		cat "$work/race.log"
		fail "conversation race: could not set up database $db"
		return
	fi
	psql -X -q -At -d "$db" -c "BEGIN" \
		-c "SELECT booking_propose('c1', 'race-client', 'race-conversation', '2040-07-01 10:00Z') ->> 'ok'" \
		-c "SELECT pg_sleep(3)" -c "COMMIT" >"$work/race1.out" 2>&1 &
	first=$!
	for i in $(seq 1 100); do
		[ "$(sql -d "$db" -At -c "SELECT count(*) FROM pg_stat_activity
		      WHERE datname = current_database() AND wait_event = 'PgSleep'")" = 1 ] && break
		sleep 0.1
	done
	second=$(sql -d "$db" -At -c "SELECT booking_propose('c2', 'race-client', 'race-conversation',
	                                                     '2040-07-01 12:00Z') ->> 'ok'" 2>&1)
	wait "$first"
	active=$(sql -d "$db" -At -c "SELECT count(*) FROM booking.pending_bookings
	                              WHERE conversation_id = 'race-conversation' AND status = 'awaiting_confirm'")
	if [ "$(head -n 1 "$work/race1.out")" = true ] && [ "$second" = true ] && [ "$active" = 1 ]; then
		pass "two concurrent proposals in one conversation leave one active hold"
		dropdb --if-exists "$db"
	else
		fail "two concurrent proposals in one conversation leave $active active holds" \
			"(first: $(head -n 1 "$work/race1.out"), second: $second)"
	fi
}
conversation_race

# READ COMMITTED: the per-consultant lock serialises the calls, and no race
# may surface as an SQL error; a rolled back transaction would be one.
db_rc=booking_stress_rc
run_load "READ COMMITTED" "$db_rc" "read committed"
rollbacks=$(db_stat "$db_rc" xact_rollback)
if [ "$rollbacks" = 0 ]; then
	pass "READ COMMITTED: no transaction was rolled back, so no call raised an error"
else
	fail "READ COMMITTED: $rollbacks transaction(s) rolled back: some call raised an error"
fi

# SERIALIZABLE: a call may fail with 40001 (or 40P01); pgbench retries the
# script, and only the outcome of the try that commits is logged.
db_ser=booking_stress_serializable
run_load "SERIALIZABLE" "$db_ser" serializable --max-tries=1000 --failures-detailed
out="$work/$db_ser.pgbench"
retried=$(pgbench_value "$out" "number of transactions retried")
retries=$(pgbench_value "$out" "total number of retries")
serialization=$(pgbench_value "$out" "number of serialization failures")
deadlock_failures=$(pgbench_value "$out" "number of deadlock failures")
rollbacks=$(db_stat "$db_ser" xact_rollback)
deadlocks=$(db_stat "$db_ser" deadlocks)
echo "SERIALIZABLE: ${retried:-?} script runs retried, ${retries:-?} retries in all;" \
	"the server rolled back $rollbacks transactions, $deadlocks of them deadlocks (40P01)," \
	"the rest serialization failures (40001)"
if [ "${serialization:-x}" = 0 ] && [ "${deadlock_failures:-x}" = 0 ]; then
	pass "SERIALIZABLE: every serialization or deadlock failure succeeded when retried"
else
	fail "SERIALIZABLE: ${serialization:-?} serialization and ${deadlock_failures:-?} deadlock failures were never overcome"
fi

if [ "$failed" -eq 0 ]; then
	dropdb --if-exists "$db_rc"
	dropdb --if-exists "$db_ser"
fi
summary
