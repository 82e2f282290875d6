/*
 * The expiry sweep and its pg_cron job.  The sweep is a helper: every
 * function already treats a hold past its expires_at as expired.
 */
#include "booking.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#define EXPIRY_JOB_NAME "booking-expire-holds"

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

PG_FUNCTION_INFO_V1(booking_schedule_expiry);

/*
 * Registers the sweep, or updates its schedule: pg_cron keeps one job per
 * name and user.  The job also trims its own rows of cron.job_run_details,
 * which would otherwise grow by one a run.
 */
Datum
booking_schedule_expiry(PG_FUNCTION_ARGS)
{
	text	   *schedule = booking_arg_text(fcinfo, 0, "schedule");
	char	   *schema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
	char	   *command;
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		args[3];
	bool		isnull;
	int64		jobid;

	require_pg_cron();
	command = psprintf("SELECT %s.booking_expire_holds();"
					   " DELETE FROM cron.job_run_details"
					   " WHERE jobid OPERATOR(pg_catalog.=) ANY (ARRAY("
					   "   SELECT jobid FROM cron.job WHERE jobname OPERATOR(pg_catalog.=) '%s'))"
					   " AND end_time OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) interval '1 day')",
					   quote_identifier(schema), EXPIRY_JOB_NAME);
	args[0] = CStringGetTextDatum(EXPIRY_JOB_NAME);
	args[1] = PointerGetDatum(schedule);
	args[2] = CStringGetTextDatum(command);

	SPI_connect();
	if (SPI_execute_with_args("SELECT cron.schedule($1, $2, $3)", 3, argtypes,
							  args, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "cron.schedule did not return a job id");
	jobid = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	SPI_finish();
	PG_RETURN_INT64(jobid);
}

PG_FUNCTION_INFO_V1(booking_unschedule_expiry);

/* Removes the sweep's job; false if there was none. */
Datum
booking_unschedule_expiry(PG_FUNCTION_ARGS)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		removed;

	if (!OidIsValid(get_extension_oid("pg_cron", true)))
		PG_RETURN_BOOL(false);

	args[0] = CStringGetTextDatum(EXPIRY_JOB_NAME);
	SPI_connect();
	if (SPI_execute_with_args("SELECT cron.unschedule(jobid) FROM cron.job"
							  " WHERE jobname OPERATOR(pg_catalog.=) $1"
							  " AND username OPERATOR(pg_catalog.=) CURRENT_USER",
							  1, argtypes, args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not unschedule the expiry job");
	removed = SPI_processed > 0;
	SPI_finish();
	PG_RETURN_BOOL(removed);
}
