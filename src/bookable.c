/*
 * The one predicate for "bookable", and the searches built on it: the
 * bookable starts of a consultant (free slots) and the nearest ones to an
 * asked start (alternatives).  See bookable.h.
 */
#include "calendar.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

/*
 * Local dates read around a range beyond the ones it touches; the
 * stretches at the ends are then widened until whole (booking_week_widen).
 */
#define STRETCH_MARGIN_DAYS		1
/* Alternatives are searched within this distance of the asked start... */
#define ALTERNATIVES_REACH		(INT64CONST(168) * USECS_PER_HOUR)
/* ...first within this one, which is enough when slots are near. */
#define ALTERNATIVES_FIRST_REACH	(INT64CONST(24) * USECS_PER_HOUR)

static void
read_calendar(HeapTuple tuple, TupleDesc desc, BookingCalendar *calendar)
{
	bool		isnull;
	Datum		zone = SPI_getbinval(tuple, desc, 4, &isnull);
	Datum		hours = SPI_getbinval(tuple, desc, 5, &isnull);

	calendar->has_calendar = true;
	calendar->zone = booking_zone_by_name(TextDatumGetCString(zone));
	calendar->week = palloc(sizeof(BookingWeek));
	booking_week_from_jsonb(DatumGetJsonbP(hours), calendar->week);
}

/*
 * Loads what decides bookability of the consultant's slots that overlap
 * [from, to): its calendar with stretches seen over local dates widened by
 * margin_days, its time off, and when with_bookings, its booked
 * consultations (but ignore_consultation_id) and holds live at now.
 */
static void
load_schedule_as(BookingSchedule *schedule, const char *consultant_id,
				 TimestampTz from, TimestampTz to, TimestampTz now,
				 int64 ignore_consultation_id, bool with_bookings, int margin_days,
				 bool latest)
{
	Datum		args[6];
	size_t		nblocked = 0;

	args[0] = CStringGetTextDatum(consultant_id);
	args[1] = TimestampTzGetDatum(from);
	args[2] = TimestampTzGetDatum(to);
	args[3] = TimestampTzGetDatum(now);
	args[4] = Int64GetDatum(ignore_consultation_id);
	args[5] = BoolGetDatum(with_bookings);
	if (latest)
		booking_execute_latest(STMT_SCHEDULE, args, NULL, 0);
	else
		booking_execute(STMT_SCHEDULE, args, NULL, 0);

	memset(schedule, 0, sizeof(*schedule));
	schedule->blocked.spans = palloc(sizeof(BookingSpan) * Max(SPI_processed, 1));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		int32		kind = DatumGetInt32(SPI_getbinval(tuple, desc, 1, &isnull));

		if (kind < 0)
			read_calendar(tuple, desc, &schedule->calendar);
		else
		{
			BookingSpan *span = &schedule->blocked.spans[nblocked++];

			span->start = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 2, &isnull));
			span->end = DatumGetTimestampTz(SPI_getbinval(tuple, desc, 3, &isnull));
		}
	}
	schedule->blocked.n = booking_spans_sort(schedule->blocked.spans, nblocked, true);
	if (schedule->calendar.has_calendar)
		schedule->working = booking_zone_spans(schedule->calendar.week,
											   schedule->calendar.zone,
											   from, to, margin_days, true);
}

static void
load_schedule(BookingSchedule *schedule, const char *consultant_id,
			  TimestampTz from, TimestampTz to, TimestampTz now,
			  int64 ignore_consultation_id, bool with_bookings, int margin_days)
{
	load_schedule_as(schedule, consultant_id, from, to, now, ignore_consultation_id,
					 with_bookings, margin_days, false);
}

void
booking_schedule_load(BookingSchedule *schedule, const char *consultant_id,
					  TimestampTz from, TimestampTz to, TimestampTz now,
					  int64 ignore_consultation_id)
{
	load_schedule(schedule, consultant_id, from, to, now, ignore_consultation_id,
				  true, STRETCH_MARGIN_DAYS);
}

/* THE predicate. */
BookingVerdict
booking_verdict(const BookingSchedule *schedule, TimestampTz start_at,
				TimestampTz end_at)
{
	size_t		i;

	if (schedule->calendar.has_calendar &&
		!booking_spans_cover(schedule->working.spans, schedule->working.n,
							 start_at, end_at))
		return BOOKING_OUTSIDE_HOURS;
	i = booking_spans_find(schedule->blocked.spans, schedule->blocked.n, start_at);
	if (i < schedule->blocked.n && schedule->blocked.spans[i].start < end_at)
		return BOOKING_BLOCKED;
	return BOOKING_BOOKABLE;
}

/*
 * Whether the installed SQL is 1.1 or later.  The library of 1.1 also
 * serves an installed 1.0 until ALTER EXTENSION UPDATE runs: it must then
 * behave as 1.0 did, with no calendar to read and no alternatives to add.
 * Two syscache look-ups, no query.
 */
static bool
calendars_installed(void)
{
	Oid			schema = get_namespace_oid("booking", true);

	return OidIsValid(schema) && OidIsValid(get_relname_relid("time_off", schema)) &&
		OidIsValid(get_relname_relid("working_hours", schema));
}

bool
booking_slot_unavailable(const char *consultant_id, TimestampTz start_at,
						 TimestampTz end_at)
{
	BookingSchedule schedule;
	bool		unavailable;

	if (!calendars_installed())
		return false;

	/* holds and bookings are propose's own business, as in 1.0 */
	load_schedule(&schedule, consultant_id, start_at, end_at, 0, 0, false, 1);
	unavailable = booking_verdict(&schedule, start_at, end_at) != BOOKING_BOOKABLE;

	/*
	 * Under REPEATABLE READ the snapshot predates the lock: hours or time
	 * off changed since would go unseen, and the answer would follow a
	 * calendar that is no longer in force.  As propose does for bookings,
	 * ask again against the latest committed state; if the answer differs,
	 * it is a serialization failure, which the caller retries.
	 */
	if (IsolationUsesXactSnapshot())
	{
		BookingSchedule latest;

		load_schedule_as(&latest, consultant_id, start_at, end_at, 0, 0, false, 1, true);
		if ((booking_verdict(&latest, start_at, end_at) != BOOKING_BOOKABLE) != unavailable)
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent change of the consultant's calendar"),
					 errhint("Retry the transaction.")));
	}
	return unavailable;
}

TimestampTz
booking_earliest_start(TimestampTz now, pg_tz *zone)
{
	const Interval *notice = booking_min_notice();

	if (!booking_interval_is_positive(notice))
		return now;
	return booking_timestamp_plus(now, notice, zone, "booking.min_notice");
}

/*
 * now + booking.max_advance; as propose reads it, a bound of 10,000 years
 * or more puts nothing out of reach.
 */
TimestampTz
booking_latest_start(TimestampTz now, pg_tz *zone)
{
	const Interval *bound = booking_max_advance();
	double		years = bound->month / (double) MONTHS_PER_YEAR +
		bound->day / DAYS_PER_YEAR +
		bound->time / (DAYS_PER_YEAR * USECS_PER_DAY);

	if (years >= 10000)
		return PG_INT64_MAX - 1;
	return booking_timestamp_plus(now, bound, zone, "booking.max_advance");
}

/* start + duration, as propose computes a slot's end. */
TimestampTz
booking_slot_end(TimestampTz start_at, const Interval *duration, int64 duration_usecs,
				 pg_tz *zone)
{
	if (duration == NULL)
		return start_at + duration_usecs;
	return booking_timestamp_plus(start_at, duration, zone, "duration");
}

/* The first grid point of a span at or after t. */
static TimestampTz
grid_at_or_after(const BookingSpan *g, TimestampTz t, int64 step)
{
	if (t <= g->start)
		return g->start;
	return g->start + ((t - g->start + step - 1) / step) * step;
}

/* The last grid point of a span at or before t (t >= g->start). */
static TimestampTz
grid_at_or_before(const BookingSpan *g, TimestampTz t, int64 step)
{
	return g->start + ((t - g->start) / step) * step;
}

typedef struct Search
{
	const BookingSchedule *schedule;
	BookingSpans grid;
	int64		step;
	const Interval *duration;	/* NULL: duration_usecs is exact */
	int64		duration_usecs;
	pg_tz	   *zone;
} Search;

static void
search_init(Search *search, const BookingSchedule *schedule, pg_tz *grid_zone,
			TimestampTz lo, TimestampTz hi, int64 step, const Interval *duration,
			int64 duration_usecs, pg_tz *zone)
{
	search->schedule = schedule;
	search->step = step;
	search->duration = duration;
	search->duration_usecs = duration_usecs;
	search->zone = zone;
	if (schedule->calendar.has_calendar)
		search->grid = schedule->working;
	else
		search->grid = booking_zone_days(grid_zone, lo, hi, 1);
}

/*
 * Bookable starts in [lo, hi), ascending, at most max.  A blocked candidate
 * moves the search past what blocks it, and a slot that overruns its
 * stretch ends that stretch, so the work grows with what is found and what
 * blocks, never with the number of grid points.
 */
static int
search_up(const Search *search, TimestampTz lo, TimestampTz hi,
		  TimestampTz *starts, int max)
{
	const BookingSchedule *sc = search->schedule;
	bool		calendar = sc->calendar.has_calendar;
	int			n = 0;

	for (size_t gi = booking_spans_find(search->grid.spans, search->grid.n, lo);
		 gi < search->grid.n && n < max; gi++)
	{
		const BookingSpan *g = &search->grid.spans[gi];
		TimestampTz s;

		if (g->start >= hi)
			break;
		s = grid_at_or_after(g, lo, search->step);
		while (s < g->end && s < hi && n < max)
		{
			TimestampTz e = booking_slot_end(s, search->duration,
											 search->duration_usecs, search->zone);
			size_t		bi;

			CHECK_FOR_INTERRUPTS();
			if (calendar && e > g->end)
				break;
			bi = booking_spans_find(sc->blocked.spans, sc->blocked.n, s);
			if (bi < sc->blocked.n && sc->blocked.spans[bi].start < e)
			{
				s = grid_at_or_after(g, sc->blocked.spans[bi].end, search->step);
				continue;
			}
			Assert(booking_verdict(sc, s, e) == BOOKING_BOOKABLE);
			starts[n++] = s;
			s += search->step;
		}
	}
	return n;
}

/* Bookable starts in [lo, hi), descending, at most max. */
static int
search_down(const Search *search, TimestampTz lo, TimestampTz hi,
			TimestampTz *starts, int max)
{
	const BookingSchedule *sc = search->schedule;
	bool		calendar = sc->calendar.has_calendar;
	size_t		gi = booking_spans_find(search->grid.spans, search->grid.n, hi);
	int			n = 0;

	/* spans[gi] is the first span ending after hi; it may start before hi */
	if (gi == search->grid.n || search->grid.spans[gi].start >= hi)
	{
		if (gi == 0)
			return 0;
		gi--;
	}
	for (;; gi--)
	{
		const BookingSpan *g = &search->grid.spans[gi];
		TimestampTz floor_at = Max(lo, g->start);
		TimestampTz top = Min(g->end, hi);
		TimestampTz s;

		if (g->end <= lo || n >= max)
			break;
		s = grid_at_or_before(g, top - 1, search->step);
		while (s >= floor_at && n < max)
		{
			TimestampTz e = booking_slot_end(s, search->duration,
											 search->duration_usecs, search->zone);
			size_t		bi;

			CHECK_FOR_INTERRUPTS();
			if (calendar && e > g->end)
			{
				TimestampTz fit = g->end - (e - s);

				s = fit < s && fit >= g->start ? grid_at_or_before(g, fit, search->step)
					: s - search->step;
				continue;
			}
			bi = booking_spans_find(sc->blocked.spans, sc->blocked.n, s);
			if (bi < sc->blocked.n && sc->blocked.spans[bi].start < e)
			{
				TimestampTz fit = sc->blocked.spans[bi].start - (e - s);

				if (fit < g->start)
					break;
				s = fit < s ? grid_at_or_before(g, fit, search->step) : s - search->step;
				continue;
			}
			Assert(booking_verdict(sc, s, e) == BOOKING_BOOKABLE);
			starts[n++] = s;
			s -= search->step;
		}
		if (gi == 0)
			break;
	}
	return n;
}

int
booking_bookable_starts(const BookingSchedule *schedule, pg_tz *grid_zone,
						TimestampTz lo, TimestampTz hi, int64 step,
						const Interval *duration, int64 duration_usecs,
						pg_tz *zone, TimestampTz *starts, int max)
{
	Search		search;

	if (lo >= hi)
		return 0;
	search_init(&search, schedule, grid_zone, lo, hi, step, duration,
				duration_usecs, zone);
	return search_up(&search, lo, hi, starts, max);
}

/*
 * The nearest bookable starts to asked (ties: the earlier first), at most
 * max, searched within reach of it, bounds included.
 */
static int
nearest_within(const char *consultant_id, TimestampTz asked, int64 reach,
			   int64 duration_usecs, pg_tz *zone, int64 ignore_consultation_id,
			   TimestampTz *out, int max)
{
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	TimestampTz lo = Max(Max(asked - reach, booking_earliest_start(now, zone)), now + 1);
	TimestampTz latest = booking_latest_start(now, zone);
	TimestampTz hi = Min(asked + reach, latest) + 1;
	BookingSchedule schedule;
	Search		search;
	TimestampTz *after = palloc(sizeof(TimestampTz) * max);
	TimestampTz *before = palloc(sizeof(TimestampTz) * max);
	int			nafter,
				nbefore,
				a = 0,
				b = 0,
				n = 0;

	if (lo >= hi)
		return 0;
	load_schedule(&schedule, consultant_id, lo, hi + duration_usecs, now,
				  ignore_consultation_id, true, STRETCH_MARGIN_DAYS);
	search_init(&search, &schedule, zone, lo, hi, duration_usecs, NULL,
				duration_usecs, zone);
	nafter = search_up(&search, Max(lo, asked), hi, after, max);
	nbefore = asked > lo ? search_down(&search, lo, Min(asked, hi), before, max) : 0;

	while (n < max && (a < nafter || b < nbefore))
	{
		/* a tie goes to the one before, which is the earlier */
		if (b < nbefore && (a >= nafter || asked - before[b] <= after[a] - asked))
			out[n++] = before[b++];
		else
			out[n++] = after[a++];
	}
	return n;
}

/*
 * Within 168 hours of asked; a nearer search first, whose answer stands
 * when it found all it needs: any start it did not look at is farther than
 * every one it found.  The grid does not depend on the range searched, so
 * both searches see the same candidates.
 */
static int
nearest_starts(const char *consultant_id, TimestampTz asked, int64 duration_usecs,
			   pg_tz *zone, int64 ignore_consultation_id, TimestampTz *out, int max)
{
	int			n = nearest_within(consultant_id, asked, ALTERNATIVES_FIRST_REACH,
								   duration_usecs, zone, ignore_consultation_id, out, max);

	if (n < max)
		n = nearest_within(consultant_id, asked, ALTERNATIVES_REACH, duration_usecs,
						   zone, ignore_consultation_id, out, max);
	return n;
}

/* Copies result's object into json, without its closing. */
static void
reopen(BookingJson *json, Jsonb *result)
{
	JsonbIterator *it = JsonbIteratorInit(&result->root);
	JsonbIteratorToken tok;
	JsonbValue	v;
	int			depth = 0;

	json->state = NULL;
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if (tok == WJB_BEGIN_OBJECT || tok == WJB_BEGIN_ARRAY)
			depth++;
		else if (tok == WJB_END_OBJECT || tok == WJB_END_ARRAY)
		{
			if (--depth == 0)
				return;
		}
		(void) pushJsonbValue(&json->state, tok, tok < WJB_BEGIN_ARRAY ? &v : NULL);
	}
}

Jsonb *
booking_with_alternatives(Jsonb *result, const char *consultant_id,
						  TimestampTz start_at, TimestampTz end_at, pg_tz *zone,
						  int64 ignore_consultation_id, MemoryContext result_cxt)
{
	int			max = booking_alternatives_count();
	MemoryContext outer = CurrentMemoryContext;
	TimestampTz *starts;
	int			n;
	int64		duration_usecs = end_at - start_at;
	BookingJson json;

	if (max <= 0 || !calendars_installed())
		return result;
	starts = MemoryContextAlloc(outer, sizeof(TimestampTz) * max);

	SPI_connect();
	n = nearest_starts(consultant_id, start_at, duration_usecs, zone,
					   ignore_consultation_id, starts, max);
	SPI_finish();

	reopen(&json, result);
	booking_json_begin_array(&json, "alternatives");
	for (int i = 0; i < n; i++)
		booking_json_slot(&json, NULL, starts[i], starts[i] + duration_usecs, zone);
	booking_json_end_array(&json);
	return booking_json_finish(&json, result_cxt);
}

Jsonb *
booking_refusal_with_alternatives(const char *code, const char *message,
								  const char *consultant_id,
								  TimestampTz start_at, TimestampTz end_at,
								  pg_tz *zone, int64 ignore_consultation_id,
								  MemoryContext result_cxt)
{
	Jsonb	   *result = booking_error_result(code, message, CurrentMemoryContext);

	return booking_with_alternatives(result, consultant_id, start_at, end_at, zone,
									 ignore_consultation_id, result_cxt);
}
