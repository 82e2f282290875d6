/*
 * Minimal assertions for the plain-C unit tests.  Each failed check prints
 * where it is and what it tested, and testing goes on, so one run shows
 * every failure; unit_summary() prints "N passed, N failed" and gives the
 * exit status.
 */
#ifndef BOOKING_UNIT_H
#define BOOKING_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int	unit_passed;
static int	unit_failed;

/* Context printed with a failure, for checks run inside loops or helpers. */
static char unit_context[256];

static inline int
unit_record(int ok, const char *file, int line, const char *what)
{
	if (ok)
		unit_passed++;
	else
	{
		unit_failed++;
		fprintf(stderr, "%s:%d: FAILED: %s", file, line, what);
		if (unit_context[0] != '\0')
			fprintf(stderr, "  [%s]", unit_context);
		fputc('\n', stderr);
	}
	return ok;
}

static inline int
unit_record_i64(int64_t got, int64_t want, const char *file, int line,
				const char *expr)
{
	int			ok = unit_record(got == want, file, line, expr);

	if (!ok)
		fprintf(stderr, "    got %" PRId64 ", want %" PRId64 "\n", got, want);
	return ok;
}

static inline int
unit_record_str(const char *got, const char *want, const char *file, int line,
				const char *expr)
{
	int			ok = unit_record(got != NULL && want != NULL &&
								 strcmp(got, want) == 0, file, line, expr);

	if (!ok)
		fprintf(stderr, "    got \"%s\", want \"%s\"\n",
				got ? got : "(null)", want ? want : "(null)");
	return ok;
}

/* Each returns whether the check passed, so callers can skip dependent ones. */
#define CHECK(expr) \
	unit_record((expr) ? 1 : 0, __FILE__, __LINE__, #expr)
#define CHECK_INT_EQ(got, want) \
	unit_record_i64((int64_t) (got), (int64_t) (want), __FILE__, __LINE__, \
					#got " == " #want)
#define CHECK_STR_EQ(got, want) \
	unit_record_str((got), (want), __FILE__, __LINE__, #got " == " #want)

#define UNIT_CONTEXT(...) \
	snprintf(unit_context, sizeof(unit_context), __VA_ARGS__)
#define UNIT_CONTEXT_CLEAR() (unit_context[0] = '\0')

static inline int
unit_summary(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	fflush(stdout);
	/* a program that checked nothing has proven nothing */
	return (unit_failed > 0 || unit_passed == 0) ? 1 : 0;
}

#endif
