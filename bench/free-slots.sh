#!/usr/bin/env bash
# The calendar part of make bench, measured in one run so that only ratios
# are read:
#   - booking_free_slots against a straightforward PL/pgSQL version
#     (bench/free-slots-plpgsql.sql) and the SQL an expert would write
#     (bench/pgbench/free-slots-expert.sql), for one consultant over 14 days
#     and for 20 over 7, on a fresh database and on one with
#     FS_HISTORY_ROWS past consultations; all three are first checked to
#     return the same slots;
#   - a refused propose (SLOT_TAKEN) with booking.alternatives = 3 against
#     0, in server CPU per call;
#   - propose on consultants with a calendar against consultants without.
# Variants alternate within each workload, FS_ROUNDS rounds of FS_SECONDS.
#
# bench/free-slots.sh --existing  uses the cluster in PGHOST (bench/run.sh's)
# bench/free-slots.sh             starts a throwaway cluster of its own (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

SECS=${FS_SECONDS:-3}
ROUNDS=${FS_ROUNDS:-3}
HISTORY_ROWS=${FS_HISTORY_ROWS:-1000000}
CLIENTS=${FS_CLIENTS:-2}
OUT=${FS_OUT:-docs/benchmarks-calendar.md}

OWN_CLUSTER=yes
[ "${1:-}" = --existing ] && OWN_CLUSTER=no
if [ $OWN_CLUSTER = yes ]; then
	need_root
	install_deps
	build_and_install
	export PATH="$PG_BIN:$PATH"
	cluster_start fsbench "shared_buffers = 1GB" "jit = off"
else
	export PATH="$PG_BIN:$PATH"
	CLUSTER_DIR=${CLUSTER_DIR:-$PGHOST}
fi
work=$(mktemp -d /tmp/booking-fsbench.XXXXXX)
trap 'rm -rf "$work"; [ $OWN_CLUSTER = no ] || cluster_stop' EXIT

# A local Monday at least two days ahead, so no slot is in the past.
MONDAY=$(psql -X -At -c "SELECT (d + (8 - extract(isodow FROM d)::int))::date
                         FROM (SELECT (now() AT TIME ZONE 'Europe/Rome')::date + 2 AS d) AS x")
SUNDAY=$(psql -X -At -c "SELECT ('$MONDAY'::date + 6)::text")
FRIDAY2=$(psql -X -At -c "SELECT ('$MONDAY'::date + 14)::text")

# Server CPU in clock ticks: the postmaster's reaped children and live ones.
server_ticks() {
	local pm children
	pm=$(head -1 "$CLUSTER_DIR/data/postmaster.pid")
	children=$(ps -o pid= --ppid "$pm" | tr -d ' ' | sed 's|.*|/proc/&/stat|')
	# shellcheck disable=SC2086
	cat "/proc/$pm/stat" $children 2>/dev/null | sed 's/^.*) //' |
		awk 'NR == 1 { t += $12 + $13 + $14 + $15; next } { t += $12 + $13 } END { print t }'
}

setup() {
	local db=$1 history=$2
	dropdb --if-exists "$db" >/dev/null 2>&1 || true
	createdb "$db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking CASCADE' \
		-c "ALTER DATABASE $db SET booking.max_advance = '3650d'" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f bench/free-slots-plpgsql.sql >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -v monday="$MONDAY" -v history="$history" \
		-f bench/free-slots-data.sql >/dev/null
}

IDS20="{$(for i in $(seq -w 1 20); do printf 'fs%s,' "$i"; done | sed 's/,$//')}"
# name ids from to maxslots
WORKLOADS=(
	"one14 {fs01} ${MONDAY}T00:00 ${FRIDAY2}T00:00 1000"
	"twenty7 $IDS20 ${MONDAY}T00:00 ${SUNDAY}T00:00 1000"
)

# The three must agree, slot for slot, before any is timed.
check_same() {
	local db=$1 w name ids from to max
	for w in "${WORKLOADS[@]}"; do
		read -r name ids from to max <<<"$w"
		psql -X -At -v ON_ERROR_STOP=1 -d "$db" -v ids="$ids" -v from="$from" -v to="$to" -v max="$max" <<'SQL' >"$work/check.out"
\set dur '1 hour'
SELECT booking_free_slots(:'ids', :'from', :'to', :'dur', NULL, 'Europe/Rome', :max) AS c \gset
SELECT fsbench.free_slots_plpgsql(:'ids', :'from', :'to', :'dur', NULL, 'Europe/Rome', :max) AS p \gset
SELECT jsonb_array_length(:'c'::jsonb -> 'slots') AS n,
       :'c'::jsonb -> 'slots' = :'p'::jsonb -> 'slots' AS same_as_plpgsql;
SQL
		local expert
		expert=$(sed -e "s/:ids::text\[\]/'$ids'::text[]/" -e "s/:from::timestamp/'$from'::timestamp/" \
			-e "s/:to::timestamp/'$to'::timestamp/" -e "s/:dur::interval/'1 hour'::interval/" \
			-e "s/:maxslots::integer/$max/g" -e "s/;$//" -e "/^--/d" bench/pgbench/free-slots-expert.sql)
		local same_expert
		same_expert=$(psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "
			SELECT (booking_free_slots('$ids', '$from', '$to', '1 hour', NULL, 'Europe/Rome', $max) -> 'slots')
			     = (($expert) -> 'slots')")
		read -r n same_pl <<<"$(tr '|' ' ' <"$work/check.out")"
		if [ "$same_pl" != t ] || [ "$same_expert" != t ] || [ "$n" -lt 1 ]; then
			echo "free slots disagree on $db/$name: $n slots, same as PL/pgSQL: $same_pl, same as expert SQL: $same_expert" >&2
			return 1
		fi
		echo "  $db/$name: $n slots, the same from all three"
	done
}

# run DB SCRIPT NAME IDS FROM TO MAX [PGOPTIONS]: calls/s and server CPU ms per call
run() {
	local db=$1 script=$2 ids=$4 from=$5 to=$6 max=$7 opts=${8:-}
	local t0 t1 tps calls
	sleep 0.2
	t0=$(server_ticks)
	# JIT off, as in bench/run.sh's cluster: it would compile the SQL versions anew every call
	PGOPTIONS="-c jit=off $opts" pgbench -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$SECS" \
		-D ids="$ids" -D from="$from" -D to="$to" -D dur='1 hour' -D maxslots="$max" \
		-f "$( [ -f "$script" ] && echo "$script" || echo "bench/pgbench/$script")" "$db" >"$work/pgbench.out" 2>&1 ||
		{ cat "$work/pgbench.out" >&2; return 1; }
	sleep 0.3
	t1=$(server_ticks)
	tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench.out")
	calls=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
	echo "$tps $(awk -v t=$((t1 - t0)) -v c="$calls" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f", t * 1000 / hz / c }')"
}

RESULTS=$work/results.tsv
: >"$RESULTS"
for db in fresh history; do
	log "free slots: database $db"
	setup "fs_$db" "$([ $db = history ] && echo "$HISTORY_ROWS" || echo 0)"
	check_same "fs_$db"
done
# the two databases alternate within each round, so that drift of the
# machine falls on both alike
log "free slots: timing, the variants and the databases alternating"
for w in "${WORKLOADS[@]}"; do
	read -r name ids from to max <<<"$w"
	for round in $(seq 1 "$ROUNDS"); do
		for db in fresh history; do
			for v in c plpgsql expert; do
				read -r tps cpu <<<"$(run "fs_$db" "free-slots-$v.sql" "$name" "$ids" "$from" "$to" "$max")"
				printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$name" "$v" "$round" "$tps" "$cpu" >>"$RESULTS"
				printf '  %-7s %-8s %-8s round %s: %9.1f calls/s, %7.3f ms server CPU a call\n' "$db" "$name" "$v" "$round" "$tps" "$cpu"
			done
		done
	done
done

# A refused propose: fs01's booked slot, with 3 alternatives and with none.
log "refused propose (SLOT_TAKEN) with booking.alternatives = 3 and 0"
booked=$(psql -X -At -d fs_fresh -c "SELECT to_char(min(scheduled_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
	FROM booking.consultations WHERE consultant_id = 'fs01' AND scheduled_at > now()")
cat >"$work/refused.sql" <<SQL
SELECT booking_propose('fs01', 'fs-refused-' || :client_id, 'fs-refused-' || :client_id, '$booked');
SQL
for round in $(seq 1 "$ROUNDS"); do
	for alt in 3 0; do
		read -r tps cpu <<<"$(run fs_fresh "$work/refused.sql" refused x x x x "-c booking.alternatives=$alt")"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' fresh refused "alternatives$alt" "$round" "$tps" "$cpu" >>"$RESULTS"
		printf '  alternatives=%s round %s: %9.1f calls/s, %7.3f ms server CPU a call\n' "$alt" "$round" "$tps" "$cpu"
	done
done

# Propose with and without a calendar: 200 consultants of each kind, random
# working hours of the two weeks, each hold cancelled in the same script.
log "propose on consultants with a calendar and without"
psql -X -q -v ON_ERROR_STOP=1 -d fs_fresh -c "
	SELECT count(booking_set_working_hours('pc' || i, (SELECT hours FROM booking.working_hours WHERE consultant_id = 'fs01'), 'Europe/Rome'))
	FROM generate_series(1, 200) AS i" >/dev/null
for kind in pc pn; do
	cat >"$work/propose-$kind.sql" <<SQL
\set k random(1, 200)
\set d random(0, 9)
\set day :d / 5 * 7 + :d % 5
\set hour 9 + random(0, 7)
\set hour :hour + (case when :hour >= 13 then 1 else 0 end)
SELECT coalesce(r->>'token', '') AS token, 'u' || :client_id AS client
  FROM booking_propose('$kind' || :k, 'u' || :client_id, 'conv' || :client_id,
       ('$MONDAY'::date + :day::integer + make_interval(hours => :hour::integer))::text) AS r \gset
SELECT booking_cancel(:token, :client) WHERE :token <> '';
SQL
done
for round in $(seq 1 "$ROUNDS"); do
	for kind in pc pn; do
		read -r tps cpu <<<"$(run fs_fresh "$work/propose-$kind.sql" propose x x x x)"
		label=$([ $kind = pc ] && echo calendar || echo no_calendar)
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' fresh propose "$label" "$round" "$tps" "$cpu" >>"$RESULTS"
		printf '  %-11s round %s: %9.1f calls/s, %7.3f ms server CPU a call\n' "$label" "$round" "$tps" "$cpu"
	done
done

# What history costs the reads: the busy lookup of booking_free_slots (the
# kept statement's generic plan) for fs01 over the 14 days, in buffers, on
# both databases.
BUFFERS=$work/buffers.txt
: >"$BUFFERS"
for db in fresh history; do
	psql -X -At -d "fs_$db" -v monday="$MONDAY" -v friday="$FRIDAY2" <<'SQL' |
SET plan_cache_mode = force_generic_plan;
PREPARE busy(text, timestamptz, timestamptz, timestamptz) AS
SELECT scheduled_at, ends_at FROM booking.consultations
WHERE consultant_id = $1 AND status = 'booked' AND tstzrange(scheduled_at, ends_at) && tstzrange($2, $3)
UNION ALL
SELECT start_at, end_at FROM booking.pending_bookings
WHERE consultant_id = $1 AND status = 'awaiting_confirm' AND tstzrange(start_at, end_at) && tstzrange($2, $3)
  AND expires_at > $4;
EXECUTE busy('fs01', :'monday', :'friday', now());
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) EXECUTE busy('fs01', :'monday', :'friday', now());
SQL
		awk -v db="$db" '/^Append/ { getline; sub(/^ */, ""); print db ": " $0; exit }' >>"$BUFFERS"
done

# Where the time goes: perf over the backends of a run of booking_free_slots
# (20 consultants, 7 days) and of refused proposals with alternatives.
PROFILE=$work/profile.txt
: >"$PROFILE"
profile() {
	local label=$1; shift
	command -v perf >/dev/null && perf record -e cpu-clock -o "$work/perf.probe" true >/dev/null 2>&1 || return 0
	run "$@" >/dev/null &
	local runner=$! pids
	sleep 1
	pids=$(psql -X -At -d fs_fresh -c "SELECT string_agg(pid::text, ',') FROM pg_stat_activity
		WHERE application_name = 'pgbench'")
	if [ -n "$pids" ]; then
		perf record -e cpu-clock -F 999 -g -p "$pids" -o "$work/perf.data" -- sleep 1 >/dev/null 2>&1 || true
	fi
	wait $runner || true
	{
		echo "$label, by function (self), top 15:"
		perf report -i "$work/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null |
			grep -E '^ +[0-9]' | head -15 || true
		echo
	} >>"$PROFILE"
}
SECS_SAVED=$SECS
SECS=$(( SECS < 3 ? 3 : SECS ))
profile "booking_free_slots, 20 consultants over 7 days" fs_fresh free-slots-c.sql twenty7 "$IDS20" \
	"${MONDAY}T00:00" "${SUNDAY}T00:00" 1000
profile "refused propose with 3 alternatives" fs_fresh "$work/refused.sql" refused x x x x "-c booking.alternatives=3"
SECS=$SECS_SAVED

python3 - "$RESULTS" "$OUT" "$SECS" "$ROUNDS" "$CLIENTS" "$HISTORY_ROWS" "$PROFILE" "$BUFFERS" <<'PY'
import statistics, sys
path, out, secs, rounds, clients, history = sys.argv[1:7]
rows = [l.rstrip('\n').split('\t') for l in open(path) if l.strip()]
med = {}
for db, wl, v, rnd, tps, cpu in rows:
    med.setdefault((db, wl, v), []).append((float(tps), float(cpu)))
def m(db, wl, v, i=0):
    return statistics.median(x[i] for x in med[(db, wl, v)])
lines = ["# Calendar benchmark", "",
         f"`bench/free-slots.sh`: {rounds} rounds of {secs} s per variant, {clients} clients, "
         f"medians; history database with {history} past consultations. "
         "Ratios are of calls per second measured in the same run.", "",
         "On a machine shared with other work, calls per second drift between runs; "
         "server CPU per call (the backends' user and system time) drifts much less, "
         "so both are shown.", "",
         "| database | workload | C calls/s | PL/pgSQL calls/s | expert SQL calls/s | C / PL/pgSQL (target >= 10) | C / expert (target >= 1) | CPU ms a call: C, PL/pgSQL, expert | by CPU: C / PL/pgSQL, C / expert |",
         "|---|---|---|---|---|---|---|---|---|"]
for db in ("fresh", "history"):
    for wl in ("one14", "twenty7"):
        c, p, e = m(db, wl, "c"), m(db, wl, "plpgsql"), m(db, wl, "expert")
        cc, pc_, ec = m(db, wl, "c", 1), m(db, wl, "plpgsql", 1), m(db, wl, "expert", 1)
        lines.append(f"| {db} | {wl} | {c:.1f} | {p:.1f} | {e:.1f} | {c / p:.1f}x | {c / e:.2f}x "
                     f"| {cc:.3f}, {pc_:.3f}, {ec:.3f} | {pc_ / cc:.1f}x, {ec / cc:.2f}x |")
for wl in ("one14", "twenty7"):
    lines.append("")
    lines.append(f"History against fresh, {wl}, server CPU a call: C {m('history', wl, 'c', 1) / m('fresh', wl, 'c', 1):.2f}x, "
                 f"expert SQL {m('history', wl, 'expert', 1) / m('fresh', wl, 'expert', 1):.2f}x, "
                 f"PL/pgSQL {m('history', wl, 'plpgsql', 1) / m('fresh', wl, 'plpgsql', 1):.2f}x "
                 "(1.00x: the cost does not grow with history).")
a3, a0 = m("fresh", "refused", "alternatives3", 1), m("fresh", "refused", "alternatives0", 1)
lines += ["", f"Refused propose (SLOT_TAKEN): {a3:.3f} ms server CPU a call with 3 alternatives, "
          f"{a0:.3f} ms with none: {a3 / a0:.2f}x (target <= 1.5x)."]
pc, pn = m("fresh", "propose", "calendar"), m("fresh", "propose", "no_calendar")
pcc, pnc = m("fresh", "propose", "calendar", 1), m("fresh", "propose", "no_calendar", 1)
lines += ["", f"Propose + cancel, consultants with a calendar: {pc:.1f} calls/s ({pcc:.3f} ms server CPU); "
          f"without: {pn:.1f} calls/s ({pnc:.3f} ms): {pc / pn:.2f}x of the calls/s, "
          f"{pcc / pnc:.2f}x the server CPU (target: within 10 %)."]
profile = open(sys.argv[7]).read().strip() if len(sys.argv) > 7 else ""
buffers = open(sys.argv[8]).read().strip() if len(sys.argv) > 8 else ""
if buffers:
    lines += ["", "Buffers the busy lookup of one consultant over 14 days touches (generic plan, "
              "GiST overlap search), without and with the history: "
              + "; ".join(buffers.splitlines()) + "."]
if profile:
    lines += ["", "Profile (perf, cpu-clock, the benchmark's backends):", "", "```", profile, "```"]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
PY
