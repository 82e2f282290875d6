#!/usr/bin/env bash
# Hostile input at the SQL level: every function of the API called with
# NULLs, empty, 1 MB and 4 MB strings, random code points, invalid UTF-8 (in
# a SQL_ASCII database), extreme timestamps, intervals and batch sizes, and
# hostile settings.  Each call must end in the outcome or SQLSTATE the
# contract gives (test/hostile/cases_*.sql list them), and the backend must
# survive it: every case is one top-level statement, followed on the same
# connection by the statement that records its result; at the end the
# postmaster must not have restarted and the server log must show no crash.
#
# Starts a throwaway cluster of its own, so that its log can be read and a
# crash would not take other suites down with it.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
export PATH="$PG_BIN:$PATH"

HOSTILE_DIR=test/hostile
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

work=$(mktemp -d /tmp/booking-hostile.XXXXXX)
chmod 755 "$work"
trap 'cluster_stop; rm -rf "$work"' EXIT

cron_db=booking_hostile_cron
cluster_start "$cron_db" || { fail "could not start a cluster"; echo "$passed passed, $failed failed"; exit 1; }
started_at=$(sql -At -c "SELECT pg_postmaster_start_time()")

# run_cases DB FILE...: sets DB up, loads the case files, runs every case on
# one connection, then reports each against its expectation.
run_cases() {
	local db=$1; shift
	local script="$work/$db.sql" status rows verdict name expect got f

	echo
	echo "== $db: $*"
	if ! sql -d "$db" -f "$HOSTILE_DIR/setup.sql" >"$work/$db.setup" 2>&1; then
		cat "$work/$db.setup"
		fail "$db: setup failed"
		return
	fi
	for f in "$@"; do
		if ! sql -d "$db" -f "$HOSTILE_DIR/$f" >>"$work/$db.setup" 2>&1; then
			cat "$work/$db.setup"
			fail "$db: could not load $f"
			return
		fi
	done

	# Each case, then the insert that records what it ended in: if the case
	# took the backend down, that insert never happens.
	sql -d "$db" -At -o "$script" -c "
		SELECT CASE kind
			WHEN 'expr' THEN format(E'\\\\set got NONE\nSELECT hostile_label(to_jsonb((%s))) AS got \\\\gset', call)
			ELSE format(E'\\\\set got ok\n%s;', call)
		END || format(E'\nINSERT INTO hostile_results VALUES (%s, :''SQLSTATE'', :''got'');', id)
		FROM hostile_cases ORDER BY id" || { fail "$db: could not generate the cases"; return; }
	psql -X -q -d "$db" -f "$script" >"$work/$db.out" 2>&1
	status=$?
	if [ "$status" -eq 0 ]; then
		pass "$db: all $(grep -c '^INSERT INTO hostile_results' "$script") cases ran on one connection"
	else
		fail "$db: psql ended with status $status (2: the connection was lost)"
		tail -n 5 "$work/$db.out"
	fi

	rows=$(sql -d "$db" -At -F $'\t' -c "
		SELECT r.id IS NOT NULL
		       AND CASE WHEN r.sqlstate = '00000' THEN r.got ELSE r.sqlstate END
		           = ANY (string_to_array(c.expect, '|')),
		       c.name, c.expect,
		       CASE WHEN r.id IS NULL THEN 'nothing: the connection did not survive it'
		            WHEN r.sqlstate = '00000' THEN coalesce(r.got, 'NULL')
		            ELSE 'SQLSTATE ' || r.sqlstate END
		FROM hostile_cases c LEFT JOIN hostile_results r USING (id)
		ORDER BY c.id") || { fail "$db: could not read the results"; return; }
	while IFS=$'\t' read -r verdict name expect got; do
		if [ "$verdict" = t ]; then
			pass "$name -> $got"
		else
			fail "$name: expected $expect, got $got"
		fi
	done <<<"$rows"
}

# the cases of each topic of 1.1 (cases_topic_*.sql), encoding-neutral
topic_cases=$(cd "$HOSTILE_DIR" && ls cases_topic_*.sql 2>/dev/null)

createdb booking_hostile
run_cases booking_hostile cases_common.sql cases_utf8.sql $topic_cases

# Text with any bytes but NUL: invalid UTF-8 reaches the functions.
createdb -E SQL_ASCII -T template0 --locale=C booking_hostile_ascii
PGCLIENTENCODING=SQL_ASCII run_cases booking_hostile_ascii cases_common.sql cases_sql_ascii.sql $topic_cases

sql -d "$cron_db" -c "CREATE EXTENSION pg_cron" >/dev/null
run_cases "$cron_db" cases_cron.sql

echo
echo "== the server after all that"
now_started=$(sql -At -c "SELECT pg_postmaster_start_time()")
if [ -n "$now_started" ] && [ "$now_started" = "$started_at" ]; then
	pass "the postmaster never restarted (started at $started_at)"
else
	fail "the postmaster restarted: started at $started_at, now ${now_started:-unreachable}"
fi
crashes=$(grep -E 'terminated by signal|was terminated by exception|PANIC|TRAP:|server process .* exited with exit code [^0]' \
	"$CLUSTER_DIR/server.log")
if [ -z "$crashes" ]; then
	pass "the server log shows no backend crash"
else
	fail "the server log shows a crash:"
	echo "$crashes" | head -n 10
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
