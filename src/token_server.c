/*
 * Tokens on the server side: made from libsodium's generator, and read back
 * for their routing key.
 */
#include "booking.h"

#include <sodium.h>

#include "token_codec.h"

/* A new token for a hold of the consultant with this routing key. */
char *
booking_new_token(uint32 route)
{
	uint8_t		random[BOOKING_TOKEN_RANDOM_LEN];
	char	   *token = palloc(BOOKING_TOKEN_TEXT_LEN + 1);

	randombytes_buf(random, sizeof(random));
	booking_token_encode(route, random, token);
	return token;
}

bool
booking_token_text_route(text *token, uint32 *route)
{
	return booking_token_decode(VARDATA_ANY(token), VARSIZE_ANY_EXHDR(token), route);
}

PG_FUNCTION_INFO_V1(booking_token_route);

/* The routing key a token carries: hashtext(consultant_id), or NULL. */
Datum
booking_token_route(PG_FUNCTION_ARGS)
{
	uint32		route;

	if (!booking_token_text_route(PG_GETARG_TEXT_PP(0), &route))
		PG_RETURN_NULL();
	PG_RETURN_INT32((int32) route);
}
