/*
 * Argument checks: a NULL where a value is needed is SQLSTATE 22004, an
 * empty or oversized id 22023, a non-positive interval 22023.
 */
#include "booking.h"

#include "common/int.h"

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
 * The length of an interval in microseconds, a month counted as 30 days as
 * interval comparison does.  False if it does not fit.
 */
bool
booking_interval_usecs(const Interval *span, int64 *usecs)
{
	int64		days = (int64) span->month * DAYS_PER_MONTH + span->day;
	int64		total;

	if (pg_mul_s64_overflow(days, USECS_PER_DAY, &total) ||
		pg_add_s64_overflow(total, span->time, &total))
		return false;
	*usecs = total;
	return true;
}

int64
booking_arg_interval(FunctionCallInfo fcinfo, int argno, const char *name,
					 int64 default_usecs)
{
	int64		usecs;

	if (PG_ARGISNULL(argno))
		return default_usecs;
	if (!booking_interval_usecs(PG_GETARG_INTERVAL_P(argno), &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("%s is out of range", name)));
	if (usecs <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", name)));
	return usecs;
}

/* ts + usecs, or an error naming what overflowed. */
TimestampTz
booking_timestamp_plus(TimestampTz ts, int64 usecs, const char *what)
{
	TimestampTz result;

	if (pg_add_s64_overflow(ts, usecs, &result) || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range", what)));
	return result;
}
