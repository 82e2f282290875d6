/*
 * Settings: booking.timezone, booking.hold_ttl, booking.default_duration,
 * booking.max_advance; in 1.1 booking.min_notice, booking.cancel_notice,
 * booking.alternatives, booking.max_duration and booking.max_ttl.
 *
 * The durations are strings read as intervals (so '10min', '10 minutes' and
 * 'PT10M' all work), checked and converted once, in the check hook, without
 * raising: a check hook must report, not throw.
 */
#include "booking.h"

#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/memutils.h"

static char *timezone_setting;
static char *hold_ttl_setting;
static char *default_duration_setting;
static char *max_advance_setting;
static char *min_notice_setting;
static char *cancel_notice_setting;
static char *max_duration_setting;
static char *max_ttl_setting;
static int	alternatives_setting = 3;

/* What the check hooks computed, installed by the assign hooks. */
static pg_tz *default_zone;
static Interval hold_ttl;
static Interval default_duration;
static Interval max_advance;
static Interval min_notice;
static Interval cancel_notice;
static Interval max_duration;
static Interval max_ttl;

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
parse_interval(const char *value, Interval *span)
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
	return dterr == 0 && dtype == DTK_DELTA && itmin2interval(&itm, span) == 0;
}

static bool
parse_positive_interval(const char *value, Interval *span)
{
	return parse_interval(value, span) && booking_interval_is_positive(span);
}

/* Zero or more: a notice of 0 means none. */
static bool
parse_nonnegative_interval(const char *value, Interval *span)
{
	Interval	zero = {0};

	return parse_interval(value, span) &&
		(memcmp(span, &zero, sizeof(zero)) == 0 || booking_interval_is_positive(span));
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

static bool
check_notice(char **newval, void **extra, GucSource source)
{
	Interval	span;

	if (!parse_nonnegative_interval(*newval, &span))
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errmsg("\"%s\" is not an interval of zero or more", *newval ? *newval : "");
		GUC_check_errhint("Give an interval such as '0', '2 hours' or '1 day'.");
		return false;
	}
	*extra = guc_malloc(LOG, sizeof(Interval));
	if (*extra == NULL)
		return false;
	*(Interval *) *extra = span;
	return true;
}

static void
assign_min_notice(const char *newval, void *extra)
{
	min_notice = *(Interval *) extra;
}

static void
assign_cancel_notice(const char *newval, void *extra)
{
	cancel_notice = *(Interval *) extra;
}

static void
assign_max_duration(const char *newval, void *extra)
{
	max_duration = *(Interval *) extra;
}

static void
assign_max_ttl(const char *newval, void *extra)
{
	max_ttl = *(Interval *) extra;
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

/*
 * A value set before the library was loaded waits in a placeholder, and
 * when the setting is defined PostgreSQL refuses an invalid one with no more
 * than a WARNING, keeping the default.  Loaded, the library would have made
 * the SET fail; instead the first call that reads the settings fails, once
 * for each refused value, and the default is in force after it.
 */
#define BOOKING_NSETTINGS 9
static struct
{
	const char *name;
	char	   *value;
}			refused[BOOKING_NSETTINGS];
static int	nrefused;

static void
define_setting(const char *name, const char *description, char **variable,
			   const char *boot_value, GucStringCheckHook check_hook,
			   GucStringAssignHook assign_hook)
{
	const char *pending = GetConfigOption(name, true, false);
	char	   *waiting = pending ? MemoryContextStrdup(TopMemoryContext, pending) : NULL;

	DefineCustomStringVariable(name, description, NULL, variable, boot_value,
							   PGC_USERSET, 0, check_hook, assign_hook, NULL);
	if (waiting == NULL)
		return;
	if (strcmp(*variable, waiting) == 0)
	{
		pfree(waiting);
		return;
	}
	refused[nrefused].name = name;
	refused[nrefused].value = waiting;
	nrefused++;
}

void
booking_define_settings(void)
{
	define_setting("booking.timezone",
				   "Time zone of local times given without an offset, and of start_local.",
				   &timezone_setting, "Europe/Rome", check_timezone, assign_timezone);
	define_setting("booking.hold_ttl",
				   "How long a hold waits for its confirmation.",
				   &hold_ttl_setting, "10min", check_duration, assign_hold_ttl);
	define_setting("booking.default_duration",
				   "Length of a consultation when a proposal gives none.",
				   &default_duration_setting, "60min", check_duration, assign_default_duration);
	define_setting("booking.max_advance",
				   "How far ahead of now a slot may start.",
				   &max_advance_setting, "365d", check_duration, assign_max_advance);
	define_setting("booking.min_notice",
				   "How soon after now a slot may start at the earliest.",
				   &min_notice_setting, "0", check_notice, assign_min_notice);
	define_setting("booking.cancel_notice",
				   "How long before its start a consultation can still be cancelled or moved.",
				   &cancel_notice_setting, "0", check_notice, assign_cancel_notice);
	define_setting("booking.max_duration",
				   "Longest consultation a call may ask for.",
				   &max_duration_setting, "8h", check_duration, assign_max_duration);
	define_setting("booking.max_ttl",
				   "Longest hold a call may ask for.",
				   &max_ttl_setting, "1h", check_duration, assign_max_ttl);
	DefineCustomIntVariable("booking.alternatives",
							"How many free slots a refused proposal offers instead (0: none).",
							NULL, &alternatives_setting, 3, 0, 20,
							PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("booking");
}

static void
report_refused_setting(void)
{
	if (nrefused > 0)
	{
		nrefused--;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for parameter \"%s\": \"%s\"",
						refused[nrefused].name, refused[nrefused].value),
				 errdetail("The value was set before the booking library was loaded; the default is in force instead."),
				 errhint("Set a valid value, and load the library at session start (session_preload_libraries = 'booking') so that a bad one is refused when it is set.")));
	}
}

pg_tz *
booking_default_zone(void)
{
	report_refused_setting();
	return default_zone;
}

const Interval *
booking_hold_ttl(void)
{
	report_refused_setting();
	return &hold_ttl;
}

const Interval *
booking_default_duration(void)
{
	report_refused_setting();
	return &default_duration;
}

const Interval *
booking_max_advance(void)
{
	report_refused_setting();
	return &max_advance;
}

const Interval *
booking_min_notice(void)
{
	report_refused_setting();
	return &min_notice;
}

const Interval *
booking_cancel_notice(void)
{
	report_refused_setting();
	return &cancel_notice;
}

const Interval *
booking_max_duration(void)
{
	report_refused_setting();
	return &max_duration;
}

const Interval *
booking_max_ttl(void)
{
	report_refused_setting();
	return &max_ttl;
}

int
booking_alternatives_count(void)
{
	report_refused_setting();
	return alternatives_setting;
}
