/*
 * Working hours of a week: the windows "HH:MM-HH:MM" of each weekday, read,
 * checked and put in order.
 *
 * Plain C with no PostgreSQL dependency, so that unit tests and fuzzers can
 * drive it without a server.  The caller walks the JSON object; this file
 * judges its keys and window strings, and writes every error as one sentence
 * that names the day and the window.
 */
#ifndef BOOKING_HOURS_H
#define BOOKING_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOKING_DAYS_PER_WEEK		7
#define BOOKING_MINUTES_PER_DAY		1440
/* Windows of one day cannot overlap and are whole minutes long. */
#define BOOKING_MAX_WINDOWS_PER_DAY	BOOKING_MINUTES_PER_DAY
/* "HH:MM-HH:MM" and its NUL */
#define BOOKING_WINDOW_TEXT_SIZE	12
/* Room for any error message of this file, with the window text quoted. */
#define BOOKING_HOURS_ERROR_SIZE	256

/* Minutes after local midnight: 0 <= start < end <= 1440. */
typedef struct BookingWindow
{
	int16_t		start;
	int16_t		end;
} BookingWindow;

/* Day 0 is Monday, 6 is Sunday. */
typedef struct BookingWeek
{
	int			nwindows[BOOKING_DAYS_PER_WEEK];
	BookingWindow windows[BOOKING_DAYS_PER_WEEK][BOOKING_MAX_WINDOWS_PER_DAY];
} BookingWeek;

/* "mon" .. "sun" */
extern const char *const booking_day_keys[BOOKING_DAYS_PER_WEEK];

extern void booking_week_init(BookingWeek *week);

/* The day a key names (0 = mon), or -1 for anything else. */
extern int	booking_day_from_key(const char *key, size_t len);

/*
 * Reads exactly "HH:MM-HH:MM" (two-digit fields; 24:00 only as an end) from
 * len bytes, not necessarily NUL-terminated.  False if malformed.
 */
extern bool booking_parse_window(const char *text, size_t len, BookingWindow *out);

/*
 * Adds one window to a day.  False, with the reason in err, if the text is
 * malformed, does not end after it starts, or the day is full.
 */
extern bool booking_week_add(BookingWeek *week, int day, const char *text,
							 size_t len, char *err, size_t errlen);

/*
 * Sorts each day's windows; false, with the reason in err, if two windows of
 * one day overlap (touching windows do not).
 */
extern bool booking_week_finish(BookingWeek *week, char *err, size_t errlen);

/* Writes "HH:MM-HH:MM" into buf (BOOKING_WINDOW_TEXT_SIZE bytes). */
extern void booking_format_window(const BookingWindow *window, char *buf);

/* Whether any day has a window. */
extern bool booking_week_is_open(const BookingWeek *week);

#endif
