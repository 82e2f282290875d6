/*
 * libFuzzer harness for src/token_codec.c.
 *
 * Arbitrary bytes go to booking_token_decode from an exactly-sized heap
 * copy, so AddressSanitizer sees any read past len.  Whatever decode accepts
 * must be the one spelling encode gives for the same 16 bytes: the bytes are
 * recovered here with a decoder of this file's own, re-encoded, and compared.
 * The same input also feeds encode, into an exactly-sized 26-byte buffer,
 * and what it writes must decode back to the same route.
 */
#include "token_codec.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(msg) \
	do { fprintf(stderr, "token_fuzz: %s\n", msg); abort(); } while (0)

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Bit at a time, unlike token_codec.c, so the two do not share a mistake. */
static int
decode_raw(const char *b64, uint8_t raw[BOOKING_TOKEN_RAW_LEN])
{
	memset(raw, 0, BOOKING_TOKEN_RAW_LEN);
	for (int bit = 0; bit < 128; bit++)
	{
		const char *p = memchr(alphabet, b64[bit / 6], 64);

		if (p == NULL)
			return 0;
		if (((p - alphabet) >> (5 - bit % 6)) & 1)
			raw[bit / 8] |= (uint8_t) (0x80 >> (bit % 8));
	}
	return 1;
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = xmalloc(size);
	uint32_t	route = 0;

	memcpy(text, data, size);
	if (booking_token_decode(text, size, &route))
	{
		uint8_t		raw[BOOKING_TOKEN_RAW_LEN];
		uint8_t    *random = xmalloc(BOOKING_TOKEN_RANDOM_LEN);
		char	   *again = xmalloc(BOOKING_TOKEN_TEXT_LEN + 1);
		uint32_t	be;

		if (size != BOOKING_TOKEN_TEXT_LEN || memcmp(text, "bk_", 3) != 0)
			FAIL("accepted something not 25 bytes starting bk_");
		if (!decode_raw(text + 3, raw))
			FAIL("accepted a character outside the base64url alphabet");
		be = ((uint32_t) raw[0] << 24) | ((uint32_t) raw[1] << 16) |
			((uint32_t) raw[2] << 8) | raw[3];
		if (be != route)
			FAIL("decoded route is not the first 4 bytes big-endian");
		memcpy(random, raw + 4, BOOKING_TOKEN_RANDOM_LEN);
		booking_token_encode(route, random, again);
		if (memcmp(again, text, BOOKING_TOKEN_TEXT_LEN) != 0 ||
			again[BOOKING_TOKEN_TEXT_LEN] != '\0')
			FAIL("accepted token is not what encode writes for its bytes");
		free(again);
		free(random);
	}
	free(text);

	if (size >= BOOKING_TOKEN_RAW_LEN)
	{
		uint32_t	in_route = ((uint32_t) data[0] << 24) |
			((uint32_t) data[1] << 16) | ((uint32_t) data[2] << 8) | data[3];
		uint8_t    *random = xmalloc(BOOKING_TOKEN_RANDOM_LEN);
		char	   *out = xmalloc(BOOKING_TOKEN_TEXT_LEN + 1);
		uint8_t		raw[BOOKING_TOKEN_RAW_LEN];
		uint32_t	back = ~in_route;

		memcpy(random, data + 4, BOOKING_TOKEN_RANDOM_LEN);
		booking_token_encode(in_route, random, out);
		if (strlen(out) != BOOKING_TOKEN_TEXT_LEN)
			FAIL("encode did not write 25 characters and a NUL");
		if (!booking_token_decode(out, BOOKING_TOKEN_TEXT_LEN, &back) ||
			back != in_route)
			FAIL("encode wrote a token that does not decode to its route");
		if (!decode_raw(out + 3, raw) || memcmp(raw, data, BOOKING_TOKEN_RAW_LEN) != 0)
			FAIL("encode lost or changed bytes");
		free(out);
		free(random);
	}
	return 0;
}
