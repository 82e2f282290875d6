/*
 * Differences between the PostgreSQL majors booking builds against (15 to
 * 18), in one place: the code calls the newest API and this header supplies
 * it to the older servers, so a release that removes something breaks here
 * and nowhere else.
 */
#ifndef BOOKING_COMPAT_H
#define BOOKING_COMPAT_H

#include "postgres.h"

/*
 * The floor: the shims below start at 15, the oldest major any current
 * Debian release ships and the oldest the suites run on.
 */
#if PG_VERSION_NUM < 150000
#error "booking needs PostgreSQL 15 or later"
#endif

/*
 * 16 added guc_malloc() and guc_free() for a check hook's extra, in GUC's
 * own memory context; before it the extra is malloc'd and free'd by hand.
 */
#if PG_VERSION_NUM < 160000
#define guc_malloc(elevel, size) malloc(size)
#define guc_free(ptr) free(ptr)
#endif

/*
 * 17 added infinite intervals; before it no interval is infinite, so the
 * checks that refuse one are always false there.
 */
#if PG_VERSION_NUM < 170000
#define INTERVAL_NOT_FINITE(i) false
#endif

#endif							/* BOOKING_COMPAT_H */
