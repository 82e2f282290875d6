/*
 * Moving a booked consultation: booking_propose_move puts a hold on the new
 * slot, and confirming that hold cancels the old consultation and books the
 * new one in one transaction, under the consultant's lock.
 */
#include "booking.h"
#include "bookable.h"
#include "consultation.h"
#include "proposal.h"

#include "access/xact.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

static Jsonb *
not_found_result(MemoryContext result_cxt)
{
	return booking_error_result(BOOKING_NOT_FOUND,
								"There is no such consultation for this client.",
								result_cxt);
}

static Jsonb *
not_movable_result(const BookingConsultation *c, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_error(&json, BOOKING_NOT_PENDING,
							 "That consultation was cancelled or has already been moved, so it cannot be moved.");
	booking_json_int64(&json, "consultation_id", c->id);
	if (c->moved_to != 0)
		booking_json_int64(&json, "moved_to", c->moved_to);
	return booking_json_finish(&json, result_cxt);
}

#define TOO_LATE_TO_MOVE \
	"That consultation is too close to its start, or has begun, to be moved."

/*
 * The checks a move makes before any of propose's: the consultation must be
 * this client's (NOT_FOUND), booked (NOT_PENDING) and not too close to its
 * start (TOO_LATE).  NULL when it can move.
 */
static Jsonb *
refuse_move(const BookingConsultation *c, bool found, TimestampTz now,
			MemoryContext result_cxt)
{
	if (!found)
		return not_found_result(result_cxt);
	if (strcmp(c->status, CONSULTATION_BOOKED) != 0)
		return not_movable_result(c, result_cxt);
	if (booking_consultation_too_late(c, now))
		return booking_too_late_result(c, TOO_LATE_TO_MOVE, result_cxt);
	return NULL;
}

/*
 * Under the proposal's locks: the consultation was read before them, and a
 * cancel or a move may have got there in between.  FOR UPDATE reads the
 * latest version, or under REPEATABLE READ fails with 40001 when the
 * snapshot is older than a change to it.
 */
Jsonb *
booking_move_refused_locked(const Proposal *p, MemoryContext result_cxt)
{
	BookingConsultation c;
	bool		found = booking_consultation_of_client(STMT_CONSULTATION_FOR_UPDATE,
													   p->moves_consultation_id,
													   p->client_id, &c);

	return refuse_move(&c, found, p->now, result_cxt);
}

/*
 * The hold a proposal just inserted is a move's.  (The insert itself stays
 * 1.0's, which the library also runs against an installed 1.0.)
 */
void
booking_mark_move_hold(const char *token, int64 consultation_id)
{
	Datum		args[2];

	args[0] = CStringGetTextDatum(token);
	args[1] = Int64GetDatum(consultation_id);
	booking_execute(STMT_MARK_MOVE_HOLD, args, NULL, 0);
	if (SPI_processed != 1)
		elog(ERROR, "hold %s vanished as it was made", token);
}

PG_FUNCTION_INFO_V1(booking_propose_move);

Datum
booking_propose_move(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	Proposal	p = {0};
	text	   *start_time;
	const Interval *duration;
	const Interval *ttl;
	BookingConsultation c;
	Interval   *length = NULL;
	Jsonb	   *refused;
	bool		found;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("consultation_id must not be null")));
	p.moves_consultation_id = PG_GETARG_INT64(0);
	p.client_id = booking_arg_id(fcinfo, 1, "client_id");
	p.conversation_id = booking_arg_id(fcinfo, 2, "conversation_id");
	start_time = booking_arg_text(fcinfo, 3, "start_time");
	/* without a duration, the consultation's length: known once it is read */
	duration = PG_ARGISNULL(4) ? NULL : booking_arg_duration(fcinfo, 4, NULL);
	ttl = booking_arg_ttl(fcinfo, 5);
	p.zone = PG_ARGISNULL(6) ? booking_default_zone()
		: booking_zone_by_name(text_to_cstring(PG_GETARG_TEXT_PP(6)));

	SPI_connect();
	found = booking_consultation_of_client(STMT_CONSULTATION_BY_ID, p.moves_consultation_id,
										   p.client_id, &c);
	refused = refuse_move(&c, found, GetCurrentTransactionStartTimestamp(), result_cxt);
	if (refused == NULL)
	{
		/* the new hold is the consultation's consultant's, and as long */
		p.consultant_id = MemoryContextStrdup(result_cxt, c.consultant_id);
		length = MemoryContextAllocZero(result_cxt, sizeof(Interval));
		length->time = c.ends_at - c.scheduled_at;
	}
	SPI_finish();
	if (refused != NULL)
		PG_RETURN_JSONB_P(refused);
	/* bounded by booking.max_duration like any duration */
	if (duration == NULL)
		duration = booking_arg_duration(fcinfo, 4, length);

	PG_RETURN_JSONB_P(booking_propose_slot(&p, start_time, duration, ttl, result_cxt));
}

/* ---- the move at confirm ---- */

static void
reread_hold(BookingHold *hold)
{
	Datum		args[1];

	args[0] = CStringGetTextDatum(hold->token);
	booking_execute(STMT_HOLD_BY_TOKEN, args, NULL, 1);
	if (SPI_processed != 1)
		elog(ERROR, "hold %s vanished under its consultant's lock", hold->token);
	booking_hold_from_row(0, hold);
}

/*
 * The move is refused: the hold becomes cancelled with this reason, unless a
 * concurrent booking_cancel got there first (a cancel is never lost); then
 * *hold is read again and NULL returned, for confirm to answer from it.
 */
static Jsonb *
refuse_hold(BookingHold *hold, const char *reason, TimestampTz now, const char *code,
			const char *message, MemoryContext result_cxt)
{
	Datum		args[3];

	args[0] = CStringGetTextDatum(hold->token);
	args[1] = CStringGetTextDatum(reason);
	args[2] = TimestampTzGetDatum(now);
	booking_execute(STMT_MOVE_RESOLVE_HOLD, args, NULL, 0);
	if (SPI_processed == 0)
	{
		reread_hold(hold);
		return NULL;
	}
	booking_hold_from_row(0, hold);
	return booking_hold_error_result(hold, code, message, result_cxt);
}

static bool
new_slot_taken(const BookingHold *hold)
{
	Datum		args[4];

	args[0] = CStringGetTextDatum(hold->consultant_id);
	args[1] = TimestampTzGetDatum(hold->start_at);
	args[2] = TimestampTzGetDatum(hold->end_at);
	args[3] = Int64GetDatum(hold->moves_consultation_id);
	booking_execute(STMT_MOVE_SLOT_TAKEN, args, NULL, 1);
	return SPI_processed > 0;
}

/*
 * SLOT_TAKEN, with alternatives as confirm's carries them (the consultation
 * being moved does not block them); the old consultation keeps its time.
 */
static Jsonb *
slot_taken(BookingHold *hold, TimestampTz now, MemoryContext result_cxt)
{
	Jsonb	   *result = refuse_hold(hold, "slot_taken", now, BOOKING_SLOT_TAKEN,
									 "That slot was booked in the meantime; please choose another time. The consultation keeps its time.",
									 CurrentMemoryContext);

	if (result == NULL)
		return NULL;
	return booking_with_alternatives(result, hold->consultant_id, hold->start_at,
									 hold->end_at, booking_default_zone(),
									 hold->moves_consultation_id, result_cxt);
}

static Jsonb *
moved_result(const BookingHold *hold, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_ok(&json, HOLD_CONFIRMED);
	booking_json_int64(&json, "consultation_id", hold->consultation_id);
	booking_json_hold_slot(&json, hold, booking_default_zone());
	booking_json_bool(&json, "already_confirmed", false);
	booking_json_int64(&json, "moved_from_consultation_id", hold->moves_consultation_id);
	return booking_json_finish(&json, result_cxt);
}

typedef enum MoveWrite
{
	MOVE_WRITTEN,				/* old cancelled, new booked, hold confirmed */
	MOVE_HOLD_CHANGED,			/* the hold is no longer awaiting */
	MOVE_OLD_CHANGED,			/* the old consultation is no longer booked */
	MOVE_INSERT_REFUSED			/* the new consultation met a conflict */
} MoveWrite;

/*
 * The writes of a move, in a subtransaction: confirm the hold (numbering the
 * new consultation), cancel the old consultation pointing at the new one,
 * insert the new one pointing back, and cancel any other hold that would
 * move the old one.  The old one gives way first, or the exclusion
 * constraint would see a move collide with itself.  Anything short of all of
 * it rolls the subtransaction back, so the old consultation stays exactly as
 * it was: never both booked, never neither.
 */
static MoveWrite
write_move_statements(BookingHold *hold, TimestampTz now)
{
	Datum		args[3];
	int64		old_id = hold->moves_consultation_id;

	args[0] = CStringGetTextDatum(hold->token);
	args[1] = TimestampTzGetDatum(now);
	booking_execute(STMT_MOVE_CONFIRM_HOLD, args, NULL, 0);
	if (SPI_processed == 0)
		return MOVE_HOLD_CHANGED;
	booking_hold_from_row(0, hold);

	args[0] = Int64GetDatum(old_id);
	args[1] = Int64GetDatum(hold->consultation_id);
	args[2] = TimestampTzGetDatum(now);
	booking_execute(STMT_MOVE_RETIRE_OLD, args, NULL, 0);
	if (SPI_processed == 0)
		return MOVE_OLD_CHANGED;

	args[0] = CStringGetTextDatum(hold->token);
	args[1] = TimestampTzGetDatum(now);
	booking_execute(STMT_MOVE_INSERT_NEW, args, NULL, 0);
	if (SPI_processed == 0)
		return MOVE_INSERT_REFUSED;

	booking_cancel_move_holds(old_id, now);
	return MOVE_WRITTEN;
}

/*
 * The writes of a move, in a subtransaction: confirm the hold (numbering the
 * new consultation), cancel the old consultation pointing at the new one,
 * insert the new one pointing back, and cancel any other hold that would
 * move the old one.  The old one gives way first, or the exclusion
 * constraint would see a move collide with itself.  Anything short of all of
 * it rolls the subtransaction back, so the old consultation stays exactly as
 * it was: never both booked, never neither.  An error (such as 40001 under
 * SERIALIZABLE) closes the subtransaction before it goes on up, so the
 * caller's transaction block is left as the error found it.
 */
static MoveWrite
write_move(BookingHold *hold, TimestampTz now)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	MoveWrite	outcome;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		outcome = write_move_statements(hold, now);
		if (outcome == MOVE_WRITTEN)
			ReleaseCurrentSubTransaction();
		else
			RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();
	return outcome;
}

/*
 * Confirms a live move hold of this client, under the consultant's lock that
 * confirm took (the hold's consultant is the consultation's).  Returns the
 * outcome, or NULL when the hold was resolved by someone else meanwhile:
 * *hold then holds what it is now, for confirm to answer as for any hold.
 */
Jsonb *
booking_confirm_move(BookingHold *hold, TimestampTz now, MemoryContext result_cxt)
{
	BookingConsultation old;
	bool		found;

	found = booking_consultation_of_client(STMT_CONSULTATION_FOR_UPDATE,
										   hold->moves_consultation_id,
										   hold->client_id, &old) &&
		strcmp(old.consultant_id, hold->consultant_id) == 0;
	if (!found || strcmp(old.status, CONSULTATION_BOOKED) != 0)
		return refuse_hold(hold, "consultation_cancelled", now, BOOKING_NOT_PENDING,
						   "The consultation this would move was cancelled or moved already.",
						   result_cxt);
	if (booking_consultation_too_late(&old, now))
		return refuse_hold(hold, "too_late", now, BOOKING_TOO_LATE, TOO_LATE_TO_MOVE,
						   result_cxt);

	/* checked before writing, so that a refused move writes nothing */
	if (new_slot_taken(hold))
		return slot_taken(hold, now, result_cxt);

	switch (write_move(hold, now))
	{
		case MOVE_WRITTEN:
			return moved_result(hold, result_cxt);
		case MOVE_HOLD_CHANGED:
			reread_hold(hold);
			return NULL;
		case MOVE_OLD_CHANGED:
			elog(ERROR, "consultation " INT64_FORMAT " changed under its consultant's lock",
				 hold->moves_consultation_id);
			break;
		case MOVE_INSERT_REFUSED:
			/* an overlap is SLOT_TAKEN; any other conflict is not the client's */
			if (new_slot_taken(hold))
				return slot_taken(hold, now, result_cxt);
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("could not insert the consultation a move books"),
					 errdetail("A row of booking.consultations written outside the booking functions conflicts with it.")));
	}
	return NULL;				/* not reached */
}

/*
 * The second line of the classifier context for a pending move: which
 * consultation it moves, from when to when.
 */
void
booking_describe_pending_move(StringInfo buf, const BookingHold *hold, pg_tz *zone)
{
	Datum		args[1];

	appendStringInfo(buf, "Pending move %s: consultation " INT64_FORMAT " with consultant ",
					 hold->token, hold->moves_consultation_id);
	escape_json(buf, hold->consultant_id);
	args[0] = Int64GetDatum(hold->moves_consultation_id);
	booking_execute(STMT_CONSULTATION_BY_ID, args, NULL, 1);
	if (SPI_processed == 1)
	{
		BookingConsultation old;

		booking_consultation_from_row(0, &old);
		appendStringInfo(buf, ", from %s", booking_format_local(old.scheduled_at, zone));
	}
	appendStringInfo(buf, " to %s (%s)", booking_format_local(hold->start_at, zone),
					 booking_zone_name(zone));
}
