/*
 * Booked consultations after the booking: listed, cancelled and moved.
 */
#ifndef BOOKING_CONSULTATION_H
#define BOOKING_CONSULTATION_H

#include "booking.h"

#include "lib/stringinfo.h"

typedef struct BookingConsultation
{
	int64		id;
	char	   *consultant_id;
	char	   *client_id;
	char	   *conversation_id;	/* NULL if none */
	char	   *status;
	TimestampTz scheduled_at;
	TimestampTz ends_at;
	char	   *cancel_reason;	/* NULL if none */
	int64		moved_to;		/* 0 if none */
} BookingConsultation;

/* The select list that booking_consultation_from_row reads, in its order. */
#define BOOKING_CONSULTATION_COLUMNS \
	"id, consultant_id, client_id, conversation_id, status, scheduled_at, ends_at, " \
	"cancel_reason, moved_to"

#define CONSULTATION_BOOKED		"booked"
#define CONSULTATION_CANCELLED	"cancelled"

struct Proposal;

/* consultations.c */
extern void booking_consultation_from_row(int row, BookingConsultation *c);
extern bool booking_consultation_of_client(BookingStatement stmt, int64 id,
										   const char *client_id,
										   BookingConsultation *c);
extern bool booking_consultation_too_late(const BookingConsultation *c, TimestampTz now);
extern Jsonb *booking_too_late_result(const BookingConsultation *c, const char *message,
									  MemoryContext result_cxt);
extern void booking_json_consultation_slot(BookingJson *json, const BookingConsultation *c);

/* move.c: the move at confirm, under the consultant's lock confirm holds */
extern Jsonb *booking_confirm_move(BookingHold *hold, TimestampTz now,
								   MemoryContext result_cxt);

/* move.c: the hold a proposal just inserted is a move's */
extern void booking_mark_move_hold(const char *token, int64 consultation_id);

/* move.c: under the locks of a proposal, whether the consultation can still move */
extern Jsonb *booking_move_refused_locked(const struct Proposal *p, MemoryContext result_cxt);

/* move.c: the classifier's line for a pending move, up to the slot */
extern void booking_describe_pending_move(StringInfo buf, const BookingHold *hold,
										  pg_tz *zone);

#endif
