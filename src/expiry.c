/*
 * The expiry sweep and its pg_cron job.  The sweep is a helper: every
 * function already treats a hold past its expires_at as expired.
 */
#include "booking.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#define EXPIRY_JOB_NAME "booking-expire-holds"
#define PURGE_JOB_NAME "booking-purge-holds"
#define HISTORY_JOB_NAME "booking-job-history"
#define HISTORY_SCHEDULE "23 * * * *"
#define SWEEP_JOB_BATCH_SIZE 1000
#define PURGE_JOB_BATCH_SIZE 10000

PG_FUNCTION_INFO_V1(booking_expire_holds);

/*
 * Marks stale holds expired, batch_size at a time, until a batch comes back
 * short.  Rows that a confirm has locked are skipped: the confirm resolves
 * them itself.
 */
Datum
booking_expire_holds(PG_FUNCTION_ARGS)
{
	int32		batch_size;
	Datum		args[4];
	int64		expired = 0;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("batch_size must not be null")));
	batch_size = PG_GETARG_INT32(0);
	if (batch_size <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size must be positive")));

	args[0] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	args[1] = Int32GetDatum(batch_size);
	args[2] = TimestampTzGetDatum(DT_NOBEGIN);
	args[3] = CStringGetTextDatum("");
	SPI_connect();
	for (;;)
	{
		HeapTuple	row;
		TupleDesc	desc;
		bool		isnull;
		int64		taken;

		CHECK_FOR_INTERRUPTS();
		booking_execute(STMT_EXPIRE_BATCH, args, NULL, 1);
		row = SPI_tuptable->vals[0];
		desc = SPI_tuptable->tupdesc;
		taken = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
		expired += DatumGetInt64(SPI_getbinval(row, desc, 2, &isnull));
		if (taken < batch_size)
			break;
		args[2] = SPI_getbinval(row, desc, 3, &isnull);
		args[3] = SPI_getbinval(row, desc, 4, &isnull);
	}
	SPI_finish();
	PG_RETURN_INT64(expired);
}

static void
require_pg_cron(void)
{
	if (!OidIsValid(get_extension_oid("pg_cron", true)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("pg_cron is not installed in this database"),
				 errhint("Install pg_cron (on Debian: apt-get install postgresql-%d-cron), add it to shared_preload_libraries, set cron.database_name to this database, restart the server, and run CREATE EXTENSION pg_cron.",
						 PG_VERSION_NUM / 10000)));
}

/* cron.schedule: registers the job, or updates the one of that name and user. */
static int64
schedule_job(const char *name, text *schedule, const char *command)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3];
	bool		isnull;

	args[0] = CStringGetTextDatum(name);
	args[1] = PointerGetDatum(schedule);
	args[2] = CStringGetTextDatum(command);
	if (SPI_execute_with_args("SELECT cron.schedule($1, $2, $3)", 3, argtypes,
							  args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "cron.schedule did not return a job id");
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* Removes this user's job of that name; false if there was none. */
static bool
unschedule_job(const char *name)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];

	args[0] = CStringGetTextDatum(name);
	if (SPI_execute_with_args("SELECT cron.unschedule(jobid) FROM cron.job"
							  " WHERE jobname OPERATOR(pg_catalog.=) $1"
							  " AND username OPERATOR(pg_catalog.=) CURRENT_USER",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not unschedule the job %s", name);
	return SPI_processed > 0;
}

/*
 * A job that runs a procedure which commits must be that one CALL: pg_cron
 * sends the command as one query string, and several statements in one
 * string run as one transaction, in which the procedure could not commit.
 * The clean-up of cron.job_run_details, which would otherwise grow by a row
 * a run, is therefore a job of its own, hourly, that deletes the rows older
 * than a day of the booking jobs by their ids (and its own), never of
 * another job that happens to have the same name.  It is rewritten whenever
 * a booking job is scheduled or removed, and removed with the last one.
 */
static void
refresh_history_job(void)
{
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		names[2];
	Datum		args[1];
	bool		isnull;
	Datum		ids;
	int64		history_id;
	char	   *command;
	const char *delete_sql =
		"DELETE FROM cron.job_run_details"
		" WHERE jobid OPERATOR(pg_catalog.=) ANY (%s::pg_catalog.int8[])"
		" AND end_time OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) '1 day'::pg_catalog.interval)";

	names[0] = CStringGetTextDatum(EXPIRY_JOB_NAME);
	names[1] = CStringGetTextDatum(PURGE_JOB_NAME);
	args[0] = PointerGetDatum(construct_array(names, 2, TEXTOID, -1, false, TYPALIGN_INT));
	if (SPI_execute_with_args("SELECT pg_catalog.string_agg(jobid::pg_catalog.text, ',' ORDER BY jobid)"
							  " FROM cron.job WHERE jobname OPERATOR(pg_catalog.=) ANY ($1)"
							  " AND username OPERATOR(pg_catalog.=) CURRENT_USER",
							  1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not list the booking jobs");
	ids = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
	{
		(void) unschedule_job(HISTORY_JOB_NAME);
		return;
	}
	/* first registered (or found) to learn its id, then given its command */
	history_id = schedule_job(HISTORY_JOB_NAME, cstring_to_text(HISTORY_SCHEDULE),
							  psprintf(delete_sql, "'{}'"));
	command = psprintf(delete_sql,
					   quote_literal_cstr(psprintf("{%s,%lld}", TextDatumGetCString(ids),
												   (long long) history_id)));
	(void) schedule_job(HISTORY_JOB_NAME, cstring_to_text(HISTORY_SCHEDULE), command);
}

static char *
extension_schema(FunctionCallInfo fcinfo)
{
	return get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
}

PG_FUNCTION_INFO_V1(booking_schedule_expiry);

/*
 * Registers the sweep, or updates its schedule: pg_cron keeps one job per
 * name and user.  The command names the procedure with its schema and its
 * batch size, so that no routine of the same name elsewhere, or with fewer
 * arguments in the same schema, can make the call ambiguous.
 */
Datum
booking_schedule_expiry(PG_FUNCTION_ARGS)
{
	text	   *schedule = booking_arg_text(fcinfo, 0, "schedule");
	char	   *command;
	int64		jobid;

	require_pg_cron();
	command = psprintf("CALL %s.booking_sweep_holds(%d)",
					   quote_identifier(extension_schema(fcinfo)), SWEEP_JOB_BATCH_SIZE);
	SPI_connect();
	jobid = schedule_job(EXPIRY_JOB_NAME, schedule, command);
	refresh_history_job();
	SPI_finish();
	PG_RETURN_INT64(jobid);
}

PG_FUNCTION_INFO_V1(booking_unschedule_expiry);

/* Removes the sweep's job; false if there was none. */
Datum
booking_unschedule_expiry(PG_FUNCTION_ARGS)
{
	bool		removed;

	if (!OidIsValid(get_extension_oid("pg_cron", true)))
		PG_RETURN_BOOL(false);
	SPI_connect();
	removed = unschedule_job(EXPIRY_JOB_NAME);
	refresh_history_job();
	SPI_finish();
	PG_RETURN_BOOL(removed);
}

PG_FUNCTION_INFO_V1(booking_schedule_purge);

/* Registers the purge of resolved holds older than older_than, or updates it. */
Datum
booking_schedule_purge(PG_FUNCTION_ARGS)
{
	const Interval *older_than = booking_arg_interval(fcinfo, 0, "older_than", NULL);
	text	   *schedule = booking_arg_text(fcinfo, 1, "schedule");
	char	   *span;
	char	   *command;
	int64		jobid;

	if (older_than == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("older_than must not be null")));
	require_pg_cron();
	/* in units that read back the same whatever the job's IntervalStyle */
	span = psprintf("%d months %d days %lld microseconds", older_than->month,
					older_than->day, (long long) older_than->time);
	command = psprintf("CALL %s.booking_purge_holds(%s::pg_catalog.interval, %d)",
					   quote_identifier(extension_schema(fcinfo)),
					   quote_literal_cstr(span), PURGE_JOB_BATCH_SIZE);
	SPI_connect();
	jobid = schedule_job(PURGE_JOB_NAME, schedule, command);
	refresh_history_job();
	SPI_finish();
	PG_RETURN_INT64(jobid);
}

PG_FUNCTION_INFO_V1(booking_unschedule_purge);

/* Removes the purge's job; false if there was none. */
Datum
booking_unschedule_purge(PG_FUNCTION_ARGS)
{
	bool		removed;

	if (!OidIsValid(get_extension_oid("pg_cron", true)))
		PG_RETURN_BOOL(false);
	SPI_connect();
	removed = unschedule_job(PURGE_JOB_NAME);
	refresh_history_job();
	SPI_finish();
	PG_RETURN_BOOL(removed);
}
