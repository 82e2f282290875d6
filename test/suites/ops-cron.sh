#!/usr/bin/env bash
# The pg_cron job of the expiry sweep: scheduling twice keeps one job,
# unscheduling reports whether there was one, both also under a hostile
# search_path; a database without pg_cron gets SQLSTATE 55000 and a hint;
# and the real scheduler runs the job: stale holds become expired, even with
# a routine of the same name beside the procedure and SERIALIZABLE as the
# database's default, and the history job deletes the job's own
# cron.job_run_details rows older than a day, no other.  pg_cron
# serves one database, the suite's own ($PGDATABASE); everything written
# there is removed at exit.
set -euo pipefail
. test/ops/lib.sh

DB=$PGDATABASE
JOB=booking-expire-holds
TAG=ops-cron-$$

check "pg_cron is preloaded" \
	"$(q -d $DB -c "SELECT 'pg_cron' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ','))")" t
check "pg_cron serves this database" "$(q -d $DB -c "SELECT current_setting('cron.database_name') = current_database()")" t

created=$(q -d $DB -c 'SET client_min_messages = warning' -c "
	SELECT string_agg(e, ' ') FROM unnest(ARRAY['pg_cron', 'btree_gist', 'booking']) AS e
	WHERE NOT EXISTS (SELECT FROM pg_extension WHERE extname = e)")
q -d $DB -c 'SET client_min_messages = warning' \
	-c 'CREATE EXTENSION IF NOT EXISTS pg_cron' -c 'CREATE EXTENSION IF NOT EXISTS booking CASCADE'
job_ids=""
evil_made=""
cleanup() {
	q -d $DB -c 'SELECT booking_unschedule_expiry()' >/dev/null
	q -d $DB -c "SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE '$TAG%'" >/dev/null
	[ -z "$evil_made" ] || q -d $DB -c 'SET client_min_messages = warning' -c 'DROP SCHEMA evil CASCADE'
	q -d $DB -c "ALTER DATABASE \"$DB\" RESET default_transaction_isolation" \
		-c 'DROP PROCEDURE IF EXISTS booking_sweep_holds()' \
		-c 'DROP FUNCTION IF EXISTS booking_expire_holds()' >/dev/null
	q -d $DB -v tag="$TAG" -v ids="${job_ids# }" <<-'SQL'
	DELETE FROM cron.job_run_details WHERE command LIKE :'tag' || '%'
	    OR jobid = ANY (string_to_array(:'ids', ' ')::bigint[]);
	DELETE FROM booking.pending_bookings WHERE consultant_id LIKE :'tag' || '%';
	SQL
	for e in booking btree_gist pg_cron; do
		[[ " $created " == *" $e "* ]] && q -d $DB -c "DROP EXTENSION $e"
	done
}
on_exit cleanup
q -d $DB -c 'SELECT booking_unschedule_expiry()' >/dev/null

job_rows() { q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = '$JOB'"; }

# --- schedule, reschedule, unschedule -------------------------------------
id1=$(q -d $DB -c "SELECT booking_schedule_expiry('*/5 * * * *')")
job_ids="$job_ids $id1"
id2=$(q -d $DB -c "SELECT booking_schedule_expiry('17 3 * * *')")
check "scheduling twice returns the same job id" "$id2" "$id1"
check "scheduling twice keeps exactly one job named $JOB" "$(job_rows)" 1
check "the second call updated the schedule" \
	"$(q -d $DB -c "SELECT jobid || ' ' || schedule || ' ' || active FROM cron.job WHERE jobname = '$JOB'")" \
	"$id1 17 3 * * * true"
check "the job runs the sweep of this database's extension" \
	"$(q -d $DB -c "SELECT database = current_database() AND command LIKE 'CALL public.booking_sweep_holds(%'
	                FROM cron.job WHERE jobname = '$JOB'")" t
check "the job is one CALL of the sweep procedure, by schema and batch size" \
	"$(q -d $DB -c "SELECT command FROM cron.job WHERE jobname = '$JOB'")" \
	"$(q -d $DB -c "SELECT 'CALL ' || quote_ident(n.nspname) || '.booking_sweep_holds(1000)'
	                FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'booking'")"
check "a history job deletes the job's run rows by its id" \
	"$(q -d $DB -c "SELECT h.command LIKE '%DELETE FROM cron.job_run_details%'
	                       AND h.command LIKE '%''{' || s.jobid || ',' || h.jobid || '}''%'
	                FROM cron.job h, cron.job s
	                WHERE h.jobname = 'booking-job-history' AND s.jobname = '$JOB'")" t
check "the default schedule is every minute" \
	"$(q -d $DB -c 'SELECT booking_schedule_expiry()' \
	    -c "SELECT schedule FROM cron.job WHERE jobname = '$JOB'" | tail -n 1)" '* * * * *'
check "unschedule returns true" "$(q -d $DB -c 'SELECT booking_unschedule_expiry()')" t
check "and removes the history job with the last booking job" \
	"$(q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = 'booking-job-history'")" 0
check "the job is gone" "$(job_rows)" 0
check "unschedule again returns false" "$(q -d $DB -c 'SELECT booking_unschedule_expiry()')" f
expect_sqlstate "a NULL schedule raises 22004" 22004 'SELECT booking_schedule_expiry(NULL)' -d $DB
expect_sqlstate "an invalid schedule raises an error" '[0-9A-Z]{5}' \
	"SELECT booking_schedule_expiry('not a schedule')" -d $DB
check "an invalid schedule registers no job" "$(job_rows)" 0

# --- the same under a hostile search_path ------------------------------------
# test/ops/evil-schema.sql makes every = on text true: an unqualified
# comparison would find, and unschedule, any job at all.
q -d $DB -c "SELECT cron.schedule('$TAG-bystander', '0 4 * * *', 'SELECT 1')" >/dev/null
q -d $DB -v verdict=true -f test/ops/evil-schema.sql
evil_made=1
hostile=$(q -d $DB -F ' ' -c 'SET search_path = evil, pg_catalog, public' \
	-c "SELECT booking_schedule_expiry('*/5 * * * *')" -c "SELECT booking_schedule_expiry('*/7 * * * *')" \
	-c "SELECT count(*), min(schedule) FROM cron.job WHERE jobname OPERATOR(pg_catalog.=) '$JOB'" \
	-c 'SELECT booking_unschedule_expiry()' -c 'SELECT booking_unschedule_expiry()' |
	tr '\n' ' ')
id3=${hostile%% *}
job_ids="$job_ids $id3"
check "under a hostile search_path: one job, rescheduled, unscheduled once" "$hostile" \
	"$id3 $id3 1 */7 * * * * t f "
check "under a hostile search_path: other jobs are left alone" \
	"$(q -d $DB -c "SELECT count(*) FROM cron.job WHERE jobname = '$TAG-bystander'")" 1

# --- a database without pg_cron -------------------------------------------
NOCRON=ops_nocron
with_booking $NOCRON
err=$(psql -X -q -v VERBOSITY=verbose -d $NOCRON -c 'SELECT booking_schedule_expiry()' 2>&1 >/dev/null || true)
check "without pg_cron, schedule raises 55000" "$(sed -n 's/^ERROR:  \([0-9A-Z]\{5\}\):.*/\1/p' <<<"$err")" 55000
hint=$(sed -n 's/^HINT:  //p' <<<"$err")
for word in 'apt-get install postgresql-[0-9]+-cron' shared_preload_libraries cron.database_name \
	'CREATE EXTENSION pg_cron'; do
	check_match "the hint says how to install pg_cron: $word" "$hint" "$word"
done
check "without pg_cron, unschedule returns false" "$(q -d $NOCRON -c 'SELECT booking_unschedule_expiry()')" f

# --- the real scheduler -----------------------------------------------------
# A job connects to cron.host unless it runs in a background worker; a
# server that listens on a unix socket only must be told where it is.
reachable=$(q -d $DB -c "SELECT current_setting('cron.use_background_workers')::bool
	OR current_setting('cron.host') LIKE '/%'
	OR current_setting('listen_addresses') <> ''")
if [ "$reachable" != t ]; then
	fail "pg_cron cannot run jobs on this cluster: it listens on no TCP address and cron.host is '$(q -d $DB -c "SHOW cron.host")'; set cron.host to the socket directory or cron.use_background_workers = on"
	exit 1
fi

insert_holds $DB "$TAG-stale" 3 '-1 minute'
for i in 1 2 3; do
	check "a hold with a one-second ttl ($i)" \
		"$(q -d $DB -c "SELECT booking_propose('$TAG-short-$i', '$TAG-client', '$TAG-conv-$i',
		                '$OPS_DAY 10:00', ttl => '1 second')->>'status'")" awaiting_confirm
done
check "a live hold" \
	"$(q -d $DB -c "SELECT booking_propose('$TAG-live', '$TAG-client', '$TAG-conv-live',
	                '$OPS_DAY 10:00', ttl => '1 hour')->>'status'")" awaiting_confirm
sleep 1.5

# what broke the 1.0 job: a routine of the same name, with no argument, in
# the extension's schema, and SERIALIZABLE as the default isolation
q -d $DB -c 'CREATE PROCEDURE booking_sweep_holds() LANGUAGE sql AS $$ SELECT 1 $$' \
	-c 'CREATE FUNCTION booking_expire_holds() RETURNS bigint LANGUAGE sql AS $$ SELECT 0::bigint $$' \
	-c "ALTER DATABASE \"$DB\" SET default_transaction_isolation = serializable"
jobid=$(q -d $DB -c 'SELECT booking_schedule_expiry()')
job_ids="$job_ids $jobid $(q -d $DB -c "SELECT jobid FROM cron.job WHERE jobname = 'booking-job-history'")"
# history that is not the job's own, or not yet a day old, must survive
q -d $DB -v tag="$TAG" -v jobid="$jobid" <<'SQL'
INSERT INTO cron.job_run_details
    (jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
VALUES
 (:jobid, 1, current_database(), current_user, :'tag' || ' old 1', 'succeeded', '1 row',
  now() - interval '2 days 1 minute', now() - interval '2 days'),
 (:jobid, 1, current_database(), current_user, :'tag' || ' old 2', 'failed', 'x',
  now() - interval '25 hours', now() - interval '25 hours'),
 (:jobid, 1, current_database(), current_user, :'tag' || ' recent', 'succeeded', '1 row',
  now() - interval '1 hour 1 minute', now() - interval '1 hour'),
 (-1, 1, current_database(), current_user, :'tag' || ' other job', 'succeeded', '1 row',
  now() - interval '2 days 1 minute', now() - interval '2 days');
SQL

echo "waiting for pg_cron to run job $jobid (it fires on the minute)..."
run=""
deadline=$((SECONDS + 90))
while [ $SECONDS -lt $deadline ]; do
	run=$(q -d $DB -F ' ' -c "SELECT status, return_message FROM cron.job_run_details
	      WHERE jobid = $jobid AND command NOT LIKE '$TAG%' ORDER BY runid DESC LIMIT 1")
	[[ $run == succeeded* || $run == failed* ]] && break
	sleep 2
done
check_match "pg_cron ran the job and it succeeded" "$run" '^succeeded'
check "the stale holds became expired" \
	"$(q -d $DB -c "SELECT count(*) FROM booking.pending_bookings
	                WHERE consultant_id LIKE '$TAG-s%' AND status = 'expired' AND resolved_at IS NOT NULL")" 6
check "the live hold is still awaiting_confirm" \
	"$(q -d $DB -c "SELECT status FROM booking.pending_bookings WHERE consultant_id = '$TAG-live'")" awaiting_confirm
q -d $DB -c "ALTER DATABASE \"$DB\" RESET default_transaction_isolation"
# the history job runs hourly: run its command as pg_cron would
q -d $DB -c "SELECT command FROM cron.job WHERE jobname = 'booking-job-history'" | q -d $DB >/dev/null
check "the history job deleted the job's run rows older than a day, kept the others" \
	"$(q -d $DB -c "SELECT string_agg(substr(command, length('$TAG') + 2), ', ' ORDER BY command)
	                FROM cron.job_run_details WHERE command LIKE '$TAG%'")" "other job, recent"
check "unschedule removes the job that ran" "$(q -d $DB -c 'SELECT booking_unschedule_expiry()')" t
