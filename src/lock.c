/*
 * The per-consultant lock: a transaction-level advisory lock, keyed by the
 * consultant's routing key, in a lock space of the extension's own.
 */
#include "booking.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"

/*
 * pg_advisory_lock(bigint) and (int, int) use 1 and 2 in the fourth field
 * of the lock tag; this value keeps ours apart from any an app takes.  It
 * shows as objsubid in pg_locks.
 */
#define BOOKING_LOCK_SPACE	0x626B

/* Equal to hashtext(consultant_id) under a deterministic collation. */
uint32
booking_consultant_route(const char *consultant_id)
{
	return DatumGetUInt32(hash_any((const unsigned char *) consultant_id,
								   strlen(consultant_id)));
}

void
booking_lock_route(uint32 route)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, route, 0, BOOKING_LOCK_SPACE);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}
