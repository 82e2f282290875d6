#!/usr/bin/env bash
# The demo conversation of scripts/demo.sh, through the router of a
# scaled-out deployment on this machine (scripts/scaleout.sh: a router and
# four shards, each on its own throwaway server), as root on Debian 12.
# Prints each call and its result, then where the rows landed, and stops
# every server.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_root
export SCALEOUT_DIR
SCALEOUT_DIR=$(mktemp -u /tmp/booking-demo-scaleout.XXXXXX)
trap 'bash scripts/scaleout.sh stop' EXIT
bash scripts/scaleout.sh start >"$SCALEOUT_DIR.env"
. "$SCALEOUT_DIR.env"
rm -f "$SCALEOUT_DIR.env"
export PATH="$PG_BIN:$PATH"
cat <<EOT

The router database: BOOKING_ROUTER=$BOOKING_ROUTER
Shards, in partition order: $BOOKING_SHARDS
EOT

router() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$BOOKING_ROUTER" "$@"; }
step() {
	local said=$1 sql=$2
	printf '\n%s\n  SQL> %s\n' "$said" "$sql"
	router -c "$sql" | sed 's/^/  => /'
}

day=$(router -c "SELECT (now() AT TIME ZONE 'Europe/Rome')::date + 3")
shards=$(router -c "SELECT booking_router.shard_count()")
# a second consultant on another shard than Dr. Rossi's
other=$(router -c "SELECT d FROM unnest(ARRAY['dr-bianchi', 'dr-verdi', 'dr-neri', 'dr-russo', 'dr-ferrari']) d
                   WHERE hashtext(d) & ($shards - 1) <> hashtext('dr-rossi') & ($shards - 1) LIMIT 1")
for who in dr-rossi "$other"; do
	echo "$who lives on shard $(router -c "SELECT hashtext('$who') & ($shards - 1)")"
done

echo
echo "A client, anna, chats with the assistant in conversation conv-42."
step "User: \"Can I see Dr. Rossi on $day at 10:00?\"  -> tool booking_propose, routed to Dr. Rossi's shard" \
	"SELECT booking_propose('dr-rossi', 'anna', 'conv-42', '$day 10:00')"
step "Next turn, the app asks for the pending state (routed through the conversation's directory):" \
	"SELECT booking_pending_state('conv-42', 'anna')"
step "User: \"better $other at 11:00\" -> a hold on another shard supersedes the first one" \
	"SELECT booking_propose('$other', 'anna', 'conv-42', '$day 11:00')"
step "The classifier context follows the conversation to the new hold:" \
	"SELECT booking_classifier_context('conv-42', 'anna')"
token=$(router -c "SELECT booking_pending_state('conv-42', 'anna') ->> 'token'")
step "User: \"ok\"  -> tool booking_confirm, routed by the token's routing key" \
	"SELECT booking_confirm('$token', 'anna')"
step "The tool call is retried: same consultation, nothing booked twice" \
	"SELECT booking_confirm('$token', 'anna')"
step "bruno asks for $other at 11:30 (overlaps anna's consultation): SLOT_TAKEN" \
	"SELECT booking_propose('$other', 'bruno', 'conv-77', '$day 11:30')"
step "A malformed token never reaches a shard: NOT_FOUND" \
	"SELECT booking_confirm('bk_not-a-token', 'bruno')"

echo
echo "Where the rows are (each shard directly):"
k=0
for conn in $BOOKING_SHARDS; do
	echo "-- shard $k"
	psql -X -q "$conn" -c "SELECT consultant_id, client_id, status, cancel_reason, consultation_id FROM booking.pending_bookings ORDER BY created_at" \
		-c "SELECT id, consultant_id, client_id, status FROM booking.consultations ORDER BY id"
	k=$((k + 1))
done
