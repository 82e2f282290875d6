/*
 * The procedures that commit after each batch: booking_sweep_holds (stale
 * holds become expired) and booking_purge_holds (old resolved holds are
 * deleted).  A live call that meets a row of a batch waits for that batch
 * only, never for the whole run.
 *
 * A procedure that commits cannot be SECURITY DEFINER, so these run as their
 * caller, and each batch does its table work as the owner of the tables:
 * a role granted EXECUTE needs no right on them, as for every function.
 */
#include "booking.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

/* One batch, in its own transaction; true when nothing is left to do. */
typedef bool (*BatchStep) (void *state);

static Oid
tables_owner(void)
{
	Oid			relid = get_relname_relid("pending_bookings",
										  get_namespace_oid("booking", false));
	HeapTuple	tuple;
	Oid			owner;

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("table booking.pending_bookings does not exist")));
	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	owner = ((Form_pg_class) GETSTRUCT(tuple))->relowner;
	ReleaseSysCache(tuple);
	return owner;
}

/* One batch as the tables' owner; the caller's identity is restored even on error. */
static bool
run_batch_as(Oid owner, Oid caller, int caller_context, BatchStep step, void *state)
{
	volatile bool done = false;

	SetUserIdAndSecContext(owner, caller_context | SECURITY_LOCAL_USERID_CHANGE);
	PG_TRY();
	{
		done = step(state);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(caller, caller_context);
	}
	PG_END_TRY();
	return done;
}

/*
 * Runs step until it says it is done, each call in a READ COMMITTED
 * transaction of its own, as the tables' owner.  The caller's transaction
 * (the CALL's) is committed first: it may be SERIALIZABLE, by
 * default_transaction_isolation, and a batch must not be.
 */
static void
run_in_batches(FunctionCallInfo fcinfo, const char *procedure, BatchStep step, void *state)
{
	CallContext *call = (CallContext *) fcinfo->context;
	Oid			owner;
	Oid			caller;
	int			caller_context;
	bool		done = false;

	if (call == NULL || !IsA(call, CallContext) || call->atomic)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
				 errmsg("%s cannot run inside a transaction block", procedure),
				 errdetail("It commits after each batch."),
				 errhint("Run it with CALL outside BEGIN ... COMMIT, and not from a function.")));

	owner = tables_owner();
	GetUserIdAndSecContext(&caller, &caller_context);
	if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
		elog(ERROR, "could not connect to SPI");
	while (!done)
	{
		SPI_commit();
		/* no snapshot is taken yet in the new transaction */
		XactIsoLevel = XACT_READ_COMMITTED;
		done = run_batch_as(owner, caller, caller_context, step, state);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_finish();
}

static int32
batch_size_arg(FunctionCallInfo fcinfo, int argno)
{
	int32		batch_size;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("batch_size must not be null")));
	batch_size = PG_GETARG_INT32(argno);
	if (batch_size <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("batch_size must be positive")));
	return batch_size;
}

/* ---- the sweep ---- */

typedef struct SweepState
{
	int32		batch_size;
	TimestampTz after_expires_at;	/* where the previous batch stopped */
	char		after_token[BOOKING_MAX_ID_BYTES + 64];
	bool		token_fits;
} SweepState;

static bool
sweep_batch(void *arg)
{
	SweepState *state = arg;
	Datum		args[4];
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;
	int64		taken;
	Datum		token;

	args[0] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	args[1] = Int32GetDatum(state->batch_size);
	args[2] = TimestampTzGetDatum(state->after_expires_at);
	args[3] = CStringGetTextDatum(state->after_token);
	booking_execute(STMT_EXPIRE_BATCH, args, NULL, 1);
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	taken = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
	if (taken < state->batch_size)
		return true;

	/*
	 * The position is kept across the commit in this struct, not in SPI's
	 * memory.  A token too long to keep (only a row written around the API
	 * has one) makes the next batch start from the beginning again, which
	 * is slower, never wrong.
	 */
	state->after_expires_at = DatumGetTimestampTz(SPI_getbinval(row, desc, 3, &isnull));
	token = SPI_getbinval(row, desc, 4, &isnull);
	if (VARSIZE_ANY_EXHDR(DatumGetPointer(token)) < sizeof(state->after_token))
		text_to_cstring_buffer((text *) DatumGetPointer(token), state->after_token,
							   sizeof(state->after_token));
	else
	{
		state->after_expires_at = DT_NOBEGIN;
		state->after_token[0] = '\0';
	}
	return false;
}

PG_FUNCTION_INFO_V1(booking_sweep_holds);

/*
 * Marks stale holds expired, as booking_expire_holds does, but commits after
 * each batch, so that a live call that meets a swept row waits for one batch
 * at most.
 */
Datum
booking_sweep_holds(PG_FUNCTION_ARGS)
{
	SweepState	state = {0};

	state.batch_size = batch_size_arg(fcinfo, 0);
	state.after_expires_at = DT_NOBEGIN;
	run_in_batches(fcinfo, "booking_sweep_holds", sweep_batch, &state);
	PG_RETURN_VOID();
}

/* ---- the purge ---- */

typedef struct PurgeState
{
	int32		batch_size;
	TimestampTz before;			/* resolved at or before this */
	ItemPointerData after;		/* where the previous batch stopped */
} PurgeState;

static bool
purge_batch(void *arg)
{
	PurgeState *state = arg;
	Datum		args[3];
	HeapTuple	row;
	TupleDesc	desc;
	bool		isnull;
	int64		taken;
	Datum		last;

	args[0] = TimestampTzGetDatum(state->before);
	args[1] = Int32GetDatum(state->batch_size);
	args[2] = PointerGetDatum(&state->after);	/* tid is passed by reference */
	booking_execute(STMT_PURGE_BATCH, args, NULL, 1);
	row = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	taken = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
	if (taken < state->batch_size)
		return true;
	last = SPI_getbinval(row, desc, 2, &isnull);
	if (isnull)
		return true;
	ItemPointerCopy((ItemPointer) DatumGetPointer(last), &state->after);
	return false;
}

PG_FUNCTION_INFO_V1(booking_purge_holds);

/*
 * Deletes holds resolved (confirmed, expired or cancelled) longer than
 * older_than ago, batch_size at a time, committing after each batch.  A
 * hold still awaiting confirmation is never deleted.  A consultation keeps
 * its own copy of everything it needs, the hold's token included.
 */
Datum
booking_purge_holds(PG_FUNCTION_ARGS)
{
	PurgeState	state = {0};
	const Interval *older_than;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("older_than must not be null")));
	older_than = booking_arg_interval(fcinfo, 0, "older_than", NULL);
	state.batch_size = batch_size_arg(fcinfo, 1);
	state.before = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
														   TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()),
														   IntervalPGetDatum(older_than)));
	ItemPointerSet(&state.after, 0, 0);
	run_in_batches(fcinfo, "booking_purge_holds", purge_batch, &state);
	PG_RETURN_VOID();
}
