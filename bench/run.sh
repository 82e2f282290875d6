#!/usr/bin/env bash
# make bench: the extension against a PL/pgSQL implementation of the same
# API (bench/plpgsql.sql), the statements an application would send itself
# (bench/pgbench/app.sql) and the floor, the bare writes
# (bench/pgbench/floor.sql), all on the extension's tables, in one
# throwaway cluster.  Variants alternate within each workload in short runs,
# and the report takes medians, so that other work on the machine falls on
# all variants alike.  Writes docs/benchmarks.md and
# docs/benchmarks.png.
#
# BENCH_SECONDS   length of one short run (default 2; longer runs give
#                 steadier numbers, each extra second adds about 2 minutes)
# BENCH_ROUNDS    runs of each variant per workload (default 3)
# BENCH_HISTORY_ROWS  resolved holds and consultations preloaded for the
#                 history test (default 1000000)
# BENCH_STALE_HOLDS   stale holds for the sweep test (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

SECS=${BENCH_SECONDS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
HISTORY_ROWS=${BENCH_HISTORY_ROWS:-1000000}
STALE_HOLDS=${BENCH_STALE_HOLDS:-100000}
PY=/usr/bin/python3
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

need_root
install_deps gnuplot-nox python3 procps
build_and_install
built_from="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src booking--1.0.sql || echo ' with local changes')"
export PATH="$PG_BIN:$PATH"

work=$(mktemp -d /tmp/booking-bench.XXXXXX)
trap 'cluster_stop; rm -rf "$work"' EXIT

# Sized for this 24 GB machine, and the same for every variant.  No
# checkpoint falls inside the benchmark; pg_stat_statements is loaded but
# counts nothing until the profile turns it on for its own runs.
SETTINGS=(
	"shared_buffers = 4GB"
	"effective_cache_size = 16GB"
	"work_mem = 16MB"
	"maintenance_work_mem = 1GB"
	"wal_buffers = 64MB"
	"max_wal_size = 16GB"
	"min_wal_size = 2GB"
	"checkpoint_timeout = 30min"
	"checkpoint_completion_target = 0.9"
	"random_page_cost = 1.1"
	"jit = off"
	"shared_preload_libraries = 'pg_cron,pg_stat_statements'"
	"pg_stat_statements.track = none"
)
log "starting the benchmark cluster"
cluster_start bench "${SETTINGS[@]}"

# Every run books hours from here on; max_advance is widened because a
# fast client at 1 connection books thousands of consecutive hours.
BASE=$(( ($(date +%s) / 3600 + 48) * 3600 ))
setup_db() {
	local db=$1
	[ "$db" = bench ] || quiet psql -X -q -c "CREATE DATABASE $db"
	quiet psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c 'CREATE EXTENSION booking CASCADE' \
		-c "ALTER DATABASE $db SET booking.max_advance = '36500d'"
}
# quiet CMD...: runs it, and shows its errors only if it fails.
quiet() {
	"$@" >"$work/quiet.out" 2>&1 || { cat "$work/quiet.out" >&2; return 1; }
}
setup_db bench
quiet psql -X -q -v ON_ERROR_STOP=1 -f bench/plpgsql.sql
quiet psql -X -q -c 'CREATE EXTENSION pg_stat_statements'

log "contract checks: extension and PL/pgSQL"
bash bench/check-plpgsql.sh --existing

RESULTS=$work/results.tsv
: >"$RESULTS"
RUN=100

# Server CPU in clock ticks: the postmaster's own and its reaped children's
# (every backend that has exited), plus its live children's.  Other work on
# the machine moves it much less than it moves throughput.
server_ticks() {
	local pm children
	pm=$(head -1 "$CLUSTER_DIR/data/postmaster.pid")
	children=$(ps -o pid= --ppid "$pm" | tr -d ' ' | sed 's|.*|/proc/&/stat|')
	# shellcheck disable=SC2086
	cat "/proc/$pm/stat" $children 2>/dev/null | sed 's/^.*) //' |
		awk 'NR == 1 { t += $12 + $13 + $14 + $15; next } { t += $12 + $13 } END { print t }'
}
server_children() {
	ps -o pid= --ppid "$(head -1 "$CLUSTER_DIR/data/postmaster.pid")" | wc -l
}

# one_run DB VARIANT CLIENTS NK SYNC SECONDS RUN [log]: one pgbench run after
# a VACUUM, so each starts from the same state; writes "tps latency_ms
# bookings calls server_cpu_ms" to $work/run.out, and leaves the
# per-transaction log in $work/txlog* if asked.
one_run() {
	local db=$1 variant=$2 clients=$3 nk=$4 sync=$5 secs=$6 run=$7 want_log=${8:-}
	local script opts="-c synchronous_commit=$sync" jobs=$(( clients < 2 ? 1 : 2 ))
	local mode=$(( nk > 0 ? 1 : 0 ))
	case $variant in
		booking) script=api.sql ;;
		plpgsql) script=api.sql; opts="$opts -c search_path=plbooking,public" ;;
		app) script=app.sql ;;
		floor) script=floor.sql ;;
		floor_oc) script=floor.sql; mode=1 ;;
		floor_named) script=floor.sql; mode=2 ;;
		floor_checks) script=floor.sql; mode=3 ;;
	esac
	psql -X -q -d "$db" -c 'VACUUM ANALYZE booking.pending_bookings, booking.consultations'
	rm -f "$work"/txlog*
	local idle ticks0 ticks1 i
	idle=$(server_children)
	sleep 0.2
	ticks0=$(server_ticks)
	if ! PGOPTIONS="$opts ${EXTRA_PGOPTIONS:-}" pgbench -n -M prepared -c "$clients" -j "$jobs" -T "$secs" \
		-D run="$run" -D base="$BASE" -D n=0 -D phase=0 -D nk="$nk" -D mode="$mode" \
		${want_log:+--log --log-prefix="$work/txlog"} \
		-f "bench/pgbench/$script" "$db" >"$work/pgbench.out" 2>&1 ||
		grep -q 'aborted' "$work/pgbench.out"; then
		cat "$work/pgbench.out" >&2
		echo "pgbench failed: $variant, $clients clients, nk=$nk" >&2
		return 1
	fi
	# the run's backends count once they have exited and been reaped
	for i in $(seq 1 40); do
		[ "$(server_children)" -le "$idle" ] && break
		sleep 0.05
	done
	ticks1=$(server_ticks)
	local tps lat bookings calls
	tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/pgbench.out")
	calls=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
	lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$work/pgbench.out")
	bookings=$(psql -X -At -d "$db" -c "SELECT count(*) FROM booking.consultations
		WHERE status = 'booked' AND consultant_id IN
		      (SELECT ($run * 1000 + g)::text FROM generate_series(0, 99) AS g)")
	echo "$tps $lat $bookings $calls $(( (ticks1 - ticks0) * 1000 / $(getconf CLK_TCK) ))" >"$work/run.out"
}

# p50 and p99 of even (propose) and odd (confirm) transactions of one
# client's log, in ms.
percentiles() {
	cat "$work"/txlog* | awk '{ print $2 % 2, $3 }' | sort -k1,1n -k2,2n | awk '
		{ v[$1, n[$1]++] = $2 }
		END {
			for (k = 0; k < 2; k++) {
				c = n[k]
				p50 = v[k, int((c - 1) * 0.50)]; p99 = v[k, int((c - 1) * 0.99)]
				printf "%s%.3f %.3f", (k ? " " : ""), p50 / 1000, p99 / 1000
			}
		}'
}

VARIANTS=(booking plpgsql app floor)
WORKLOADS=(
	"pairs8 8 0"
	"pairs32 32 0"
	"contention32 32 4"
	"latency1 1 0"
)
for sync in off on; do
	for w in "${WORKLOADS[@]}"; do
		read -r name clients nk <<<"$w"
		log "workload $name, synchronous_commit=$sync: ${#VARIANTS[@]} variants x $ROUNDS rounds x ${SECS}s"
		for round in $(seq 1 "$ROUNDS"); do
			for v in "${VARIANTS[@]}"; do
				RUN=$((RUN + 1))
				if [ "$name" = latency1 ]; then
					one_run bench "$v" "$clients" "$nk" "$sync" "$SECS" "$RUN" log
					pct=$(percentiles)
				else
					one_run bench "$v" "$clients" "$nk" "$sync" "$SECS" "$RUN"
					pct="- - - -"
				fi
				read -r tps lat bookings calls cpu <"$work/run.out"
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$sync" "$v" "$round" \
					"$tps" "$lat" "$bookings" "$SECS" "$pct" "$calls" "$cpu" | tr ' ' '\t' >>"$RESULTS"
				printf '  %-8s round %s: %8.1f calls/s\n' "$v" "$round" "$tps"
			done
		done
	done
done

# What the extension's statement shapes cost without the extension: the
# floor's two statements with ON CONFLICT DO NOTHING as the extension
# writes them, with only the exclusion constraints as arbiters, and with the
# extension's checks folded in; booking alongside, all alternating.
log "statement shapes: pairs, 8 clients, synchronous_commit=off"
for round in $(seq 1 "$ROUNDS"); do
	for v in floor floor_oc floor_named floor_checks booking; do
		RUN=$((RUN + 1))
		one_run bench "$v" 8 0 off "$SECS" "$RUN"
		read -r tps lat bookings calls cpu <"$work/run.out"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t-\t-\t-\t-\t%s\t%s\n' shapes8 off "$v" "$round" \
			"$tps" "$lat" "$bookings" "$SECS" "$calls" "$cpu" >>"$RESULTS"
		printf '  %-12s round %s: %8.1f calls/s\n' "$v" "$round" "$tps"
	done
done

# Scale, history: the same pair workload on an empty database and on one
# with HISTORY_ROWS resolved holds and consultations, alternating, for
# booking and for the floor, which shows what the bigger indexes cost on
# their own.  The runs use the same run numbers in both databases, and the
# history gives those very consultants a past.
log "history: loading $HISTORY_ROWS resolved holds and consultations"
setup_db empty
setup_db history
kids=$(for r in $(seq 1 "$ROUNDS"); do for base in 900 920; do for c in $(seq 0 7); do
	printf '%s,' $(( (base + r) * 1000 + c )); done; done; done)
kids="{${kids%,}}"
t0=$(date -u -d "@$(( $(date +%s) / 3600 * 3600 ))" '+%Y-%m-%d %H:%M:%SZ')
load_started=$(date +%s.%N)
half=$(( HISTORY_ROWS / 2 ))
psql -X -q -d history -v first=0 -v last="$half" -v kids="$kids" -v t0="$t0" -f bench/load-history.sql &
p1=$!
psql -X -q -d history -v first="$half" -v last="$HISTORY_ROWS" -v kids="$kids" -v t0="$t0" -f bench/load-history.sql &
p2=$!
wait $p1
wait $p2
psql -X -q -d history -c 'VACUUM ANALYZE booking.pending_bookings, booking.consultations'
psql -X -q -d history -c 'CHECKPOINT'
load_seconds=$(awk -v a="$load_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
HISTORY=$work/history.tsv
: >"$HISTORY"
for round in $(seq 1 "$ROUNDS"); do
	for v in booking floor; do
		for db in empty history; do
			base=900; [ "$v" = booking ] || base=920
			one_run "$db" "$v" 8 0 off "$SECS" $(( base + round ))
			read -r tps lat bookings calls cpu <"$work/run.out"
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$round" "$tps" "$lat" "$calls" "$cpu" "$v" >>"$HISTORY"
			printf '  %-7s %-8s round %s: %8.1f calls/s\n' "$v" "$db" "$round" "$tps"
		done
	done
done
psql -X -q -d history -v kid=$(( (900 + ROUNDS) * 1000 )) -v cid=$(( (900 + ROUNDS) * 1000 + 500 )) \
	-f bench/explain.sql >"$work/explain-history.txt" 2>&1

# An idle sweep (nothing stale) reads only the index of awaiting holds, so
# the blocks it touches must be the same with and without the history.
for db in empty history; do
	printf '%s\t%s\n' "$db" "$(psql -X -q -At -d "$db" -f bench/idle-sweep-blocks.sql | tail -n 1)"
done >"$work/idle-sweep.tsv"
log "idle sweep: blocks of the holds table and indexes touched"
cat "$work/idle-sweep.tsv"

# Scale, sweep: STALE_HOLDS stale holds expired by the sweep procedure
# (booking_sweep_holds, committing per batch, as the pg_cron job runs it)
# while the pair workload runs.  Throughput inside the sweep's window is
# compared with a run of the same workload, just before, without a sweep,
# and with the rest of the same run.
log "sweep: $STALE_HOLDS stale holds expired under the pair workload"
sweep_secs=$(( SECS * 3 + 8 ))
one_run history booking 8 0 off "$sweep_secs" 949 log
cat "$work"/txlog* | awk '{ printf "%d.%06d\n", $5, $6 }' | sort -n >"$work/nosweep-times.txt"
psql -X -q -d history -v rows="$STALE_HOLDS" -f bench/load-stale.sql
psql -X -q -d history -c 'VACUUM ANALYZE booking.pending_bookings'
one_run history booking 8 0 off "$sweep_secs" 950 log &
runner=$!
sleep $(( SECS + 2 ))
stale=$(psql -X -At -d history -c "SELECT count(*) FROM booking.pending_bookings
	WHERE status = 'awaiting_confirm' AND expires_at <= now()")
t0=$(psql -X -At -d history -c 'SELECT extract(epoch FROM clock_timestamp())')
psql -X -q -d history -c 'CALL booking_sweep_holds()'
t1=$(psql -X -At -d history -c 'SELECT extract(epoch FROM clock_timestamp())')
wait $runner
cat "$work"/txlog* | awk '{ printf "%d.%06d\n", $5, $6 }' | sort -n >"$work/sweep-times.txt"
left=$(psql -X -At -d history -c "SELECT count(*) FROM booking.pending_bookings
	WHERE status = 'awaiting_confirm' AND expires_at <= now()")
printf '%s\n%s\n%s\n' "$t0" "$(( stale - left ))" "$t1" >"$work/sweep.txt"

# Profile: pg_stat_statements over every nested statement, EXPLAIN of the
# kept statements, and perf where the kernel lets it sample.
log "profile: pg_stat_statements, EXPLAIN, perf"
EXTRA_PGOPTIONS="-c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on"
for v in booking floor; do
	psql -X -q -At -c 'SELECT pg_stat_statements_reset()' >/dev/null
	RUN=$((RUN + 1))
	one_run bench "$v" 8 0 off "$SECS" "$RUN"
	psql -X -At -F $'\t' -c "
		SELECT toplevel, calls, plans, round((total_exec_time / calls * 1000)::numeric, 1),
		       round((total_plan_time / greatest(plans, 1) * 1000)::numeric, 1),
		       round(shared_blks_hit::numeric / calls, 1), round(wal_records::numeric / calls, 1),
		       round(wal_bytes / calls), regexp_replace(query, '\s+', ' ', 'g')
		FROM pg_stat_statements
		WHERE calls > 50 AND query !~* '^(VACUUM|SELECT count|SELECT pg_stat)'
		ORDER BY toplevel DESC, total_exec_time DESC" >"$work/pgss-$v.tsv"
done
EXTRA_PGOPTIONS=
# the booking run of the two above: its consultant 3 and client 3
psql -X -q -v kid=$(( (RUN - 1) * 1000 + 3 )) -v cid=$(( (RUN - 1) * 1000 + 503 )) \
	-f bench/explain.sql >"$work/explain-bench.txt" 2>&1

: >"$work/perf.txt"
if command -v perf >/dev/null && perf record -e cpu-clock -o "$work/perf.probe" true >/dev/null 2>&1; then
	RUN=$((RUN + 1))
	one_run bench booking 8 0 off $(( SECS + 2 )) "$RUN" &
	runner=$!
	sleep 1
	pids=$(psql -X -At -c "SELECT string_agg(pid::text, ',') FROM pg_stat_activity
		WHERE application_name = 'pgbench'")
	if [ -n "$pids" ]; then
		perf record -e cpu-clock -F 1999 -g -p "$pids" -o "$work/perf.data" -- sleep "$SECS" >/dev/null 2>&1 || true
	fi
	wait $runner
	if [ -s "$work/perf.data" ]; then
		perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null |
			grep -E '^ +[0-9]' | head -8 >"$work/perf-dso.txt" || true
		perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null |
			grep -E '^ +[0-9]' | head -30 >"$work/perf.txt" || true
		perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
			grep -E '^ +[0-9]' | grep -E 'booking|exec_simple|exec_execute|PortalRun|ExecInsert|ExecUpdate|heap_insert|index_insert|_bt_doinsert|gistdoinsert|check_exclusion|ExecCheckIndexConstraints|SPI_execute_plan|GetCachedPlan|pg_plan_query|XLogInsert|CommitTransaction|LockAcquire|pushJsonbValue|randombytes' |
			head -40 >"$work/perf-children.txt" || true
	fi
fi

# Calendars: free slots against PL/pgSQL and expert SQL, alternatives, and
# propose with a calendar; written to docs/benchmarks-calendar.md.
log "calendars"
CLUSTER_DIR=$CLUSTER_DIR PG_BIN=$PG_BIN bash bench/free-slots.sh --existing

log "report"
machine_cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
machine_mem=$(free -g | awk '/^Mem:/ { print $2 " GB" }')
pg_version=$(psql -X -At -c 'SELECT version()')
total=$(( $(date +%s) - started ))
"$PY" bench/report.py --work "$work" --secs "$SECS" --rounds "$ROUNDS" \
	--history-rows "$HISTORY_ROWS" --stale-holds "$STALE_HOLDS" --load-seconds "$load_seconds" \
	--sweep-left "$left" --nproc "$(nproc)" --cpu "$machine_cpu" --mem "$machine_mem" \
	--pg "$pg_version" --date "$(date -u '+%Y-%m-%d %H:%M UTC')" --elapsed "$total" \
	--settings "$(printf '%s; ' "${SETTINGS[@]}")" \
	--commit "$built_from" \
	--load-before "$load_before" --load-after "$(cut -d' ' -f1-3 /proc/loadavg)" \
	--out docs/benchmarks.md --png docs/benchmarks.png
{
	echo
	echo "## Idle sweep against history"
	echo
	echo "Blocks of \`booking.pending_bookings\` and its indexes that one \`CALL booking_sweep_holds(1000)\`"
	echo "with nothing stale touches, on the empty database and on the one with $HISTORY_ROWS resolved holds:"
	echo
	echo "| database | blocks |"
	echo "|---|---|"
	awk -F'\t' '{ printf "| %s | %s |\n", $1, $2 }' "$work/idle-sweep.tsv"
} >>docs/benchmarks.md
echo "bench: done in $(( $(date +%s) - started )) s"
