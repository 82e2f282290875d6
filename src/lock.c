/*
 * The extension's transaction-level advisory locks, in lock spaces of its
 * own: one per consultant (keyed by the routing key), and one per client's
 * conversation.
 */
#include "booking.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/lock.h"

/*
 * pg_advisory_lock(bigint) and (int, int) use 1 and 2 in the fourth field
 * of the lock tag; these values keep ours apart from any an app takes.  They
 * show as objsubid in pg_locks.
 */
#define BOOKING_CONSULTANT_LOCK_SPACE	0x626B
#define BOOKING_CONVERSATION_LOCK_SPACE	0x626C

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

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, route, 0, BOOKING_CONSULTANT_LOCK_SPACE);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * Two proposals of one client in one conversation, for two consultants, take
 * two consultant locks and would not see each other's hold to supersede it.
 * Proposals therefore take this lock first, then the consultant's; nothing
 * takes them in the other order (confirm takes only the consultant's), so
 * they cannot deadlock.
 */
void
booking_lock_conversation(const char *conversation_id, const char *client_id)
{
	LOCKTAG		tag;
	uint32		conversation = DatumGetUInt32(hash_any((const unsigned char *) conversation_id,
													   strlen(conversation_id)));
	uint32		client = DatumGetUInt32(hash_any((const unsigned char *) client_id,
												 strlen(client_id)));

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, conversation, client,
						 BOOKING_CONVERSATION_LOCK_SPACE);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}
