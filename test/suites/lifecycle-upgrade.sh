#!/usr/bin/env bash
# ALTER EXTENSION booking UPDATE from 1.0 keeps every row for the life of a
# consultation: consultations and holds made under 1.0 get the new columns
# empty, and can then be listed, moved and cancelled; a hold made under 1.0
# is confirmed after the update as the plain booking it was.
set -euo pipefail
. test/ops/lib.sh

DB=ops_lifecycle_upgrade
D=$OPS_DAY
fresh_db $DB
q -d $DB -c 'SET client_min_messages = warning' -c "CREATE EXTENSION booking VERSION '1.0' CASCADE"

field() { q -d $DB -c "SELECT ($1)->>'$2'"; }

# under 1.0, with the library of 1.1
c1=$(q -d $DB -c "SELECT booking_confirm(booking_propose('dr-a', 'cl-1', 'conv-1', '$D 09:00')->>'token',
                                          'cl-1')->>'consultation_id'")
c2=$(q -d $DB -c "SELECT booking_confirm(booking_propose('dr-a', 'cl-1', 'conv-2', '$D 11:00')->>'token',
                                          'cl-1')->>'consultation_id'")
check_match "1.0: two consultations booked with the library of 1.1" "$c1 $c2" '^[0-9]+ [0-9]+$'
pending=$(field "booking_propose('dr-a', 'cl-2', 'conv-3', '$D 13:00', ttl => '1 hour')" token)
check "1.0: pending state as 1.0 gives it (no moves_consultation_id)" \
	"$(q -d $DB -c "SELECT booking_pending_state('conv-3', 'cl-2') ? 'moves_consultation_id'")" f

check "1.0: the fallback confirm works with the library of 1.1" \
	"$(q -d $DB -c "SELECT booking_confirm_latest('conv-5', 'cl-3')->>'status'
	                FROM (SELECT booking_propose('dr-b', 'cl-3', 'conv-5', '$D 10:00')) AS p")" confirmed

q -d $DB -c "ALTER EXTENSION booking UPDATE TO '1.1'"
check "updated to 1.1" "$(q -d $DB -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")" 1.1
check "the rows of 1.0 are kept, with the new columns empty" \
	"$(q -d $DB -c "SELECT count(*) FILTER (WHERE cancelled_at IS NULL AND cancel_reason IS NULL
	                                          AND moved_from IS NULL AND moved_to IS NULL)
	                FROM booking.consultations")|$(q -d $DB -c "SELECT count(*) FILTER (WHERE moves_consultation_id IS NULL)
	                FROM booking.pending_bookings")" "3|4"
check "the hold made under 1.0 is confirmed as a plain booking" \
	"$(q -d $DB -c "SELECT r->>'status', r ? 'moved_from_consultation_id' FROM booking_confirm('$pending', 'cl-2') r" | tr '|' ' ')" \
	"confirmed f"
check "a consultation of 1.0 is listed" \
	"$(q -d $DB -c "SELECT jsonb_array_length(booking_consultations('cl-1')->'consultations')")" 2
check "a consultation of 1.0 is moved" \
	"$(q -d $DB -c "SELECT booking_confirm_latest('conv-4', 'cl-1')->>'moved_from_consultation_id'
	                FROM (SELECT booking_propose_move($c1, 'cl-1', 'conv-4', '$D 15:00')) AS p")" "$c1"
check "a consultation of 1.0 is cancelled" \
	"$(field "booking_cancel_consultation($c2, 'cl-1')" changed)" true
check "the cancel reasons of 1.1 are accepted on the upgraded table" \
	"$(q -d $DB -c "SELECT string_agg(coalesce(cancel_reason, '-'), ' ' ORDER BY id) FROM booking.consultations")" \
	"rescheduled client - - -"
