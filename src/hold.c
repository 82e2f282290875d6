/*
 * Holds as the statements return them (BOOKING_HOLD_COLUMNS), and the slot
 * fields every result that describes a hold carries.
 */
#include "booking.h"

static char *
text_column(HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	return isnull ? NULL : TextDatumGetCString(value);
}

/* The timestamp columns of a hold are NOT NULL. */
static TimestampTz
timestamp_column(HeapTuple row, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		value = SPI_getbinval(row, desc, column, &isnull);

	if (isnull)
		elog(ERROR, "hold column %d is null", column);
	return DatumGetTimestampTz(value);
}

void
booking_hold_from_row(int row, BookingHold *hold)
{
	HeapTuple	tuple = SPI_tuptable->vals[row];
	TupleDesc	desc = SPI_tuptable->tupdesc;
	bool		isnull;
	Datum		consultation;

	hold->token = text_column(tuple, desc, 1);
	hold->consultant_id = text_column(tuple, desc, 2);
	hold->client_id = text_column(tuple, desc, 3);
	hold->conversation_id = text_column(tuple, desc, 4);
	hold->status = text_column(tuple, desc, 5);
	hold->start_at = timestamp_column(tuple, desc, 6);
	hold->end_at = timestamp_column(tuple, desc, 7);
	hold->expires_at = timestamp_column(tuple, desc, 9);
	consultation = SPI_getbinval(tuple, desc, 10, &isnull);
	hold->consultation_id = isnull ? 0 : DatumGetInt64(consultation);
	hold->cancel_reason = text_column(tuple, desc, 11);
	consultation = SPI_getbinval(tuple, desc, 12, &isnull);
	hold->moves_consultation_id = isnull ? 0 : DatumGetInt64(consultation);
}

bool
booking_hold_is(const BookingHold *hold, const char *status)
{
	return strcmp(hold->status, status) == 0;
}

void
booking_json_hold_slot(BookingJson *json, const BookingHold *hold, pg_tz *zone)
{
	booking_json_string(json, "token", hold->token);
	booking_json_string(json, "consultant_id", hold->consultant_id);
	booking_json_utc(json, "start_at", hold->start_at);
	booking_json_utc(json, "end_at", hold->end_at);
	booking_json_local(json, "start_local", hold->start_at, zone);
	booking_json_string(json, "timezone", booking_zone_name(zone));
}

/*
 * A business error about a hold, with the hold's state beside the code, and
 * the consultation it would move when it is a move's.
 */
Jsonb *
booking_hold_error_result(const BookingHold *hold, const char *code, const char *message,
						  MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_error(&json, code, message);
	booking_json_string(&json, "token", hold->token);
	booking_json_string(&json, "status", hold->status);
	if (hold->cancel_reason != NULL)
		booking_json_string(&json, "cancel_reason", hold->cancel_reason);
	booking_json_utc(&json, "expires_at", hold->expires_at);
	if (hold->moves_consultation_id != 0)
		booking_json_int64(&json, "moves_consultation_id", hold->moves_consultation_id);
	return booking_json_finish(&json, result_cxt);
}
