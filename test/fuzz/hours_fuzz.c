/*
 * libFuzzer harness for src/hours.c.
 *
 * The first byte picks a day; the rest, cut at each '\n', are windows added
 * to that day from exactly-sized heap copies, so AddressSanitizer sees any
 * read past a window's length.  An accepted window must spell itself back
 * byte for byte; a refused one must leave a message naming the day; after
 * booking_week_finish accepts, the day's windows are sorted, within the day
 * and disjoint, and when it refuses, two of them did overlap.
 */
#include "hours.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(msg) \
	do { fprintf(stderr, "hours_fuzz: %s\n", msg); abort(); } while (0)

static BookingWeek week;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		err[BOOKING_HOURS_ERROR_SIZE];
	int			day;
	size_t		pos = 1;
	int			added = 0;

	if (size == 0)
		return 0;
	day = data[0] % BOOKING_DAYS_PER_WEEK;
	booking_week_init(&week);
	while (pos <= size)
	{
		size_t		end = pos;
		char	   *copy;

		while (end < size && data[end] != '\n')
			end++;
		copy = malloc(end - pos + 1);
		memcpy(copy, data + pos, end - pos);
		if (booking_week_add(&week, day, copy, end - pos, err, sizeof(err)))
		{
			char		buf[BOOKING_WINDOW_TEXT_SIZE];
			BookingWindow *w = &week.windows[day][added++];

			booking_format_window(w, buf);
			if (end - pos != 11 || memcmp(buf, copy, 11) != 0)
				FAIL("accepted window does not spell itself back");
			if (w->start < 0 || w->end > BOOKING_MINUTES_PER_DAY || w->start >= w->end)
				FAIL("accepted window out of the day");
		}
		else if (strstr(err, booking_day_keys[day]) == NULL)
			FAIL("message does not name the day");
		free(copy);
		pos = end + 1;
	}

	if (booking_week_finish(&week, err, sizeof(err)))
	{
		for (int i = 1; i < week.nwindows[day]; i++)
			if (week.windows[day][i].start < week.windows[day][i - 1].end)
				FAIL("finished week has overlapping windows");
	}
	else
	{
		int			overlap = 0;

		for (int i = 0; i < week.nwindows[day] && !overlap; i++)
			for (int j = 0; j < week.nwindows[day]; j++)
				if (i != j && week.windows[day][i].start < week.windows[day][j].end &&
					week.windows[day][j].start < week.windows[day][i].end)
					overlap = 1;
		if (!overlap)
			FAIL("refused a week without overlap");
		if (strstr(err, booking_day_keys[day]) == NULL)
			FAIL("overlap message does not name the day");
	}
	return 0;
}
