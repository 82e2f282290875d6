/*
 * booking_confirm and booking_confirm_latest: turn a hold into a booked
 * consultation, or say why not.
 */
#include "booking.h"
#include "bookable.h"
#include "consultation.h"

#include "access/xact.h"
#include "utils/builtins.h"

static Jsonb *
confirmed_result(const BookingHold *hold, int64 consultation_id,
				 bool already_confirmed, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_ok(&json, HOLD_CONFIRMED);
	booking_json_int64(&json, "consultation_id", consultation_id);
	booking_json_hold_slot(&json, hold, booking_default_zone());
	booking_json_bool(&json, "already_confirmed", already_confirmed);
	if (hold->moves_consultation_id != 0)
		booking_json_int64(&json, "moved_from_consultation_id", hold->moves_consultation_id);
	return booking_json_finish(&json, result_cxt);
}

static void
resolve_hold(BookingHold *hold, const char *status, const char *cancel_reason,
			 TimestampTz now)
{
	Datum		args[4];
	char		nulls[4] = {' ', ' ', cancel_reason ? ' ' : 'n', ' '};

	args[0] = CStringGetTextDatum(hold->token);
	args[1] = CStringGetTextDatum(status);
	args[2] = cancel_reason ? CStringGetTextDatum(cancel_reason) : (Datum) 0;
	args[3] = TimestampTzGetDatum(now);
	booking_execute(STMT_RESOLVE_HOLD, args, nulls, 0);
	hold->status = (char *) status;
	hold->cancel_reason = (char *) cancel_reason;
}

/*
 * Marks an awaiting hold past its time expired, only if it is still
 * awaiting: a cancel that committed while this call waited for the row
 * stands, with its reason.  False if the hold was no longer awaiting.
 */
static bool
expire_hold(BookingHold *hold, TimestampTz now)
{
	Datum		args[2];

	args[0] = CStringGetTextDatum(hold->token);
	args[1] = TimestampTzGetDatum(now);
	booking_execute(STMT_EXPIRE_AWAITING_HOLD, args, NULL, 0);
	if (SPI_processed == 0)
		return false;
	booking_hold_from_row(0, hold);
	return true;
}

/*
 * Why a hold that the confirming statement did not confirm was not.  Sets
 * *cancelled when the hold is this client's and was cancelled.  A hold
 * found awaiting is read again if another transaction resolved it first.
 */
static Jsonb *
refusal(text *token, const char *client_id, TimestampTz now, bool *cancelled,
		MemoryContext result_cxt)
{
	Datum		args[1];
	BookingHold hold;

	args[0] = PointerGetDatum(token);
	for (int reads = 1;; reads++)
	{
		booking_execute(STMT_HOLD_BY_TOKEN, args, NULL, 0);
		if (SPI_processed == 0)
			return booking_error_result(BOOKING_NOT_FOUND, BOOKING_NOT_FOUND_MESSAGE, result_cxt);
		booking_hold_from_row(0, &hold);

		/* another client's token is answered as if it did not exist */
		if (strcmp(hold.client_id, client_id) != 0)
			return booking_error_result(BOOKING_NOT_FOUND, BOOKING_NOT_FOUND_MESSAGE, result_cxt);

		/*
		 * The confirming statement leaves a live move hold to the move; it
		 * answers, or reads the hold again when a concurrent call resolved
		 * it first, for the answers below.
		 */
		if (hold.moves_consultation_id != 0 && booking_hold_is(&hold, HOLD_AWAITING) &&
			hold.expires_at > now)
		{
			Jsonb	   *moved = booking_confirm_move(&hold, now, result_cxt);

			if (moved != NULL)
				return moved;
		}
		if (booking_hold_is(&hold, HOLD_CONFIRMED))
			return confirmed_result(&hold, hold.consultation_id, true, result_cxt);
		*cancelled = booking_hold_is(&hold, HOLD_CANCELLED);
		if (*cancelled)
			return booking_hold_error_result(&hold, BOOKING_NOT_PENDING,
									 "That booking was cancelled and can no longer be confirmed.",
									 result_cxt);
		/* awaiting, so past its time (or the statement would have confirmed it) */
		if (booking_hold_is(&hold, HOLD_EXPIRED) || expire_hold(&hold, now) || reads == 2)
			return booking_hold_error_result(&hold, BOOKING_EXPIRED,
									 "The hold on that slot has expired; propose the slot again.",
									 result_cxt);
	}
}

static Jsonb *
confirm_locked(text *token, const char *client_id, bool *cancelled,
			   MemoryContext result_cxt)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	Datum		args[3];
	BookingHold hold;
	bool		isnull;

	args[0] = PointerGetDatum(token);
	args[1] = CStringGetTextDatum(client_id);
	args[2] = TimestampTzGetDatum(now);
	booking_execute(STMT_CONFIRM_HOLD, args, NULL, 0);
	if (SPI_processed == 0)
		return refusal(token, client_id, now, cancelled, result_cxt);

	booking_hold_from_row(0, &hold);
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
						 BOOKING_HOLD_NCOLUMNS + 1, &isnull);
	if (!isnull)
		return confirmed_result(&hold, hold.consultation_id, false, result_cxt);

	/* the consultation overlaps a booked one: the hold is cancelled instead */
	resolve_hold(&hold, HOLD_CANCELLED, "slot_taken", now);
	return booking_with_alternatives(booking_hold_error_result(&hold, BOOKING_SLOT_TAKEN,
													   "That slot was booked in the meantime; please choose another time.",
													   CurrentMemoryContext),
									 hold.consultant_id, hold.start_at, hold.end_at,
									 booking_default_zone(), 0, result_cxt);
}

/*
 * Confirms the hold of this token for this client.  *cancelled says whether
 * the answer is NOT_PENDING because the hold had been cancelled; the
 * consultant lock taken, if any, is reported in *locked_route.
 */
static Jsonb *
confirm_token(text *token, const char *client_id, bool *cancelled,
			  uint32 *locked_route, MemoryContext result_cxt)
{
	uint32		route;
	Jsonb	   *result;

	*cancelled = false;

	/* a malformed token names no hold */
	if (!booking_token_text_route(token, &route))
		return booking_error_result(BOOKING_NOT_FOUND, BOOKING_NOT_FOUND_MESSAGE, result_cxt);

	/*
	 * The lock is the consultant's because the token carries the consultant's
	 * routing key; a row written around the API with a token of another
	 * consultant is still walled by the indexes.
	 */
	booking_lock_route(route);
	if (locked_route != NULL)
		*locked_route = route;
	SPI_connect();
	result = confirm_locked(token, client_id, cancelled, result_cxt);
	SPI_finish();
	return result;
}

PG_FUNCTION_INFO_V1(booking_confirm);

Datum
booking_confirm(PG_FUNCTION_ARGS)
{
	text	   *token = booking_arg_text(fcinfo, 0, "token");
	char	   *client_id = booking_arg_id(fcinfo, 1, "client_id");
	bool		cancelled;

	PG_RETURN_JSONB_P(confirm_token(token, client_id, &cancelled, NULL, CurrentMemoryContext));
}

/*
 * The token of the conversation's newest active hold, if it is this
 * client's (and this consultant's, when one is named): a bare "ok" must not
 * confirm anything else.  NULL otherwise.
 */
static text *
latest_token(const char *conversation_id, const char *client_id,
			 const char *consultant_id, MemoryContext result_cxt)
{
	Datum		args[2];
	text	   *token = NULL;

	args[0] = CStringGetTextDatum(conversation_id);
	args[1] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	SPI_connect();
	booking_execute(STMT_LATEST_ACTIVE_HOLD, args, NULL, 1);
	if (SPI_processed == 1)
	{
		BookingHold hold;

		booking_hold_from_row(0, &hold);
		if (strcmp(hold.client_id, client_id) == 0 &&
			(consultant_id == NULL || strcmp(hold.consultant_id, consultant_id) == 0))
		{
			MemoryContext old = MemoryContextSwitchTo(result_cxt);

			token = cstring_to_text(hold.token);
			MemoryContextSwitchTo(old);
		}
	}
	SPI_finish();
	return token;
}

/* A hold cancelled more often than this under one call is left to the caller. */
#define CONFIRM_LATEST_ATTEMPTS 3

PG_FUNCTION_INFO_V1(booking_confirm_latest);

/*
 * The conversation's lock is taken first, in propose's order: while it is
 * held no proposal of this client in this conversation can supersede the
 * chosen hold, and the call waits for one in progress without holding any
 * consultant's lock (holding one while waiting is what let two fallback
 * confirms deadlock).  The chosen hold's consultant is locked next.  A hold
 * cancelled meanwhile (booking_cancel takes neither lock) makes the call
 * choose again, but never lock a second consultant: a hold of another
 * consultant found then is left for the next call.
 */
Datum
booking_confirm_latest(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	char	   *conversation_id = booking_arg_id(fcinfo, 0, "conversation_id");
	char	   *client_id = booking_arg_id(fcinfo, 1, "client_id");
	char	   *consultant_id = PG_ARGISNULL(2) ? NULL
		: booking_arg_id(fcinfo, 2, "consultant_id");
	Jsonb	   *result = NULL;
	uint32		locked_route = 0;

	booking_lock_conversation(conversation_id, client_id);
	for (int attempt = 1;; attempt++)
	{
		text	   *token = latest_token(conversation_id, client_id, consultant_id, result_cxt);
		uint32		route;
		bool		cancelled;

		if (token == NULL)
			PG_RETURN_JSONB_P(booking_error_result(BOOKING_NOT_FOUND,
												   "There is no pending booking of this client to confirm in this conversation.",
												   result_cxt));
		if (result != NULL && booking_token_text_route(token, &route) && route != locked_route)
			PG_RETURN_JSONB_P(result);
		result = confirm_token(token, client_id, &cancelled, &locked_route, result_cxt);
		if (!cancelled || attempt == CONFIRM_LATEST_ATTEMPTS)
			PG_RETURN_JSONB_P(result);
	}
}
