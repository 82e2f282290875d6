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
#include "utils/guc_tables.h"
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

/*
 * pg_tzset also reads a POSIX TZ string, such as "UTC+3", which means three
 * hours west of Greenwich: the opposite of what it seems.  Only names of the
 * zone database are zones here.  pg_tzset gives a zone it read as a POSIX
 * string its name in upper case, and a zone of the database the spelling of
 * its file; a POSIX string always has a digit (its offset).  A name in upper
 * case with a digit can be either (EST5EDT is a file), and only then is the
 * database searched for it.
 */
static bool
zone_in_database(const char *name, pg_tz *zone)
{
	const char *canonical = pg_get_timezone_name(zone);
	bool		has_digit = false;
	bool		found = false;
	pg_tzenum  *dir;
	pg_tz	   *listed;

	for (const char *c = name; *c != '\0'; c++)
		if (*c >= '0' && *c <= '9')
			has_digit = true;
	if (!has_digit)
		return true;
	for (const char *c = canonical; *c != '\0'; c++)
		if (*c >= 'a' && *c <= 'z')
			return true;

	dir = pg_tzenumerate_start();
	while (!found && (listed = pg_tzenumerate_next(dir)) != NULL)
		found = strcmp(pg_get_timezone_name(listed), canonical) == 0;
	pg_tzenumerate_end(dir);
	return found;
}

/* The zone of that name in the zone database, or NULL. */
static pg_tz *
zone_lookup(const char *name)
{
	pg_tz	   *zone;

	if (name == NULL || name[0] == '\0')
		return NULL;
	zone = pg_tzset(name);
	if (zone == NULL || !pg_tz_acceptable(zone) || !zone_in_database(name, zone))
		return NULL;
	return zone;
}

#define ZONE_HINT "Use a zone name of the IANA database, such as \"Europe/Rome\"."

pg_tz *
booking_zone_by_name(const char *name)
{
	pg_tz	   *zone = zone_lookup(name);

	if (zone == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" is not recognized", name),
				 errhint(ZONE_HINT)));
	return zone;
}

static bool
check_timezone(char **newval, void **extra, GucSource source)
{
	pg_tz	   *zone = zone_lookup(*newval);

	if (zone == NULL)
	{
		GUC_check_errcode(ERRCODE_INVALID_PARAMETER_VALUE);
		GUC_check_errmsg("time zone \"%s\" is not recognized", *newval ? *newval : "");
		GUC_check_errhint(ZONE_HINT);
		return false;
	}
	*extra = guc_malloc(LOG, sizeof(pg_tz *));
	if (*extra == NULL)
		return false;
	*(pg_tz **) *extra = zone;
	return true;
}

static void forget_refusal(const char *name);

static void
assign_timezone(const char *newval, void *extra)
{
	default_zone = *(pg_tz **) extra;
	forget_refusal("booking.timezone");
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
	forget_refusal("booking.min_notice");
}

static void
assign_cancel_notice(const char *newval, void *extra)
{
	cancel_notice = *(Interval *) extra;
	forget_refusal("booking.cancel_notice");
}

static void
assign_max_duration(const char *newval, void *extra)
{
	max_duration = *(Interval *) extra;
	forget_refusal("booking.max_duration");
}

static void
assign_max_ttl(const char *newval, void *extra)
{
	max_ttl = *(Interval *) extra;
	forget_refusal("booking.max_ttl");
}

static void
assign_hold_ttl(const char *newval, void *extra)
{
	hold_ttl = *(Interval *) extra;
	forget_refusal("booking.hold_ttl");
}

static void
assign_default_duration(const char *newval, void *extra)
{
	default_duration = *(Interval *) extra;
	forget_refusal("booking.default_duration");
}

static void
assign_max_advance(const char *newval, void *extra)
{
	max_advance = *(Interval *) extra;
	forget_refusal("booking.max_advance");
}

/*
 * A value set before the library was loaded waits in a placeholder, and
 * when the setting is defined PostgreSQL refuses an invalid one (or one a
 * role that is not a superuser set for a superuser's setting) with no more
 * than a WARNING, keeping the default.  Loaded, the library would have made
 * the SET fail; instead the next call that reads the settings fails, once,
 * for each refused value.  A refusal is forgotten as soon as any valid value
 * of that setting is installed (a SET, a reload of a fixed postgresql.conf,
 * a RESET): the bad value is then no longer the one in force, and with the
 * library preloaded the postmaster forgets it too, for every later backend.
 */
#define BOOKING_NSETTINGS 9

typedef struct RefusedSetting
{
	const char *name;
	char	   *value;			/* in TopMemoryContext */
	bool		denied;			/* a valid value a plain role may not set */
} RefusedSetting;

static RefusedSetting refused[BOOKING_NSETTINGS];
static int	nrefused;

static void
forget_refusal(const char *name)
{
	for (int i = 0; i < nrefused; i++)
	{
		if (strcmp(refused[i].name, name) == 0)
		{
			pfree(refused[i].value);
			refused[i] = refused[--nrefused];
			return;
		}
	}
}

static char *
pending_value(const char *name)
{
	const char *pending = GetConfigOption(name, true, false);

	return pending ? MemoryContextStrdup(TopMemoryContext, pending) : NULL;
}

/*
 * Whether a defined setting still holds its built-in default, that is, no
 * value from a file, the database, the role or the session was installed.
 */
static bool
setting_is_default(const char *name)
{
#if PG_VERSION_NUM >= 160000
	struct config_generic *gconf = find_option(name, false, true, ERROR);

	return gconf == NULL || gconf->source == PGC_S_DEFAULT;
#else
	struct config_generic **vars = get_guc_variables();
	int			n = GetNumConfigOptions();

	for (int i = 0; i < n; i++)
	{
		if (strcmp(vars[i]->name, name) == 0)
			return vars[i]->source == PGC_S_DEFAULT;
	}
	return true;
#endif
}

/*
 * After a setting is defined: was the value that waited for it refused?  A
 * refused value that happens to equal the default still counts: a plain
 * role's '0' given at connection must not quietly replace the value a
 * superuser set for it.
 */
static void
note_refusal(const char *name, char *waiting, GucStringCheckHook check_hook)
{
	const char *in_force = GetConfigOption(name, true, false);
	bool		denied = false;

	if (waiting == NULL)
		return;
	if (in_force != NULL && strcmp(in_force, waiting) == 0 && !setting_is_default(name))
	{
		pfree(waiting);
		return;
	}
	if (check_hook != NULL)
	{
		char	   *probe = waiting;
		void	   *extra = NULL;

		denied = check_hook(&probe, &extra, PGC_S_SESSION);
		if (extra != NULL)
			guc_free(extra);
	}
	Assert(nrefused < BOOKING_NSETTINGS);
	refused[nrefused].name = name;
	refused[nrefused].value = waiting;
	refused[nrefused].denied = denied;
	nrefused++;
}

static void
define_setting(const char *name, const char *description, GucContext context,
			   char **variable, const char *boot_value,
			   GucStringCheckHook check_hook, GucStringAssignHook assign_hook)
{
	char	   *waiting = pending_value(name);

	DefineCustomStringVariable(name, description, NULL, variable, boot_value,
							   context, 0, check_hook, assign_hook, NULL);
	note_refusal(name, waiting, check_hook);
}

static void
assign_alternatives(int newval, void *extra)
{
	forget_refusal("booking.alternatives");
}

/*
 * The zone, the hold's lifetime and a consultation's default length are the
 * caller's to choose, within booking.max_ttl and booking.max_duration.  The
 * bounds themselves, and the notices and how far ahead a slot may be, are
 * the clinic's policy: only a superuser sets them.
 */
void
booking_define_settings(void)
{
	char	   *waiting;

	define_setting("booking.timezone",
				   "Time zone of local times given without an offset, and of start_local.",
				   PGC_USERSET, &timezone_setting, "Europe/Rome",
				   check_timezone, assign_timezone);
	define_setting("booking.hold_ttl",
				   "How long a hold waits for its confirmation (at most booking.max_ttl).",
				   PGC_USERSET, &hold_ttl_setting, "10min",
				   check_duration, assign_hold_ttl);
	define_setting("booking.default_duration",
				   "Length of a consultation when a proposal gives none (at most booking.max_duration).",
				   PGC_USERSET, &default_duration_setting, "60min",
				   check_duration, assign_default_duration);
	define_setting("booking.max_advance",
				   "How far ahead of now a slot may start.",
				   PGC_SUSET, &max_advance_setting, "365d",
				   check_duration, assign_max_advance);
	define_setting("booking.min_notice",
				   "How soon after now a slot may start at the earliest.",
				   PGC_SUSET, &min_notice_setting, "0",
				   check_notice, assign_min_notice);
	define_setting("booking.cancel_notice",
				   "How long before its start a consultation can still be cancelled or moved.",
				   PGC_SUSET, &cancel_notice_setting, "0",
				   check_notice, assign_cancel_notice);
	define_setting("booking.max_duration",
				   "Longest consultation a call or booking.default_duration may ask for.",
				   PGC_SUSET, &max_duration_setting, "8h",
				   check_duration, assign_max_duration);
	define_setting("booking.max_ttl",
				   "Longest hold a call or booking.hold_ttl may ask for.",
				   PGC_SUSET, &max_ttl_setting, "1h",
				   check_duration, assign_max_ttl);
	waiting = pending_value("booking.alternatives");
	DefineCustomIntVariable("booking.alternatives",
							"How many free slots a refused proposal offers instead (0: none).",
							NULL, &alternatives_setting, 3, 0, 20,
							PGC_USERSET, 0, NULL, assign_alternatives, NULL);
	note_refusal("booking.alternatives", waiting, NULL);
	MarkGUCPrefixReserved("booking");
}

static void
report_refused_setting(void)
{
	RefusedSetting setting;

	if (nrefused == 0)
		return;
	setting = refused[--nrefused];
	if (setting.denied)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to set parameter \"%s\"", setting.name),
				 errdetail("The value \"%s\" was set by a role that is not a superuser before the booking library was loaded; the default is in force instead.",
						   setting.value),
				 errhint("Only a superuser sets this parameter, in postgresql.conf or with ALTER DATABASE or ALTER ROLE.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value for parameter \"%s\": \"%s\"",
					setting.name, setting.value),
			 errdetail("The value was set before the booking library was loaded; the default is in force instead."),
			 errhint("Set a valid value, and load the library at session start (session_preload_libraries = 'booking') so that a bad one is refused when it is set.")));
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
