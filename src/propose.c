/*
 * booking_propose: put a short-lived hold on a slot.
 */
#include "booking.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "bookable.h"
#include "consultation.h"
#include "proposal.h"
#include "timeparse.h"


static Jsonb *
ambiguous_result(const TimestampTz instants[2], pg_tz *zone, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_error(&json, BOOKING_AMBIGUOUS_TIME,
							 "That local time occurs twice, because the clocks go back then; choose one of the candidates.");
	booking_json_string(&json, "timezone", booking_zone_name(zone));
	booking_json_begin_array(&json, "candidates");
	booking_json_array_string(&json, booking_format_local(instants[0], zone));
	booking_json_array_string(&json, booking_format_local(instants[1], zone));
	booking_json_end_array(&json);
	return booking_json_finish(&json, result_cxt);
}

static Jsonb *
hold_result(const BookingHold *hold, pg_tz *zone, bool reused,
			const char *superseded_token, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_ok(&json, HOLD_AWAITING);
	booking_json_hold_slot(&json, hold, zone);
	booking_json_utc(&json, "expires_at", hold->expires_at);
	booking_json_bool(&json, "reused", reused);
	if (hold->moves_consultation_id != 0)
		booking_json_int64(&json, "moves_consultation_id", hold->moves_consultation_id);
	if (superseded_token != NULL)
		booking_json_string(&json, "superseded_token", superseded_token);
	return booking_json_finish(&json, result_cxt);
}

/*
 * A live hold of this client's conversation is returned again only to the
 * same kind of call on the same slot: a propose for a propose's hold, a move
 * of the same consultation for a move's hold.  Any other is superseded.
 */
static bool
reusable_by(const BookingHold *hold, const Proposal *p)
{
	return hold->start_at == p->start_at && hold->end_at == p->end_at &&
		strcmp(hold->consultant_id, p->consultant_id) == 0 &&
		hold->moves_consultation_id == p->moves_consultation_id;
}

/*
 * Marks the given holds: stale ones expired, live ones superseded.  Returns
 * the token of a live one that was superseded, or NULL.
 */
static char *
retire_holds(Datum *tokens, int ntokens, TimestampTz now)
{
	Datum		args[2];
	char	   *superseded = NULL;

	args[0] = PointerGetDatum(construct_array(tokens, ntokens, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = TimestampTzGetDatum(now);
	booking_execute(STMT_RETIRE_HOLDS, args, NULL, 0);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *status = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

		if (strcmp(status, HOLD_CANCELLED) == 0)
			superseded = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
	}
	return superseded;
}

/* Inserts the new hold with one of the insert statements; false if refused. */
static bool
insert_hold(BookingStatement stmt, const Proposal *p, const char *token)
{
	Datum		args[9];
	char		nulls[9] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	p->moves_consultation_id != 0 ? ' ' : 'n'};

	args[0] = CStringGetTextDatum(token);
	args[1] = CStringGetTextDatum(p->consultant_id);
	args[2] = CStringGetTextDatum(p->client_id);
	args[3] = CStringGetTextDatum(p->conversation_id);
	args[4] = TimestampTzGetDatum(p->start_at);
	args[5] = TimestampTzGetDatum(p->end_at);
	args[6] = TimestampTzGetDatum(p->now);
	args[7] = TimestampTzGetDatum(p->expires_at);
	args[8] = Int64GetDatum(p->moves_consultation_id);
	booking_execute(stmt, args, nulls, 0);
	if (SPI_processed != 1)
		return false;
	if (p->moves_consultation_id != 0)
		booking_mark_move_hold(token, p->moves_consultation_id);
	return true;
}

/*
 * Under REPEATABLE READ the checks read the transaction's snapshot, taken
 * before the locks.  Holds of other clients meet the new hold in the
 * indexes, which see past any snapshot; but a booking of the slot, or a hold
 * of this client's conversation, committed since the snapshot would go
 * unseen.  Before a proposal writes, either is a serialization failure,
 * found as foreign-key checks find theirs: by asking again against the
 * latest committed state.  A refusal is answered from the snapshot alone.
 */
static void
count_unseeable(bool latest, Datum *slot_args, const char *slot_nulls, int64 counts[2])
{
	bool		isnull;

	if (latest)
		booking_execute_latest(STMT_PROPOSE_PROBE, slot_args, slot_nulls, 1);
	else
		booking_execute(STMT_PROPOSE_PROBE, slot_args, slot_nulls, 1);
	for (int i = 0; i < 2; i++)
		counts[i] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
												SPI_tuptable->tupdesc, i + 1, &isnull));
}

static void
refuse_stale_snapshot(Datum *slot_args, const char *slot_nulls)
{
	int64		in_snapshot[2];
	int64		committed[2];

	if (!IsolationUsesXactSnapshot())
		return;
	count_unseeable(false, slot_args, slot_nulls, in_snapshot);
	count_unseeable(true, slot_args, slot_nulls, committed);
	if (in_snapshot[0] != committed[0] || in_snapshot[1] != committed[1])
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to a concurrent booking"),
				 errhint("Retry the transaction.")));
}

/* The checks and writes of a proposal, under the consultant's lock. */
static Jsonb *
propose_locked(const Proposal *p, MemoryContext result_cxt)
{
	Datum		args[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', p->moves_consultation_id != 0 ? ' ' : 'n'};
	BookingHold *holds;
	BookingHold *reusable = NULL;
	Datum	   *retired;
	int			nholds;
	int			nretired = 0;
	bool		held = false;
	char	   *superseded = NULL;
	BookingHold created = {0};

	/* the consultation may have been cancelled or moved since it was read */
	if (p->moves_consultation_id != 0)
	{
		Jsonb	   *refused = booking_move_refused_locked(p, result_cxt);

		if (refused != NULL)
			return refused;
	}

	/*
	 * 1.1: working hours and time off, read under the lock with a fresh
	 * snapshot, so a concurrent change of them is seen whole or not at all.
	 */
	if (booking_slot_unavailable(p->consultant_id, p->start_at, p->end_at))
		return booking_refusal_with_alternatives(BOOKING_UNAVAILABLE,
												 BOOKING_UNAVAILABLE_MESSAGE,
												 p->consultant_id, p->start_at,
												 p->end_at, p->zone, p->moves_consultation_id, result_cxt);

	created.token = booking_new_token(p->route);
	created.consultant_id = (char *) p->consultant_id;
	created.start_at = p->start_at;
	created.end_at = p->end_at;
	created.expires_at = p->expires_at;
	created.moves_consultation_id = p->moves_consultation_id;

	args[0] = CStringGetTextDatum(p->consultant_id);
	args[1] = TimestampTzGetDatum(p->start_at);
	args[2] = TimestampTzGetDatum(p->end_at);
	args[3] = CStringGetTextDatum(p->conversation_id);
	args[4] = CStringGetTextDatum(p->client_id);
	args[5] = Int64GetDatum(p->moves_consultation_id);

	/*
	 * Most proposals meet no hold on the slot or in the conversation and no
	 * booking: one statement checks that and inserts.  The rest are sorted
	 * out below.
	 */
	if (insert_hold(STMT_INSERT_HOLD_IF_FREE, p, created.token))
	{
		refuse_stale_snapshot(args, nulls);
		return hold_result(&created, p->zone, false, NULL, result_cxt);
	}

	booking_execute(STMT_PROPOSE_SCAN_HOLDS, args, nulls, 0);
	nholds = (int) SPI_processed;
	holds = palloc(sizeof(BookingHold) * Max(nholds, 1));
	retired = palloc(sizeof(Datum) * Max(nholds, 1));
	for (int i = 0; i < nholds; i++)
	{
		BookingHold *h = &holds[i];
		bool		stale;
		bool		own;

		booking_hold_from_row(i, h);
		stale = h->expires_at <= p->now;
		own = strcmp(h->conversation_id, p->conversation_id) == 0 &&
			strcmp(h->client_id, p->client_id) == 0;

		if (!stale && own && reusable_by(h, p))
			reusable = h;
		else if (stale || own)
			retired[nretired++] = CStringGetTextDatum(h->token);
		else
			held = true;		/* a live hold on the slot, someone else's */
	}

	/* a retry of the same proposal gets the same hold, unchanged */
	if (reusable != NULL)
		return hold_result(reusable, p->zone, true, NULL, result_cxt);
	if (held)
		return booking_refusal_with_alternatives(BOOKING_SLOT_HELD,
							"That slot is being held for another booking; please choose another time.",
							p->consultant_id, p->start_at, p->end_at, p->zone,
							p->moves_consultation_id,
							result_cxt);

	booking_execute(STMT_PROPOSE_SCAN_BOOKED, args, nulls, 1);
	if (SPI_processed > 0)
		return booking_refusal_with_alternatives(BOOKING_SLOT_TAKEN,
							"That slot is already booked; please choose another time.",
							p->consultant_id, p->start_at, p->end_at, p->zone,
							p->moves_consultation_id,
							result_cxt);
	refuse_stale_snapshot(args, nulls);

	if (nretired > 0)
		superseded = retire_holds(retired, nretired, p->now);

	/*
	 * Under the lock every hold written through these functions was seen
	 * above; a conflict here comes from rows written around them.
	 */
	if (!insert_hold(STMT_INSERT_HOLD, p, created.token))
		return booking_refusal_with_alternatives(BOOKING_SLOT_HELD,
							"That slot is being held for another booking; please choose another time.",
							p->consultant_id, p->start_at, p->end_at, p->zone,
							p->moves_consultation_id,
							result_cxt);

	return hold_result(&created, p->zone, false, superseded, result_cxt);
}

/*
 * start_at > now() + booking.max_advance.  A start_time cannot name a year
 * past 9999, so a bound of 10,000 years or more puts nothing out of reach;
 * it is not added at all, since a much larger one would leave the timestamp
 * range.
 */
static bool
too_far_ahead(TimestampTz start_at, TimestampTz now, pg_tz *zone)
{
	const Interval *bound = booking_max_advance();
	double		years = bound->month / (double) MONTHS_PER_YEAR +
		bound->day / DAYS_PER_YEAR +
		bound->time / (DAYS_PER_YEAR * USECS_PER_DAY);

	if (years >= 10000)
		return false;
	return start_at > booking_timestamp_plus(now, bound, zone, "booking.max_advance");
}

Jsonb *
booking_propose_slot(Proposal *p, text *start_time, const Interval *duration,
					 const Interval *ttl, MemoryContext result_cxt)
{
	BookingWallTime wall;
	TimestampTz instants[2];
	Jsonb	   *result;

	if (!booking_parse_start_time(VARDATA_ANY(start_time),
								  VARSIZE_ANY_EXHDR(start_time), &wall))
		return booking_error_result(BOOKING_INVALID_TIME,
									"The start time must be a date and time such as 2026-03-10 15:00, optionally followed by Z or an offset such as +01:00.",
									result_cxt);

	switch (booking_resolve_wall_time(&wall, p->zone, instants))
	{
		case 0:
			return booking_error_result(BOOKING_NONEXISTENT_TIME,
										"That local time does not exist, because the clocks go forward then; choose another time.",
										result_cxt);
		case 2:
			return ambiguous_result(instants, p->zone, result_cxt);
	}

	p->now = GetCurrentTransactionStartTimestamp();
	p->start_at = instants[0];
	if (p->start_at <= p->now)
		return booking_error_result(BOOKING_IN_PAST,
									"That time is in the past; choose a time in the future.",
									result_cxt);
	if (p->start_at < booking_earliest_start(p->now, p->zone))
		return booking_refusal_with_alternatives(BOOKING_TOO_SOON, BOOKING_TOO_SOON_MESSAGE,
												 p->consultant_id, p->start_at,
												 booking_timestamp_plus(p->start_at, duration,
																		p->zone, "duration"),
												 p->zone, p->moves_consultation_id, result_cxt);
	if (too_far_ahead(p->start_at, p->now, p->zone))
		return booking_error_result(BOOKING_TOO_FAR_AHEAD,
									"That time is too far ahead to be booked yet; choose an earlier time.",
									result_cxt);
	p->end_at = booking_timestamp_plus(p->start_at, duration, p->zone, "duration");
	p->expires_at = booking_timestamp_plus(p->now, ttl, p->zone, "ttl");
	p->route = booking_consultant_route(p->consultant_id);

	booking_lock_conversation(p->conversation_id, p->client_id);
	booking_lock_route(p->route);
	SPI_connect();
	result = propose_locked(p, result_cxt);
	SPI_finish();
	return result;
}

PG_FUNCTION_INFO_V1(booking_propose);

Datum
booking_propose(PG_FUNCTION_ARGS)
{
	Proposal	p = {0};
	text	   *start_time;
	const Interval *duration;
	const Interval *ttl;

	p.consultant_id = booking_arg_id(fcinfo, 0, "consultant_id");
	p.client_id = booking_arg_id(fcinfo, 1, "client_id");
	p.conversation_id = booking_arg_id(fcinfo, 2, "conversation_id");
	start_time = booking_arg_text(fcinfo, 3, "start_time");
	duration = booking_arg_duration(fcinfo, 4, NULL);
	ttl = booking_arg_ttl(fcinfo, 5);
	p.zone = PG_ARGISNULL(6) ? booking_default_zone()
		: booking_zone_by_name(text_to_cstring(PG_GETARG_TEXT_PP(6)));
	p.moves_consultation_id = 0;

	PG_RETURN_JSONB_P(booking_propose_slot(&p, start_time, duration, ttl,
										   CurrentMemoryContext));
}
