#!/usr/bin/env bash
# A setting refused before the library loaded is reported only while it is
# still the value in force.  Two ways of meeting one:
#  - preloaded: booking in shared_preload_libraries and a bad
#    booking.timezone in postgresql.conf.  The server starts (PostgreSQL
#    only warns), and the first call of each new connection fails with
#    22023; once the file is fixed and the server reloaded, no call of a
#    new connection fails, without a restart.
#  - in a session that had not loaded the library: a bad value SET before
#    the library loads fails the first call; a good value set over it
#    clears it, so the next call works.
# And a policy setting SET by a plain role before the library loaded is
# refused as a SET would have been: 42501.
#
# Starts a throwaway cluster of its own, since it restarts and reloads it.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
export PATH="$PG_BIN:$PATH"
. test/ops/lib.sh
unset PGHOST PGPORT PGDATABASE
on_exit cluster_stop

DB=hardening_settings
# booking preloaded into the postmaster, and not loaded by sessions
cluster_start $DB "shared_preload_libraries = 'pg_cron,booking'" "session_preload_libraries = ''" ||
	{ fail "could not start a cluster"; exit 1; }
q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking CASCADE'
CONF=$CLUSTER_DIR/data/postgresql.conf
propose="SELECT booking_propose('hs-c', 'hs-u', 'hs-v', '$OPS_DAY 10:00')->>'status'"
# each psql is a new connection: its first call is the one that reports
first_call() { sqlstate_of "$propose"; }

# --- preloaded, bad value in postgresql.conf --------------------------------
echo "booking.timezone = 'Mars+3'" >>"$CONF"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -w -m fast restart >/dev/null
check "the server started with the bad value (PostgreSQL only warns)" "$(q -c 'SELECT 1')" 1
check "the first call of a new connection fails with 22023" "$(first_call)" 22023
check "and so does the first call of the next new connection" "$(first_call)" 22023
check "the default is in force after the report" \
	"$(psql -X -A -t -q -c "$propose" -c "$propose" -c "SHOW booking.timezone" 2>/dev/null)" \
	"$(printf '%s\n%s' awaiting_confirm Europe/Rome)"

sed -i "s|^booking.timezone = 'Mars+3'$|booking.timezone = 'Europe/Zurich'|" "$CONF"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" reload >/dev/null
sleep 1
check "after the fix and a reload, the first call of a new connection works" "$(first_call)" none
check "and of the next one" "$(first_call)" none
check "the fixed value is the one in force" "$(q -c 'SHOW booking.timezone')" Europe/Zurich
check "a proposal of a new connection works" "$(q -c "$propose")" awaiting_confirm

# a POSIX zone is refused there too, and replaced the same way
sed -i "s|^booking.timezone = 'Europe/Zurich'$|booking.timezone = 'UTC+3'|" "$CONF"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -w -m fast restart >/dev/null
check "a POSIX zone in postgresql.conf is refused: the first call fails" "$(first_call)" 22023
sed -i "s|^booking.timezone = 'UTC+3'$|booking.timezone = 'UTC'|" "$CONF"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" reload >/dev/null
sleep 1
check "replaced by a zone name and reloaded, the first call works" "$(first_call)" none
sed -i "/^booking.timezone = 'UTC'$/d" "$CONF"

# --- in a session that loads the library late -------------------------------
sed -i "s|^shared_preload_libraries = 'pg_cron,booking'$|shared_preload_libraries = 'pg_cron'|" "$CONF"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -w -m fast restart >/dev/null
check "the library is not preloaded any more" \
	"$(q -c "SELECT count(*) FROM pg_settings WHERE name = 'booking.timezone'")" 0

session=$(psql -X -A -t -q -v VERBOSITY=verbose 2>&1 <<SQL || true
SET booking.timezone = 'Mars/Olympus_Mons';
SET booking.hold_ttl = '5min';
SELECT 'first: ' || ($propose);
SELECT 'second: ' || ($propose);
SQL
)
check_match "a bad value set before the load fails the first call with 22023" "$session" 'ERROR:  22023: invalid value for parameter "booking.timezone"'
check_match "the next call works, with the default in force" "$session" 'second: awaiting_confirm'

session=$(psql -X -A -t -q -v VERBOSITY=verbose 2>&1 <<SQL || true
SET booking.timezone = 'Mars/Olympus_Mons';
LOAD 'booking';
SET booking.timezone = 'Asia/Tokyo';
SELECT 'propose: ' || ($propose);
SELECT 'zone: ' || current_setting('booking.timezone');
SQL
)
check "a bad value replaced by a good one before any call: the next propose works" \
	"$(grep -c ERROR <<<"$session" || true)" 0
check_match "and the good value is in force" "$session" 'zone: Asia/Tokyo'

session=$(psql -X -A -t -q -v VERBOSITY=verbose 2>&1 <<SQL || true
SET booking.timezone = 'Mars/Olympus_Mons';
LOAD 'booking';
RESET booking.timezone;
SELECT 'propose: ' || ($propose);
SQL
)
check "a RESET also replaces it: no call fails" "$(grep -c ERROR <<<"$session" || true)" 0
check_match "and the proposal is made" "$session" 'propose: awaiting_confirm'

# a plain role's value of a superuser's setting, set before the load
q -c 'SET client_min_messages = warning' -c 'DROP ROLE IF EXISTS hs_app' -c 'CREATE ROLE hs_app LOGIN' \
	-c 'GRANT USAGE ON SCHEMA booking TO hs_app' \
	-c 'GRANT EXECUTE ON FUNCTION booking_propose(text, text, text, text, interval, interval, text) TO hs_app'
session=$(psql -X -A -t -q -v VERBOSITY=verbose -U hs_app 2>&1 <<SQL || true
SET booking.max_advance = '9000 years';
SELECT 'first: ' || ($propose);
SELECT 'max_advance: ' || current_setting('booking.max_advance');
SQL
)
check_match "a plain role's max_advance set before the load: the first call fails with 42501" "$session" 'ERROR:  42501: permission denied to set parameter "booking.max_advance"'
check_match "and the default stays in force" "$session" 'max_advance: 365d'
