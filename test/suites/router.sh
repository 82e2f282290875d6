#!/usr/bin/env bash
# The booking API through booking_router over four shards (started here by
# scripts/scaleout.sh, each shard on its own server):
#   - the contract: router/test/contract.sql gives the same output through
#     the router as on one node;
#   - placement: every hold and consultation is on its consultant's shard
#     only, ids are unique across shards and name their shard, directory
#     rows are on their conversation's or client's shard;
#   - one shard down (server stopped, then a shard that never answers):
#     other shards keep booking, its consultants' calls fail within the
#     statement timeout with an error, conversations whose directory and
#     holds avoid it keep working, and when it returns the supersede retry
#     queue drains (by pg_cron) and no conversation and client has two
#     active holds across shards.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
install_packages postgresql-$PG_MAJOR-plproxy
export PATH="$PG_BIN:$PATH"

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# same DESCRIPTION GOT WANT
same() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got [$2], wanted [$3]"; fi; }

export SCALEOUT_DIR
SCALEOUT_DIR=$(mktemp -u /tmp/booking-router.XXXXXX)
# test-all.sh has just built and installed booking into PG_BIN's copy
export SCALEOUT_BUILD=${SCALEOUT_BUILD:-0}
export ROUTER_STATEMENT_TIMEOUT=5s
trap 'bash scripts/scaleout.sh stop; rm -f "$SCALEOUT_DIR.env" /tmp/router-contract.$$.*' EXIT
bash scripts/scaleout.sh start >"$SCALEOUT_DIR.env" || { echo "scaleout start failed"; exit 1; }
. "$SCALEOUT_DIR.env"
read -r -a SHARD <<<"$BOOKING_SHARDS"
N=${#SHARD[@]}

r() { psql -X -q -At -v ON_ERROR_STOP=1 "$BOOKING_ROUTER" "$@"; }
s() { local k=$1; shift; psql -X -q -At -v ON_ERROR_STOP=1 "${SHARD[$k]}" "$@"; }
ms() { date +%s%3N; }
sum() { awk '{ s += $1 } END { print s + 0 }'; }

# ---------------------------------------------------------------------------
log "the contract through the router against one node"
SINGLE="postgresql:///booking_single?host=$SCALEOUT_DIR/shard0&port=5432&user=postgres"
s 0 -c 'CREATE DATABASE booking_single'
psql -X -q "$SINGLE" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking CASCADE'

has() { # FUNCTION...: 1 if every shard and the single node have them all
	local f k want=$# got
	for k in $(seq 0 $((N - 1))) single; do
		if [ "$k" = single ]; then conn=$SINGLE; else conn=${SHARD[$k]}; fi
		got=$(psql -X -At "$conn" -c "SELECT count(DISTINCT proname) FROM pg_proc WHERE proname = ANY ('{$(echo "$@" | tr ' ' ,)}')")
		[ "$got" = "$want" ] || { echo 0; return; }
	done
	echo 1
}
has_cal=$(has booking_set_working_hours booking_clear_working_hours booking_add_time_off booking_remove_time_off booking_free_slots)
has_life=$(has booking_consultations booking_cancel_consultation booking_propose_move)
has_sweep=$(psql -X -At "$SINGLE" -c "SELECT count(*) FROM pg_proc WHERE proname = 'booking_sweep_holds' AND prokind = 'p'")
for part in has_cal has_life has_sweep; do
	if [ "${!part}" != 1 ]; then
		echo "!!!!!!!! SKIPPED: the shards lack the 1.1 functions of '${part#has_}': their routing is NOT tested !!!!!!!!"
	fi
done

vars=$(r -c "
	SELECT '-v day=' || ((now() AT TIME ZONE 'Europe/Rome')::date + 3)
	    || ' -v gap_day=' || (SELECT d - extract(dow FROM d)::int
	            FROM (SELECT make_date(y, 3, 31) AS d FROM generate_series(extract(year FROM now())::int,
	                  extract(year FROM now())::int + 1) y) s
	            WHERE d - extract(dow FROM d)::int > now()::date ORDER BY 1 LIMIT 1)
	    || ' -v fold_day=' || (SELECT d - extract(dow FROM d)::int
	            FROM (SELECT make_date(y, 10, 31) AS d FROM generate_series(extract(year FROM now())::int,
	                  extract(year FROM now())::int + 1) y) s
	            WHERE d - extract(dow FROM d)::int > now()::date ORDER BY 1 LIMIT 1)")
out=/tmp/router-contract.$$
# shellcheck disable=SC2086
psql -X -q $vars -v has_cal="$has_cal" -v has_life="$has_life" "$SINGLE" -f router/test/contract.sql >"$out.single" 2>&1
# shellcheck disable=SC2086
psql -X -q $vars -v has_cal="$has_cal" -v has_life="$has_life" "$BOOKING_ROUTER" -f router/test/contract.sql >"$out.router" 2>&1
if diff -u "$out.single" "$out.router" >"$out.diff"; then
	pass "contract.sql: the router's output is the one node's ($(wc -l <"$out.single") lines)"
else
	fail "contract.sql: the router's output differs from one node's"; cat "$out.diff"
fi
same "contract.sql ran without a script error" "$(grep -c -E '^(psql:|ERROR:)' "$out.single")" 0
oks=$(grep -c '"ok": true' "$out.single")
check "contract.sql: one node booked, confirmed and cancelled ($oks successes)" [ "$oks" -ge 20 ]
same "contract.sql: a supersede across shards reported" \
	"$(grep -c '"superseded_token"' "$out.router")" "$(grep -c '"superseded_token"' "$out.single")"
if [ "$has_cal" = 1 ]; then
	check "contract.sql: free slots merged over shards" grep -q '"consultant_id": "rt-b"}, {"end_at"' "$out.router"
fi

# ---------------------------------------------------------------------------
log "placement"
for k in $(seq 0 $((N - 1))); do
	same "shard $k: every hold is of a consultant of shard $k" \
		"$(s "$k" -c "SELECT count(*) FILTER (WHERE hashtext(consultant_id) & $((N - 1)) <> $k) FROM booking.pending_bookings")" 0
	same "shard $k: every consultation is of a consultant of shard $k, with an id of shard $k" \
		"$(s "$k" -c "SELECT count(*) FILTER (WHERE hashtext(consultant_id) & $((N - 1)) <> $k OR (id - 1) % 1024 <> $k) FROM booking.consultations")" 0
	same "shard $k: directory rows of conversations and clients of shard $k" \
		"$(s "$k" -c "SELECT (SELECT count(*) FROM booking_shard.conversation_holds WHERE hashtext(conversation_id) & $((N - 1)) <> $k)
		             + (SELECT count(*) FROM booking_shard.client_shards WHERE hashtext(client_id) & $((N - 1)) <> $k)")" 0
	s "$k" -c "SELECT id FROM booking.consultations" >>"$out.ids"
	s "$k" -c "SELECT consultant_id FROM booking.pending_bookings" >>"$out.holders"
done
same "consultation ids unique across shards" "$(sort "$out.ids" | uniq -d | wc -l)" 0
check "holds on more than one shard ($(sort -u "$out.holders" | wc -l) consultants)" \
	[ "$(for k in $(seq 0 $((N - 1))); do s "$k" -c 'SELECT 1 FROM booking.pending_bookings LIMIT 1'; done | wc -l)" -ge 2 ]

# ---------------------------------------------------------------------------
log "one shard down"
# Names that land where the test needs them.
name_on() { # PREFIX SHARD [NOT_SHARD]: a name whose hash puts it on SHARD
	r -c "SELECT '$1' || i FROM generate_series(1, 10000) i
	      WHERE hashtext('$1' || i) & $((N - 1)) = $2 ORDER BY i LIMIT 1"
}
D=$((N - 1)) U=1
cD=$(name_on dr- $D) cU=$(name_on dr- $U) c0=$(name_on dr- 0)
conv=$(name_on conv- 0) client=$(name_on client- 2)
convD=$(name_on conv- $D) client2=$(name_on client- 1)
day=$(r -c "SELECT (now() AT TIME ZONE 'Europe/Rome')::date + 5")
propose() { r -c "SELECT booking_propose('$1', '$2', '$3', '$day $4')"; }
field() { sed -n "s/.*\"$1\": \"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"; }

old=$(propose "$cD" "$client" "$conv" 09:00 | field token)
old2=$(propose "$cD" "$client2" "$conv" 09:00 >/dev/null; propose "$cD" "$client2" "$conv" 10:00 | field token)
t0=$(ms); propose "$cU" "$client" "$conv-warm" 08:00 >/dev/null; base=$(( $(ms) - t0 ))

bash scripts/scaleout.sh stop-shard "$D"
t0=$(ms); new=$(propose "$cU" "$client" "$conv" 11:00); took=$(( $(ms) - t0 ))
check "shard $D down: a propose for a consultant of shard $U succeeds" grep -q '"ok": true' <<<"$new"
same "... and reports the hold on shard $D superseded" "$(field superseded_token <<<"$new")" "$old"
check "... in ${took} ms (one node-like call took ${base} ms; bound 2000 ms)" [ "$took" -lt 2000 ]
newtok=$(field token <<<"$new")
same "pending state of the conversation: the new hold" "$(r -c "SELECT booking_pending_state('$conv', '$client') ->> 'token'")" "$newtok"
new2=$(propose "$cU" "$client2" "$conv" 12:00)
same "a second supersede across shards queued" "$(field superseded_token <<<"$new2")" "$old2"

for k in $(seq 0 $((N - 1))); do
	[ "$k" = "$D" ] && continue
	ck=$(name_on dr- "$k") ckconv=$(name_on down-conv- "$k") ckclient=$(name_on down-client- "$k")
	tok=$(propose "$ck" "$ckclient" "$ckconv" 13:00 | field token)
	got=$(r -c "SELECT booking_confirm('$tok', '$ckclient') ->> 'status'")
	same "shard $D down: a consultant of shard $k books and confirms" "$got" confirmed
done

t0=$(ms)
if err=$(propose "$cD" "$client" "$conv-x" 14:00 2>&1); then
	fail "shard $D down: a propose for its consultant answered: $err"
else
	took=$(( $(ms) - t0 ))
	check "shard $D down: a propose for its consultant fails with an error in ${took} ms (< 5 s timeout)" [ "$took" -lt 5500 ]
fi
if err=$(r -c "SELECT booking_confirm('$old', '$client')" 2>&1); then
	fail "shard $D down: confirm of its token answered: $err"
else
	pass "shard $D down: confirm of its token fails with an error"
fi
same "shard $D down: a malformed token is still NOT_FOUND" \
	"$(r -c "SELECT booking_confirm('bk_nonsense', '$client') ->> 'error'")" NOT_FOUND
if err=$(propose "$cU" "$client" "$convD" 15:00 2>&1); then
	fail "shard $D down: a conversation whose directory is on it answered: $err"
else
	same "... a conversation whose directory is on it fails, leaving no hold behind" \
		"$(s "$U" -c "SELECT count(*) FROM booking.pending_bookings WHERE conversation_id = '$convD'")" 0
fi

if [ "$has_life" = 1 ]; then
	mover=$(name_on mover- 0) mconv=$(name_on move-conv- 1)
	ctok=$(propose "$c0" "$mover" "$mconv" 16:00 | field token)
	cid=$(r -c "SELECT booking_confirm('$ctok', '$mover') ->> 'consultation_id'")
	mtok=$(r -c "SELECT booking_propose_move($cid, '$mover', '$mconv', '$day 17:00') ->> 'token'")
	moved=$(r -c "SELECT booking_confirm('$mtok', '$mover') ->> 'consultation_id'")
	check "shard $D down: book, move ($cid -> $moved) on shard 0" [ -n "$moved" ] && [ "$moved" != "$cid" ]
	same "shard $D down: cancel the moved consultation" \
		"$(r -c "SELECT booking_cancel_consultation($moved, '$mover') ->> 'status'")" cancelled
else
	echo "!!!!!!!! SKIPPED: move and cancel of a consultation with a shard down (lifecycle functions missing) !!!!!!!!"
fi

if [ "$has_cal" = 1 ]; then
	same "shard $D down: free slots over consultants of the other shards" \
		"$(r -c "SELECT booking_free_slots(ARRAY['$cU', '$c0'], '$day 08:00', '$day 12:00') ->> 'ok'")" true
	if err=$(r -c "SELECT booking_free_slots(ARRAY['$cU', '$cD'], '$day 08:00', '$day 12:00')" 2>&1); then
		fail "shard $D down: free slots over one of its consultants answered: $err"
	else
		pass "shard $D down: free slots over one of its consultants fails with an error"
	fi
fi

bash scripts/scaleout.sh start-shard "$D"
same "shard $D back: the superseded hold awaits its retry (the stated weakening)" \
	"$(s "$D" -c "SELECT status FROM booking.pending_bookings WHERE token = '$old'")" awaiting_confirm
# the router's pg_cron job runs booking_router.retry_supersedes() every minute
queued() { for k in $(seq 0 $((N - 1))); do s "$k" -c 'SELECT count(*) FROM booking_shard.dir_pending_supersedes()'; done | sum; }
same "retry queue holds the two supersedes" "$(queued)" 2
for i in $(seq 1 80); do [ "$(queued)" = 0 ] && break; sleep 1; done
same "pg_cron drained the retry queue within $i s" "$(queued)" 0
same "the superseded holds are cancelled / superseded on shard $D" \
	"$(s "$D" -c "SELECT string_agg(status || '/' || cancel_reason, ',') FROM booking.pending_bookings WHERE token IN ('$old', '$old2')")" \
	"cancelled/superseded,cancelled/superseded"
same "confirm of a superseded token: NOT_PENDING" "$(r -c "SELECT booking_confirm('$old', '$client') ->> 'error'")" NOT_PENDING
same "the new hold confirms" "$(r -c "SELECT booking_confirm_latest('$conv', '$client2') ->> 'status'")" confirmed

active_pairs() {
	for k in $(seq 0 $((N - 1))); do
		s "$k" -c "SELECT conversation_id || ' ' || client_id FROM booking.pending_bookings
		           WHERE status = 'awaiting_confirm' AND expires_at > now()"
	done
}
same "no conversation and client has two active holds across shards" "$(active_pairs | sort | uniq -d)" ""

# ---------------------------------------------------------------------------
log "a shard that never answers"
same "the router's role has a statement timeout" "$(r -c 'SHOW statement_timeout')" 5s
bash scripts/scaleout.sh pause-shard "$D"
t0=$(ms)
err=$(propose "$cD" "$client" "$conv-y" 15:00 2>&1); rc=$?
took=$(( $(ms) - t0 ))
check "paused shard: its consultant's call fails (rc $rc) with the statement timeout in ${took} ms" \
	[ "$rc" != 0 ] && [ "$took" -ge 4500 ] && [ "$took" -lt 9000 ] && grep -q 'statement timeout' <<<"$err"
t0=$(ms)
got=$(propose "$cU" "$(name_on paused-client- "$U")" "$(name_on paused-conv- "$U")" 18:00 | field status)
took=$(( $(ms) - t0 ))
same "paused shard: a consultant of shard $U still books (${took} ms)" "$got" awaiting_confirm
bash scripts/scaleout.sh resume-shard "$D"
same "resumed shard answers again" "$(propose "$cD" "$client" "$conv-y" 15:00 | field status)" awaiting_confirm

# ---------------------------------------------------------------------------
log "calls for every shard, and privileges"
for k in $(seq 0 $((N - 1))); do
	ck=$(name_on dr- "$k")
	propose "$ck" "$(name_on sweep-client- "$k")" "$(name_on sweep-conv- "$k")" 19:00 >/dev/null
	r -c "SELECT booking_propose('$ck', 'sweep-x', '$(name_on sweep-conv2- "$k")', '$day 20:00', ttl => '1 second')" >/dev/null
done
sleep 1.2
stale() { for k in $(seq 0 $((N - 1))); do s "$k" -c "SELECT count(*) FROM booking.pending_bookings WHERE status = 'awaiting_confirm' AND expires_at <= now()"; done | sum; }
before=$(stale)
check "stale holds on every shard before the sweep ($before)" [ "$before" -ge "$N" ]
if [ "$has_sweep" = 1 ]; then
	err=$(r -c "BEGIN" -c "CALL booking_sweep_holds()" 2>&1)
	check "CALL booking_sweep_holds() in a transaction block: 2D000" grep -q 'invalid transaction termination' <<<"$err"
	r -c "CALL booking_sweep_holds(2)"
	same "CALL booking_sweep_holds(2) through the router expired the stale holds of every shard" "$(stale)" 0
else
	same "booking_expire_holds() through the router: the sum over shards" "$(r -c 'SELECT booking_expire_holds()')" "$before"
fi
same "booking_expire_holds() again: nothing left" "$(r -c 'SELECT booking_expire_holds()')" 0
r -c "SELECT booking_unschedule_expiry()" >/dev/null
same "booking_unschedule_expiry() removed the job of every shard" \
	"$(for k in $(seq 0 $((N - 1))); do s "$k" -c "SELECT count(*) FROM cron.job WHERE jobname = 'booking-expire-holds'"; done | sum)" 0
check "booking_schedule_expiry('*/5 * * * *') answers a job id" [ -n "$(r -c "SELECT booking_schedule_expiry('*/5 * * * *')")" ]
same "... and registered the job on every shard" \
	"$(for k in $(seq 0 $((N - 1))); do s "$k" -c "SELECT count(*) FROM cron.job WHERE jobname = 'booking-expire-holds' AND schedule = '*/5 * * * *'"; done | sum)" "$N"

app() { psql -X -q -At -v ON_ERROR_STOP=1 "$BOOKING_ROUTER" -c "SET ROLE booking_app" "$@"; }
same "booking_app (EXECUTE only) proposes and confirms through the router" \
	"$(tok=$(app -c "SELECT booking_propose('$cU', 'app-client', 'app-conv', '$day 21:00') ->> 'token'"); app -c "SELECT booking_confirm('$tok', 'app-client') ->> 'status'")" confirmed
if [ "$has_sweep" = 1 ]; then
	check "booking_app calls the sweep procedure" app -c "CALL booking_sweep_holds()"
fi
err=$(app -c "SELECT booking_router.remote_supersede(0, 'bk_x')" 2>&1)
check "booking_app cannot call the router's internals" grep -q 'permission denied' <<<"$err"
same "nothing of the router is granted to PUBLIC" \
	"$(r -c "SELECT count(*) FROM pg_proc p
	         WHERE (p.pronamespace = 'booking_router'::regnamespace
	                OR (p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'booking%'))
	           AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))")" 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
