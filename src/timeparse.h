/*
 * Strict reading of a start_time: "YYYY-MM-DD HH:MM[:SS]" (or with 'T'
 * between date and time), optionally followed by 'Z' or "+HH:MM"/"-HH:MM".
 *
 * Plain C with no PostgreSQL dependency, so that unit tests and fuzzers can
 * drive it without a server.  Which instant a wall time without offset names
 * is the zone database's business, not this file's.
 */
#ifndef BOOKING_TIMEPARSE_H
#define BOOKING_TIMEPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct BookingWallTime
{
	int			year;			/* 1 .. 9999 */
	int			month;			/* 1 .. 12 */
	int			day;			/* 1 .. days in that month */
	int			hour;			/* 0 .. 23 */
	int			minute;			/* 0 .. 59 */
	int			second;			/* 0 .. 59 */
	bool		has_offset;		/* 'Z' or an explicit offset was given */
	int			offset_seconds; /* east of UTC, when has_offset */
} BookingWallTime;

/*
 * Parses len bytes of text (not necessarily NUL-terminated).  Returns false
 * for anything not in the accepted form or naming no calendar date.
 */
extern bool booking_parse_start_time(const char *text, size_t len,
									 BookingWallTime *out);

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
extern int64_t booking_days_from_civil(int year, int month, int day);

/* Seconds since 1970-01-01 00:00 of the wall time read as if it were UTC. */
extern int64_t booking_wall_seconds(const BookingWallTime *wall);

#endif
