/*
 * Unit tests of src/token_codec.c.  Expected token texts were computed outside this
 * code (Python's base64.urlsafe_b64encode, padding stripped), and the raw
 * bytes behind any token are recovered with a bit-at-a-time decoder written
 * here independently of token_codec.c.
 */
#include "token_codec.h"
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* RFC 4648 section 5, "URL and Filename safe" alphabet. */
static const char ref_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int
ref_value(unsigned char c)
{
	const char *p = memchr(ref_alphabet, c, 64);

	return p ? (int) (p - ref_alphabet) : -1;
}

/*
 * The 22 characters after the prefix as 132 bits: the first 128 are the raw
 * bytes, the last 4 must be zero for the text to be the one canonical
 * spelling.
 */
static bool
ref_decode(const char *b64, uint8_t raw[BOOKING_TOKEN_RAW_LEN])
{
	memset(raw, 0, BOOKING_TOKEN_RAW_LEN);
	for (int bit = 0; bit < 22 * 6; bit++)
	{
		int			v = ref_value((unsigned char) b64[bit / 6]);
		int			b;

		if (v < 0)
			return false;
		b = (v >> (5 - bit % 6)) & 1;
		if (bit < 128)
			raw[bit / 8] |= (uint8_t) (b << (7 - bit % 8));
		else if (b)
			return false;
	}
	return true;
}

static uint32_t
ref_route(const uint8_t raw[BOOKING_TOKEN_RAW_LEN])
{
	return ((uint32_t) raw[0] << 24) | ((uint32_t) raw[1] << 16) |
		((uint32_t) raw[2] << 8) | raw[3];
}

/* Deterministic, so a failure can be replayed. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t
rng_next(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/*
 * Decodes from an exactly-sized heap copy, so that nothing past len is
 * there to be read by accident; a sentinel route shows whether decode wrote
 * it.
 */
static bool
decode_copy(const char *text, size_t len, uint32_t *route)
{
	char	   *copy = malloc(len ? len : 1);
	bool		ok;

	if (copy == NULL)
		abort();
	memcpy(copy, text, len);
	ok = booking_token_decode(copy, len, route);
	free(copy);
	return ok;
}

static void
expect_reject(const char *what, const char *text, size_t len)
{
	uint32_t	route = 0xA5A5A5A5u;

	UNIT_CONTEXT("reject %s", what);
	CHECK(!decode_copy(text, len, &route));
	CHECK_INT_EQ(route, 0xA5A5A5A5u);
	UNIT_CONTEXT_CLEAR();
}

struct vector
{
	uint32_t	route;
	uint8_t		random[BOOKING_TOKEN_RANDOM_LEN];
	const char *text;
};

static const struct vector vectors[] = {
	{0x00000000u, {0}, "bk_AAAAAAAAAAAAAAAAAAAAAA"},
	{0xFFFFFFFFu, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	"bk______________________w"},
	{0x01020304u, {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
	"bk_AQIDBAUGBwgJCgsMDQ4PEA"},
	{0xDEADBEEFu, {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'},
	"bk_3q2-72hlbGxvIHdvcmxkIQ"},
	{0x80000000u, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	"bk_gAAAAAAAAAAAAAAAAAAAAQ"},
	{0x7FFFFFFFu, {0xfb, 0xef, 0xbe, 0xfb, 0xef, 0xbe, 0xfb, 0xef, 0xbe, 0xfb, 0xef, 0xbe},
	"bk_f_____vvvvvvvvvvvvvvvg"},
	{0x00000001u, {0}, "bk_AAAAAQAAAAAAAAAAAAAAAA"},
};

#define NVECTORS (sizeof(vectors) / sizeof(vectors[0]))

static void
test_vectors(void)
{
	for (size_t i = 0; i < NVECTORS; i++)
	{
		char		out[BOOKING_TOKEN_TEXT_LEN + 1];
		uint32_t	route = 0;

		UNIT_CONTEXT("vector %zu", i);
		booking_token_encode(vectors[i].route, vectors[i].random, out);
		CHECK_STR_EQ(out, vectors[i].text);
		CHECK(decode_copy(vectors[i].text, strlen(vectors[i].text), &route));
		CHECK_INT_EQ(route, vectors[i].route);
	}
	UNIT_CONTEXT_CLEAR();
}

/* The routing key is hashtext(), an int4: negative ones travel as uint32. */
static void
test_negative_hashtext(void)
{
	int32_t		hash = -2;
	uint8_t		random[BOOKING_TOKEN_RANDOM_LEN] = {0};
	char		out[BOOKING_TOKEN_TEXT_LEN + 1];
	uint32_t	route = 0;

	booking_token_encode((uint32_t) hash, random, out);
	/* 0xFFFFFFFE: 111111 111111 111111 111111 111111 10|0000 ... */
	CHECK_STR_EQ(out, "bk______gAAAAAAAAAAAAAAAA");
	CHECK(booking_token_decode(out, strlen(out), &route));
	CHECK_INT_EQ((int32_t) route, -2);
}

static void
test_encode_writes_exactly_26_bytes(void)
{
	unsigned char buf[64];
	uint8_t		random[BOOKING_TOKEN_RANDOM_LEN];
	int			outside = 0;

	memset(random, 0xff, sizeof(random));
	memset(buf, 0xA5, sizeof(buf));
	booking_token_encode(0xFFFFFFFFu, random, (char *) buf);
	CHECK_INT_EQ(BOOKING_TOKEN_TEXT_LEN, 25);
	CHECK_INT_EQ(buf[25], '\0');
	CHECK_INT_EQ(strlen((char *) buf), 25);
	for (size_t i = 26; i < sizeof(buf); i++)
		outside += buf[i] != 0xA5;
	CHECK_INT_EQ(outside, 0);
}

static void
check_round_trip(uint32_t route, const uint8_t random[BOOKING_TOKEN_RANDOM_LEN])
{
	char		out[BOOKING_TOKEN_TEXT_LEN + 1];
	uint8_t		raw[BOOKING_TOKEN_RAW_LEN];
	uint8_t		expect[BOOKING_TOKEN_RAW_LEN];
	uint32_t	got = ~route;
	bool		alphabet_ok = true;

	booking_token_encode(route, random, out);
	for (int i = BOOKING_TOKEN_PREFIX_LEN; i < BOOKING_TOKEN_TEXT_LEN; i++)
		alphabet_ok &= ref_value((unsigned char) out[i]) >= 0;

	expect[0] = (uint8_t) (route >> 24);
	expect[1] = (uint8_t) (route >> 16);
	expect[2] = (uint8_t) (route >> 8);
	expect[3] = (uint8_t) route;
	memcpy(expect + 4, random, BOOKING_TOKEN_RANDOM_LEN);

	UNIT_CONTEXT("route %08x token %s", (unsigned) route, out);
	CHECK(memcmp(out, "bk_", 3) == 0 && strlen(out) == 25 && alphabet_ok);
	CHECK(ref_decode(out + 3, raw) && memcmp(raw, expect, sizeof(raw)) == 0);
	CHECK(decode_copy(out, strlen(out), &got));
	CHECK_INT_EQ(got, route);
	UNIT_CONTEXT_CLEAR();
}

static void
test_round_trips(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, 0x3F, 0x40, 0xFF, 0x100, 0xFFFF, 0x10000, 0x00FF00FFu,
		0xFF00FF00u, 0x7FFFFFFEu, 0x7FFFFFFFu, 0x80000000u, 0x80000001u,
		0xFFFFFFFEu, 0xFFFFFFFFu, 0xDEADBEEFu, 0x12345678u,
	};
	uint8_t		random[BOOKING_TOKEN_RANDOM_LEN];

	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
	{
		memset(random, 0, sizeof(random));
		check_round_trip(edges[i], random);
		memset(random, 0xff, sizeof(random));
		check_round_trip(edges[i], random);
	}
	for (int i = 0; i < 20000; i++)
	{
		for (int j = 0; j < BOOKING_TOKEN_RANDOM_LEN; j++)
			random[j] = (uint8_t) rng_next();
		check_round_trip((uint32_t) rng_next(), random);
	}
	/* a single set bit anywhere must show, and come back where it was */
	for (int bit = 0; bit < 96; bit++)
	{
		memset(random, 0, sizeof(random));
		random[bit / 8] = (uint8_t) (0x80 >> (bit % 8));
		check_round_trip(0, random);
	}
	for (int bit = 0; bit < 32; bit++)
	{
		memset(random, 0, sizeof(random));
		check_round_trip((uint32_t) 1 << bit, random);
	}
}

/* Only A, Q, g, w (values 0, 16, 32, 48) leave the 4 trailing bits zero. */
static void
test_last_char_canonical(void)
{
	char		tok[BOOKING_TOKEN_TEXT_LEN + 1];
	int			accepted = 0;

	for (int c = 0; c < 256; c++)
	{
		uint32_t	route = 0;
		bool		want = c == 'A' || c == 'Q' || c == 'g' || c == 'w';
		bool		got;

		memcpy(tok, "bk_AQIDBAUGBwgJCgsMDQ4PEA", sizeof(tok));
		tok[24] = (char) c;
		got = decode_copy(tok, 25, &route);
		UNIT_CONTEXT("last char 0x%02x", c);
		CHECK(got == want);
		if (got)
		{
			accepted++;
			CHECK_INT_EQ(route, 0x01020304u);
		}
	}
	UNIT_CONTEXT_CLEAR();
	CHECK_INT_EQ(accepted, 4);
}

/*
 * Every byte value in every position of a valid token: decode must accept
 * exactly what the reference decoder accepts, and read the same route.
 */
static void
test_every_byte_every_position(void)
{
	const char *base = "bk_3q2-72hlbGxvIHdvcmxkIQ";
	int			mismatches = 0;
	int			accepted = 0;

	for (int pos = 0; pos < BOOKING_TOKEN_TEXT_LEN; pos++)
	{
		for (int c = 0; c < 256; c++)
		{
			char		tok[BOOKING_TOKEN_TEXT_LEN + 1];
			uint8_t		raw[BOOKING_TOKEN_RAW_LEN];
			uint32_t	route = 0xA5A5A5A5u;
			bool		want,
						got;

			memcpy(tok, base, sizeof(tok));
			tok[pos] = (char) c;
			want = ref_decode(tok + 3, raw);
			if (pos < BOOKING_TOKEN_PREFIX_LEN)
				want = want && c == (unsigned char) base[pos];
			got = decode_copy(tok, 25, &route);
			if (got != want ||
				(got && route != ref_route(raw)) ||
				(!got && route != 0xA5A5A5A5u))
			{
				if (mismatches++ < 5)
				{
					UNIT_CONTEXT("pos %d byte 0x%02x", pos, c);
					CHECK(got == want);
					CHECK_INT_EQ(route, got ? ref_route(raw) : 0xA5A5A5A5u);
				}
			}
			accepted += got;
		}
	}
	UNIT_CONTEXT_CLEAR();
	CHECK_INT_EQ(mismatches, 0);
	/* 3 prefix positions + 21 free positions of 64 chars + the last one of 4 */
	CHECK_INT_EQ(accepted, 3 + 21 * 64 + 4);
}

static void
test_rejects(void)
{
	const char *good = "bk_3q2-72hlbGxvIHdvcmxkIQ";
	char		buf[64];
	uint32_t	route = 0xA5A5A5A5u;

	/* sanity: the base token itself is accepted */
	CHECK(decode_copy(good, 25, &route));

	CHECK(!booking_token_decode(NULL, 25, &route));
	expect_reject("empty", "", 0);
	expect_reject("prefix only", "bk_", 3);
	expect_reject("short prefix", "bk", 2);
	expect_reject("upper-case prefix", "BK_3q2-72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("dash prefix", "bk-3q2-72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("swapped prefix", "kb_3q2-72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("no prefix, 25 chars", "AA3q2-72hlbGxvIHdvcmxkIQA", 25);
	expect_reject("no prefix, 22 chars", good + 3, 22);
	expect_reject("one char short", good, 24);
	expect_reject("one char long", "bk_3q2-72hlbGxvIHdvcmxkIQA", 26);
	expect_reject("padded", "bk_3q2-72hlbGxvIHdvcmxkIQ==", 27);
	expect_reject("leading space", " bk_3q2-72hlbGxvIHdvcmxkIQ", 26);
	expect_reject("leading space, cut to 25", " bk_3q2-72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("trailing space", "bk_3q2-72hlbGxvIHdvcmxkIQ ", 26);
	expect_reject("trailing newline", "bk_3q2-72hlbGxvIHdvcmxkIQ\n", 26);
	expect_reject("trailing NUL counted", "bk_3q2-72hlbGxvIHdvcmxkIQ", 26);
	expect_reject("standard alphabet '+'", "bk_3q2+72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("standard alphabet '/'", "bk_f/____vvvvvvvvvvvvvvvg", 25);
	expect_reject("'=' inside", "bk_3q2=72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("'=' last", "bk_3q2-72hlbGxvIHdvcmxkI=", 25);
	expect_reject("space inside", "bk_3q2 72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("dot inside", "bk_3q2.72hlbGxvIHdvcmxkIQ", 25);
	expect_reject("non-ASCII byte", "bk_3q2\xc3\xa9" "2hlbGxvIHdvcmxkIQ", 25);
	expect_reject("non-canonical last char", "bk_3q2-72hlbGxvIHdvcmxkIR", 25);
	expect_reject("non-canonical all ones", "bk_______________________", 25);

	memcpy(buf, good, 26);
	buf[10] = '\0';
	expect_reject("NUL inside", buf, 25);
	memcpy(buf, good, 26);
	buf[3] = '\0';
	expect_reject("NUL right after prefix", buf, 25);
	memcpy(buf, good, 26);
	buf[24] = '\0';
	expect_reject("NUL as last char", buf, 25);
}

/* len, not the NUL, says where the token ends. */
static void
test_not_nul_terminated(void)
{
	char		buf[40];
	uint32_t	route = 0;

	memcpy(buf, "bk_3q2-72hlbGxvIHdvcmxkIQjunkjunk", 34);
	CHECK(booking_token_decode(buf, 25, &route));
	CHECK_INT_EQ(route, 0xDEADBEEFu);
	route = 0xA5A5A5A5u;
	CHECK(!booking_token_decode(buf, 26, &route));
	CHECK(!booking_token_decode(buf, 24, &route));
	CHECK_INT_EQ(route, 0xA5A5A5A5u);
}

int
main(void)
{
	test_vectors();
	test_negative_hashtext();
	test_encode_writes_exactly_26_bytes();
	test_round_trips();
	test_last_char_canonical();
	test_every_byte_every_position();
	test_rejects();
	test_not_nul_terminated();
	return unit_summary();
}
