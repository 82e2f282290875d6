#!/usr/bin/env bash
# The pair workload (bench/pgbench/api.sql: a propose, then its confirm,
# one call per pgbench transaction) through booking_router over 1, 2 and 4
# shards started on this machine by scripts/scaleout.sh, and the same
# workload sent to one shard directly.  Reports throughput, mean latency per
# call, and the router's overhead per call (router latency minus direct
# latency at the same client count).  Writes docs/scaleout-bench.md.
#
# On one machine every shard shares its cores: the numbers show what the
# router costs per call and that spreading consultants loses nothing, not
# the throughput of shards on their own machines.
#
# BENCH_SECONDS (default 10) per run, BENCH_CLIENTS (default 4),
# BENCH_SHARD_COUNTS (default "1 2 4").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
need_root
install_deps postgresql-$PG_MAJOR-plproxy
export PATH="$PG_BIN:$PATH"
SECS=${BENCH_SECONDS:-10}
CLIENTS=${BENCH_CLIENTS:-4}
COUNTS=${BENCH_SHARD_COUNTS:-1 2 4}

export SCALEOUT_DIR
SCALEOUT_DIR=$(mktemp -u /tmp/booking-bench-scaleout.XXXXXX)
trap 'bash scripts/scaleout.sh stop; rm -f "$SCALEOUT_DIR.env"' EXIT
build_and_install >&2
export SCALEOUT_BUILD=0

run_id=1
# pgbench TARGET: "tps latency_ms"
pair() {
	local out base
	base=$(psql -X -At "$1" -c "SELECT extract(epoch FROM date_trunc('hour', now()) + interval '2 days')::bigint")
	run_id=$((run_id + 1))
	out=$(pgbench -n -M prepared -c "$CLIENTS" -j 2 -T "$SECS" -f bench/pgbench/api.sql \
		-D phase=0 -D n=0 -D nk=0 -D run="$run_id" -D base="$base" "$1" 2>&1) ||
		{ echo "$out" >&2; return 1; }
	grep -q 'number of failed transactions: 0 ' <<<"$out" || { echo "$out" >&2; return 1; }
	echo "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out") $(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")"
}

rows=""
for n in $COUNTS; do
	log "$n shard(s): $CLIENTS clients, $SECS s per run" >&2
	SHARDS=$n bash scripts/scaleout.sh start >"$SCALEOUT_DIR.env"
	. "$SCALEOUT_DIR.env"
	read -r -a shard <<<"$BOOKING_SHARDS"
	read -r dtps dlat <<<"$(pair "${shard[0]}")"
	read -r rtps rlat <<<"$(pair "$BOOKING_ROUTER")"
	rows="$rows| $n | $rtps | $rlat | $dtps | $dlat | $(awk -v r="$rlat" -v d="$dlat" 'BEGIN { printf "%.2f", r - d }') | $(awk -v r="$rtps" -v d="$dtps" 'BEGIN { printf "%.2f", r / d }') |
"
	bash scripts/scaleout.sh stop
done

report="# The router's cost: the pair workload over 1, 2 and 4 shards

$(date -u +%Y-%m-%d), $(nproc) cores shared by every server, $CLIENTS clients, $SECS s per run,
load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine moves the numbers),
\`make bench-scaleout\` (bench/router.sh) at $(git rev-parse --short HEAD).
Each pgbench transaction is one call (a propose, or the confirm of its
hold), so latency is per call.  \"direct\" sends the same workload to one
shard's database, without the router.

| shards | router tps | router ms/call | direct tps | direct ms/call | overhead ms/call | router/direct tps |
|---|---|---|---|---|---|---|
$rows
The overhead is the router's PL/pgSQL step, its PL/Proxy round trip to a
shard, and for a propose the two directory steps (the conversation's and
client's directory shards, in parallel, then the record of the hold).  On
one machine the shards share its cores, so more shards cannot add
throughput here; on separate machines each shard brings its own."
echo "$report" >docs/scaleout-bench.md
echo "$report"
