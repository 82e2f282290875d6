/*
 * booking_cancel: the client withdraws a hold.
 */
#include "booking.h"

#include "access/xact.h"
#include "utils/builtins.h"

static Jsonb *
cancel_result(const BookingHold *hold, bool changed, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_ok(&json, hold->status);
	booking_json_hold_slot(&json, hold, booking_default_zone());
	if (hold->cancel_reason != NULL)
		booking_json_string(&json, "cancel_reason", hold->cancel_reason);
	booking_json_bool(&json, "changed", changed);
	/* cancelling a move's hold cancels the move: the consultation stays */
	if (hold->moves_consultation_id != 0)
		booking_json_int64(&json, "moves_consultation_id", hold->moves_consultation_id);
	return booking_json_finish(&json, result_cxt);
}

/*
 * No consultant lock: the row lock the UPDATE takes orders a cancel against
 * a confirm of the same hold, and a cancel only ever frees a slot.
 */
static Jsonb *
cancel_hold(text *token, const char *client_id, MemoryContext result_cxt)
{
	Datum		args[3];
	BookingHold hold;

	args[0] = PointerGetDatum(token);
	args[1] = CStringGetTextDatum(client_id);
	args[2] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	booking_execute(STMT_CANCEL_HOLD, args, NULL, 0);
	if (SPI_processed == 1)
	{
		booking_hold_from_row(0, &hold);
		return cancel_result(&hold, true, result_cxt);
	}

	/* not awaiting confirmation (any more): say what it is */
	booking_execute(STMT_HOLD_BY_TOKEN, &args[0], NULL, 0);
	if (SPI_processed == 0)
		return booking_error_result(BOOKING_NOT_FOUND, BOOKING_NOT_FOUND_MESSAGE,
									result_cxt);
	booking_hold_from_row(0, &hold);
	if (strcmp(hold.client_id, client_id) != 0)
		return booking_error_result(BOOKING_NOT_FOUND, BOOKING_NOT_FOUND_MESSAGE,
									result_cxt);
	if (booking_hold_is(&hold, HOLD_CONFIRMED))
		return booking_error_result(BOOKING_NOT_PENDING,
							"That booking is already confirmed; a hold can no longer be cancelled.",
							result_cxt);
	return cancel_result(&hold, false, result_cxt);
}

PG_FUNCTION_INFO_V1(booking_cancel);

Datum
booking_cancel(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	text	   *token = booking_arg_text(fcinfo, 0, "token");
	char	   *client_id = booking_arg_id(fcinfo, 1, "client_id");
	uint32		route;
	Jsonb	   *result;

	if (!booking_token_text_route(token, &route))
		PG_RETURN_JSONB_P(booking_error_result(BOOKING_NOT_FOUND,
											   BOOKING_NOT_FOUND_MESSAGE, result_cxt));
	SPI_connect();
	result = cancel_hold(token, client_id, result_cxt);
	SPI_finish();
	PG_RETURN_JSONB_P(result);
}
