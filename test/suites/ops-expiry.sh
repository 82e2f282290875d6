#!/usr/bin/env bash
# booking_expire_holds: stale holds become expired in batches, live and
# resolved ones are left alone, rows another session has locked are skipped
# without waiting, two sweeps at once share the work, bad batch sizes raise.
set -euo pipefail
. test/ops/lib.sh

DB=ops_expiry
with_booking $DB

count() { q -d $DB -c "SELECT count(*) FROM booking.pending_bookings WHERE $1"; }

# --- batches -------------------------------------------------------------
insert_holds $DB batch 2500 '-10 minutes'
insert_holds $DB live 7 '1 hour'
# resolved holds whose time is up too: the sweep must not rewrite them
q -d $DB <<'SQL'
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, status,
     created_at, expires_at, resolved_at, cancel_reason, consultation_id)
VALUES
 ('done-1', 'done-a', 'x', 'x', now() + interval '1 day', now() + interval '25 hours',
  'confirmed', '2020-01-01', '2020-01-01 00:10', '2020-01-01 00:05', NULL, 1),
 ('done-2', 'done-b', 'x', 'x', now() + interval '1 day', now() + interval '25 hours',
  'cancelled', '2020-01-01', '2020-01-01 00:10', '2020-01-01 00:05', 'client', NULL),
 ('done-3', 'done-c', 'x', 'x', now() + interval '1 day', now() + interval '25 hours',
  'expired', '2020-01-01', '2020-01-01 00:10', '2020-01-01 00:10', NULL, NULL);
SQL

# one transaction, so that now() is the sweep's own time
out=$(q -d $DB -F ' ' <<'SQL'
BEGIN;
SELECT booking_expire_holds(1000);
SELECT count(*) FILTER (WHERE status = 'expired' AND resolved_at = now()
                        AND cancel_reason IS NULL AND consultation_id IS NULL),
       count(*)
FROM booking.pending_bookings WHERE token LIKE 'batch-%';
COMMIT;
SQL
)
check "2500 stale holds, batch_size 1000: returns 2500" "$(sed -n 1p <<<"$out")" 2500
check "all 2500 are expired with resolved_at = the sweep's time" "$(sed -n 2p <<<"$out")" "2500 2500"
check "live holds stay awaiting_confirm, resolved_at unset" \
	"$(count "token LIKE 'live-%' AND status = 'awaiting_confirm' AND resolved_at IS NULL")" 7
check "resolved holds are not rewritten" \
	"$(q -d $DB -c "SELECT string_agg(status || ' ' || resolved_at::text, ', ' ORDER BY token)
	                FROM booking.pending_bookings WHERE token LIKE 'done-%'")" \
	"confirmed 2020-01-01 00:05:00+00, cancelled 2020-01-01 00:05:00+00, expired 2020-01-01 00:10:00+00"
check "a second sweep finds nothing" "$(q -d $DB -c 'SELECT booking_expire_holds(1000)')" 0

# a last batch that comes back exactly full must not end the loop early,
# nor a batch of one
insert_holds $DB exact 2000 '-1 minute'
check "2000 stale holds, batch_size 1000: returns 2000" "$(q -d $DB -c 'SELECT booking_expire_holds(1000)')" 2000
insert_holds $DB single 3 '-1 second'
check "3 stale holds, batch_size 1: returns 3" "$(q -d $DB -c 'SELECT booking_expire_holds(1)')" 3
insert_holds $DB default 5 '-1 minute'
check "the default batch_size works" "$(q -d $DB -c 'SELECT booking_expire_holds()')" 5
check "no stale hold is left" "$(count "status = 'awaiting_confirm' AND expires_at <= now()")" 0

# --- rows another session has locked are skipped, not waited for ---------
# locked_sweep WHAT TOKEN SQL: SQL, run in a transaction left open in the
# background, locks the stale hold TOKEN; a sweep must pass it by at once.
locked_sweep() {
	local what=$1 token=$2 sql=$3 started elapsed_ms got
	insert_holds $DB "free-$token" 1 '-1 minute'
	PGAPPNAME=ops_locker psql -X -q -d $DB -c 'BEGIN' -c "$sql" \
		-c 'SELECT pg_sleep(120)' -c 'COMMIT' >/dev/null 2>&1 &
	locker=$!
	for _ in $(seq 100); do
		[ "$(q -d $DB -c "SELECT count(*) FROM pg_stat_activity
		                  WHERE application_name = 'ops_locker' AND wait_event = 'PgSleep'")" = 1 ] && break
		sleep 0.1
	done
	check "$what: the other session holds a row lock" \
		"$(q -d $DB -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
		                WHERE a.application_name = 'ops_locker' AND l.locktype = 'transactionid'")" 1

	# If the sweep waited for the lock, statement_timeout would cancel it.
	started=$(date +%s%N)
	got=$(q -d $DB -c "SET statement_timeout = '5s'" -c 'SELECT booking_expire_holds(10)' 2>&1) || true
	elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
	check "$what: the sweep expires only the other stale hold" "$got" 1
	if [ "$elapsed_ms" -lt 4000 ]; then pass "$what: the sweep returned in ${elapsed_ms} ms"
	else fail "$what: the sweep took ${elapsed_ms} ms: it waited for the lock"; fi
	check "$what: the locked hold is not counted by the sweep" \
		"$(count "token = '$token' AND status = 'awaiting_confirm' AND resolved_at IS NULL")" 1
	terminate_locker
	check "$what: once the lock is gone the next sweep takes it" \
		"$(q -d $DB -c 'SELECT booking_expire_holds(10)')" 1
}
locker=""
terminate_locker() {
	[ -n "$locker" ] || return 0
	q -d $DB -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	             WHERE application_name = 'ops_locker'" >/dev/null
	wait "$locker" 2>/dev/null || true
	locker=""
}
on_exit terminate_locker

insert_holds $DB locked 1 '-1 minute'
locked_sweep "SELECT ... FOR UPDATE" locked-1 \
	"SELECT 1 FROM booking.pending_bookings WHERE token = 'locked-1' FOR UPDATE"

# A confirm that finds its hold stale marks it expired: until that confirm
# commits (here: never, it is rolled back) the row is its own.
stale=$(q -d $DB -c "SELECT booking_propose('confirming', 'cl', 'conv', '$OPS_DAY 10:00')->>'token'")
q -d $DB -c "UPDATE booking.pending_bookings SET created_at = created_at - interval '1 hour',
             expires_at = expires_at - interval '1 hour' WHERE token = '$stale'"
locked_sweep "a running confirm" "$stale" "SELECT booking_confirm('$stale', 'cl')"

# --- two sweeps at once --------------------------------------------------
# Both wait on an advisory lock that a gate session holds, so that they
# start together when it goes.
insert_holds $DB pair 6000 '-5 minutes'
PGAPPNAME=ops_gate psql -X -q -d $DB -c 'SELECT pg_advisory_lock(4242)' \
	-c 'SELECT pg_sleep(120)' >/dev/null 2>&1 &
gate=$!
open_gate() {
	q -d $DB -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	             WHERE application_name = 'ops_gate'" >/dev/null
	wait "$gate" 2>/dev/null || true
}
on_exit open_gate
for _ in $(seq 100); do
	[ "$(q -d $DB -c "SELECT count(*) FROM pg_stat_activity
	                  WHERE application_name = 'ops_gate' AND wait_event = 'PgSleep'")" = 1 ] && break
	sleep 0.1
done
tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"
for w in 1 2; do
	psql -X -A -t -q -v ON_ERROR_STOP=1 -d $DB -c 'SELECT pg_advisory_lock_shared(4242)' \
		-c 'SELECT booking_expire_holds(100)' >"$tmp/out$w" 2>"$tmp/err$w" &
	eval "worker$w=\$!"
done
for _ in $(seq 100); do
	[ "$(q -d $DB -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
	                  AND objid = 4242 AND NOT granted")" = 2 ] && break
	sleep 0.1
done
open_gate
rc1=0 rc2=0
wait "$worker1" || rc1=$?
wait "$worker2" || rc2=$?
n1=$(tail -n 1 "$tmp/out1") n2=$(tail -n 1 "$tmp/out2")
check "both concurrent sweeps succeed without errors" "$rc1 $rc2 $(cat "$tmp/err1" "$tmp/err2")" "0 0 "
check "their returns add up to the 6000 stale holds ($n1 + $n2)" "$(( ${n1:-0} + ${n2:-0} ))" 6000
check "all 6000 are expired" "$(count "token LIKE 'pair-%' AND status = 'expired' AND resolved_at IS NOT NULL")" 6000

# --- bad batch sizes -------------------------------------------------------
expect_sqlstate "batch_size NULL raises 22004" 22004 'SELECT booking_expire_holds(NULL)' -d $DB
expect_sqlstate "batch_size 0 raises 22023" 22023 'SELECT booking_expire_holds(0)' -d $DB
expect_sqlstate "batch_size -1 raises 22023" 22023 'SELECT booking_expire_holds(-1)' -d $DB
