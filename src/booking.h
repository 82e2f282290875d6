/*
 * Declarations shared by the booking extension's C files.
 */
#ifndef BOOKING_H
#define BOOKING_H

#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "pgtime.h"
#include "access/xact.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "compat.h"

/* Longest consultant, client or conversation id, in bytes. */
#define BOOKING_MAX_ID_BYTES 255

/* guc.c: settings, read through these */
extern void booking_define_settings(void);
extern pg_tz *booking_default_zone(void);
extern const Interval *booking_hold_ttl(void);
extern const Interval *booking_default_duration(void);
extern const Interval *booking_max_advance(void);
extern const Interval *booking_min_notice(void);
extern const Interval *booking_cancel_notice(void);
extern const Interval *booking_max_duration(void);
extern const Interval *booking_max_ttl(void);
extern int	booking_alternatives_count(void);
extern pg_tz *booking_zone_by_name(const char *name);

/* args.c: argument checks that raise the contract's SQLSTATEs */
extern char *booking_arg_id(FunctionCallInfo fcinfo, int argno, const char *name);
extern text *booking_arg_text(FunctionCallInfo fcinfo, int argno, const char *name);
extern const Interval *booking_arg_interval(FunctionCallInfo fcinfo, int argno,
											const char *name,
											const Interval *default_span);
extern const Interval *booking_arg_duration(FunctionCallInfo fcinfo, int argno,
											const Interval *default_span);
extern const Interval *booking_arg_ttl(FunctionCallInfo fcinfo, int argno);
extern bool booking_interval_is_positive(const Interval *span);
extern TimestampTz booking_timestamp_plus(TimestampTz ts, const Interval *span,
										  pg_tz *zone, const char *name);

/* zone.c: wall times and their instants */
struct BookingWallTime;
extern int	booking_resolve_wall_time(const struct BookingWallTime *wall, pg_tz *zone,
									  TimestampTz instants[2]);
extern char *booking_format_utc(TimestampTz ts);
extern char *booking_format_local(TimestampTz ts, pg_tz *zone);
extern const char *booking_zone_name(pg_tz *zone);

/* json.c: building results */
typedef struct BookingJson
{
	JsonbParseState *state;
} BookingJson;

extern void booking_json_begin_ok(BookingJson *json, const char *status);
extern void booking_json_begin_error(BookingJson *json, const char *code,
									 const char *message);
extern void booking_json_string(BookingJson *json, const char *key, const char *value);
extern void booking_json_bool(BookingJson *json, const char *key, bool value);
extern void booking_json_int64(BookingJson *json, const char *key, int64 value);
extern void booking_json_utc(BookingJson *json, const char *key, TimestampTz ts);
extern void booking_json_local(BookingJson *json, const char *key, TimestampTz ts,
							   pg_tz *zone);
extern void booking_json_begin_array(BookingJson *json, const char *key);
extern void booking_json_array_string(BookingJson *json, const char *value);
extern void booking_json_end_array(BookingJson *json);
extern Jsonb *booking_json_finish(BookingJson *json, MemoryContext result_cxt);
extern Jsonb *booking_error_result(const char *code, const char *message,
								   MemoryContext result_cxt);

/* token_server.c: hold tokens made and read on the server side */
extern char *booking_new_token(uint32 route);
extern bool booking_token_text_route(text *token, uint32 *route);

/* lock.c: the per-consultant and per-conversation locks */
extern uint32 booking_consultant_route(const char *consultant_id);
extern void booking_lock_route(uint32 route);
extern void booking_lock_conversation(const char *conversation_id,
									  const char *client_id);

/* statements.c: kept SPI plans */
typedef enum BookingStatement
{
	STMT_PROPOSE_SCAN_HOLDS,
	STMT_PROPOSE_SCAN_BOOKED,
	STMT_PROPOSE_PROBE,
	STMT_RETIRE_HOLDS,
	STMT_INSERT_HOLD_IF_FREE,
	STMT_INSERT_HOLD,
	STMT_CONFIRM_HOLD,
	STMT_HOLD_BY_TOKEN,
	STMT_RESOLVE_HOLD,
	STMT_CANCEL_HOLD,
	STMT_ACTIVE_HOLD_OF_CLIENT,
	STMT_LATEST_ACTIVE_HOLD,
	STMT_EXPIRE_BATCH,

	/* 1.1: hardening */
	STMT_EXPIRE_AWAITING_HOLD,
	STMT_PURGE_BATCH,

	/* 1.1: calendars and free slots */
	STMT_SCHEDULE,
	STMT_SET_HOURS,
	STMT_CLEAR_HOURS,
	STMT_FUTURE_BOOKED,
	STMT_ADD_TIME_OFF,
	STMT_OVERLAPPING_BOOKED,
	STMT_TIME_OFF_OWNER,
	STMT_REMOVE_TIME_OFF,

	/* 1.1: life of a consultation */
	STMT_CLIENT_CONSULTATIONS,
	STMT_CONSULTATION_BY_ID,
	STMT_CONSULTATION_FOR_UPDATE,
	STMT_CANCEL_CONSULTATION,
	STMT_CANCEL_MOVE_HOLDS,
	STMT_MARK_MOVE_HOLD,
	STMT_MOVE_CONFIRM_HOLD,
	STMT_MOVE_RETIRE_OLD,
	STMT_MOVE_INSERT_NEW,
	STMT_MOVE_RESOLVE_HOLD,
	STMT_MOVE_SLOT_TAKEN,

	STMT_COUNT
} BookingStatement;

extern int	booking_execute(BookingStatement stmt, Datum *values, const char *nulls,
							long max_rows);
extern int	booking_execute_latest(BookingStatement stmt, Datum *values,
								   const char *nulls, long max_rows);

/* hold.c: holds as the statements return them */
typedef struct BookingHold
{
	char	   *token;
	char	   *consultant_id;
	char	   *client_id;
	char	   *conversation_id;
	char	   *status;
	TimestampTz start_at;
	TimestampTz end_at;
	TimestampTz expires_at;
	int64		consultation_id;	/* 0 if none */
	char	   *cancel_reason;	/* NULL if none */
	int64		moves_consultation_id;	/* the consultation a move hold moves; 0 if none */
} BookingHold;

/* The select list that booking_hold_from_row reads, in its order. */
#define BOOKING_HOLD_COLUMNS \
	"token, consultant_id, client_id, conversation_id, status, start_at, end_at, " \
	"created_at, expires_at, consultation_id, cancel_reason, moves_consultation_id"
#define BOOKING_HOLD_NCOLUMNS 12

extern void booking_hold_from_row(int row, BookingHold *hold);
extern bool booking_hold_is(const BookingHold *hold, const char *status);
extern void booking_json_hold_slot(BookingJson *json, const BookingHold *hold,
								   pg_tz *zone);

/* Outcome codes of the contract. */
#define BOOKING_INVALID_TIME		"INVALID_TIME"
#define BOOKING_NONEXISTENT_TIME	"NONEXISTENT_TIME"
#define BOOKING_AMBIGUOUS_TIME		"AMBIGUOUS_TIME"
#define BOOKING_IN_PAST				"IN_PAST"
#define BOOKING_TOO_FAR_AHEAD		"TOO_FAR_AHEAD"
#define BOOKING_SLOT_HELD			"SLOT_HELD"
#define BOOKING_SLOT_TAKEN			"SLOT_TAKEN"
#define BOOKING_EXPIRED				"EXPIRED"
#define BOOKING_NOT_FOUND			"NOT_FOUND"
#define BOOKING_NOT_PENDING			"NOT_PENDING"

/* 1.1: calendars */

/* 1.1: life of a consultation */
#define BOOKING_TOO_LATE			"TOO_LATE"

/* The same answer for a missing, malformed or someone else's token. */
#define BOOKING_NOT_FOUND_MESSAGE	"There is no such pending booking for this client."

/* Hold states. */
#define HOLD_AWAITING	"awaiting_confirm"
#define HOLD_CONFIRMED	"confirmed"
#define HOLD_EXPIRED	"expired"
#define HOLD_CANCELLED	"cancelled"

#endif
