/*
 * Unit tests of src/stretches.c with a fake zone shaped like Europe/Rome in
 * 2026: +01:00, +02:00 from 2026-03-29 01:00Z (a gap 02:00-03:00 local),
 * +01:00 again from 2026-10-25 01:00Z (a fold 02:00-03:00 local).  Epoch
 * seconds were computed outside this code (Python's calendar.timegm).
 */
#include "stretches.h"
#include "unit.h"

#include <stdlib.h>

#define SPRING	INT64_C(1774746000)	/* 2026-03-29 01:00:00Z */
#define AUTUMN	INT64_C(1792890000)	/* 2026-10-25 01:00:00Z */
#define DAY_0329	INT64_C(20541)	/* days since 1970 of 2026-03-29, a Sunday */
#define DAY_1025	INT64_C(20751)	/* 2026-10-25, a Sunday */
#define H	3600

static int	calls;

static int32_t
fake_offset_at(const void *ctx, int64_t t, int64_t *next)
{
	(void) ctx;
	calls++;
	if (t < SPRING)
	{
		*next = SPRING;
		return H;
	}
	if (t < AUTUMN)
	{
		*next = AUTUMN;
		return 2 * H;
	}
	*next = INT64_MAX;
	return H;
}

static const BookingZone zone = {fake_offset_at, NULL};
static BookingWeek week;

static void
set_day(int day, int start_min, int end_min)
{
	booking_week_init(&week);
	week.nwindows[day] = 1;
	week.windows[day][0].start = (int16_t) start_min;
	week.windows[day][0].end = (int16_t) end_min;
}

static size_t
spans_of(int64_t date, BookingSpan *out, size_t cap)
{
	size_t		n = booking_week_spans(&week, &zone, date, date, out, cap);

	return booking_spans_sort(out, n, true);
}

static void
test_dates(void)
{
	CHECK_INT_EQ(booking_weekday(DAY_0329), 6);
	CHECK_INT_EQ(booking_weekday(0), 3);	/* 1970-01-01, a Thursday */
	CHECK_INT_EQ(booking_weekday(-1), 2);
	CHECK_INT_EQ(booking_local_date(&zone, SPRING - 1), DAY_0329);	/* 01:59:59 local */
	CHECK_INT_EQ(booking_local_date(&zone, INT64_C(1774738800) - 1), DAY_0329 - 1);
}

static void
test_spring(void)
{
	BookingSpan s[8];
	size_t		n;

	/* 00:00-06:00 on the night the clocks go forward is 5 hours long */
	set_day(6, 0, 6 * 60);
	n = spans_of(DAY_0329, s, 8);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(s[0].start, DAY_0329 * 86400 - H);
	CHECK_INT_EQ(s[0].end - s[0].start, 5 * H);

	/* 02:00-03:00 covers nothing */
	set_day(6, 2 * 60, 3 * 60);
	CHECK_INT_EQ(spans_of(DAY_0329, s, 8), 0);

	/* 02:30-04:00 covers only 03:00-04:00 */
	set_day(6, 150, 240);
	n = spans_of(DAY_0329, s, 8);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(s[0].start, SPRING);
	CHECK_INT_EQ(s[0].end, SPRING + H);

	/* 09:00-18:00 stays 09:00-18:00 local */
	set_day(6, 9 * 60, 18 * 60);
	n = spans_of(DAY_0329, s, 8);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(s[0].start, DAY_0329 * 86400 + 7 * H);
	CHECK_INT_EQ(s[0].end, DAY_0329 * 86400 + 16 * H);
}

static void
test_autumn(void)
{
	BookingSpan s[8];
	size_t		n;

	/* 00:00-06:00 on the night the clocks go back is 7 hours long */
	set_day(6, 0, 6 * 60);
	n = spans_of(DAY_1025, s, 8);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(s[0].start, DAY_1025 * 86400 - 2 * H);
	CHECK_INT_EQ(s[0].end - s[0].start, 7 * H);

	/* 01:00-02:30 comes out in two parts: once in summer time, once after */
	set_day(6, 60, 150);
	n = spans_of(DAY_1025, s, 8);
	CHECK_INT_EQ(n, 2);
	CHECK_INT_EQ(s[0].start, DAY_1025 * 86400 - H);	/* 01:00+02 */
	CHECK_INT_EQ(s[0].end, DAY_1025 * 86400 + 30 * 60);	/* 02:30+02 */
	CHECK_INT_EQ(s[1].start, AUTUMN);	/* 02:00+01 */
	CHECK_INT_EQ(s[1].end, AUTUMN + 30 * 60);	/* 02:30+01 */

	/* 02:00-03:00 covers both passes, which join: two hours */
	set_day(6, 120, 180);
	n = spans_of(DAY_1025, s, 8);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(s[0].end - s[0].start, 2 * H);
}

static void
test_join_and_cover(void)
{
	BookingSpan s[16];
	size_t		n;

	/* sat 20:00-24:00 and sun 00:00-02:00 join over midnight */
	booking_week_init(&week);
	week.nwindows[5] = 1;
	week.windows[5][0].start = 20 * 60;
	week.windows[5][0].end = 1440;
	week.nwindows[6] = 1;
	week.windows[6][0].start = 0;
	week.windows[6][0].end = 120;
	n = booking_week_spans(&week, &zone, DAY_0329 - 1, DAY_0329, s, 16);
	CHECK_INT_EQ(n, 2);
	n = booking_spans_sort(s, n, true);
	CHECK_INT_EQ(n, 1);
	CHECK_INT_EQ(s[0].start, (DAY_0329 - 1) * 86400 + 19 * H);
	CHECK_INT_EQ(s[0].end, DAY_0329 * 86400 + H);	/* 02:00 local is 03:00 then: the gap */
	CHECK(booking_spans_cover(s, n, s[0].start, s[0].end));
	CHECK(!booking_spans_cover(s, n, s[0].start - 1, s[0].end));
	CHECK(!booking_spans_cover(s, n, s[0].start, s[0].end + 1));

	/* 09:00-13:00 and 14:00-18:00 do not join; a slot across the break is out */
	booking_week_init(&week);
	week.nwindows[0] = 2;
	week.windows[0][0].start = 9 * 60;
	week.windows[0][0].end = 13 * 60;
	week.windows[0][1].start = 14 * 60;
	week.windows[0][1].end = 18 * 60;
	n = booking_week_spans(&week, &zone, DAY_0329 + 1, DAY_0329 + 1, s, 16);
	n = booking_spans_sort(s, n, true);
	CHECK_INT_EQ(n, 2);
	CHECK(!booking_spans_cover(s, n, s[0].end - H, s[1].start + H));
	CHECK_INT_EQ(booking_spans_find(s, n, s[0].end), 1);
	CHECK_INT_EQ(booking_spans_find(s, n, s[1].end), 2);
}

static void
test_capacity(void)
{
	BookingSpan s[2];
	size_t		n;

	/*
	 * too little room: the count says how much is needed; the spring date
	 * comes out as two pieces, one per offset, that join
	 */
	booking_week_whole_days(&week);
	n = booking_week_spans(&week, &zone, DAY_0329 - 3, DAY_0329 + 3, s, 2);
	CHECK_INT_EQ(n, 8);
	CHECK_INT_EQ(s[0].end - s[0].start, 24 * H);
	{
		BookingSpan all[8];

		n = booking_week_spans(&week, &zone, DAY_0329, DAY_0329, all, 8);
		CHECK_INT_EQ(n, 2);
		n = booking_spans_sort(all, n, true);
		CHECK_INT_EQ(n, 1);
		CHECK_INT_EQ(all[0].end - all[0].start, 23 * H);
	}
}

static void
test_widen(void)
{
	int64_t		first = DAY_0329,
				last = DAY_0329;

	/* sat 20:00-24:00 and sun 00:00-02:00: a Sunday run reaches back to Saturday */
	booking_week_init(&week);
	week.nwindows[5] = 1;
	week.windows[5][0].start = 20 * 60;
	week.windows[5][0].end = 1440;
	week.nwindows[6] = 1;
	week.windows[6][0].start = 0;
	week.windows[6][0].end = 120;
	booking_week_widen(&week, &first, &last, 8);
	CHECK_INT_EQ(first, DAY_0329 - 1);
	CHECK_INT_EQ(last, DAY_0329);
	/* and a Saturday run forward to Sunday */
	first = last = DAY_0329 - 1;
	booking_week_widen(&week, &first, &last, 8);
	CHECK_INT_EQ(first, DAY_0329 - 1);
	CHECK_INT_EQ(last, DAY_0329);

	/* windows that stop before midnight: nothing to widen */
	set_day(6, 9 * 60, 18 * 60);
	first = last = DAY_0329;
	booking_week_widen(&week, &first, &last, 8);
	CHECK_INT_EQ(first, DAY_0329);
	CHECK_INT_EQ(last, DAY_0329);

	/* open around the clock: at most max_days each way */
	booking_week_whole_days(&week);
	first = last = DAY_0329;
	booking_week_widen(&week, &first, &last, 8);
	CHECK_INT_EQ(first, DAY_0329 - 8);
	CHECK_INT_EQ(last, DAY_0329 + 8);
}

int
main(void)
{
	test_widen();
	test_dates();
	test_spring();
	test_autumn();
	test_join_and_cover();
	test_capacity();
	return unit_summary();
}
