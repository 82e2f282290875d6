#!/usr/bin/env bash
# Stress through the router: pgbench, several clients, holds colliding on
# the slots of consultants of different shards and conversations moving
# between consultants of different shards (supersedes across shards), with
# fallback confirms and cancels.  Then the single-node invariants must hold
# on every shard and across them, and agree with what every call answered.
#
# Starts its own router and four shards (scripts/scaleout.sh).
# ROUTER_STRESS_SECONDS (default 20), ROUTER_STRESS_CLIENTS (default 6).
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
install_packages postgresql-$PG_MAJOR-plproxy
export PATH="$PG_BIN:$PATH"
SECONDS_RUN=${ROUTER_STRESS_SECONDS:-20}
CLIENTS=${ROUTER_STRESS_CLIENTS:-6}

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
same() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got [$2], wanted [$3]"; fi; }

export SCALEOUT_DIR
SCALEOUT_DIR=$(mktemp -u /tmp/booking-router-stress.XXXXXX)
export SCALEOUT_BUILD=${SCALEOUT_BUILD:-0}
work=$(mktemp -d /tmp/booking-router-stress-work.XXXXXX)
trap 'bash scripts/scaleout.sh stop; rm -rf "$work" "$SCALEOUT_DIR.env"' EXIT
bash scripts/scaleout.sh start >"$SCALEOUT_DIR.env" || { echo "scaleout start failed"; exit 1; }
. "$SCALEOUT_DIR.env"
read -r -a SHARD <<<"$BOOKING_SHARDS"
N=${#SHARD[@]}
r() { psql -X -q -At -v ON_ERROR_STOP=1 "$BOOKING_ROUTER" "$@"; }
s() { local k=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 "${SHARD[$k]}" "$@"; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }
all_shards() { local k; for k in $(seq 0 $((N - 1))); do s "$k" "$@"; done; }

r -f router/test/stress/setup.sql
same "the load's consultants span every shard" \
	"$(r -c "SELECT count(DISTINCT hashtext('dr-' || i) & ($N - 1)) FROM generate_series(1, 8) i")" "$N"

log "pgbench through the router: $CLIENTS clients, $SECONDS_RUN s"
pgbench -n -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" \
	-f router/test/stress/propose_confirm.pgbench@6 \
	-f router/test/stress/latest.pgbench@2 \
	-f router/test/stress/cancel.pgbench@1 \
	"$BOOKING_ROUTER" >"$work/pgbench.out" 2>&1
rc=$?
grep -E 'number of (transactions|failed)|tps|aborted' "$work/pgbench.out"
same "pgbench ran with no error and no aborted client" "$rc/$(grep -c -i 'abort\|error' "$work/pgbench.out")" "0/0"

calls=$(r -c "SELECT count(*) FROM stress_log")
check "the load made calls ($calls)" [ "$calls" -ge 100 ]
r -c "SELECT call, coalesce(result ->> 'error', result ->> 'status') AS outcome, count(*)
      FROM stress_log GROUP BY 1, 2 ORDER BY 1, 2" | sed 's/^/  /'
cross=$(r -c "SELECT count(*) FROM stress_log WHERE call = 'propose' AND result ? 'superseded_token'
              AND booking_token_route(result ->> 'superseded_token') & ($N - 1)
                  <> booking_token_route(result ->> 'token') & ($N - 1)")
check "supersedes across shards happened ($cross)" [ "$cross" -gt 0 ]
check "collisions happened (SLOT_HELD or SLOT_TAKEN)" \
	[ "$(r -c "SELECT count(*) FROM stress_log WHERE result ->> 'error' IN ('SLOT_HELD', 'SLOT_TAKEN')")" -gt 0 ]
check "confirms succeeded" [ "$(r -c "SELECT count(*) FROM stress_log WHERE call LIKE 'confirm%' AND result ->> 'status' = 'confirmed'")" -gt 0 ]

log "invariants on every shard"
r -c "SELECT booking_router.retry_supersedes()" >/dev/null
same "the supersede retry queue is empty" \
	"$(all_shards -c 'SELECT count(*) FROM booking_shard.dir_pending_supersedes()' | sum)" 0
for k in $(seq 0 $((N - 1))); do
	same "shard $k: placement of holds and consultations, ids of shard $k" \
		"$(s "$k" -c "SELECT (SELECT count(*) FROM booking.pending_bookings WHERE hashtext(consultant_id) & ($N - 1) <> $k)
		             + (SELECT count(*) FROM booking.consultations WHERE hashtext(consultant_id) & ($N - 1) <> $k OR (id - 1) % 1024 <> $k)")" 0
	same "shard $k: no two booked consultations of a consultant overlap" \
		"$(s "$k" -c "SELECT count(*) FROM booking.consultations a JOIN booking.consultations b
		             ON a.consultant_id = b.consultant_id AND a.id < b.id AND a.status = 'booked' AND b.status = 'booked'
		             AND tstzrange(a.scheduled_at, a.ends_at) && tstzrange(b.scheduled_at, b.ends_at)")" 0
	same "shard $k: every confirmed hold has its booked consultation, and every consultation its confirmed hold" \
		"$(s "$k" -c "SELECT (SELECT count(*) FROM booking.pending_bookings p WHERE p.status = 'confirmed'
		                      AND NOT EXISTS (SELECT 1 FROM booking.consultations c WHERE c.id = p.consultation_id
		                                      AND c.token = p.token AND c.consultant_id = p.consultant_id
		                                      AND c.scheduled_at = p.start_at AND c.client_id = p.client_id))
		             + (SELECT count(*) FROM booking.consultations c WHERE NOT EXISTS
		                      (SELECT 1 FROM booking.pending_bookings p WHERE p.token = c.token AND p.status = 'confirmed'))")" 0
	s "$k" -c "SELECT id FROM booking.consultations" >>"$work/ids"
	s "$k" -c "SELECT token FROM booking.pending_bookings" >>"$work/holds"
	s "$k" -c "SELECT token FROM booking_shard.conversation_holds" >>"$work/directory"
	s "$k" -c "SELECT conversation_id || ' ' || client_id FROM booking.pending_bookings
	           WHERE status = 'awaiting_confirm' AND expires_at > now()" >>"$work/active"
	s "$k" -c "SELECT id || ' ' || token FROM booking.consultations" >>"$work/booked"
done
same "consultation ids unique across shards" "$(sort "$work/ids" | uniq -d | wc -l)" 0
same "no conversation and client has two active holds across shards" "$(sort "$work/active" | uniq -d)" ""
same "every hold is in its conversation's directory" \
	"$(sort -u "$work/directory" | comm -23 <(sort -u "$work/holds") - | wc -l)" 0

log "the answers agree with the tables"
r -c "SELECT DISTINCT (result ->> 'consultation_id') || ' ' || (result ->> 'token') FROM stress_log
      WHERE result ->> 'status' = 'confirmed'" | sort -u >"$work/answered"
same "every consultation a confirm answered exists, with its token, on its shard" \
	"$(comm -23 "$work/answered" <(sort -u "$work/booked") | wc -l)" 0
same "every consultation was answered to some confirm" \
	"$(comm -13 "$work/answered" <(sort -u "$work/booked") | wc -l)" 0
r -c "SELECT result ->> 'token' FROM stress_log WHERE call = 'cancel' AND result ->> 'status' = 'cancelled'
      AND (result ->> 'changed')::boolean" | sort -u >"$work/cancelled"
all_shards -c "SELECT token FROM booking.pending_bookings WHERE status = 'cancelled' AND cancel_reason = 'client'" |
	sort -u >"$work/cancelled_rows"
same "every hold a cancel answered cancelled is cancelled by the client (a cancel is never lost)" \
	"$(comm -23 "$work/cancelled" "$work/cancelled_rows" | wc -l)" 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
