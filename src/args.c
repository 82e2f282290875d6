/*
 * Argument checks: a NULL where a value is needed is SQLSTATE 22004, an
 * empty or oversized id 22023, a non-positive interval 22023, a duration or
 * ttl over its bound 22023.
 */
#include "booking.h"

#include "utils/guc.h"


static void
require_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

text *
booking_arg_text(FunctionCallInfo fcinfo, int argno, const char *name)
{
	require_not_null(fcinfo, argno, name);
	return PG_GETARG_TEXT_PP(argno);
}

char *
booking_arg_id(FunctionCallInfo fcinfo, int argno, const char *name)
{
	text	   *value = booking_arg_text(fcinfo, argno, name);
	int			len = VARSIZE_ANY_EXHDR(value);

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", name)));
	if (len > BOOKING_MAX_ID_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is too long", name),
				 errdetail("It is %d bytes long; at most %d bytes are allowed.",
						   len, BOOKING_MAX_ID_BYTES)));
	return text_to_cstring(value);
}

/*
 * Whether an interval is longer than zero, by interval comparison's rules,
 * and finite (PostgreSQL 17 has infinite intervals).
 */
bool
booking_interval_is_positive(const Interval *span)
{
	Interval	zero = {0};

#if PG_VERSION_NUM >= 170000
	if (INTERVAL_NOT_FINITE(span))
		return false;
#endif
	return DatumGetBool(DirectFunctionCall2(interval_gt, IntervalPGetDatum(span),
											IntervalPGetDatum(&zero)));
}

const Interval *
booking_arg_interval(FunctionCallInfo fcinfo, int argno, const char *name,
					 const Interval *default_span)
{
	Interval   *span;

	if (PG_ARGISNULL(argno))
		return default_span;
	span = PG_GETARG_INTERVAL_P(argno);
	if (!booking_interval_is_positive(span))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", name)));
	return span;
}

/*
 * A span longer than the bound, by interval comparison (a day is 24 hours, a
 * month 30 days), is refused, naming where it came from: the argument, or
 * the setting that stood in for it.  A GUC check hook cannot compare
 * booking.default_duration with booking.max_duration (either may change after
 * the other), so the bound is checked here, when the value is used.
 */
static const Interval *
bounded_interval(FunctionCallInfo fcinfo, int argno, const char *name,
				 const Interval *default_span, const char *default_name,
				 const Interval *bound, const char *bound_name)
{
	const Interval *span = booking_arg_interval(fcinfo, argno, name, default_span);

	if (DatumGetBool(DirectFunctionCall2(interval_gt, IntervalPGetDatum(span),
										 IntervalPGetDatum(bound))))
	{
		const char *given = span == default_span ? default_name : name;

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be longer than %s", given, bound_name),
				 errdetail("%s is %s; %s is %s.", given,
						   DatumGetCString(DirectFunctionCall1(interval_out,
															   IntervalPGetDatum(span))),
						   bound_name, GetConfigOption(bound_name, false, false)),
				 errhint("A superuser sets %s.", bound_name)));
	}
	return span;
}

/*
 * The length of the slot a call asks for: its argument, or default_span when
 * NULL (booking.default_duration if default_span is NULL), positive and at
 * most booking.max_duration.
 */
const Interval *
booking_arg_duration(FunctionCallInfo fcinfo, int argno, const Interval *default_span)
{
	const char *default_name = default_span ? "the default duration" : "booking.default_duration";

	if (default_span == NULL)
		default_span = booking_default_duration();
	return bounded_interval(fcinfo, argno, "duration", default_span, default_name,
							booking_max_duration(), "booking.max_duration");
}

/* The lifetime of a hold: its argument or booking.hold_ttl, at most booking.max_ttl. */
const Interval *
booking_arg_ttl(FunctionCallInfo fcinfo, int argno)
{
	return bounded_interval(fcinfo, argno, "ttl", booking_hold_ttl(), "booking.hold_ttl",
							booking_max_ttl(), "booking.max_ttl");
}

/*
 * ts + span, computed as SQL's timestamptz + interval is, so that
 * "now() + booking.max_advance" means what it says, but with days and months
 * counted in the booking's zone rather than the session's TimeZone, which
 * the caller controls.  A span that is positive by comparison yet goes
 * backwards from ts (such as '1 mon -30 days 1 s' in February) is refused
 * as not positive.
 */
TimestampTz
booking_timestamp_plus(TimestampTz ts, const Interval *span, pg_tz *zone,
					   const char *name)
{
	pg_tz	   *session_zone = session_timezone;
	TimestampTz result;

	session_timezone = zone;
	PG_TRY();
	{
		result = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
														 TimestampTzGetDatum(ts),
														 IntervalPGetDatum(span)));
	}
	PG_FINALLY();
	{
		session_timezone = session_zone;
	}
	PG_END_TRY();

	if (result <= ts)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", name)));
	return result;
}
