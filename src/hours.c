/*
 * Working hours of a week; see hours.h.
 */
#include "hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const booking_day_keys[BOOKING_DAYS_PER_WEEK] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

void
booking_week_init(BookingWeek *week)
{
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
		week->nwindows[d] = 0;
}

int
booking_day_from_key(const char *key, size_t len)
{
	if (key == NULL || len != 3)
		return -1;
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
		if (memcmp(key, booking_day_keys[d], 3) == 0)
			return d;
	return -1;
}

static bool
two_digits(const char *p, int *value)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return false;
	*value = (p[0] - '0') * 10 + (p[1] - '0');
	return true;
}

/* "HH:MM" at p (5 bytes available) as minutes; 24:00 is allowed here. */
static bool
clock_minutes(const char *p, int *minutes)
{
	int			hh,
				mm;

	if (!two_digits(p, &hh) || p[2] != ':' || !two_digits(p + 3, &mm))
		return false;
	if (mm > 59 || hh > 24 || (hh == 24 && mm != 0))
		return false;
	*minutes = hh * 60 + mm;
	return true;
}

bool
booking_parse_window(const char *text, size_t len, BookingWindow *out)
{
	int			start,
				end;

	if (text == NULL || len != 11 || text[5] != '-')
		return false;
	if (!clock_minutes(text, &start) || !clock_minutes(text + 6, &end))
		return false;
	out->start = (int16_t) start;
	out->end = (int16_t) end;
	return true;
}

/*
 * The window's text as given, quoted for a message: printable ASCII kept,
 * anything else written as '?', cut short if long, so that a message never
 * carries control bytes or invalid encoding.
 */
static void
quote_text(const char *text, size_t len, char *buf, size_t buflen)
{
	size_t		n = 0;
	size_t		limit = buflen - 1;
	bool		cut = false;

	if (len > 40)
	{
		len = 40;
		cut = true;
	}
	for (size_t i = 0; i < len && n + 1 < limit; i++)
	{
		unsigned char c = (unsigned char) text[i];

		buf[n++] = (c >= 0x20 && c < 0x7f) ? (char) c : '?';
	}
	if (cut && n + 3 < limit)
	{
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

bool
booking_week_add(BookingWeek *week, int day, const char *text, size_t len,
				 char *err, size_t errlen)
{
	BookingWindow w;
	char		quoted[48];

	quote_text(text, len, quoted, sizeof(quoted));
	if (!booking_parse_window(text, len, &w))
	{
		snprintf(err, errlen, "window \"%s\" of %s is not of the form HH:MM-HH:MM",
				 quoted, booking_day_keys[day]);
		return false;
	}
	if (w.end <= w.start)
	{
		snprintf(err, errlen, "window \"%s\" of %s does not end after it starts",
				 quoted, booking_day_keys[day]);
		return false;
	}
	if (week->nwindows[day] >= BOOKING_MAX_WINDOWS_PER_DAY)
	{
		/* more windows than minutes: some must overlap */
		snprintf(err, errlen, "window \"%s\" of %s overlaps another window of that day",
				 quoted, booking_day_keys[day]);
		return false;
	}
	week->windows[day][week->nwindows[day]++] = w;
	return true;
}

static int
window_cmp(const void *a, const void *b)
{
	const BookingWindow *x = a;
	const BookingWindow *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

bool
booking_week_finish(BookingWeek *week, char *err, size_t errlen)
{
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
	{
		BookingWindow *ws = week->windows[d];
		int			n = week->nwindows[d];

		qsort(ws, (size_t) n, sizeof(BookingWindow), window_cmp);
		for (int i = 1; i < n; i++)
		{
			if (ws[i].start < ws[i - 1].end)
			{
				char		a[BOOKING_WINDOW_TEXT_SIZE];
				char		b[BOOKING_WINDOW_TEXT_SIZE];

				booking_format_window(&ws[i - 1], a);
				booking_format_window(&ws[i], b);
				snprintf(err, errlen, "windows \"%s\" and \"%s\" of %s overlap",
						 a, b, booking_day_keys[d]);
				return false;
			}
		}
	}
	return true;
}

static void
put_clock(char *p, int minutes)
{
	int			hh = minutes / 60;
	int			mm = minutes % 60;

	p[0] = (char) ('0' + hh / 10);
	p[1] = (char) ('0' + hh % 10);
	p[2] = ':';
	p[3] = (char) ('0' + mm / 10);
	p[4] = (char) ('0' + mm % 10);
}

void
booking_format_window(const BookingWindow *window, char *buf)
{
	/* fields are within 0 .. 1440, as booking_parse_window made them */
	put_clock(buf, window->start);
	buf[5] = '-';
	put_clock(buf + 6, window->end);
	buf[11] = '\0';
}

bool
booking_week_is_open(const BookingWeek *week)
{
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
		if (week->nwindows[d] > 0)
			return true;
	return false;
}
