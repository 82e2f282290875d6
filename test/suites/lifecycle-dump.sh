#!/usr/bin/env bash
# pg_dump and pg_restore keep the life of the consultations: moved and
# cancelled consultations with their links and reasons, a move's hold still
# pending, the walls of 1.1 (a consultation is moved once), and the API goes
# on moving and cancelling on the restored data.
set -euo pipefail
. test/ops/lib.sh

SRC=ops_lifecycle_dump_src
DST=ops_lifecycle_dump_dst
D=$OPS_DAY
with_booking $SRC

field() { q -d "$1" -c "SELECT ($2)->>'$3'"; }
book() { # db consultant client conversation HH:MM: the consultation id
	q -d "$1" -c "SELECT booking_confirm_latest('$4', '$3')->>'consultation_id'
	              FROM (SELECT booking_propose('$2', '$3', '$4', '$D $5')) AS p"
}

moved=$(book $SRC dr-a cl-1 conv-1 09:00)
kept=$(book $SRC dr-a cl-1 conv-2 11:00)
gone=$(book $SRC dr-a cl-1 conv-3 13:00)
check "a move in the source" \
	"$(q -d $SRC -c "SELECT booking_confirm_latest('conv-1', 'cl-1')->>'moved_from_consultation_id'
	                 FROM (SELECT booking_propose_move($moved, 'cl-1', 'conv-1', '$D 15:00')) AS p")" \
	"$moved"
check "a cancel in the source" "$(field $SRC "booking_cancel_consultation($gone, 'cl-1')" changed)" true
check "a move's hold pending in the source" \
	"$(field $SRC "booking_propose_move($kept, 'cl-1', 'conv-2', '$D 16:00', ttl => '1 hour')" status)" awaiting_confirm
q -d $SRC -c "SELECT booking_propose_move($kept, 'cl-1', 'conv-4', '$D 17:00')" >/dev/null
check "a cancelled move's hold in the source" \
	"$(q -d $SRC -c "SELECT booking_cancel(token, 'cl-1')->>'status' FROM booking.pending_bookings
	                 WHERE conversation_id = 'conv-4'")" cancelled

digest() {
	q -d "$1" -c "SET TimeZone = 'UTC'" -c "SET DateStyle = 'ISO'" \
	  -c "SELECT count(*) || ' ' || md5(string_agg(p::text, E'\n' ORDER BY token))
	      FROM booking.pending_bookings p" \
	  -c "SELECT count(*) || ' ' || md5(string_agg(c::text, E'\n' ORDER BY id))
	      FROM booking.consultations c"
}
links() {
	q -d "$1" -c "SELECT string_agg(concat_ws(':', status, cancel_reason, moved_from IS NOT NULL,
	                                           moved_to IS NOT NULL, cancelled_at IS NOT NULL), ' ' ORDER BY id)
	              FROM booking.consultations"
}
check "the source's consultations: moved, kept, cancelled, and the new one" "$(links $SRC)" \
	"cancelled:rescheduled:f:t:t booked:f:f:f cancelled:client:f:f:t booked:t:f:f"

dump=$(mktemp /tmp/ops-lifecycle-dump.XXXXXX)
on_exit "rm -f '$dump'"
pg_dump -Fc -d $SRC -f "$dump"
fresh_db $DST
if err=$(pg_restore --exit-on-error -d $DST "$dump" 2>&1) && [ -z "$err" ]; then
	pass "pg_restore into a new database, without errors or warnings"
else
	fail "pg_restore: $err"
fi
check "the same rows, new columns included, byte for byte" "$(digest $DST)" "$(digest $SRC)"
check "the same links and reasons" "$(links $DST)" "$(links $SRC)"
expect_sqlstate "the restored database still refuses a second move of one consultation" 23505 \
	"INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, moved_from)
	 VALUES ('dr-z', 'x', '$D 10:00', '$D 11:00', $moved)" -d $DST
expect_sqlstate "and a cancel reason outside the contract" 23514 \
	"UPDATE booking.consultations SET cancel_reason = 'bogus' WHERE id = $gone" -d $DST

# --- the API goes on, on the restored data ---------------------------------
check "the pending move is still pending" \
	"$(field $DST "booking_pending_state('conv-2', 'cl-1')" moves_consultation_id)" "$kept"
new=$(field $DST "booking_confirm_latest('conv-2', 'cl-1')" consultation_id)
check "it is confirmed there, numbered after every restored consultation" \
	"$(q -d $DST -c "SELECT $new > max(id) FILTER (WHERE id <> $new) FROM booking.consultations")" t
check "the old one is rescheduled, pointing at it" \
	"$(q -d $DST -c "SELECT status || ':' || cancel_reason || ':' || (moved_to = $new) FROM booking.consultations WHERE id = $kept")" \
	"cancelled:rescheduled:true"
check "a moved consultation cannot move again" \
	"$(field $DST "booking_propose_move($moved, 'cl-1', 'conv-5', '$D 18:00')" error)" NOT_PENDING
check "the list shows the two booked ones" \
	"$(q -d $DST -c "SELECT jsonb_array_length(booking_consultations('cl-1')->'consultations')")" 2
