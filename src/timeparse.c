/*
 * Strict start_time parsing; see timeparse.h.
 */
#include "timeparse.h"

/* Reads exactly n ASCII digits at text[*pos]; false if any is not a digit. */
static bool
read_digits(const char *text, size_t len, size_t *pos, int n, int *value)
{
	int			v = 0;

	if (len - *pos < (size_t) n)
		return false;
	for (int i = 0; i < n; i++)
	{
		char		c = text[*pos + i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*pos += n;
	*value = v;
	return true;
}

static bool
read_char(const char *text, size_t len, size_t *pos, char expected)
{
	if (*pos >= len || text[*pos] != expected)
		return false;
	(*pos)++;
	return true;
}

static bool
is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (month == 2 && is_leap_year(year)) ? 29 : days[month - 1];
}

bool
booking_parse_start_time(const char *text, size_t len, BookingWallTime *out)
{
	BookingWallTime w = {0};
	size_t		pos = 0;

	if (text == NULL)
		return false;

	if (!read_digits(text, len, &pos, 4, &w.year) ||
		!read_char(text, len, &pos, '-') ||
		!read_digits(text, len, &pos, 2, &w.month) ||
		!read_char(text, len, &pos, '-') ||
		!read_digits(text, len, &pos, 2, &w.day))
		return false;

	if (pos >= len || (text[pos] != ' ' && text[pos] != 'T'))
		return false;
	pos++;

	if (!read_digits(text, len, &pos, 2, &w.hour) ||
		!read_char(text, len, &pos, ':') ||
		!read_digits(text, len, &pos, 2, &w.minute))
		return false;
	if (pos < len && text[pos] == ':')
	{
		pos++;
		if (!read_digits(text, len, &pos, 2, &w.second))
			return false;
	}

	if (pos < len && text[pos] == 'Z')
	{
		pos++;
		w.has_offset = true;
	}
	else if (pos < len && (text[pos] == '+' || text[pos] == '-'))
	{
		int			sign = text[pos] == '-' ? -1 : 1;
		int			oh,
					om;

		pos++;
		if (!read_digits(text, len, &pos, 2, &oh) ||
			!read_char(text, len, &pos, ':') ||
			!read_digits(text, len, &pos, 2, &om))
			return false;
		/* real zones stay within -12:00 .. +14:00; leave a little room */
		if (oh > 15 || om > 59)
			return false;
		w.has_offset = true;
		w.offset_seconds = sign * (oh * 3600 + om * 60);
	}

	if (pos != len)
		return false;

	if (w.year < 1 || w.month < 1 || w.month > 12 ||
		w.day < 1 || w.day > days_in_month(w.year, w.month) ||
		w.hour > 23 || w.minute > 59 || w.second > 59)
		return false;

	*out = w;
	return true;
}

int64_t
booking_days_from_civil(int year, int month, int day)
{
	/* Howard Hinnant's days_from_civil, valid for all years used here */
	int64_t		y = (int64_t) year - (month <= 2);
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		yoe = y - era * 400;
	int64_t		mp = (month + 9) % 12;
	int64_t		doy = (153 * mp + 2) / 5 + day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

int64_t
booking_wall_seconds(const BookingWallTime *wall)
{
	return booking_days_from_civil(wall->year, wall->month, wall->day) * 86400 +
		wall->hour * 3600 + wall->minute * 60 + wall->second;
}
