/*
 * Stretches of working time: the instants that a week's windows cover, in a
 * zone, over a run of local dates.
 *
 * A window a-b covers, on every local date of its weekday, every instant
 * whose wall time lies in [a, b) on that date.  Each date is cut into the
 * pieces over which the zone's offset is constant; each piece maps the
 * window with its own offset and is clipped to itself.  On the night the
 * clocks go forward a window can come out shorter or empty; on the night
 * they go back, longer or in two parts.  Touching or overlapping results
 * join into one stretch.
 *
 * Plain C with no PostgreSQL dependency: the zone is reached through one
 * function, so unit tests can feed a fake zone with a gap and a fold and the
 * server passes the zone database.  Instants are seconds since 1970-01-01
 * 00:00 UTC.
 */
#ifndef BOOKING_STRETCHES_H
#define BOOKING_STRETCHES_H

#include "hours.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOKING_SECS_PER_DAY	86400

/*
 * A zone: offset_at returns the offset east of UTC, in seconds, in force at
 * instant t, and sets *next_change to the first instant after t at which it
 * may change (INT64_MAX if never).  Offsets must lie within +-26 hours.
 */
typedef struct BookingZone
{
	int32_t		(*offset_at) (const void *ctx, int64_t t, int64_t *next_change);
	const void *ctx;
} BookingZone;

/* The instants [start, end). */
typedef struct BookingSpan
{
	int64_t		start;
	int64_t		end;
} BookingSpan;

/* The local date (days since 1970-01-01) of instant t in the zone. */
extern int64_t booking_local_date(const BookingZone *zone, int64_t t);

/* Weekday of a date in days since 1970-01-01: 0 is Monday. */
extern int	booking_weekday(int64_t date);

/*
 * Writes into out (room for capacity spans) the instants that the week's
 * windows cover on each local date from first_date to last_date, in no
 * particular order and not joined.  Returns how many there are; when that
 * is more than capacity, only the first capacity were written, and the call
 * should be made again with room for all.
 */
extern size_t booking_week_spans(const BookingWeek *week, const BookingZone *zone,
								 int64_t first_date, int64_t last_date,
								 BookingSpan *out, size_t capacity);

/*
 * Sorts n spans by start; when join, merges those that touch or overlap
 * into one.  Returns the number of spans left.
 */
extern size_t booking_spans_sort(BookingSpan *spans, size_t n, bool join);

/*
 * The index of the first of n sorted, joined spans whose end is after t,
 * or n if there is none.
 */
extern size_t booking_spans_find(const BookingSpan *spans, size_t n, int64_t t);

/* Whether one of n sorted, joined spans contains all of [start, end). */
extern bool booking_spans_cover(const BookingSpan *spans, size_t n,
								int64_t start, int64_t end);

/*
 * Widens a run of local dates so that the stretches at its ends are seen
 * whole: while the first date's first window opens at 00:00 and the day
 * before closes at 24:00, the run starts a day earlier; likewise at its
 * end.  At most max_days more on each side (a week open around the clock
 * has no end to find).  The week's windows must be sorted.
 */
extern void booking_week_widen(const BookingWeek *week, int64_t *first_date,
							   int64_t *last_date, int max_days);

/* A week whose every day is one window 00:00-24:00: the local days. */
extern void booking_week_whole_days(BookingWeek *week);

#endif
