/*
 * A proposal: what booking_propose and booking_propose_move both hand to the
 * one core that checks and holds a slot, so that every rule of propose
 * applies to a move too.
 */
#ifndef BOOKING_PROPOSAL_H
#define BOOKING_PROPOSAL_H

#include "booking.h"

typedef struct Proposal
{
	const char *consultant_id;
	const char *client_id;
	const char *conversation_id;
	TimestampTz start_at;
	TimestampTz end_at;
	TimestampTz now;
	TimestampTz expires_at;
	pg_tz	   *zone;
	uint32		route;

	/*
	 * The booked consultation this hold would move, 0 for a plain propose.
	 * It does not block its own new slot, and a hold is reused only by the
	 * same kind of call.
	 */
	int64		moves_consultation_id;
} Proposal;

/*
 * From start_time to the outcome: the time outcomes, the locks, the checks
 * and the hold.  The caller sets the ids, the zone and moves_consultation_id.
 */
extern Jsonb *booking_propose_slot(Proposal *p, text *start_time,
								   const Interval *duration, const Interval *ttl,
								   MemoryContext result_cxt);

#endif
