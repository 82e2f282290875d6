/*
 * booking_consultations and booking_cancel_consultation: a client's booked
 * consultations, listed and cancelled.
 */
#include "booking.h"
#include "consultation.h"

#include "access/xact.h"
#include "utils/builtins.h"

/* How many consultations booking_consultations lists at most. */
#define BOOKING_CONSULTATIONS_LIMIT 100

static char *
text_column(HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	return isnull ? NULL : TextDatumGetCString(value);
}

static int64
int64_column(HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	return isnull ? 0 : DatumGetInt64(value);
}

static TimestampTz
timestamp_column(HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	if (isnull)
		elog(ERROR, "consultation column %d is null", column);
	return DatumGetTimestampTz(value);
}

void
booking_consultation_from_row(int row, BookingConsultation *c)
{
	HeapTuple	tuple = SPI_tuptable->vals[row];
	TupleDesc	desc = SPI_tuptable->tupdesc;

	c->id = int64_column(tuple, desc, 1);
	c->consultant_id = text_column(tuple, desc, 2);
	c->client_id = text_column(tuple, desc, 3);
	c->conversation_id = text_column(tuple, desc, 4);
	c->status = text_column(tuple, desc, 5);
	c->scheduled_at = timestamp_column(tuple, desc, 6);
	c->ends_at = timestamp_column(tuple, desc, 7);
	c->cancel_reason = text_column(tuple, desc, 8);
	c->moved_to = int64_column(tuple, desc, 9);
}

/*
 * Reads consultation id with one of the by-id statements.  False when there
 * is none or it is another client's: the two are answered alike, so that
 * another client's consultation is never revealed.
 */
bool
booking_consultation_of_client(BookingStatement stmt, int64 id, const char *client_id,
							   BookingConsultation *c)
{
	Datum		args[1];

	args[0] = Int64GetDatum(id);
	booking_execute(stmt, args, NULL, 1);
	if (SPI_processed == 0)
		return false;
	booking_consultation_from_row(0, c);
	return strcmp(c->client_id, client_id) == 0;
}

/*
 * start_at < now() + booking.cancel_notice, or begun: a consultation that has
 * begun can never be cancelled or moved, whatever the notice.  A notice of
 * 10,000 years or more puts every consultation out of reach (a start_time
 * cannot name a year past 9999) and is not added, as it could leave the
 * timestamp range.
 */
bool
booking_consultation_too_late(const BookingConsultation *c, TimestampTz now)
{
	const Interval *notice = booking_cancel_notice();
	double		years = notice->month / (double) MONTHS_PER_YEAR +
		notice->day / DAYS_PER_YEAR +
		notice->time / (DAYS_PER_YEAR * USECS_PER_DAY);

	if (c->scheduled_at <= now)
		return true;
	if (!booking_interval_is_positive(notice))
		return false;
	if (years >= 10000)
		return true;
	return c->scheduled_at < booking_timestamp_plus(now, notice, booking_default_zone(),
													"booking.cancel_notice");
}

Jsonb *
booking_too_late_result(const BookingConsultation *c, const char *message,
						MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_error(&json, BOOKING_TOO_LATE, message);
	booking_json_int64(&json, "consultation_id", c->id);
	booking_json_utc(&json, "start_at", c->scheduled_at);
	return booking_json_finish(&json, result_cxt);
}

/* The fields that describe a consultation; start_local in booking.timezone. */
void
booking_json_consultation_slot(BookingJson *json, const BookingConsultation *c)
{
	pg_tz	   *zone = booking_default_zone();

	booking_json_int64(json, "consultation_id", c->id);
	booking_json_string(json, "consultant_id", c->consultant_id);
	booking_json_utc(json, "start_at", c->scheduled_at);
	booking_json_utc(json, "end_at", c->ends_at);
	booking_json_local(json, "start_local", c->scheduled_at, zone);
	booking_json_string(json, "timezone", booking_zone_name(zone));
}

static void
json_nullable_string(BookingJson *json, const char *key, const char *value)
{
	JsonbValue	k;
	JsonbValue	v;

	if (value != NULL)
	{
		booking_json_string(json, key, value);
		return;
	}
	k.type = jbvString;
	k.val.string.len = strlen(key);
	k.val.string.val = (char *) key;
	pushJsonbValue(&json->state, WJB_KEY, &k);
	v.type = jbvNull;
	pushJsonbValue(&json->state, WJB_VALUE, &v);
}

PG_FUNCTION_INFO_V1(booking_consultations);

Datum
booking_consultations(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	char	   *client_id = booking_arg_id(fcinfo, 0, "client_id");
	char	   *conversation_id = PG_ARGISNULL(1) ? NULL
		: booking_arg_id(fcinfo, 1, "conversation_id");
	Datum		args[3];
	char		nulls[3] = {' ', ' ', conversation_id != NULL ? ' ' : 'n'};
	BookingJson json;
	Jsonb	   *result;

	args[0] = CStringGetTextDatum(client_id);
	args[1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	args[2] = conversation_id != NULL ? CStringGetTextDatum(conversation_id) : (Datum) 0;

	SPI_connect();
	booking_execute(STMT_CLIENT_CONSULTATIONS, args, nulls, BOOKING_CONSULTATIONS_LIMIT);

	json.state = NULL;
	pushJsonbValue(&json.state, WJB_BEGIN_OBJECT, NULL);
	booking_json_bool(&json, "ok", true);
	booking_json_begin_array(&json, "consultations");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		BookingConsultation c = {0};

		c.id = int64_column(row, desc, 1);
		c.consultant_id = text_column(row, desc, 2);
		c.scheduled_at = timestamp_column(row, desc, 3);
		c.ends_at = timestamp_column(row, desc, 4);
		pushJsonbValue(&json.state, WJB_BEGIN_OBJECT, NULL);
		booking_json_consultation_slot(&json, &c);
		json_nullable_string(&json, "conversation_id", text_column(row, desc, 5));
		pushJsonbValue(&json.state, WJB_END_OBJECT, NULL);
	}
	booking_json_end_array(&json);
	result = booking_json_finish(&json, result_cxt);
	SPI_finish();
	PG_RETURN_JSONB_P(result);
}

static Jsonb *
cancelled_result(const BookingConsultation *c, bool changed, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_ok(&json, CONSULTATION_CANCELLED);
	booking_json_consultation_slot(&json, c);
	booking_json_bool(&json, "changed", changed);
	if (c->moved_to != 0)
		booking_json_int64(&json, "moved_to", c->moved_to);
	return booking_json_finish(&json, result_cxt);
}

static Jsonb *
not_found_result(MemoryContext result_cxt)
{
	return booking_error_result(BOOKING_NOT_FOUND,
								"There is no such consultation for this client.",
								result_cxt);
}

static Jsonb *
cancel_consultation(int64 id, const char *client_id, TimestampTz now,
					MemoryContext result_cxt)
{
	BookingConsultation c;
	Datum		args[2];

	/* the consultant is known only from the row: read it, lock, read again */
	if (!booking_consultation_of_client(STMT_CONSULTATION_BY_ID, id, client_id, &c))
		return not_found_result(result_cxt);

	/*
	 * The consultant's lock orders this cancel against a move of the same
	 * consultation (confirm holds it) and against propose's look at the
	 * slot.  It is the only lock this call takes.
	 */
	booking_lock_route(booking_consultant_route(c.consultant_id));
	if (!booking_consultation_of_client(STMT_CONSULTATION_FOR_UPDATE, id, client_id, &c))
		return not_found_result(result_cxt);

	/* a retry, or a consultation that was moved: answered, not changed */
	if (strcmp(c.status, CONSULTATION_BOOKED) != 0)
		return cancelled_result(&c, false, result_cxt);
	if (booking_consultation_too_late(&c, now))
		return booking_too_late_result(&c,
									   "That consultation is too close to its start, or has begun, to be cancelled.",
									   result_cxt);

	args[0] = Int64GetDatum(id);
	args[1] = TimestampTzGetDatum(now);
	booking_execute(STMT_CANCEL_CONSULTATION, args, NULL, 0);
	if (SPI_processed != 1)
		elog(ERROR, "consultation " INT64_FORMAT " changed under its consultant's lock", id);
	booking_consultation_from_row(0, &c);

	/* a move of a consultation that no longer exists cannot be confirmed */
	booking_execute(STMT_CANCEL_MOVE_HOLDS, args, NULL, 0);

	return cancelled_result(&c, true, result_cxt);
}

PG_FUNCTION_INFO_V1(booking_cancel_consultation);

Datum
booking_cancel_consultation(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	int64		id;
	char	   *client_id;
	Jsonb	   *result;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("consultation_id must not be null")));
	id = PG_GETARG_INT64(0);
	client_id = booking_arg_id(fcinfo, 1, "client_id");

	SPI_connect();
	result = cancel_consultation(id, client_id, GetCurrentTransactionStartTimestamp(),
								 result_cxt);
	SPI_finish();
	PG_RETURN_JSONB_P(result);
}
