/*
 * Results: jsonb objects built in C with the contract's keys and formats.
 */
#include "booking.h"

#include "utils/numeric.h"

static void
push_key(BookingJson *json, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.len = strlen(key);
	k.val.string.val = (char *) key;
	pushJsonbValue(&json->state, WJB_KEY, &k);
}

static void
push_string(BookingJson *json, JsonbIteratorToken token, const char *value)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.len = strlen(value);
	v.val.string.val = (char *) value;
	pushJsonbValue(&json->state, token, &v);
}

static void
begin(BookingJson *json, bool ok)
{
	json->state = NULL;
	pushJsonbValue(&json->state, WJB_BEGIN_OBJECT, NULL);
	booking_json_bool(json, "ok", ok);
}

void
booking_json_begin_ok(BookingJson *json, const char *status)
{
	begin(json, true);
	booking_json_string(json, "status", status);
}

void
booking_json_begin_error(BookingJson *json, const char *code, const char *message)
{
	begin(json, false);
	booking_json_string(json, "error", code);
	booking_json_string(json, "message", message);
}

void
booking_json_string(BookingJson *json, const char *key, const char *value)
{
	push_key(json, key);
	push_string(json, WJB_VALUE, value);
}

void
booking_json_bool(BookingJson *json, const char *key, bool value)
{
	JsonbValue	v;

	push_key(json, key);
	v.type = jbvBool;
	v.val.boolean = value;
	pushJsonbValue(&json->state, WJB_VALUE, &v);
}

void
booking_json_int64(BookingJson *json, const char *key, int64 value)
{
	JsonbValue	v;

	push_key(json, key);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(value);
	pushJsonbValue(&json->state, WJB_VALUE, &v);
}

void
booking_json_utc(BookingJson *json, const char *key, TimestampTz ts)
{
	booking_json_string(json, key, booking_format_utc(ts));
}

void
booking_json_local(BookingJson *json, const char *key, TimestampTz ts, pg_tz *zone)
{
	booking_json_string(json, key, booking_format_local(ts, zone));
}

void
booking_json_begin_array(BookingJson *json, const char *key)
{
	push_key(json, key);
	pushJsonbValue(&json->state, WJB_BEGIN_ARRAY, NULL);
}

void
booking_json_array_string(BookingJson *json, const char *value)
{
	push_string(json, WJB_ELEM, value);
}

void
booking_json_end_array(BookingJson *json)
{
	pushJsonbValue(&json->state, WJB_END_ARRAY, NULL);
}

/* A business error with nothing more to say than its code and message. */
Jsonb *
booking_error_result(const char *code, const char *message, MemoryContext result_cxt)
{
	BookingJson json;

	booking_json_begin_error(&json, code, message);
	return booking_json_finish(&json, result_cxt);
}

/*
 * The finished object, allocated in result_cxt: the strings it was built
 * from may live in SPI's memory, which is gone after SPI_finish.
 */
Jsonb *
booking_json_finish(BookingJson *json, MemoryContext result_cxt)
{
	JsonbValue *value = pushJsonbValue(&json->state, WJB_END_OBJECT, NULL);
	MemoryContext old = MemoryContextSwitchTo(result_cxt);
	Jsonb	   *result = JsonbValueToJsonb(value);

	MemoryContextSwitchTo(old);
	return result;
}
