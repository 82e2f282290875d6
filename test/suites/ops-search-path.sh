#!/usr/bin/env bash
# A hostile search_path changes nothing the functions do.  test/ops/flow.sql
# runs the whole API under the normal search_path, then under
# `evil, pg_catalog, public` where test/ops/evil-schema.sql shadows =, <, <=,
# >, &&, tstzrange() and now(): once with comparisons that are always true,
# once always false, and once in a session whose kept plans were first
# prepared under the normal search_path (the plan cache analyses them again
# when search_path changes).  Results and the rows left behind must be the
# same.
set -euo pipefail
. test/ops/lib.sh

NORMAL='"$user", public'
EVIL='evil, pg_catalog, public'
YESTERDAY=$(date -u -d '-1 day' +%F)
tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"

flow_vars=(-v day="$OPS_DAY" -v yesterday="$YESTERDAY")

# Tokens are random and expiry times follow the clock: mask them.
mask() {
	sed -E -e 's/bk_[A-Za-z0-9_-]{22}/<token>/g' \
		-e 's/"expires_at": "[^"]*"/"expires_at": "<time>"/g' \
		-e 's/"expires_in_seconds": [0-9]+/"expires_in_seconds": <n>/g' \
		-e 's/expires at [0-9T:.Z-]+, in [0-9]+ seconds/expires at <time>, in <n> seconds/g'
}

# The rows the flow left, with times the clock decides reduced to facts.
state() {
	q -d "$1" -F ' | ' -c "SET TimeZone = 'UTC'" -c "
	SELECT consultant_id, client_id, conversation_id, start_at, end_at, status, cancel_reason,
	       expires_at - created_at AS ttl, created_at > now() - interval '30 minutes' AS recent,
	       resolved_at > now() - interval '30 minutes' AS resolved_recently, consultation_id
	FROM booking.pending_bookings ORDER BY consultant_id, start_at, client_id" -c "
	SELECT id, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status,
	       token IS NOT NULL, created_at > now() - interval '30 minutes'
	FROM booking.consultations ORDER BY id"
}

run_fresh() { # DB PATH: the flow in a new session
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" "${flow_vars[@]}" -v p= -v path="$2" \
		-f test/ops/flow.sql | mask >"$tmp/$1.out"
	state "$1" >"$tmp/$1.state"
}

run_warmed() { # DB PATH: the flow once under the normal search_path, its rows
	# removed, then again under PATH in the same session
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" "${flow_vars[@]}" <<-SQL | mask >"$tmp/$1.out"
	\\set p warm-
	\\set path '$NORMAL'
	\\o /dev/null
	\\i test/ops/flow.sql
	\\o
	DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'warm-%';
	DELETE FROM booking.consultations WHERE consultant_id LIKE 'warm-%';
	SELECT setval('booking.consultations_id_seq', 1, false) \\g /dev/null
	\\set p ''
	\\set path '$EVIL'
	\\i test/ops/flow.sql
	SQL
	state "$1" >"$tmp/$1.state"
}

evil_db() { # DB VERDICT
	with_booking "$1"
	q -d "$1" -v verdict="$2" -f test/ops/evil-schema.sql
	# the shadowing works: plain SQL under that search_path is fooled
	check "$1: under the evil search_path, = and now() are the evil ones" \
		"$(q -d "$1" -c "SET search_path = $EVIL" -c "SET TimeZone = 'UTC'" \
		    -c "SELECT ('a'::text = 'b'::text)::text || ' ' || ('a'::text = 'a'::text)::text
		               || ' ' || now()::text")" \
		"$2 $2 2000-01-01 00:00:00+00"
}

with_booking ops_path_plain
run_fresh ops_path_plain "$NORMAL"
evil_db ops_path_true true
run_fresh ops_path_true "$EVIL"
evil_db ops_path_false false
run_fresh ops_path_false "$EVIL"
evil_db ops_path_warm true
run_warmed ops_path_warm
# what the flow above would catch: a kept plan with an unqualified operator,
# prepared under the normal search_path, changes meaning under the evil one
check "ops_path_warm: an unqualified prepared statement is fooled after SET search_path" \
	"$(q -d ops_path_warm -c "PREPARE probe(text) AS
	        SELECT count(*) FROM booking.pending_bookings WHERE consultant_id = \$1" \
	    -c "EXECUTE probe('nobody')" -c "SET search_path = $EVIL" -c "EXECUTE probe('nobody')" |
	  tr '\n' ' ')" \
	"0 $(q -d ops_path_warm -c 'SELECT count(*) FROM booking.pending_bookings') "

# The baseline itself must be right, or equal results would prove little.
expect_line() { # LABEL REGEX...: the result line matches every REGEX
	local label=$1 line re
	shift
	line=$(grep -m 1 "^$label [{0-9C]" "$tmp/ops_path_plain.out" || true)
	for re in "$@"; do
		[[ $line =~ $re ]] || { fail "normal search_path: $label: got '$line', expected /$re/"; return; }
	done
	pass "normal search_path: $label"
}
expect_line "propose" '"ok": true' '"status": "awaiting_confirm"'
expect_line "same slot, other client" '"error": "SLOT_HELD"'
expect_line "overlapping slot, other client" '"error": "SLOT_HELD"'
expect_line "next slot, other client" '"ok": true'
expect_line "same time, other consultant" '"ok": true'
expect_line "retry" '"reused": true'
expect_line "yesterday" '"error": "IN_PAST"'
expect_line "the slot of a stale hold" '"ok": true'
expect_line "pending state" '"has_pending_booking": true'
expect_line "pending state, other client" '"has_pending_booking": false'
expect_line "classifier context" '^classifier context Context: hasPendingBooking=true'
expect_line "confirm, other client" '"error": "NOT_FOUND"'
expect_line "confirm" '"consultation_id": 1,' '"status": "confirmed"'
expect_line "confirm again" '"already_confirmed": true'
expect_line "overlapping a booked slot" '"error": "SLOT_TAKEN"'
expect_line "supersede" '"superseded_token": "<token>"'
expect_line "confirm_latest, other client" '"error": "NOT_FOUND"'
expect_line "confirm_latest" '"consultation_id": 2,' '"status": "confirmed"'
expect_line "cancel" '"changed": true' '"status": "cancelled"' '"cancel_reason": "client"'
expect_line "cancel again" '"changed": false' '"status": "cancelled"'
expect_line "cancel a confirmed hold" '"error": "NOT_PENDING"'
expect_line "confirm a stale hold" '"error": "EXPIRED"'
expect_line "sweep" '^sweep 1$'
expect_line "confirm a swept hold" '"error": "EXPIRED"'
check "normal search_path: 27 results, the classifier's on two lines" "$(wc -l <"$tmp/ops_path_plain.out")" 28

for db in ops_path_true ops_path_false ops_path_warm; do
	for what in out state; do
		if d=$(diff "$tmp/ops_path_plain.$what" "$tmp/$db.$what"); then
			pass "$db: the same ${what/out/results} as under the normal search_path"
		else
			fail "$db: ${what/out/results} differ from the normal search_path:"$'\n'"$d"
		fi
	done
done
