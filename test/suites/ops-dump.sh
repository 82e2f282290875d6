#!/usr/bin/env bash
# pg_dump -Fc and pg_restore of a database with holds of every status and
# consultations: every row comes back, the slot walls are in force, the
# identity sequence goes on where it stopped, and the API works on the
# restored data.
set -euo pipefail
. test/ops/lib.sh

SRC=ops_dump_src
DST=ops_dump_dst
D=$OPS_DAY
with_booking $SRC

# propose DB CONSULTANT CLIENT CONVERSATION HH:MM [extra args]: the token
propose() {
	q -d "$1" -c "SELECT booking_propose('$2', '$3', '$4', '$D $5' ${6:-})->>'token'"
}
field() { q -d "$1" -c "SELECT ($2)->>'$3'"; }

await=$(propose $SRC dr-a cl-1 conv-1 09:00 ", ttl => '1 hour'")
for spec in "dr-a cl-2 conv-2 10:00" "dr-a cl-3 conv-3 11:00" "dr-b cl-4 conv-4 10:00"; do
	set -- $spec
	t=$(propose $SRC "$1" "$2" "$3" "$4")
	check "confirm $1 $4 in the source" "$(field $SRC "booking_confirm('$t', '$2')" status)" confirmed
done
confirmed=$t
t=$(propose $SRC dr-b cl-5 conv-5 12:00)
check "cancel in the source" "$(field $SRC "booking_cancel('$t', 'cl-5')" status)" cancelled
propose $SRC dr-b cl-6 conv-6 13:00 >/dev/null
check "supersede in the source" \
	"$(field $SRC "booking_propose('dr-b', 'cl-6', 'conv-6', '$D 14:00')" status)" awaiting_confirm
propose $SRC dr-a cl-7 conv-7 15:00 ", ttl => '1 second'" >/dev/null
sleep 1.2
check "expire in the source" "$(q -d $SRC -c 'SELECT booking_expire_holds()')" 1
# a consultation written around the API takes the slot of a hold
t=$(propose $SRC dr-c cl-8 conv-8 10:00)
q -d $SRC -c "INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
              VALUES ('dr-c', 'walk-in', '$D 10:00 Europe/Rome', '$D 11:00 Europe/Rome')"
check "slot_taken in the source" "$(field $SRC "booking_confirm('$t', 'cl-8')" error)" SLOT_TAKEN
q -d $SRC -c "UPDATE booking.consultations SET status = 'cancelled'
              WHERE consultant_id = 'dr-b' AND client_id = 'cl-4'"
# an id used by a rolled-back transaction is not given out again
q -d $SRC -c 'BEGIN' -c "INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
              VALUES ('dr-z', 'z', '$D 10:00', '$D 11:00')" -c 'ROLLBACK'

# what is compared between the two databases
by_status() {
	q -d "$1" -c "SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (
	    SELECT status || coalesce('/' || cancel_reason, '') AS status, count(*) AS n
	    FROM booking.pending_bookings GROUP BY 1) s" \
	  -c "SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM (
	    SELECT status, count(*) AS n FROM booking.consultations GROUP BY 1) s"
}
digest() {
	q -d "$1" -c "SET TimeZone = 'UTC'" -c "SET DateStyle = 'ISO'" \
	  -c "SELECT count(*) || ' ' || md5(string_agg(p::text, E'\n' ORDER BY token))
	      FROM booking.pending_bookings p" \
	  -c "SELECT count(*) || ' ' || md5(string_agg(c::text, E'\n' ORDER BY id))
	      FROM booking.consultations c"
}
walls() {
	q -d "$1" -c "
	SELECT string_agg(x, E'\n' ORDER BY x) FROM (
	    SELECT 'index ' || pg_get_indexdef(indexrelid)
	           || CASE WHEN indisvalid AND indisready THEN '' ELSE ' NOT VALID' END AS x
	    FROM pg_index WHERE indrelid IN ('booking.pending_bookings'::regclass,
	                                     'booking.consultations'::regclass)
	    UNION ALL
	    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
	    FROM pg_constraint WHERE conrelid IN ('booking.pending_bookings'::regclass,
	                                          'booking.consultations'::regclass)) s"
}
sequence() { q -d "$1" -F ' ' -c 'SELECT last_value, is_called FROM booking.consultations_id_seq'; }

check "the source has holds of every status and cancel reason, and both kinds of consultation" \
	"$(by_status $SRC | tr '\n' '|')" \
	"awaiting_confirm=2 cancelled/client=1 cancelled/slot_taken=1 cancelled/superseded=1 confirmed=3 expired=1|booked=3 cancelled=1|"

dump=$(mktemp /tmp/ops-dump.XXXXXX)
on_exit "rm -f '$dump'"
pg_dump -Fc -d $SRC -f "$dump"
fresh_db $DST
if err=$(pg_restore --exit-on-error -d $DST "$dump" 2>&1) && [ -z "$err" ]; then
	pass "pg_restore into a new database, without errors or warnings"
else
	fail "pg_restore: $err"
fi

check "the extension is restored at the same version" \
	"$(q -d $DST -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")" \
	"$(q -d $SRC -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")"
check "the same rows by status" "$(by_status $DST)" "$(by_status $SRC)"
check "the same rows, byte for byte (count and md5 over ordered rows)" "$(digest $DST)" "$(digest $SRC)"
src_walls=$(walls $SRC)
check "the source has the slot walls" \
	"$(grep -c -E 'pending_bookings_active_slot|consultations_booked_slot|EXCLUDE USING gist' <<<"$src_walls")" 4
check "the same indexes and constraints, all valid" "$(walls $DST)" "$src_walls"
check "the identity sequence is where it stopped" "$(sequence $DST)" "$(sequence $SRC)"

# --- the walls are in force in the restored database -------------------------
hold_sql() { # consultant start end [token]
	echo "INSERT INTO booking.pending_bookings (token, consultant_id, client_id, conversation_id,
	      start_at, end_at, expires_at) VALUES ('${4:-bk_direct}', '$1', 'x', 'x',
	      '$D $2 Europe/Rome', '$D $3 Europe/Rome', now() + interval '1 hour')"
}
consultation_sql() { # consultant start end [status [token]]
	echo "INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, status, token)
	      VALUES ('$1', 'x', '$D $2 Europe/Rome', '$D $3 Europe/Rome', '${4:-booked}', ${5:-NULL})"
}
expect_sqlstate "a second active hold on the same slot is refused" '23505|23P01' \
	"$(hold_sql dr-a 09:00 10:00)" -d $DST
expect_sqlstate "an active hold overlapping another is refused" 23P01 "$(hold_sql dr-a 09:30 10:30)" -d $DST
expect_sqlstate "a hold's token is unique" 23505 "$(hold_sql dr-q 09:00 10:00 "$await")" -d $DST
expect_sqlstate "a second booked consultation on the same slot is refused" '23505|23P01' \
	"$(consultation_sql dr-a 10:00 11:00)" -d $DST
expect_sqlstate "a booked consultation overlapping another is refused" 23P01 \
	"$(consultation_sql dr-a 10:30 11:30)" -d $DST
expect_sqlstate "a consultation's token is unique" 23505 \
	"$(consultation_sql dr-q 10:00 11:00 booked "'$confirmed'")" -d $DST
expect_sqlstate "the status check is in force" 23514 "$(consultation_sql dr-q 10:00 11:00 bogus)" -d $DST
# the walls are partial: a cancelled consultation frees its slot
check "a cancelled consultation's slot can be booked again (rolled back)" \
	"$(q -d $DST -c 'BEGIN' -c "$(consultation_sql dr-b 10:00 11:00) RETURNING 'inserted'" -c 'ROLLBACK')" inserted

# --- the API on the restored data -----------------------------------------
max_id=$(q -d $DST -c 'SELECT max(id) FROM booking.consultations')
check "a restored hold blocks the slot for another client" \
	"$(field $DST "booking_propose('dr-a', 'cl-9', 'conv-9', '$D 09:30')" error)" SLOT_HELD
check "a restored consultation blocks the slot" \
	"$(field $DST "booking_propose('dr-a', 'cl-9', 'conv-9', '$D 10:00')" error)" SLOT_TAKEN
check "the restored pending hold is seen" \
	"$(field $DST "booking_pending_state('conv-1', 'cl-1')" token)" "$await"
check "a restored confirmation is answered again" \
	"$(q -d $DST -F ' ' -c "SELECT r->>'already_confirmed', r->>'consultation_id'
	                        FROM booking_confirm('$confirmed', 'cl-4') r")" \
	"true $(q -d $DST -c "SELECT id FROM booking.consultations WHERE token = '$confirmed'")"
id=$(field $DST "booking_confirm('$await', 'cl-1')" consultation_id)
check "the restored hold is confirmed with a new consultation id ($id > $max_id)" \
	"$([ -n "$id" ] && [ "$id" -gt "$max_id" ] && echo yes)" yes
t=$(propose $DST dr-d cl-10 conv-10 10:00)
id2=$(field $DST "booking_confirm('$t', 'cl-10')" consultation_id)
check "a new propose and confirm works, numbered after it ($id2 > $id)" \
	"$([ -n "$id2" ] && [ -n "$id" ] && [ "$id2" -gt "$id" ] && echo yes)" yes
