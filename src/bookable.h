/*
 * What is bookable: one predicate, used by propose, free slots and
 * alternatives alike, so that a listed slot is one that propose accepts at
 * the same instant.
 *
 * A slot [start, end) of a consultant is bookable when
 *   - the consultant has no calendar, or one stretch of its working time
 *     contains the whole slot (else UNAVAILABLE);
 *   - it overlaps no time off of the consultant (else UNAVAILABLE);
 *   - it overlaps no booked consultation (except ignore_consultation_id) and
 *     no live hold (free slots and alternatives only: propose sorts holds
 *     and bookings out itself, as in 1.0).
 *
 * Every function here must be called inside an SPI connection unless said
 * otherwise; statements run with a fresh snapshot, so under the consultant's
 * lock they see what its previous holder committed.
 */
#ifndef BOOKING_BOOKABLE_H
#define BOOKING_BOOKABLE_H

#include "booking.h"

/*
 * Whether the consultant's working hours or time off rule the slot out
 * (propose's UNAVAILABLE).  Call under the consultant's lock.
 */
extern bool booking_slot_unavailable(const char *consultant_id,
									 TimestampTz start_at, TimestampTz end_at);

/*
 * The earliest start that booking.min_notice allows (TOO_SOON when
 * start_at < it), with days counted in zone.  Needs no SPI.
 */
extern TimestampTz booking_earliest_start(TimestampTz now, pg_tz *zone);

/*
 * result, a finished outcome object, with "alternatives" appended: up to
 * booking.alternatives bookable slots of the consultant, as long as
 * [start_at, end_at), within 168 hours of start_at, nearest first, each
 * with start_local in zone (the call's).  With booking.alternatives = 0,
 * result itself.  ignore_consultation_id (0 for none) does not block.
 * Connects to SPI itself, so it may be called inside an SPI connection or
 * outside one; the result is allocated in result_cxt.
 */
extern Jsonb *booking_with_alternatives(Jsonb *result, const char *consultant_id,
										TimestampTz start_at, TimestampTz end_at,
										pg_tz *zone, int64 ignore_consultation_id,
										MemoryContext result_cxt);

/*
 * booking_error_result(code, message) with alternatives appended, as
 * above: for SLOT_HELD, SLOT_TAKEN, UNAVAILABLE and TOO_SOON.
 */
extern Jsonb *booking_refusal_with_alternatives(const char *code, const char *message,
												const char *consultant_id,
												TimestampTz start_at, TimestampTz end_at,
												pg_tz *zone, int64 ignore_consultation_id,
												MemoryContext result_cxt);

#define BOOKING_TOO_SOON		"TOO_SOON"
#define BOOKING_UNAVAILABLE		"UNAVAILABLE"

#define BOOKING_TOO_SOON_MESSAGE \
	"That time is too soon to be booked; choose a later time."
#define BOOKING_UNAVAILABLE_MESSAGE \
	"The consultant is not available at that time (outside working hours or on time off); choose another time."

#endif
