/*
 * booking_pending_state and booking_classifier_context: what the app asks
 * on every turn, so that a bare "ok" stays in tool mode.
 */
#include "booking.h"
#include "consultation.h"

#include "access/xact.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"

/* Reads the client's active hold in the conversation; false if none. */
static bool
find_pending_hold(const char *conversation_id, const char *client_id,
				  TimestampTz now, BookingHold *hold)
{
	Datum		args[3];

	args[0] = CStringGetTextDatum(conversation_id);
	args[1] = CStringGetTextDatum(client_id);
	args[2] = TimestampTzGetDatum(now);
	booking_execute(STMT_ACTIVE_HOLD_OF_CLIENT, args, NULL, 1);
	if (SPI_processed == 0)
		return false;
	booking_hold_from_row(0, hold);
	return true;
}

/* Whole seconds left, rounded down. */
static int64
seconds_left(const BookingHold *hold, TimestampTz now)
{
	return (hold->expires_at - now) / USECS_PER_SEC;
}

PG_FUNCTION_INFO_V1(booking_pending_state);

Datum
booking_pending_state(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	char	   *conversation_id = booking_arg_id(fcinfo, 0, "conversation_id");
	char	   *client_id = booking_arg_id(fcinfo, 1, "client_id");
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	BookingJson json;
	BookingHold hold;
	Jsonb	   *result;

	SPI_connect();
	json.state = NULL;
	pushJsonbValue(&json.state, WJB_BEGIN_OBJECT, NULL);
	if (!find_pending_hold(conversation_id, client_id, now, &hold))
		booking_json_bool(&json, "has_pending_booking", false);
	else
	{
		pg_tz	   *zone = booking_default_zone();

		booking_json_bool(&json, "has_pending_booking", true);
		booking_json_string(&json, "token", hold.token);
		booking_json_string(&json, "consultant_id", hold.consultant_id);
		booking_json_utc(&json, "start_at", hold.start_at);
		booking_json_local(&json, "start_local", hold.start_at, zone);
		booking_json_string(&json, "timezone", booking_zone_name(zone));
		booking_json_utc(&json, "expires_at", hold.expires_at);
		booking_json_int64(&json, "expires_in_seconds", seconds_left(&hold, now));
		if (hold.moves_consultation_id != 0)
			booking_json_int64(&json, "moves_consultation_id", hold.moves_consultation_id);
	}
	result = booking_json_finish(&json, result_cxt);
	SPI_finish();
	PG_RETURN_JSONB_P(result);
}

PG_FUNCTION_INFO_V1(booking_classifier_context);

Datum
booking_classifier_context(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	char	   *conversation_id = booking_arg_id(fcinfo, 0, "conversation_id");
	char	   *client_id = booking_arg_id(fcinfo, 1, "client_id");
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	BookingHold hold;
	StringInfoData buf;
	text	   *result;

	SPI_connect();
	initStringInfo(&buf);
	if (!find_pending_hold(conversation_id, client_id, now, &hold))
		appendStringInfoString(&buf, "Context: hasPendingBooking=false");
	else
	{
		pg_tz	   *zone = booking_default_zone();

		/*
		 * The consultant id is quoted as a JSON string: whatever it holds,
		 * it cannot start a line of its own in the classifier's prompt.
		 */
		appendStringInfoString(&buf, "Context: hasPendingBooking=true\n");
		if (hold.moves_consultation_id != 0)
			booking_describe_pending_move(&buf, &hold, zone);
		else
		{
			appendStringInfo(&buf, "Pending booking %s: consultant ", hold.token);
			escape_json(&buf, hold.consultant_id);
			appendStringInfo(&buf, " at %s (%s)",
							 booking_format_local(hold.start_at, zone),
							 booking_zone_name(zone));
		}
		appendStringInfo(&buf,
						 ", awaiting the client's confirmation; the hold expires at %s, in %lld seconds.",
						 booking_format_utc(hold.expires_at),
						 (long long) seconds_left(&hold, now));
	}
	{
		MemoryContext old = MemoryContextSwitchTo(result_cxt);

		result = cstring_to_text_with_len(buf.data, buf.len);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}
