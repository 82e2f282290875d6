/*
 * Hold tokens: "bk_" + unpadded base64url of 16 bytes, the first 4 the
 * consultant's routing key (big-endian), the other 12 random.
 *
 * Plain C with no PostgreSQL dependency, so that unit tests and fuzzers can
 * drive it without a server.
 */
#ifndef BOOKING_TOKEN_CODEC_H
#define BOOKING_TOKEN_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOOKING_TOKEN_PREFIX		"bk_"
#define BOOKING_TOKEN_PREFIX_LEN	3
#define BOOKING_TOKEN_RAW_LEN		16
#define BOOKING_TOKEN_RANDOM_LEN	12
#define BOOKING_TOKEN_TEXT_LEN		(BOOKING_TOKEN_PREFIX_LEN + 22)

/* Writes BOOKING_TOKEN_TEXT_LEN characters and a terminating NUL to out. */
extern void booking_token_encode(uint32_t route,
								 const uint8_t random[BOOKING_TOKEN_RANDOM_LEN],
								 char out[BOOKING_TOKEN_TEXT_LEN + 1]);

/*
 * Reads a token of len bytes (not necessarily NUL-terminated).  Returns false
 * for anything that booking_token_encode cannot have written, including
 * non-canonical trailing bits; otherwise stores the routing key.
 */
extern bool booking_token_decode(const char *text, size_t len, uint32_t *route);

#endif
