/*
 * Calendars for the clinic's administration: working hours and time off.
 * Each call takes the consultant's lock, as propose does, so that a
 * concurrent proposal sees a change whole or not at all.
 */
#include "calendar.h"

/* The normalised week as a jsonb object of all seven days. */
static Jsonb *
week_jsonb(const BookingWeek *week)
{
	BookingJson json;
	JsonbValue *value;

	json.state = NULL;
	pushJsonbValue(&json.state, WJB_BEGIN_OBJECT, NULL);
	for (int d = 0; d < BOOKING_DAYS_PER_WEEK; d++)
	{
		booking_json_begin_array(&json, booking_day_keys[d]);
		for (int i = 0; i < week->nwindows[d]; i++)
		{
			char		buf[BOOKING_WINDOW_TEXT_SIZE];

			booking_format_window(&week->windows[d][i], buf);
			booking_json_array_string(&json, pstrdup(buf));
		}
		booking_json_end_array(&json);
	}
	value = pushJsonbValue(&json.state, WJB_END_OBJECT, NULL);
	return JsonbValueToJsonb(value);
}

/*
 * The ids of the booked consultations a report lists, from the rows of the
 * statement just run (id, scheduled_at, ends_at, ...): with a week, those
 * it leaves out (outside_hours); without one, all of them.
 */
static int64 *
report_ids(const BookingWeek *week, pg_tz *zone, uint64 *n)
{
	int64	   *ids = palloc(sizeof(int64) * Max(SPI_processed, 1));
	bool		isnull;

	*n = 0;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		if (week != NULL &&
			booking_week_covers(week, zone,
								DatumGetTimestampTz(SPI_getbinval(row, desc, 2, &isnull)),
								DatumGetTimestampTz(SPI_getbinval(row, desc, 3, &isnull))))
			continue;
		ids[(*n)++] = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
	}
	return ids;
}

/*
 * The consultations a report lists (outside_hours, or those a time off
 * overlaps), read with stmt.  Under REPEATABLE READ that read sees the
 * transaction's snapshot, taken before the consultant's lock: a
 * consultation booked, moved or cancelled since would be missing from the
 * report, or listed wrongly, and the administrator relies on it.  As
 * propose does, the report is read again against the latest committed
 * state; if it differs, that is a serialization failure, for the caller to
 * retry.
 */
static int64 *
read_report(BookingStatement stmt, Datum *args, const BookingWeek *week, pg_tz *zone,
			uint64 *n)
{
	int64	   *ids;
	int64	   *latest;
	uint64		nlatest;

	booking_execute(stmt, args, NULL, 0);
	ids = report_ids(week, zone, n);
	if (!IsolationUsesXactSnapshot())
		return ids;
	booking_execute_latest(stmt, args, NULL, 0);
	latest = report_ids(week, zone, &nlatest);
	if (nlatest != *n || (*n > 0 && memcmp(ids, latest, sizeof(int64) * *n) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("could not serialize access due to a concurrent booking"),
				 errhint("Retry the transaction.")));
	return ids;
}

static pg_tz *
arg_zone(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? booking_default_zone()
		: booking_zone_by_name(text_to_cstring(PG_GETARG_TEXT_PP(argno)));
}

PG_FUNCTION_INFO_V1(booking_set_working_hours);

Datum
booking_set_working_hours(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	const char *consultant_id = booking_arg_id(fcinfo, 0, "consultant_id");
	Jsonb	   *hours;
	pg_tz	   *zone;
	BookingWeek *week = palloc(sizeof(BookingWeek));
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	Datum		args[4];
	BookingJson json;
	int64	   *outside;
	uint64		noutside;

	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("hours must not be null")));
	hours = PG_GETARG_JSONB_P(1);
	zone = arg_zone(fcinfo, 2);
	booking_week_from_jsonb(hours, week);

	booking_lock_route(booking_consultant_route(consultant_id));
	SPI_connect();

	args[0] = CStringGetTextDatum(consultant_id);
	args[1] = CStringGetTextDatum(booking_zone_name(zone));
	args[2] = JsonbPGetDatum(week_jsonb(week));
	args[3] = TimestampTzGetDatum(now);
	booking_execute(STMT_SET_HOURS, args, NULL, 0);

	booking_json_begin_plain_ok(&json);
	booking_json_string(&json, "consultant_id", consultant_id);
	booking_json_string(&json, "timezone", booking_zone_name(zone));
	booking_json_hours(&json, "hours", week);

	/* the future booked consultations the new hours leave out stay booked */
	args[1] = TimestampTzGetDatum(now);
	outside = read_report(STMT_FUTURE_BOOKED, args, week, zone, &noutside);
	booking_json_begin_array(&json, "outside_hours");
	for (uint64 i = 0; i < noutside; i++)
		booking_json_array_int64(&json, outside[i]);
	booking_json_end_array(&json);

	{
		Jsonb	   *result = booking_json_finish(&json, result_cxt);

		SPI_finish();
		PG_RETURN_JSONB_P(result);
	}
}

PG_FUNCTION_INFO_V1(booking_clear_working_hours);

Datum
booking_clear_working_hours(PG_FUNCTION_ARGS)
{
	const char *consultant_id = booking_arg_id(fcinfo, 0, "consultant_id");
	Datum		args[1];
	bool		cleared;

	booking_lock_route(booking_consultant_route(consultant_id));
	SPI_connect();
	args[0] = CStringGetTextDatum(consultant_id);
	booking_execute(STMT_CLEAR_HOURS, args, NULL, 0);
	cleared = SPI_processed > 0;
	SPI_finish();
	PG_RETURN_BOOL(cleared);
}

PG_FUNCTION_INFO_V1(booking_add_time_off);

Datum
booking_add_time_off(PG_FUNCTION_ARGS)
{
	MemoryContext result_cxt = CurrentMemoryContext;
	const char *consultant_id = booking_arg_id(fcinfo, 0, "consultant_id");
	text	   *from_text = booking_arg_text(fcinfo, 1, "from_time");
	text	   *to_text = booking_arg_text(fcinfo, 2, "to_time");
	pg_tz	   *zone = arg_zone(fcinfo, 3);
	TimestampTz from,
				to;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	Jsonb	   *outcome;
	Datum		args[5];
	char		nulls[5] = {' ', ' ', ' ', PG_ARGISNULL(4) ? 'n' : ' ', ' '};
	bool		isnull;
	int64		time_off_id;
	BookingJson json;
	Jsonb	   *result;
	int64	   *conflicting;
	uint64		nconflicting;

	if (!booking_read_time_arg(from_text, zone, "from_time", &from, &outcome, result_cxt) ||
		!booking_read_time_arg(to_text, zone, "to_time", &to, &outcome, result_cxt))
		PG_RETURN_JSONB_P(outcome);
	if (to <= from)
		PG_RETURN_JSONB_P(booking_error_result(BOOKING_INVALID_TIME,
									   "The to_time must be after the from_time.",
									   result_cxt));

	booking_lock_route(booking_consultant_route(consultant_id));
	SPI_connect();
	args[0] = CStringGetTextDatum(consultant_id);
	args[1] = TimestampTzGetDatum(from);
	args[2] = TimestampTzGetDatum(to);
	args[3] = PG_ARGISNULL(4) ? (Datum) 0 : PointerGetDatum(PG_GETARG_TEXT_PP(4));
	args[4] = TimestampTzGetDatum(now);
	booking_execute(STMT_ADD_TIME_OFF, args, nulls, 0);
	time_off_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 1, &isnull));

	booking_json_begin_plain_ok(&json);
	booking_json_int64(&json, "time_off_id", time_off_id);
	booking_json_string(&json, "consultant_id", consultant_id);
	booking_json_utc(&json, "start_at", from);
	booking_json_utc(&json, "end_at", to);

	/* the booked consultations it overlaps stay booked */
	conflicting = read_report(STMT_OVERLAPPING_BOOKED, args, NULL, NULL, &nconflicting);
	booking_json_begin_array(&json, "conflicting_consultation_ids");
	for (uint64 i = 0; i < nconflicting; i++)
		booking_json_array_int64(&json, conflicting[i]);
	booking_json_end_array(&json);
	result = booking_json_finish(&json, result_cxt);
	SPI_finish();
	PG_RETURN_JSONB_P(result);
}

PG_FUNCTION_INFO_V1(booking_remove_time_off);

Datum
booking_remove_time_off(PG_FUNCTION_ARGS)
{
	Datum		args[2];
	bool		removed = false;
	bool		isnull;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("time_off_id must not be null")));
	args[0] = Int64GetDatum(PG_GETARG_INT64(0));

	SPI_connect();
	booking_execute(STMT_TIME_OFF_OWNER, args, NULL, 1);
	if (SPI_processed > 0)
	{
		char	   *consultant_id = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0],
																	  SPI_tuptable->tupdesc,
																	  1, &isnull));

		/* a proposal of that consultant sees the time off whole or not at all */
		booking_lock_route(booking_consultant_route(consultant_id));
		args[1] = CStringGetTextDatum(consultant_id);
		booking_execute(STMT_REMOVE_TIME_OFF, args, NULL, 0);
		removed = SPI_processed > 0;
	}
	SPI_finish();
	PG_RETURN_BOOL(removed);
}
