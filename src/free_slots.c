/*
 * booking_free_slots: the bookable slots of some consultants over a range,
 * as the one predicate of bookable.c sees them.  It reads only: it takes no
 * lock, writes nothing (stale holds are left as they are) and so works in a
 * READ ONLY transaction.
 */
#include "calendar.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

#define MAX_CONSULTANTS		100
#define MAX_SLOTS_LIMIT		1000
#define MAX_RANGE			(INT64CONST(62) * USECS_PER_DAY)

typedef struct FoundSlot
{
	TimestampTz start_at;
	int			consultant;		/* index into the ids */
} FoundSlot;

/* By start, then consultant id (byte order, whatever the collation). */
static int
found_cmp(const void *a, const void *b, void *arg)
{
	const FoundSlot *x = a;
	const FoundSlot *y = b;
	const char **ids = arg;

	if (x->start_at != y->start_at)
		return x->start_at < y->start_at ? -1 : 1;
	return strcmp(ids[x->consultant], ids[y->consultant]);
}

/* The ids, checked as 1.0 checks an id; a repeated id counts once. */
static const char **
read_ids(FunctionCallInfo fcinfo, int *nids)
{
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	const char **ids;
	int			kept = 0;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("consultant_ids must not be null")));
	array = PG_GETARG_ARRAYTYPE_P(0);
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n < 1 || n > MAX_CONSULTANTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("consultant_ids must hold 1 to %d ids", MAX_CONSULTANTS),
				 errdetail("It holds %d.", n)));
	ids = palloc(sizeof(char *) * n);
	for (int i = 0; i < n; i++)
	{
		text	   *t;
		int			len;
		bool		seen = false;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("consultant_ids must not contain null"),
					 errdetail("Element %d is null.", i + 1)));
		t = DatumGetTextPP(elems[i]);
		len = VARSIZE_ANY_EXHDR(t);
		if (len == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("consultant_ids must not contain an empty id")));
		if (len > BOOKING_MAX_ID_BYTES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an id in consultant_ids is too long"),
					 errdetail("It is %d bytes long; at most %d bytes are allowed.",
							   len, BOOKING_MAX_ID_BYTES)));
		ids[kept] = text_to_cstring(t);
		for (int j = 0; j < kept && !seen; j++)
			seen = strcmp(ids[j], ids[kept]) == 0;
		if (!seen)
			kept++;
	}
	*nids = kept;
	return ids;
}

/* An interval in absolute microseconds, months as 30 days, capped. */
static int64
interval_usecs(const Interval *span)
{
	double		usecs = (double) span->time +
		((double) span->day + (double) span->month * DAYS_PER_MONTH) * USECS_PER_DAY;

	/* beyond a century only the first grid point of a stretch matters */
	return usecs > 100.0 * DAYS_PER_YEAR * USECS_PER_DAY
		? (int64) (100.0 * DAYS_PER_YEAR * USECS_PER_DAY) : (int64) usecs;
}

PG_FUNCTION_INFO_V1(booking_free_slots);

Datum
booking_free_slots(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	int			nids;
	const char **ids = read_ids(fcinfo, &nids);
	text	   *from_text = booking_arg_text(fcinfo, 1, "from_time");
	text	   *to_text = booking_arg_text(fcinfo, 2, "to_time");
	/* bounded by booking.max_duration, as every call's duration is */
	const Interval *duration = booking_arg_duration(fcinfo, 3, NULL);
	const Interval *step_span;
	pg_tz	   *zone = PG_ARGISNULL(5) ? booking_default_zone()
		: booking_zone_by_name(text_to_cstring(PG_GETARG_TEXT_PP(5)));
	int32		max_slots;
	TimestampTz from,
				to,
				now,
				lo,
				hi;
	int64		step;
	int64		duration_usecs;
	const Interval *exact_duration;
	Jsonb	   *outcome;
	FoundSlot  *found;
	int			nfound = 0;
	TimestampTz *starts;
	BookingJson json;
	bool		truncated;

	step_span = booking_arg_interval(fcinfo, 4, "step", duration);
	if (PG_ARGISNULL(6))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("max_slots must not be null")));
	max_slots = PG_GETARG_INT32(6);
	if (max_slots < 1 || max_slots > MAX_SLOTS_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_slots must be between 1 and %d", MAX_SLOTS_LIMIT)));

	if (!booking_read_time_arg(from_text, zone, "from_time", &from, &outcome, result_cxt) ||
		!booking_read_time_arg(to_text, zone, "to_time", &to, &outcome, result_cxt))
		PG_RETURN_JSONB_P(outcome);
	if (to > from && to - from > MAX_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the range from from_time to to_time must be at most 62 days"),
				 errdetail("It is %.1f days long.", (double) (to - from) / USECS_PER_DAY)));

	now = GetCurrentTransactionStartTimestamp();
	step = interval_usecs(step_span);
	duration_usecs = interval_usecs(duration);
	/* a duration with days or months ends where propose's would */
	exact_duration = (duration->day != 0 || duration->month != 0) ? duration : NULL;
	lo = Max(Max(from, booking_earliest_start(now, zone)), now + 1);
	hi = Min(to, booking_latest_start(now, zone) + 1);

	found = palloc(sizeof(FoundSlot) * (Size) nids * (max_slots + 1));
	starts = palloc(sizeof(TimestampTz) * (max_slots + 1));
	if (lo < hi)
	{
		SPI_connect();
		for (int c = 0; c < nids; c++)
		{
			BookingSchedule schedule;
			int			n;
			int64		reach = exact_duration ? duration_usecs + USECS_PER_DAY : duration_usecs;

			booking_schedule_load(&schedule, ids[c], lo, hi + reach, now, 0);
			n = booking_bookable_starts(&schedule, zone, lo, hi, step, exact_duration,
										duration_usecs, zone, starts, max_slots + 1);
			for (int i = 0; i < n; i++)
			{
				found[nfound].start_at = starts[i];
				found[nfound].consultant = c;
				nfound++;
			}
		}
		SPI_finish();
	}

	qsort_arg(found, nfound, sizeof(FoundSlot), found_cmp, (void *) ids);
	truncated = nfound > max_slots;

	booking_json_begin_plain_ok(&json);
	booking_json_string(&json, "timezone", booking_zone_name(zone));
	booking_json_begin_array(&json, "slots");
	for (int i = 0; i < nfound && i < max_slots; i++)
		booking_json_slot(&json, ids[found[i].consultant], found[i].start_at,
						  booking_slot_end(found[i].start_at, exact_duration,
										   duration_usecs, zone),
						  zone);
	booking_json_end_array(&json);
	booking_json_bool(&json, "truncated", truncated);
	PG_RETURN_JSONB_P(booking_json_finish(&json, result_cxt));
}
