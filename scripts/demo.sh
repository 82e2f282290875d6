#!/usr/bin/env bash
# The demo on a fresh Debian 12 machine, as root: installs what is missing,
# builds and installs the extension, starts a throwaway cluster, walks one
# booking conversation through the API printing each call and its result,
# then the life of the booked consultations (listed, moved, cancelled, a
# cancel too late), and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_root
install_deps
build_and_install
trap cluster_stop EXIT
cluster_start booking_demo

psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION booking CASCADE' 2>/dev/null

# Each step: what happens in the chat, the SQL the app sends, and the answer.
step() {
	local said=$1 sql=$2
	printf '\n%s\n  SQL> %s\n' "$said" "$sql"
	psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$sql" | sed 's/^/  => /'
}

# Slots a few days ahead, and the next spring-forward night in Rome.
day=$(psql -X -A -t -c "SELECT (now() AT TIME ZONE 'Europe/Rome')::date + 3")
gap_day=$(psql -X -A -t -c "
	SELECT d - extract(dow FROM d)::int
	FROM (SELECT make_date(y, 3, 31) AS d
	      FROM generate_series(extract(year FROM now())::int,
	                           extract(year FROM now())::int + 1) y) s
	WHERE d - extract(dow FROM d)::int > now()::date
	ORDER BY 1 LIMIT 1")

echo "A client, anna, chats with the assistant in conversation conv-42."
step "User: \"Can I see Dr. Rossi on $day at 10:00?\"  -> tool booking_propose" \
	"SELECT booking_propose('dr-rossi', 'anna', 'conv-42', '$day 10:00')"
token=$(psql -X -A -t -c "SELECT token FROM booking.pending_bookings WHERE conversation_id = 'conv-42' AND status = 'awaiting_confirm'")

step "Next turn, before classifying the user's message, the app asks for the pending state:" \
	"SELECT booking_pending_state('conv-42', 'anna')"
step "... and puts this context into the classifier prompt, so a bare \"ok\" stays in tool mode:" \
	"SELECT booking_classifier_context('conv-42', 'anna')"
step "User: \"ok\"  -> tool booking_confirm with the token" \
	"SELECT booking_confirm('$token', 'anna')"
step "The tool call is retried (network hiccup): same consultation, nothing booked twice" \
	"SELECT booking_confirm('$token', 'anna')"
step "The conversation has nothing pending any more:" \
	"SELECT booking_classifier_context('conv-42', 'anna')"

echo
echo "A second client, bruno, wants the same consultant around the same time."
step "bruno asks for 11:30; the hold succeeds" \
	"SELECT booking_propose('dr-rossi', 'bruno', 'conv-77', '$day 11:30')"
step "carla asks for 11:00 (overlaps bruno's hold): SLOT_HELD" \
	"SELECT booking_propose('dr-rossi', 'carla', 'conv-90', '$day 11:00')"
step "carla asks for 10:30 (overlaps anna's booked consultation): SLOT_TAKEN" \
	"SELECT booking_propose('dr-rossi', 'carla', 'conv-90', '$day 10:30')"
step "carla says \"ok\" with no token: the fallback finds nothing of hers to confirm" \
	"SELECT booking_confirm_latest('conv-90', 'carla')"

echo
echo "Local times are read in Europe/Rome; the night the clocks go forward, 02:30 does not exist."
step "carla asks for $gap_day 02:30" \
	"SELECT booking_propose('dr-rossi', 'carla', 'conv-90', '$gap_day 02:30')"

echo
echo "Holds are short-lived. This one lives one second, and carla answers too late."
step "carla asks for $day 15:00 with a one-second hold" \
	"SELECT booking_propose('dr-rossi', 'carla', 'conv-90', '$day 15:00', ttl => '1 second')"
sleep 1.5
late=$(psql -X -A -t -c "SELECT token FROM booking.pending_bookings WHERE conversation_id = 'conv-90' AND status = 'awaiting_confirm'")
step "Pending state already says no, whether or not the sweep has run:" \
	"SELECT booking_pending_state('conv-90', 'carla')"
step "carla: \"ok\" -> EXPIRED, and the hold is marked expired" \
	"SELECT booking_confirm('$late', 'carla')"

echo
echo "After the booking: anna lists her appointments, moves one, cancels another."
next_day=$(psql -X -A -t -c "SELECT '$day'::date + 1")
step "anna books a second consultation, for $next_day at 09:00 (propose, then \"ok\")" \
	"SELECT booking_confirm_latest('conv-42', 'anna') FROM (SELECT booking_propose('dr-rossi', 'anna', 'conv-42', '$next_day 09:00')) AS proposed"
step "User: \"When are my appointments?\"  -> tool booking_consultations" \
	"SELECT booking_consultations('anna')"
first=$(psql -X -A -t -c "SELECT id FROM booking.consultations WHERE client_id = 'anna' AND status = 'booked' ORDER BY scheduled_at LIMIT 1")
second=$(psql -X -A -t -c "SELECT id FROM booking.consultations WHERE client_id = 'anna' AND status = 'booked' ORDER BY scheduled_at DESC LIMIT 1")
step "User: \"I can't come at 10:00 on $day, can we move it to 16:00?\"  -> tool booking_propose_move" \
	"SELECT booking_propose_move($first, 'anna', 'conv-42', '$day 16:00')"
step "The pending state says the hold moves consultation $first:" \
	"SELECT booking_pending_state('conv-42', 'anna')"
step "... and so does the classifier's context (its first line unchanged):" \
	"SELECT booking_classifier_context('conv-42', 'anna')"
step "User: \"ok\"  -> the fallback confirm: the old consultation is cancelled, the new one booked, in one transaction" \
	"SELECT booking_confirm_latest('conv-42', 'anna')"
step "Her appointments now:" \
	"SELECT booking_consultations('anna')"
step "The 10:00 slot is free at once: bruno takes it" \
	"SELECT booking_propose('dr-rossi', 'bruno', 'conv-78', '$day 10:00')"
step "User: \"Please cancel my appointment on $next_day.\"  -> tool booking_cancel_consultation" \
	"SELECT booking_cancel_consultation($second, 'anna')"
step "The tool call is retried: nothing changes" \
	"SELECT booking_cancel_consultation($second, 'anna')"
step "bruno tries to cancel anna's consultation: it is not his, so it does not exist for him" \
	"SELECT booking_cancel_consultation($first, 'bruno')"

echo
echo "The clinic requires a day's notice to cancel (booking.cancel_notice, set by the DBA)."
psql -X -q -c "ALTER DATABASE booking_demo SET booking.cancel_notice = '24 hours'"
soon=$(psql -X -A -t -c "SELECT to_char((now() + interval '3 hours') AT TIME ZONE 'Europe/Rome', 'YYYY-MM-DD HH24:00')")
step "carla books dr-verdi for $soon, a few hours from now" \
	"SELECT booking_confirm_latest('conv-91', 'carla') FROM (SELECT booking_propose('dr-verdi', 'carla', 'conv-91', '$soon')) AS proposed"
late_id=$(psql -X -A -t -c "SELECT id FROM booking.consultations WHERE client_id = 'carla' AND status = 'booked' ORDER BY id DESC LIMIT 1")
step "carla: \"cancel it\" -> TOO_LATE: it starts within the notice" \
	"SELECT booking_cancel_consultation($late_id, 'carla')"

echo
echo "What the tables hold now:"
psql -X -c "SELECT consultant_id, client_id, start_at, status, cancel_reason, consultation_id FROM booking.pending_bookings ORDER BY created_at"
psql -X -c "SELECT id, consultant_id, client_id, scheduled_at, ends_at, status, cancel_reason, moved_from, moved_to FROM booking.consultations ORDER BY id"
