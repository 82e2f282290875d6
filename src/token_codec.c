/*
 * Hold token encoding; see token_codec.h.
 */
#include "token_codec.h"

#include <string.h>

static const char base64url_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int
base64url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

void
booking_token_encode(uint32_t route,
					 const uint8_t random[BOOKING_TOKEN_RANDOM_LEN],
					 char out[BOOKING_TOKEN_TEXT_LEN + 1])
{
	uint8_t		raw[BOOKING_TOKEN_RAW_LEN];
	char	   *p = out + BOOKING_TOKEN_PREFIX_LEN;
	uint32_t	acc = 0;
	int			bits = 0;

	raw[0] = (uint8_t) (route >> 24);
	raw[1] = (uint8_t) (route >> 16);
	raw[2] = (uint8_t) (route >> 8);
	raw[3] = (uint8_t) route;
	memcpy(raw + 4, random, BOOKING_TOKEN_RANDOM_LEN);

	memcpy(out, BOOKING_TOKEN_PREFIX, BOOKING_TOKEN_PREFIX_LEN);
	for (int i = 0; i < BOOKING_TOKEN_RAW_LEN; i++)
	{
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 6)
		{
			bits -= 6;
			*p++ = base64url_alphabet[(acc >> bits) & 0x3F];
		}
	}
	/* 128 bits leave 2 over: pad them with zero bits on the right */
	*p++ = base64url_alphabet[(acc << (6 - bits)) & 0x3F];
	*p = '\0';
}

bool
booking_token_decode(const char *text, size_t len, uint32_t *route)
{
	uint8_t		raw[BOOKING_TOKEN_RAW_LEN];
	int			nraw = 0;
	uint32_t	acc = 0;
	int			bits = 0;

	if (text == NULL || len != BOOKING_TOKEN_TEXT_LEN ||
		memcmp(text, BOOKING_TOKEN_PREFIX, BOOKING_TOKEN_PREFIX_LEN) != 0)
		return false;

	for (size_t i = BOOKING_TOKEN_PREFIX_LEN; i < len; i++)
	{
		int			v = base64url_value((unsigned char) text[i]);

		if (v < 0)
			return false;
		acc = (acc << 6) | (uint32_t) v;
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			raw[nraw++] = (uint8_t) (acc >> bits);
		}
	}
	/* the 4 bits past the 16th byte must be zero, so each token has one spelling */
	if (nraw != BOOKING_TOKEN_RAW_LEN || (acc & ((1u << bits) - 1)) != 0)
		return false;

	*route = ((uint32_t) raw[0] << 24) | ((uint32_t) raw[1] << 16) |
		((uint32_t) raw[2] << 8) | (uint32_t) raw[3];
	return true;
}
