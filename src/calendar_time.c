/*
 * Calendars meet the zone database: the zone as stretches.c wants it, the
 * stretches of a week over a range of instants, the time arguments of time
 * off and free slots, and the JSON pieces of their results.
 */
#include "calendar.h"

#include "timeparse.h"
#include "utils/numeric.h"

static int32_t
pg_zone_offset_at(const void *ctx, int64_t t, int64_t *next_change)
{
	pg_tz	   *zone = (pg_tz *) ctx;
	pg_time_t	tt = (pg_time_t) t;
	pg_time_t	boundary;
	long		before_gmtoff,
				after_gmtoff;
	int			before_isdst,
				after_isdst;

	switch (pg_next_dst_boundary(&tt, &before_gmtoff, &before_isdst,
								 &boundary, &after_gmtoff, &after_isdst, zone))
	{
		case 0:
			*next_change = INT64_MAX;
			return (int32_t) before_gmtoff;
		case 1:
			*next_change = boundary;
			return (int32_t) before_gmtoff;
		default:
			{
				struct pg_tm *tm = pg_localtime(&tt, zone);

				/* out of the zone code's range: one day at a time */
				*next_change = t + SECS_PER_DAY;
				return tm != NULL ? (int32_t) tm->tm_gmtoff : 0;
			}
	}
}

BookingZone
booking_zone_adapter(pg_tz *zone)
{
	BookingZone z;

	z.offset_at = pg_zone_offset_at;
	z.ctx = zone;
	return z;
}

static int64_t
seconds_of(TimestampTz ts)
{
	/* floor, so that an instant before a whole second maps before it */
	int64		usecs = ts + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

	return usecs >= 0 ? usecs / USECS_PER_SEC : -((-usecs + USECS_PER_SEC - 1) / USECS_PER_SEC);
}

/*
 * The instants the week's windows cover on the local dates (in zone) that
 * [from, to) touches, widened by margin_days on each side, sorted, in
 * microseconds.  When join, touching ones are joined into stretches, and
 * the run of dates is widened further until the stretches at its ends are
 * whole (up to a week and a day: beyond, a calendar open around the clock
 * has its grid start there).
 */
BookingSpans
booking_zone_spans(const BookingWeek *week, pg_tz *zone, TimestampTz from,
				   TimestampTz to, int margin_days, bool join)
{
	BookingZone z = booking_zone_adapter(zone);
	int64_t		first = booking_local_date(&z, seconds_of(from)) - margin_days;
	int64_t		last = booking_local_date(&z, seconds_of(to)) + margin_days;
	size_t		per_week = 0;
	size_t		capacity;
	size_t		n;
	BookingSpans result;

	if (join)
		booking_week_widen(week, &first, &last, 8);
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
		per_week += week->nwindows[d];
	/* a window usually maps to one span, around a transition to two */
	capacity = (size_t) ((last - first + 1) / 7 + 1) * per_week * 2 + 4;
	result.spans = palloc(sizeof(BookingSpan) * capacity);
	n = booking_week_spans(week, &z, first, last, result.spans, capacity);
	if (n > capacity)
	{
		result.spans = repalloc(result.spans, sizeof(BookingSpan) * n);
		n = booking_week_spans(week, &z, first, last, result.spans, n);
	}
	n = booking_spans_sort(result.spans, n, join);
	for (size_t i = 0; i < n; i++)
	{
		result.spans[i].start = time_t_to_timestamptz((pg_time_t) result.spans[i].start);
		result.spans[i].end = time_t_to_timestamptz((pg_time_t) result.spans[i].end);
	}
	result.n = n;
	return result;
}

/*
 * The local days in zone that [from, to) touches, widened by margin_days on
 * each side: one span per date, from its first instant to the next date's.
 * A clock change inside a date cuts it into pieces of constant offset; they
 * are joined again, so that a grid walked from the date's first instant
 * goes on in absolute time across the change.
 */
BookingSpans
booking_zone_days(pg_tz *zone, TimestampTz from, TimestampTz to, int margin_days)
{
	BookingZone z = booking_zone_adapter(zone);
	BookingWeek *days = palloc(sizeof(BookingWeek));
	BookingSpans s;
	size_t		kept = 0;

	booking_week_whole_days(days);
	s = booking_zone_spans(days, zone, from, to, margin_days, false);
	pfree(days);
	for (size_t i = 1; i < s.n; i++)
	{
		BookingSpan *last = &s.spans[kept];

		if (s.spans[i].start == last->end &&
			booking_local_date(&z, seconds_of(s.spans[i].start - 1)) ==
			booking_local_date(&z, seconds_of(s.spans[i].start)))
			last->end = s.spans[i].end;
		else
			s.spans[++kept] = s.spans[i];
	}
	if (s.n > 0)
		s.n = kept + 1;
	return s;
}

/* Whether one stretch of the week's working time in zone holds [start, end). */
bool
booking_week_covers(const BookingWeek *week, pg_tz *zone, TimestampTz start_at,
					TimestampTz end_at)
{
	BookingSpans s = booking_zone_spans(week, zone, start_at, end_at, 1, true);
	bool		covered = booking_spans_cover(s.spans, s.n, start_at, end_at);

	pfree(s.spans);
	return covered;
}

static void
hours_error(const char *message)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid working hours: %s", message),
			 errhint("Working hours are an object such as {\"mon\": [\"09:00-13:00\", \"14:00-18:00\"]}, with days among mon, tue, wed, thu, fri, sat, sun.")));
}

static void
read_day(JsonbValue *value, int day, BookingWeek *week)
{
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	elem;
	char		err[BOOKING_HOURS_ERROR_SIZE];

	if (value->type != jbvBinary || !JsonContainerIsArray(value->val.binary.data) ||
		JsonContainerIsScalar(value->val.binary.data))
	{
		snprintf(err, sizeof(err), "the value of %s is not an array of windows",
				 booking_day_keys[day]);
		hours_error(err);
	}
	it = JsonbIteratorInit(value->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (elem.type != jbvString)
		{
			/* named as the caller wrote it, cut short like an unknown key */
			Jsonb	   *window = JsonbValueToJsonb(&elem);
			char	   *text = JsonbToCString(NULL, &window->root, VARSIZE(window));

			snprintf(err, sizeof(err), "window %.40s of %s is not a string such as \"09:00-13:00\"",
					 text, booking_day_keys[day]);
			hours_error(err);
		}
		if (!booking_week_add(week, day, elem.val.string.val, elem.val.string.len,
							  err, sizeof(err)))
			hours_error(err);
	}
}

/* Reads and checks working hours; raises 22023 naming the day and window. */
void
booking_week_from_jsonb(Jsonb *hours, BookingWeek *week)
{
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	v;
	char		err[BOOKING_HOURS_ERROR_SIZE];
	int			day = -1;

	booking_week_init(week);
	if (!JB_ROOT_IS_OBJECT(hours))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid working hours: hours must be a JSON object"),
				 errhint("Working hours are an object such as {\"mon\": [\"09:00-13:00\", \"14:00-18:00\"]}, with days among mon, tue, wed, thu, fri, sat, sun.")));

	it = JsonbIteratorInit(&hours->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			day = booking_day_from_key(v.val.string.val, v.val.string.len);
			if (day < 0)
			{
				char	   *key = pnstrdup(v.val.string.val, Min(v.val.string.len, 40));

				snprintf(err, sizeof(err), "\"%s\" is not a day (mon, tue, wed, thu, fri, sat, sun)",
						 key);
				hours_error(err);
			}
		}
		else if (tok == WJB_VALUE)
			read_day(&v, day, week);
	}
	if (!booking_week_finish(week, err, sizeof(err)))
		hours_error(err);
}

/* The first instant of a local date; false if the zone skipped the whole date. */
static bool
first_instant_of_date(int64_t date, pg_tz *zone, TimestampTz *out)
{
	BookingZone z = booking_zone_adapter(zone);
	BookingWeek *days = palloc(sizeof(BookingWeek));
	BookingSpan spans[8];
	size_t		n;

	booking_week_whole_days(days);
	n = booking_week_spans(days, &z, date, date, spans, lengthof(spans));
	pfree(days);
	if (n == 0)
		return false;
	n = booking_spans_sort(spans, Min(n, lengthof(spans)), false);
	*out = time_t_to_timestamptz((pg_time_t) spans[0].start);
	return true;
}

static Jsonb *
time_outcome(const char *code, const char *what, const char *why,
			 MemoryContext result_cxt)
{
	char	   *message = psprintf("The %s %s", what, why);

	return booking_error_result(code, message, result_cxt);
}

/*
 * Reads a from_time or to_time: the start_time forms, or a bare date
 * YYYY-MM-DD for the first instant of that local day, in zone.  False with
 * the outcome (INVALID_TIME, NONEXISTENT_TIME, AMBIGUOUS_TIME) in *outcome.
 */
bool
booking_read_time_arg(text *value, pg_tz *zone, const char *what,
					  TimestampTz *out, Jsonb **outcome, MemoryContext result_cxt)
{
	const char *bytes = VARDATA_ANY(value);
	size_t		len = VARSIZE_ANY_EXHDR(value);
	BookingWallTime wall;
	TimestampTz instants[2];

	if (len == 10)
	{
		char		buf[17];

		memcpy(buf, bytes, 10);
		memcpy(buf + 10, " 00:00", 6);
		buf[16] = '\0';
		if (!booking_parse_start_time(buf, 16, &wall))
		{
			*outcome = time_outcome(BOOKING_INVALID_TIME, what,
									"must be a date such as 2026-03-10, or a date and time such as 2026-03-10 15:00, optionally followed by Z or an offset such as +01:00.",
									result_cxt);
			return false;
		}
		if (!first_instant_of_date(booking_days_from_civil(wall.year, wall.month, wall.day),
								   zone, out))
		{
			*outcome = time_outcome(BOOKING_NONEXISTENT_TIME, what,
									"is a date that the clocks skip in that zone; choose another date.",
									result_cxt);
			return false;
		}
		return true;
	}

	if (!booking_parse_start_time(bytes, len, &wall))
	{
		*outcome = time_outcome(BOOKING_INVALID_TIME, what,
								"must be a date such as 2026-03-10, or a date and time such as 2026-03-10 15:00, optionally followed by Z or an offset such as +01:00.",
								result_cxt);
		return false;
	}
	switch (booking_resolve_wall_time(&wall, zone, instants))
	{
		case 0:
			*outcome = time_outcome(BOOKING_NONEXISTENT_TIME, what,
									"does not exist, because the clocks go forward then; choose another time.",
									result_cxt);
			return false;
		case 2:
			{
				BookingJson json;
				char	   *message = psprintf("The %s occurs twice, because the clocks go back then; choose one of the candidates.", what);

				booking_json_begin_error(&json, BOOKING_AMBIGUOUS_TIME, message);
				booking_json_string(&json, "timezone", booking_zone_name(zone));
				booking_json_begin_array(&json, "candidates");
				booking_json_array_string(&json, booking_format_local(instants[0], zone));
				booking_json_array_string(&json, booking_format_local(instants[1], zone));
				booking_json_end_array(&json);
				*outcome = booking_json_finish(&json, result_cxt);
				return false;
			}
	}
	*out = instants[0];
	return true;
}

void
booking_json_begin_plain_ok(BookingJson *json)
{
	json->state = NULL;
	pushJsonbValue(&json->state, WJB_BEGIN_OBJECT, NULL);
	booking_json_bool(json, "ok", true);
}

void
booking_json_array_int64(BookingJson *json, int64 value)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(value);
	pushJsonbValue(&json->state, WJB_ELEM, &v);
}

/* "key": {"mon": ["09:00-13:00", ...], ..., "sun": []} */
void
booking_json_hours(BookingJson *json, const char *key, const BookingWeek *week)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	pushJsonbValue(&json->state, WJB_KEY, &k);
	pushJsonbValue(&json->state, WJB_BEGIN_OBJECT, NULL);
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
	{
		booking_json_begin_array(json, booking_day_keys[d]);
		for (int i = 0; i < week->nwindows[d]; i++)
		{
			char		buf[BOOKING_WINDOW_TEXT_SIZE];

			booking_format_window(&week->windows[d][i], buf);
			booking_json_array_string(json, pstrdup(buf));
		}
		booking_json_end_array(json);
	}
	pushJsonbValue(&json->state, WJB_END_OBJECT, NULL);
}

/* One slot as an element of an array; consultant_id may be NULL. */
void
booking_json_slot(BookingJson *json, const char *consultant_id,
				  TimestampTz start_at, TimestampTz end_at, pg_tz *zone)
{
	pushJsonbValue(&json->state, WJB_BEGIN_OBJECT, NULL);
	if (consultant_id != NULL)
		booking_json_string(json, "consultant_id", consultant_id);
	booking_json_utc(json, "start_at", start_at);
	booking_json_utc(json, "end_at", end_at);
	booking_json_local(json, "start_local", start_at, zone);
	pushJsonbValue(&json->state, WJB_END_OBJECT, NULL);
}
