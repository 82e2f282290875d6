/*
 * Wall times in a zone: which instants a local time names, and how instants
 * are written back.  Output never goes through DateStyle or TimeZone, which
 * belong to the caller's session.
 */
#include "booking.h"

#include "timeparse.h"

static bool
wall_matches(pg_time_t t, const BookingWallTime *wall, pg_tz *zone)
{
	struct pg_tm *tm = pg_localtime(&t, zone);

	return tm != NULL &&
		tm->tm_year + 1900 == wall->year && tm->tm_mon + 1 == wall->month &&
		tm->tm_mday == wall->day && tm->tm_hour == wall->hour &&
		tm->tm_min == wall->minute && tm->tm_sec == wall->second;
}

/*
 * Fills instants[] with the UTC instants at which the zone's clocks show the
 * wall time, earliest first, and returns how many there are: 0 in a gap, 2
 * in a fold, 1 otherwise.  A given offset names exactly one instant.
 *
 * As PostgreSQL's own DetermineTimeZoneOffset, this relies on zone offsets
 * being under 24 hours and transitions being over 48 hours apart: the
 * offsets on either side of the first transition after (wall - 1 day) are
 * then the only candidates.  Each candidate is checked by a round trip.
 */
int
booking_resolve_wall_time(const BookingWallTime *wall, pg_tz *zone,
						  TimestampTz instants[2])
{
	pg_time_t	local = (pg_time_t) booking_wall_seconds(wall);
	pg_time_t	probe = local - SECS_PER_DAY;
	pg_time_t	boundary;
	pg_time_t	candidates[2];
	long		before_gmtoff,
				after_gmtoff;
	int			before_isdst,
				after_isdst;
	int			ncandidates = 0;
	int			count = 0;

	if (wall->has_offset)
	{
		instants[0] = time_t_to_timestamptz(local - wall->offset_seconds);
		return 1;
	}

	switch (pg_next_dst_boundary(&probe, &before_gmtoff, &before_isdst,
								 &boundary, &after_gmtoff, &after_isdst, zone))
	{
		case 0:					/* the zone has one offset forever */
			candidates[ncandidates++] = local - before_gmtoff;
			break;
		case 1:
			if (local - before_gmtoff < boundary)
				candidates[ncandidates++] = local - before_gmtoff;
			if (local - after_gmtoff >= boundary)
				candidates[ncandidates++] = local - after_gmtoff;
			break;
		default:				/* out of the zone code's range */
			{
				struct pg_tm *tm = pg_localtime(&local, zone);

				if (tm != NULL)
					candidates[ncandidates++] = local - tm->tm_gmtoff;
			}
			break;
	}

	for (int i = 0; i < ncandidates; i++)
		if (wall_matches(candidates[i], wall, zone))
			instants[count++] = time_t_to_timestamptz(candidates[i]);
	if (count == 2 && instants[0] > instants[1])
	{
		TimestampTz swap = instants[0];

		instants[0] = instants[1];
		instants[1] = swap;
	}
	return count;
}

/*
 * "YYYY-MM-DDTHH:MM:SS", whole seconds as the contract writes them: the
 * fraction of now() that expires_at carries is cut off, never rounded up,
 * so an answer never promises a hold a moment longer than it has.
 */
static void
append_fields(StringInfo buf, const struct pg_tm *tm)
{
	appendStringInfo(buf, "%04d-%02d-%02dT%02d:%02d:%02d",
					 tm->tm_year, tm->tm_mon, tm->tm_mday,
					 tm->tm_hour, tm->tm_min, tm->tm_sec);
}

static void
decompose(TimestampTz ts, pg_tz *zone, int *tzoff, struct pg_tm *tm, fsec_t *fsec)
{
	if (timestamp2tm(ts, zone ? tzoff : NULL, tm, fsec, NULL, zone) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}

char *
booking_format_utc(TimestampTz ts)
{
	StringInfoData buf;
	struct pg_tm tm;
	fsec_t		fsec;

	decompose(ts, NULL, NULL, &tm, &fsec);
	initStringInfo(&buf);
	append_fields(&buf, &tm);
	appendStringInfoChar(&buf, 'Z');
	return buf.data;
}

char *
booking_format_local(TimestampTz ts, pg_tz *zone)
{
	StringInfoData buf;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tzoff;
	int			east;

	decompose(ts, zone, &tzoff, &tm, &fsec);
	initStringInfo(&buf);
	append_fields(&buf, &tm);
	east = -tzoff;				/* timestamp2tm counts seconds west */
	appendStringInfo(&buf, "%c%02d:%02d", east < 0 ? '-' : '+',
					 abs(east) / SECS_PER_HOUR, abs(east) % SECS_PER_HOUR / SECS_PER_MINUTE);
	if (abs(east) % SECS_PER_MINUTE != 0)
		appendStringInfo(&buf, ":%02d", abs(east) % SECS_PER_MINUTE);
	return buf.data;
}

const char *
booking_zone_name(pg_tz *zone)
{
	return pg_get_timezone_name(zone);
}
