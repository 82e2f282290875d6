/*
 * Settings: booking.timezone, booking.hold_ttl, booking.default_duration,
 * booking.max_advance.
 *
 * The durations are strings read as intervals (so '10min', '10 minutes' and
 * 'PT10M' all work), checked and converted once, in the check hook, without
 * raising: a check hook must report, not throw.
 */
#include "booking.h"

#include "utils/datetime.h"
#include "utils/guc.h"

/* Before 16 a check hook's extra is malloc'd by hand; GUC frees it with free(). */
#if PG_VERSION_NUM < 160000
#define guc_malloc(elevel, size) malloc(size)
#endif

static char *timezone_setting;
static char *hold_ttl_setting;
static char *default_duration_setting;
static char *max_advance_setting;

/* What the check hooks computed, installed by the assign hooks. */
static pg_tz *default_zone;
static Interval hold_ttl;
static Interval default_duration;
static Interval max_advance;

pg_tz *
booking_zone_by_name(const char *name)
{
	pg_tz	   *zone = NULL;

	if (name[0] != '\0')
		zone = pg_tzset(name);
	if (zone == NULL || !pg_tz_acceptable(zone))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" is not recognized", name),
				 errhint("Use a zone name of the IANA database, such as \"Europe/Rome\".")));
	return zone;
}

static bool
check_timezone(char **newval, void **extra, GucSource source)
{
	pg_tz	   *zone = NULL;

	if (*newval != NULL && (*newval)[0] != '\0')
		zone = pg_tzset(*newval);
	if (zone == NULL || !pg_tz_acceptable(zone))
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errmsg("time zone \"%s\" is not recognized", *newval ? *newval : "");
		GUC_check_errhint("Use a zone name of the IANA database, such as \"Europe/Rome\".");
		return false;
	}
	*extra = guc_malloc(LOG, sizeof(pg_tz *));
	if (*extra == NULL)
		return false;
	*(pg_tz **) *extra = zone;
	return true;
}

static void
assign_timezone(const char *newval, void *extra)
{
	default_zone = *(pg_tz **) extra;
}

/* Reads an interval as interval_in does, but reports instead of raising. */
static bool
parse_positive_interval(const char *value, Interval *span)
{
	char		workbuf[256];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	struct pg_itm_in itm;
	int			dterr;

	if (value == NULL || strlen(value) >= sizeof(workbuf))
		return false;
	dterr = ParseDateTime(value, workbuf, sizeof(workbuf), field, ftype,
						  MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeInterval(field, ftype, nf, INTERVAL_FULL_RANGE, &dtype, &itm);
	if (dterr == DTERR_BAD_FORMAT)
	{
		char		copy[256];

		strlcpy(copy, value, sizeof(copy));
		dterr = DecodeISO8601Interval(copy, &dtype, &itm);
	}
	if (dterr != 0 || dtype != DTK_DELTA || itmin2interval(&itm, span) != 0)
		return false;
	return booking_interval_is_positive(span);
}

static bool
check_duration(char **newval, void **extra, GucSource source)
{
	Interval	span;

	if (!parse_positive_interval(*newval, &span))
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errmsg("\"%s\" is not a positive interval", *newval ? *newval : "");
		GUC_check_errhint("Give an interval such as '10min', '1 hour' or '365 days'.");
		return false;
	}
	*extra = guc_malloc(LOG, sizeof(Interval));
	if (*extra == NULL)
		return false;
	*(Interval *) *extra = span;
	return true;
}

static void
assign_hold_ttl(const char *newval, void *extra)
{
	hold_ttl = *(Interval *) extra;
}

static void
assign_default_duration(const char *newval, void *extra)
{
	default_duration = *(Interval *) extra;
}

static void
assign_max_advance(const char *newval, void *extra)
{
	max_advance = *(Interval *) extra;
}

void
booking_define_settings(void)
{
	DefineCustomStringVariable("booking.timezone",
							   "Time zone of local times given without an offset, and of start_local.",
							   NULL,
							   &timezone_setting,
							   "Europe/Rome",
							   PGC_USERSET, 0,
							   check_timezone, assign_timezone, NULL);
	DefineCustomStringVariable("booking.hold_ttl",
							   "How long a hold waits for its confirmation.",
							   NULL,
							   &hold_ttl_setting,
							   "10min",
							   PGC_USERSET, 0,
							   check_duration, assign_hold_ttl, NULL);
	DefineCustomStringVariable("booking.default_duration",
							   "Length of a consultation when a proposal gives none.",
							   NULL,
							   &default_duration_setting,
							   "60min",
							   PGC_USERSET, 0,
							   check_duration, assign_default_duration, NULL);
	DefineCustomStringVariable("booking.max_advance",
							   "How far ahead of now a slot may start.",
							   NULL,
							   &max_advance_setting,
							   "365d",
							   PGC_USERSET, 0,
							   check_duration, assign_max_advance, NULL);
	MarkGUCPrefixReserved("booking");
}

pg_tz *
booking_default_zone(void)
{
	return default_zone;
}

const Interval *
booking_hold_ttl(void)
{
	return &hold_ttl;
}

const Interval *
booking_default_duration(void)
{
	return &default_duration;
}

const Interval *
booking_max_advance(void)
{
	return &max_advance;
}
