/*
 * Unit tests of src/hours.c: day keys, the exact window form, and the
 * checks whose messages must name the day and the window.
 */
#include "hours.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static BookingWeek week;

static int
parse(const char *text, int *start, int *end)
{
	BookingWindow w;

	if (!booking_parse_window(text, strlen(text), &w))
		return 0;
	*start = w.start;
	*end = w.end;
	return 1;
}

static void
test_windows(void)
{
	int			s = -1,
				e = -1;
	static const char *const malformed[] = {
		"9-17", "09:00 - 17:00", "9:00-17:00", "09:00-17:0", "09:00-17:000",
		"09.00-17.00", "09:00/17:00", "25:00-26:00", "09:60-10:00",
		"24:01-24:30", "-09:00-17:00", "", "09:00-", "０9:00-17:00",
		"09:00-17:00 ", " 09:00-17:00", "09:00--17:00", "+9:00-17:00"
	};

	CHECK(parse("09:00-17:00", &s, &e));
	CHECK_INT_EQ(s, 9 * 60);
	CHECK_INT_EQ(e, 17 * 60);
	CHECK(parse("00:00-24:00", &s, &e));
	CHECK_INT_EQ(s, 0);
	CHECK_INT_EQ(e, 1440);
	CHECK(parse("23:59-24:00", &s, &e));
	CHECK_INT_EQ(s, 23 * 60 + 59);
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
	{
		UNIT_CONTEXT("window \"%s\"", malformed[i]);
		CHECK(!parse(malformed[i], &s, &e));
	}
	UNIT_CONTEXT_CLEAR();
	/* not NUL-terminated: only len bytes count */
	{
		BookingWindow w;

		CHECK(booking_parse_window("09:00-17:00xyz", 11, &w));
		CHECK(!booking_parse_window("09:00-17:00", 10, &w));
	}
}

static void
test_days(void)
{
	CHECK_INT_EQ(booking_day_from_key("mon", 3), 0);
	CHECK_INT_EQ(booking_day_from_key("sun", 3), 6);
	CHECK_INT_EQ(booking_day_from_key("Mon", 3), -1);
	CHECK_INT_EQ(booking_day_from_key("monday", 6), -1);
	CHECK_INT_EQ(booking_day_from_key("mo", 2), -1);
	CHECK_INT_EQ(booking_day_from_key("", 0), -1);
	CHECK_INT_EQ(booking_day_from_key("thux", 3), 3);
}

static int
add(int day, const char *text, char *err)
{
	return booking_week_add(&week, day, text, strlen(text), err, BOOKING_HOURS_ERROR_SIZE);
}

static void
test_week(void)
{
	char		err[BOOKING_HOURS_ERROR_SIZE];
	char		buf[BOOKING_WINDOW_TEXT_SIZE];

	booking_week_init(&week);
	CHECK(!booking_week_is_open(&week));
	CHECK(add(0, "14:00-18:00", err));
	CHECK(add(0, "09:00-13:00", err));
	CHECK(add(0, "13:00-14:00", err));	/* touching is not overlapping */
	CHECK(booking_week_finish(&week, err, sizeof(err)));
	CHECK_INT_EQ(week.nwindows[0], 3);
	booking_format_window(&week.windows[0][0], buf);
	CHECK_STR_EQ(buf, "09:00-13:00");
	booking_format_window(&week.windows[0][2], buf);
	CHECK_STR_EQ(buf, "14:00-18:00");
	CHECK(booking_week_is_open(&week));

	booking_week_init(&week);
	CHECK(!add(2, "9-17", err));
	CHECK_STR_EQ(err, "window \"9-17\" of wed is not of the form HH:MM-HH:MM");
	CHECK(!add(4, "18:00-09:00", err));
	CHECK_STR_EQ(err, "window \"18:00-09:00\" of fri does not end after it starts");
	CHECK(!add(4, "10:00-10:00", err));
	CHECK(!add(6, "bad\n\x01window", err));
	CHECK_STR_EQ(err, "window \"bad??window\" of sun is not of the form HH:MM-HH:MM");

	booking_week_init(&week);
	CHECK(add(5, "09:00-12:00", err));
	CHECK(add(5, "11:00-13:00", err));
	CHECK(!booking_week_finish(&week, err, sizeof(err)));
	CHECK_STR_EQ(err, "windows \"09:00-12:00\" and \"11:00-13:00\" of sat overlap");

	booking_week_init(&week);
	CHECK(add(1, "09:00-12:00", err));
	CHECK(add(1, "09:00-12:00", err));
	CHECK(!booking_week_finish(&week, err, sizeof(err)));

	/* a full day of one-minute windows fits; one more cannot */
	booking_week_init(&week);
	for (int m = 0; m < BOOKING_MINUTES_PER_DAY; m++)
	{
		BookingWindow w = {(int16_t) m, (int16_t) (m + 1)};

		booking_format_window(&w, buf);
		if (!add(3, buf, err))
		{
			CHECK(0);
			break;
		}
	}
	CHECK(!add(3, "10:00-10:01", err));
	CHECK(booking_week_finish(&week, err, sizeof(err)));
}

int
main(void)
{
	test_windows();
	test_days();
	test_week();
	return unit_summary();
}
