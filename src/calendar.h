/*
 * Server side of calendars, time off and free slots: what calendar.c,
 * free_slots.c and bookable.c share.
 */
#ifndef BOOKING_CALENDAR_H
#define BOOKING_CALENDAR_H

#include "booking.h"
#include "bookable.h"
#include "hours.h"
#include "stretches.h"

/* Sorted spans of instants in microseconds (TimestampTz). */
typedef struct BookingSpans
{
	BookingSpan *spans;
	size_t		n;
} BookingSpans;

/* A consultant's calendar, if it has one. */
typedef struct BookingCalendar
{
	bool		has_calendar;
	pg_tz	   *zone;			/* the calendar's zone */
	BookingWeek *week;
} BookingCalendar;

/*
 * What decides whether slots of one consultant are bookable, over a range of
 * instants: working stretches (when it has a calendar) and what blocks a
 * slot (time off; for free slots also bookings and live holds), joined.
 */
typedef struct BookingSchedule
{
	BookingCalendar calendar;
	BookingSpans working;		/* joined stretches; unused without calendar */
	BookingSpans blocked;		/* joined */
} BookingSchedule;

typedef enum BookingVerdict
{
	BOOKING_BOOKABLE,
	BOOKING_OUTSIDE_HOURS,
	BOOKING_BLOCKED
} BookingVerdict;

/* bookable.c */
extern BookingVerdict booking_verdict(const BookingSchedule *schedule,
									  TimestampTz start_at, TimestampTz end_at);
extern void booking_schedule_load(BookingSchedule *schedule, const char *consultant_id,
								  TimestampTz from, TimestampTz to, TimestampTz now,
								  int64 ignore_consultation_id);
extern TimestampTz booking_latest_start(TimestampTz now, pg_tz *zone);
extern TimestampTz booking_slot_end(TimestampTz start_at, const Interval *duration,
									int64 duration_usecs, pg_tz *zone);

/*
 * The bookable starts of one consultant's schedule on its grid, with start
 * in [lo, hi), ascending, at most max of them.  Grid: the stretches of its
 * calendar, or without one the local days of grid_zone.
 */
extern int	booking_bookable_starts(const BookingSchedule *schedule, pg_tz *grid_zone,
									TimestampTz lo, TimestampTz hi, int64 step,
									const Interval *duration, int64 duration_usecs,
									pg_tz *zone, TimestampTz *starts, int max);

/* calendar_time.c: zones, local dates and time arguments */
extern BookingZone booking_zone_adapter(pg_tz *zone);
extern BookingSpans booking_zone_spans(const BookingWeek *week, pg_tz *zone,
									   TimestampTz from, TimestampTz to,
									   int margin_days, bool join);
extern BookingSpans booking_zone_days(pg_tz *zone, TimestampTz from, TimestampTz to,
									  int margin_days);
extern bool booking_week_covers(const BookingWeek *week, pg_tz *zone,
								TimestampTz start_at, TimestampTz end_at);
extern void booking_week_from_jsonb(Jsonb *hours, BookingWeek *week);
extern bool booking_read_time_arg(text *value, pg_tz *zone, const char *what,
								  TimestampTz *out, Jsonb **outcome,
								  MemoryContext result_cxt);

/* calendar_time.c: JSON pieces the 1.0 helpers do not have */
extern void booking_json_begin_plain_ok(BookingJson *json);
extern void booking_json_array_int64(BookingJson *json, int64 value);
extern void booking_json_hours(BookingJson *json, const char *key,
							   const BookingWeek *week);
extern void booking_json_slot(BookingJson *json, const char *consultant_id,
							  TimestampTz start_at, TimestampTz end_at, pg_tz *zone);

#endif
