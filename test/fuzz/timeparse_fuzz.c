/*
 * libFuzzer harness for src/timeparse.c.
 *
 * Arbitrary bytes, without a NUL, go to booking_parse_start_time from an
 * exactly-sized heap copy, so AddressSanitizer sees any read past len.  When
 * the parse succeeds the result must name a real calendar date and clock
 * time, must spell the input back byte for byte in the input's own layout,
 * and its canonical spelling must parse to the same struct.
 */
#include "timeparse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(msg) \
	do { fprintf(stderr, "timeparse_fuzz: %s\n", msg); abort(); } while (0)

static int
month_days(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);

	return mdays[m - 1] + (m == 2 && leap);
}

static int
same_wall(const BookingWallTime *a, const BookingWallTime *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day &&
		a->hour == b->hour && a->minute == b->minute &&
		a->second == b->second && a->has_offset == b->has_offset &&
		a->offset_seconds == b->offset_seconds;
}

/* Spells w into buf; returns the length, no NUL. */
static size_t
format_wall(const BookingWallTime *w, char sep, int with_seconds,
			char zone, char *buf, size_t cap)
{
	int			n;

	n = snprintf(buf, cap, "%04d-%02d-%02d%c%02d:%02d", w->year, w->month,
				 w->day, sep, w->hour, w->minute);
	if (with_seconds)
		n += snprintf(buf + n, cap - n, ":%02d", w->second);
	if (zone == 'Z')
		n += snprintf(buf + n, cap - n, "Z");
	else if (zone == '+' || zone == '-')
	{
		int			a = w->offset_seconds < 0 ? -w->offset_seconds : w->offset_seconds;

		n += snprintf(buf + n, cap - n, "%c%02d:%02d", zone, a / 3600, a / 60 % 60);
	}
	return (size_t) n;
}

static int
parse_exact(const char *src, size_t len, BookingWallTime *w)
{
	char	   *copy = malloc(len ? len : 1);
	int			ok;

	if (copy == NULL)
		abort();
	memcpy(copy, src, len);
	ok = booking_parse_start_time(copy, len, w);
	free(copy);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	BookingWallTime w;
	BookingWallTime again;
	char		buf[64];
	size_t		n;
	char		zone = 0;
	int			with_seconds;
	int64_t		days;

	if (!parse_exact((const char *) data, size, &w))
		return 0;

	if (w.year < 1 || w.year > 9999 || w.month < 1 || w.month > 12 ||
		w.day < 1 || w.day > month_days(w.year, w.month))
		FAIL("accepted a date that is not on the calendar");
	if (w.hour < 0 || w.hour > 23 || w.minute < 0 || w.minute > 59 ||
		w.second < 0 || w.second > 59)
		FAIL("accepted a time of day out of range");
	if (w.has_offset ?
		(w.offset_seconds % 60 != 0 ||
		 w.offset_seconds < -(15 * 3600 + 59 * 60) ||
		 w.offset_seconds > 15 * 3600 + 59 * 60) :
		w.offset_seconds != 0)
		FAIL("offset out of range, or set without has_offset");

	/* the shortest accepted form is 16 bytes, the longest 25 */
	if (size < 16 || size > 25)
		FAIL("accepted an input of impossible length");
	with_seconds = size > 16 && data[16] == ':';
	if (size > (with_seconds ? 19u : 16u))
		zone = (char) data[with_seconds ? 19 : 16];
	if (w.has_offset != (zone != 0))
		FAIL("has_offset disagrees with the input");
	/* spell the sign from the parsed value, so a lost sign shows */
	if ((zone == '+' || zone == '-') && w.offset_seconds != 0)
		zone = w.offset_seconds < 0 ? '-' : '+';

	n = format_wall(&w, (char) data[10], with_seconds, zone, buf, sizeof(buf));
	if (n != size || memcmp(buf, data, size) != 0)
		FAIL("fields do not spell the input back");

	n = format_wall(&w, 'T', 1, w.has_offset ? (w.offset_seconds < 0 ? '-' : '+') : 0,
					buf, sizeof(buf));
	if (!parse_exact(buf, n, &again) || !same_wall(&w, &again))
		FAIL("canonical spelling does not parse to the same fields");

	days = booking_days_from_civil(w.year, w.month, w.day);
	if (days < -719162 || days > 2932896 ||
		days - booking_days_from_civil(w.year, w.month, 1) != w.day - 1)
		FAIL("days_from_civil out of range or not counting days");
	if (booking_wall_seconds(&w) !=
		days * 86400 + w.hour * 3600 + w.minute * 60 + w.second)
		FAIL("wall_seconds is not days and time of day");
	return 0;
}
