/*
 * Every statement the extension runs, prepared once per backend and kept.
 *
 * Each names its schema, and each operator and function pg_catalog's, so a
 * caller's search_path cannot change what it means, even when the plan cache
 * analyses it again under that search_path.
 */
#include "booking.h"
#include "consultation.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#define EQ		" OPERATOR(pg_catalog.=) "
#define LE		" OPERATOR(pg_catalog.<=) "
#define GT		" OPERATOR(pg_catalog.>) "
#define OVERLAPS " OPERATOR(pg_catalog.&&) "
#define NE		" OPERATOR(pg_catalog.<>) "
#define IS_AWAITING "status" EQ "'awaiting_confirm'"
#define IS_BOOKED "status" EQ "'booked'"
/* a consultation other than the one a move moves (param NULL: any) */
#define NOT_MOVED(param) "(" param " IS NULL OR id" NE param ")"


typedef struct StatementDef
{
	const char *sql;
	int			nargs;
	Oid			argtypes[10];
} StatementDef;

static const StatementDef statement_defs[STMT_COUNT] = {
	/* the holds a proposal must look at: those overlapping its slot for
	 * that consultant, and the client's own in that conversation */
	[STMT_PROPOSE_SCAN_HOLDS] = {
		"SELECT " BOOKING_HOLD_COLUMNS " FROM booking.pending_bookings"
		" WHERE " IS_AWAITING
		" AND ((consultant_id" EQ "$1"
		"       AND pg_catalog.tstzrange(start_at, end_at)" OVERLAPS "pg_catalog.tstzrange($2, $3))"
		"   OR (conversation_id" EQ "$4 AND client_id" EQ "$5))",
		5, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID}
	},
	/* $6: the consultation a move would move, which does not block its own
	 * new slot; NULL for a plain proposal ($4 and $5 are the probe's) */
	[STMT_PROPOSE_SCAN_BOOKED] = {
		"SELECT 1 FROM booking.consultations"
		" WHERE consultant_id" EQ "$1 AND status" EQ "'booked'"
		" AND pg_catalog.tstzrange(scheduled_at, ends_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		" AND " NOT_MOVED("$6")
		" LIMIT 1",
		6, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, INT8OID}
	},
	/* what a snapshot may have missed: the client's holds in the
	 * conversation, and bookings of the slot */
	[STMT_PROPOSE_PROBE] = {
		"SELECT (SELECT pg_catalog.count(*) FROM booking.pending_bookings"
		"        WHERE conversation_id" EQ "$4 AND " IS_AWAITING " AND client_id" EQ "$5),"
		"       (SELECT pg_catalog.count(*) FROM booking.consultations"
		"        WHERE consultant_id" EQ "$1 AND status" EQ "'booked'"
		"        AND pg_catalog.tstzrange(scheduled_at, ends_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		"        AND " NOT_MOVED("$6") ")",
		6, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, INT8OID}
	},
	/* stale holds become expired, live ones superseded */
	[STMT_RETIRE_HOLDS] = {
		"UPDATE booking.pending_bookings"
		" SET status = CASE WHEN expires_at" LE "$2 THEN 'expired' ELSE 'cancelled' END,"
		"     cancel_reason = CASE WHEN expires_at" LE "$2 THEN NULL ELSE 'superseded' END,"
		"     resolved_at = $2"
		" WHERE token" EQ "ANY ($1) AND " IS_AWAITING
		" RETURNING token, status",
		2, {TEXTARRAYOID, TIMESTAMPTZOID}
	},
	/*
	 * The common case: nothing on the slot, nothing in the conversation.  A
	 * hold on the slot, live or stale, needs no probe of its own: ON
	 * CONFLICT's check of the exclusion constraint finds it, and the insert
	 * is skipped just the same.  $9: the consultation a move moves, which
	 * does not block its own new slot (NULL for a plain proposal).
	 */
	[STMT_INSERT_HOLD_IF_FREE] = {
		"INSERT INTO booking.pending_bookings"
		" (token, consultant_id, client_id, conversation_id, start_at, end_at,"
		"  status, created_at, expires_at)"
		" SELECT $1, $2, $3, $4, $5, $6, 'awaiting_confirm', $7, $8"
		" WHERE NOT EXISTS (SELECT 1 FROM booking.pending_bookings"
		"   WHERE conversation_id" EQ "$4 AND " IS_AWAITING " AND client_id" EQ "$3)"
		" AND NOT EXISTS (SELECT 1 FROM booking.consultations"
		"   WHERE consultant_id" EQ "$2 AND status" EQ "'booked'"
		"   AND pg_catalog.tstzrange(scheduled_at, ends_at)" OVERLAPS "pg_catalog.tstzrange($5, $6)"
		"   AND " NOT_MOVED("$9") ")"
		" ON CONFLICT DO NOTHING",
		9, {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
			TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID}
	},
	[STMT_INSERT_HOLD] = {
		"INSERT INTO booking.pending_bookings"
		" (token, consultant_id, client_id, conversation_id, start_at, end_at,"
		"  status, created_at, expires_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, 'awaiting_confirm', $7, $8)"
		" ON CONFLICT DO NOTHING",
		8, {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
			TIMESTAMPTZOID, TIMESTAMPTZOID}
	},
	[STMT_HOLD_BY_TOKEN] = {
		"SELECT " BOOKING_HOLD_COLUMNS " FROM booking.pending_bookings"
		" WHERE token" EQ "$1",
		1, {TEXTOID}
	},
	/*
	 * A confirmation in one statement: confirm the hold if it is this
	 * client's, awaiting and live, numbering its consultation from the
	 * identity sequence, and insert that consultation.  Only the exclusion
	 * constraint is the arbiter: if a booked consultation overlaps (one at
	 * the same start included), the consultation id comes back NULL and the
	 * caller undoes the confirmation in the same transaction.  Any other
	 * conflict, such as a row written around the API with the id the
	 * sequence hands out next, is an error, not a slot taken.
	 */
	[STMT_CONFIRM_HOLD] = {
		"WITH confirmed AS ("
		"  UPDATE booking.pending_bookings"
		"  SET status = 'confirmed', resolved_at = $3,"
		"      consultation_id = pg_catalog.nextval('booking.consultations_id_seq'::pg_catalog.regclass)"
		"  WHERE token" EQ "$1 AND client_id" EQ "$2 AND " IS_AWAITING " AND expires_at" GT "$3"
		"  AND moves_consultation_id IS NULL"
		"  RETURNING " BOOKING_HOLD_COLUMNS "),"
		" booked AS ("
		"  INSERT INTO booking.consultations"
		"  (id, token, consultant_id, client_id, conversation_id, scheduled_at, ends_at,"
		"   status, created_at)"
		"  SELECT consultation_id, token, consultant_id, client_id, conversation_id,"
		"   start_at, end_at, 'booked', $3 FROM confirmed"
		"  ON CONFLICT ON CONSTRAINT consultations_no_overlap DO NOTHING RETURNING id)"
		" SELECT confirmed.*, (SELECT id FROM booked) FROM confirmed",
		3, {TEXTOID, TEXTOID, TIMESTAMPTZOID}
	},
	[STMT_RESOLVE_HOLD] = {
		"UPDATE booking.pending_bookings"
		" SET status = $2, cancel_reason = $3, resolved_at = $4, consultation_id = NULL"
		" WHERE token" EQ "$1",
		4, {TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID}
	},
	[STMT_CANCEL_HOLD] = {
		"UPDATE booking.pending_bookings"
		" SET status = CASE WHEN expires_at" LE "$3 THEN 'expired' ELSE 'cancelled' END,"
		"     cancel_reason = CASE WHEN expires_at" LE "$3 THEN NULL ELSE 'client' END,"
		"     resolved_at = $3"
		" WHERE token" EQ "$1 AND client_id" EQ "$2 AND " IS_AWAITING
		" RETURNING " BOOKING_HOLD_COLUMNS,
		3, {TEXTOID, TEXTOID, TIMESTAMPTZOID}
	},
	[STMT_ACTIVE_HOLD_OF_CLIENT] = {
		"SELECT " BOOKING_HOLD_COLUMNS " FROM booking.pending_bookings"
		" WHERE conversation_id" EQ "$1 AND " IS_AWAITING
		" AND client_id" EQ "$2 AND expires_at" GT "$3"
		" ORDER BY created_at DESC LIMIT 1",
		3, {TEXTOID, TEXTOID, TIMESTAMPTZOID}
	},
	/*
	 * The newest is the last made: hold_order is drawn from a sequence when
	 * the row is inserted, and nothing changes it afterwards (created_at is
	 * the transaction's start, shared by holds made in one transaction).
	 */
	[STMT_LATEST_ACTIVE_HOLD] = {
		"SELECT " BOOKING_HOLD_COLUMNS " FROM booking.pending_bookings"
		" WHERE conversation_id" EQ "$1 AND " IS_AWAITING
		" AND expires_at" GT "$2"
		" ORDER BY hold_order DESC LIMIT 1",
		2, {TEXTOID, TIMESTAMPTZOID}
	},
	/*
	 * One batch of the sweep: rows a confirm has locked are skipped, not
	 * waited for.  Each batch starts after the (expires_at, token) where the
	 * one before stopped ($3, $4), so that it does not walk again over the
	 * index entries of the holds already expired; it returns how many it
	 * took, how many it expired, and where it stopped.
	 */
	[STMT_EXPIRE_BATCH] = {
		"WITH batch AS ("
		"  SELECT token, expires_at FROM booking.pending_bookings"
		"  WHERE " IS_AWAITING " AND expires_at" LE "$1"
		"  AND (expires_at, token) OPERATOR(pg_catalog.>) ($3, $4)"
		"  ORDER BY expires_at, token LIMIT $2 FOR UPDATE SKIP LOCKED),"
		" expired AS ("
		"  UPDATE booking.pending_bookings SET status = 'expired', resolved_at = $1"
		"  WHERE token" EQ "ANY (ARRAY(SELECT token FROM batch)) AND " IS_AWAITING
		"  RETURNING token),"
		" last AS ("
		"  SELECT expires_at, token FROM batch ORDER BY expires_at DESC, token DESC LIMIT 1)"
		" SELECT (SELECT pg_catalog.count(*) FROM batch),"
		"        (SELECT pg_catalog.count(*) FROM expired),"
		"        (SELECT expires_at FROM last), (SELECT token FROM last)",
		4, {TIMESTAMPTZOID, INT4OID, TIMESTAMPTZOID, TEXTOID}
	},

	/* ---- 1.1: hardening ---- */

	/* confirm's EXPIRED: only a hold still awaiting, or a cancel is lost */
	[STMT_EXPIRE_AWAITING_HOLD] = {
		"UPDATE booking.pending_bookings SET status = 'expired', resolved_at = $2"
		" WHERE token" EQ "$1 AND " IS_AWAITING
		" RETURNING " BOOKING_HOLD_COLUMNS,
		2, {TEXTOID, TIMESTAMPTZOID}
	},
	/*
	 * One batch of the purge: resolved holds whose resolution is at or
	 * before $1.  No index serves resolved_at (one would cost every status
	 * change an entry); instead each batch goes on in physical order from
	 * the tuple where the one before stopped ($3, a TID range scan), so a
	 * run reads the table once, not once per batch.
	 */
	[STMT_PURGE_BATCH] = {
		"WITH batch AS ("
		"  SELECT ctid FROM booking.pending_bookings"
		"  WHERE ctid OPERATOR(pg_catalog.>) $3"
		"  AND status OPERATOR(pg_catalog.<>) 'awaiting_confirm' AND resolved_at" LE "$1"
		"  LIMIT $2 FOR UPDATE SKIP LOCKED),"
		" purged AS ("
		"  DELETE FROM booking.pending_bookings"
		"  WHERE ctid" EQ "ANY (ARRAY(SELECT ctid FROM batch))"
		"  AND status OPERATOR(pg_catalog.<>) 'awaiting_confirm')"
		" SELECT (SELECT pg_catalog.count(*) FROM batch),"
		"        (SELECT pg_catalog.max(ctid) FROM batch)",
		3, {TIMESTAMPTZOID, INT4OID, TIDOID}
	},

	/* ---- 1.1: calendars and free slots ---- */

	/*
	 * All that decides which slots of a consultant are bookable in [$2, $3),
	 * in one round trip: its calendar (kind -1, at most one row), its time
	 * off (0) and, when $6, booked consultations but $5 (1) and holds live
	 * at $4 (2).  Bounded on both sides through the GiST indexes, so history
	 * is never read.
	 */
	[STMT_SCHEDULE] = {
		"SELECT -1, NULL::pg_catalog.timestamptz, NULL::pg_catalog.timestamptz,"
		"       timezone, hours"
		" FROM booking.working_hours WHERE consultant_id" EQ "$1"
		" UNION ALL"
		" SELECT 0, start_at, end_at, NULL::pg_catalog.text, NULL::pg_catalog.jsonb"
		" FROM booking.time_off"
		" WHERE consultant_id" EQ "$1"
		" AND pg_catalog.tstzrange(start_at, end_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		" UNION ALL"
		" SELECT 1, scheduled_at, ends_at, NULL, NULL FROM booking.consultations"
		" WHERE $6 AND consultant_id" EQ "$1 AND status" EQ "'booked'"
		" AND pg_catalog.tstzrange(scheduled_at, ends_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		" AND id OPERATOR(pg_catalog.<>) $5"
		" UNION ALL"
		" SELECT 2, start_at, end_at, NULL, NULL FROM booking.pending_bookings"
		" WHERE $6 AND consultant_id" EQ "$1 AND " IS_AWAITING
		" AND pg_catalog.tstzrange(start_at, end_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		" AND expires_at" GT "$4",
		6, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID, BOOLOID}
	},
	[STMT_SET_HOURS] = {
		"INSERT INTO booking.working_hours (consultant_id, timezone, hours, updated_at)"
		" VALUES ($1, $2, $3, $4)"
		" ON CONFLICT (consultant_id) DO UPDATE"
		" SET timezone = EXCLUDED.timezone, hours = EXCLUDED.hours,"
		"     updated_at = EXCLUDED.updated_at",
		4, {TEXTOID, TEXTOID, JSONBOID, TIMESTAMPTZOID}
	},
	[STMT_CLEAR_HOURS] = {
		"DELETE FROM booking.working_hours WHERE consultant_id" EQ "$1",
		1, {TEXTOID}
	},
	[STMT_FUTURE_BOOKED] = {
		"SELECT id, scheduled_at, ends_at FROM booking.consultations"
		" WHERE consultant_id" EQ "$1 AND status" EQ "'booked' AND scheduled_at" GT "$2"
		" ORDER BY scheduled_at, id",
		2, {TEXTOID, TIMESTAMPTZOID}
	},
	[STMT_ADD_TIME_OFF] = {
		"INSERT INTO booking.time_off (consultant_id, start_at, end_at, reason, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING time_off_id",
		5, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, TEXTOID, TIMESTAMPTZOID}
	},
	[STMT_OVERLAPPING_BOOKED] = {
		"SELECT id FROM booking.consultations"
		" WHERE consultant_id" EQ "$1 AND status" EQ "'booked'"
		" AND pg_catalog.tstzrange(scheduled_at, ends_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		" ORDER BY scheduled_at, id",
		3, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID}
	},
	[STMT_TIME_OFF_OWNER] = {
		"SELECT consultant_id FROM booking.time_off WHERE time_off_id" EQ "$1",
		1, {INT8OID}
	},
	[STMT_REMOVE_TIME_OFF] = {
		"DELETE FROM booking.time_off WHERE time_off_id" EQ "$1 AND consultant_id" EQ "$2",
		2, {INT8OID, TEXTOID}
	},

	/* ---- 1.1: life of a consultation ---- */

	/* the client's booked consultations that have not ended, soonest first;
	 * $3 NULL: of every conversation */
	[STMT_CLIENT_CONSULTATIONS] = {
		"SELECT id, consultant_id, scheduled_at, ends_at, conversation_id"
		" FROM booking.consultations"
		" WHERE client_id" EQ "$1 AND " IS_BOOKED " AND ends_at" GT "$2"
		" AND ($3 IS NULL OR conversation_id" EQ "$3)"
		" ORDER BY scheduled_at, id LIMIT 100",
		3, {TEXTOID, TIMESTAMPTZOID, TEXTOID}
	},
	[STMT_CONSULTATION_BY_ID] = {
		"SELECT " BOOKING_CONSULTATION_COLUMNS " FROM booking.consultations WHERE id" EQ "$1",
		1, {INT8OID}
	},
	/* under the consultant's lock: the row as the last holder left it */
	[STMT_CONSULTATION_FOR_UPDATE] = {
		"SELECT " BOOKING_CONSULTATION_COLUMNS " FROM booking.consultations WHERE id" EQ "$1"
		" FOR UPDATE",
		1, {INT8OID}
	},
	[STMT_CANCEL_CONSULTATION] = {
		"UPDATE booking.consultations"
		" SET status = 'cancelled', cancel_reason = 'client', cancelled_at = $2"
		" WHERE id" EQ "$1 AND " IS_BOOKED
		" RETURNING " BOOKING_CONSULTATION_COLUMNS,
		2, {INT8OID, TIMESTAMPTZOID}
	},
	/* the holds that would move a consultation that can no longer move:
	 * stale ones expired, live ones cancelled */
	[STMT_CANCEL_MOVE_HOLDS] = {
		"UPDATE booking.pending_bookings"
		" SET status = CASE WHEN expires_at" LE "$2 THEN 'expired' ELSE 'cancelled' END,"
		"     cancel_reason = CASE WHEN expires_at" LE "$2 THEN NULL ELSE 'consultation_cancelled' END,"
		"     resolved_at = $2"
		" WHERE moves_consultation_id" EQ "$1 AND " IS_AWAITING,
		2, {INT8OID, TIMESTAMPTZOID}
	},
	/* a hold just inserted is a move's */
	[STMT_MARK_MOVE_HOLD] = {
		"UPDATE booking.pending_bookings SET moves_consultation_id = $2"
		" WHERE token" EQ "$1",
		2, {TEXTOID, INT8OID}
	},
	/* a move hold confirmed, numbering the new consultation */
	[STMT_MOVE_CONFIRM_HOLD] = {
		"UPDATE booking.pending_bookings"
		" SET status = 'confirmed', resolved_at = $2,"
		"     consultation_id = pg_catalog.nextval('booking.consultations_id_seq'::pg_catalog.regclass)"
		" WHERE token" EQ "$1 AND " IS_AWAITING " AND expires_at" GT "$2"
		" AND moves_consultation_id IS NOT NULL"
		" RETURNING " BOOKING_HOLD_COLUMNS,
		2, {TEXTOID, TIMESTAMPTZOID}
	},
	/* the old consultation gives way before the new one is inserted, or the
	 * exclusion constraint would see a move collide with itself */
	[STMT_MOVE_RETIRE_OLD] = {
		"UPDATE booking.consultations"
		" SET status = 'cancelled', cancel_reason = 'rescheduled', cancelled_at = $3,"
		"     moved_to = $2"
		" WHERE id" EQ "$1 AND " IS_BOOKED
		" RETURNING id",
		3, {INT8OID, INT8OID, TIMESTAMPTZOID}
	},
	/* the new consultation, from the confirmed hold: its conversation, its
	 * slot, and where it moved from */
	[STMT_MOVE_INSERT_NEW] = {
		"INSERT INTO booking.consultations"
		" (id, token, consultant_id, client_id, conversation_id, scheduled_at, ends_at,"
		"  status, created_at, moved_from)"
		" SELECT consultation_id, token, consultant_id, client_id, conversation_id,"
		"  start_at, end_at, 'booked', $2, moves_consultation_id"
		" FROM booking.pending_bookings WHERE token" EQ "$1"
		" ON CONFLICT DO NOTHING RETURNING id",
		2, {TEXTOID, TIMESTAMPTZOID}
	},
	/* a move hold refused at confirm; never overwrites a concurrent cancel */
	[STMT_MOVE_RESOLVE_HOLD] = {
		"UPDATE booking.pending_bookings"
		" SET status = 'cancelled', cancel_reason = $2, resolved_at = $3"
		" WHERE token" EQ "$1 AND " IS_AWAITING
		" RETURNING " BOOKING_HOLD_COLUMNS,
		3, {TEXTOID, TEXTOID, TIMESTAMPTZOID}
	},
	/* a booked consultation, other than the one moved, overlapping the new slot */
	[STMT_MOVE_SLOT_TAKEN] = {
		"SELECT 1 FROM booking.consultations"
		" WHERE consultant_id" EQ "$1 AND " IS_BOOKED
		" AND pg_catalog.tstzrange(scheduled_at, ends_at)" OVERLAPS "pg_catalog.tstzrange($2, $3)"
		" AND id" NE "$4"
		" LIMIT 1",
		4, {TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID, INT8OID}
	},

};

static SPIPlanPtr kept_plans[STMT_COUNT];
/* whether each kept plan was prepared for the columns of 1.1's moves */
static bool kept_with_moves[STMT_COUNT];

/*
 * Whether the installed SQL has the columns of the life of a consultation.
 * The library of 1.1 also serves an installed 1.0 until ALTER EXTENSION
 * UPDATE runs; it must then behave as 1.0 did.  Syscache look-ups, no query.
 */
static bool
moves_installed(void)
{
	Oid			schema = get_namespace_oid("booking", true);
	Oid			holds;

	if (!OidIsValid(schema))
		return false;
	holds = get_relname_relid("pending_bookings", schema);
	return OidIsValid(holds) &&
		get_attnum(holds, "moves_consultation_id") != InvalidAttrNumber;
}

/*
 * The columns of 1.1 that 1.0's calls read, and what stands in for each under
 * an installed 1.0: a hold moves nothing, and the newest hold is the one of
 * the latest transaction, as 1.0 had it.
 */
static const struct
{
	const char *column;
	const char *under_1_0;
}			columns_of_1_1[] = {
	{"moves_consultation_id", "NULL::pg_catalog.int8"},
	{"hold_order", "created_at"},
};

/*
 * The statement's text for the installed SQL.  Only the statements of 1.0's
 * calls are prepared under 1.0, and in them these columns are only read.
 */
static const char *
statement_text(const StatementDef *def, bool with_moves)
{
	const char *text = def->sql;

	if (with_moves)
		return text;
	for (size_t i = 0; i < lengthof(columns_of_1_1); i++)
	{
		const char *column = columns_of_1_1[i].column;
		StringInfoData buf;
		const char *from = text;
		const char *at;

		initStringInfo(&buf);
		while ((at = strstr(from, column)) != NULL)
		{
			appendBinaryStringInfo(&buf, from, at - from);
			appendStringInfoString(&buf, columns_of_1_1[i].under_1_0);
			from = at + strlen(column);
		}
		appendStringInfoString(&buf, from);
		text = buf.data;
	}
	return text;
}

static SPIPlanPtr
kept_plan(BookingStatement stmt)
{
	bool		with_moves = moves_installed();

	/* prepared before ALTER EXTENSION UPDATE: prepare it again */
	if (kept_plans[stmt] != NULL && kept_with_moves[stmt] != with_moves)
	{
		SPI_freeplan(kept_plans[stmt]);
		kept_plans[stmt] = NULL;
	}
	if (kept_plans[stmt] == NULL)
	{
		const StatementDef *def = &statement_defs[stmt];
		SPIPlanPtr	plan = SPI_prepare(statement_text(def, with_moves), def->nargs,
									   (Oid *) def->argtypes);

		if (plan == NULL)
			elog(ERROR, "could not prepare booking statement %d: %s",
				 (int) stmt, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep booking statement %d", (int) stmt);
		kept_plans[stmt] = plan;
		kept_with_moves[stmt] = with_moves;
	}
	return kept_plans[stmt];
}

static int
check_result(BookingStatement stmt, int rc)
{
	if (rc < 0)
		elog(ERROR, "booking statement %d failed: %s",
			 (int) stmt, SPI_result_code_string(rc));
	return rc;
}

/* Runs a statement inside an SPI connection; returns SPI_execute_plan's code. */
int
booking_execute(BookingStatement stmt, Datum *values, const char *nulls, long max_rows)
{
	/* read_only = false: under READ COMMITTED each statement sees what was
	 * committed before it, notably by the previous holder of the lock */
	return check_result(stmt, SPI_execute_plan(kept_plan(stmt), values, nulls,
											   false, max_rows));
}

/*
 * Runs a read-only statement against the latest committed state rather than
 * the transaction's snapshot: under REPEATABLE READ, what the snapshot
 * cannot see would otherwise go unnoticed.
 */
int
booking_execute_latest(BookingStatement stmt, Datum *values, const char *nulls,
					   long max_rows)
{
	return check_result(stmt, SPI_execute_snapshot(kept_plan(stmt), values, nulls,
												   GetLatestSnapshot(), InvalidSnapshot,
												   false, false, max_rows));
}
