/*
 * Stretches of working time; see stretches.h.
 */
#include "stretches.h"

#include <stdlib.h>

/* Slack around a local time for the instants it can name: offsets < 26h. */
#define OFFSET_SLACK	(26 * 3600)

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
booking_local_date(const BookingZone *zone, int64_t t)
{
	int64_t		next;
	int32_t		offset = zone->offset_at(zone->ctx, t, &next);

	return floor_div(t + offset, BOOKING_SECS_PER_DAY);
}

int
booking_weekday(int64_t date)
{
	/* 1970-01-01 was a Thursday */
	return (int) (((date % 7) + 7 + 3) % 7);
}

/*
 * The instants whose wall time lies in [local_start, local_end), written as
 * one span per piece of constant offset that has any; returns how many.
 */
static size_t
map_window(const BookingZone *zone, int64_t local_start, int64_t local_end,
		   BookingSpan *out, size_t room, size_t *count)
{
	int64_t		t = local_start - OFFSET_SLACK;
	int64_t		stop = local_end + OFFSET_SLACK;
	size_t		added = 0;

	while (t < stop)
	{
		int64_t		next;
		int32_t		offset = zone->offset_at(zone->ctx, t, &next);
		int64_t		piece_end = next < stop ? next : stop;
		int64_t		s = local_start - offset;
		int64_t		e = local_end - offset;

		if (s < t)
			s = t;
		if (e > piece_end)
			e = piece_end;
		if (s < e)
		{
			if (added < room)
			{
				out[added].start = s;
				out[added].end = e;
			}
			added++;
		}
		if (next <= t)			/* a zone that does not move forward */
			break;
		t = next;
	}
	*count += added;
	return added;
}

size_t
booking_week_spans(const BookingWeek *week, const BookingZone *zone,
				   int64_t first_date, int64_t last_date,
				   BookingSpan *out, size_t capacity)
{
	size_t		count = 0;

	for (int64_t date = first_date; date <= last_date; date++)
	{
		int			day = booking_weekday(date);
		int64_t		midnight = date * BOOKING_SECS_PER_DAY;

		for (int i = 0; i < week->nwindows[day]; i++)
		{
			const BookingWindow *w = &week->windows[day][i];
			size_t		room = count < capacity ? capacity - count : 0;

			map_window(zone, midnight + (int64_t) w->start * 60,
					   midnight + (int64_t) w->end * 60,
					   out + (count < capacity ? count : capacity), room, &count);
		}
	}
	return count;
}

static int
span_cmp(const void *a, const void *b)
{
	const BookingSpan *x = a;
	const BookingSpan *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

size_t
booking_spans_sort(BookingSpan *spans, size_t n, bool join)
{
	size_t		kept = 0;

	if (n == 0)
		return 0;
	qsort(spans, n, sizeof(BookingSpan), span_cmp);
	if (!join)
		return n;
	for (size_t i = 1; i < n; i++)
	{
		if (spans[i].start <= spans[kept].end)
		{
			if (spans[i].end > spans[kept].end)
				spans[kept].end = spans[i].end;
		}
		else
			spans[++kept] = spans[i];
	}
	return kept + 1;
}

size_t
booking_spans_find(const BookingSpan *spans, size_t n, int64_t t)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (spans[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
booking_spans_cover(const BookingSpan *spans, size_t n, int64_t start, int64_t end)
{
	size_t		i = booking_spans_find(spans, n, start);

	return i < n && spans[i].start <= start && end <= spans[i].end;
}

static bool
opens_at_midnight(const BookingWeek *week, int64_t date)
{
	int			day = booking_weekday(date);

	return week->nwindows[day] > 0 && week->windows[day][0].start == 0;
}

static bool
closes_at_midnight(const BookingWeek *week, int64_t date)
{
	int			day = booking_weekday(date);
	int			n = week->nwindows[day];

	return n > 0 && week->windows[day][n - 1].end == BOOKING_MINUTES_PER_DAY;
}

void
booking_week_widen(const BookingWeek *week, int64_t *first_date, int64_t *last_date,
				   int max_days)
{
	for (int i = 0; i < max_days && opens_at_midnight(week, *first_date) &&
		 closes_at_midnight(week, *first_date - 1); i++)
		(*first_date)--;
	for (int i = 0; i < max_days && closes_at_midnight(week, *last_date) &&
		 opens_at_midnight(week, *last_date + 1); i++)
		(*last_date)++;
}

void
booking_week_whole_days(BookingWeek *week)
{
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
	{
		week->nwindows[d] = 1;
		week->windows[d][0].start = 0;
		week->windows[d][0].end = BOOKING_MINUTES_PER_DAY;
	}
}
