-- Tokens: 'bk_' + 22 characters of unpadded base64url of 16 bytes, the first
-- 4 of them hashtext(consultant_id) big-endian; booking_token_route reads it.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg03-%' OR conversation_id LIKE 'rg03-%';

-- The 16 bytes a token spells, decoded here independently of the extension.
CREATE FUNCTION pg_temp.token_bytes(token text) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode(translate(substr(token, 4), '-_', '+/') || '==', 'base64')
$$;

-- holds of consultants whose routing keys differ in sign and size
CREATE TEMP TABLE proposed AS
SELECT c AS consultant_id, booking_propose(c, 'rg03-u', 'rg03-v-' || c, '2031-02-04 10:00') AS r
FROM unnest(ARRAY['rg03-a', 'rg03-b', 'rg03-Ω', 'rg03-' || repeat('z', 200)]) AS c;

SELECT left(consultant_id, 10) AS consultant,
       r->>'token' ~ '^bk_[A-Za-z0-9_-]{22}$' AS token_format,
       length(pg_temp.token_bytes(r->>'token')) AS bytes,
       ('x' || encode(substr(pg_temp.token_bytes(r->>'token'), 1, 4), 'hex'))::bit(32)::int
           = hashtext(consultant_id) AS first_4_bytes_are_hashtext,
       booking_token_route(r->>'token') = hashtext(consultant_id) AS route_is_hashtext,
       booking_token_route(r->>'token') = ('x' || encode(substr(pg_temp.token_bytes(r->>'token'), 1, 4), 'hex'))::bit(32)::int AS route_is_first_4_bytes
FROM proposed ORDER BY consultant_id;

-- the routing keys above include a negative one, so the sign is not lost
SELECT count(*) FILTER (WHERE hashtext(consultant_id) < 0) > 0 AS some_negative,
       count(*) FILTER (WHERE hashtext(consultant_id) > 0) > 0 AS some_positive
FROM proposed;

-- the token is the one stored
SELECT count(*) AS stored FROM proposed p JOIN booking.pending_bookings b ON b.token = p.r->>'token';

-- tokens of one consultant share the routing key and differ in the 12 random bytes
CREATE TEMP TABLE same_consultant AS
SELECT booking_propose('rg03-a', 'rg03-u' || i, 'rg03-w' || i, to_char(timestamp '2031-02-05 00:00' + i * interval '1 hour', 'YYYY-MM-DD HH24:MI')) ->> 'token' AS token
FROM generate_series(1, 20) AS i;
SELECT count(*) AS tokens, count(DISTINCT token) AS distinct_tokens,
       count(DISTINCT substr(pg_temp.token_bytes(token), 1, 4)) AS distinct_routes,
       count(DISTINCT substr(pg_temp.token_bytes(token), 5)) AS distinct_random_parts,
       bool_and(booking_token_route(token) = hashtext('rg03-a')) AS all_routed
FROM same_consultant;

-- a token routes without any row: the key comes from the text alone
SELECT booking_token_route('bk_AAAAAAAAAAAAAAAAAAAAAA') AS zeros,
       booking_token_route('bk_' || repeat('_', 21) || 'w') AS ones,
       booking_token_route('bk_gAAAAAAAAAAAAAAAAAAAAA') AS high_bit,
       booking_token_route('bk_AAAAAQAAAAAAAAAAAAAAAA') AS one;

-- malformed tokens route nowhere
SELECT t AS token, booking_token_route(t) IS NULL AS is_null
FROM unnest(ARRAY[
    '',                                   -- empty
    'bk_',                                -- prefix only
    'bk_AAAAAAAAAAAAAAAAAAAAA',           -- 21 characters
    'bk_AAAAAAAAAAAAAAAAAAAAAAA',         -- 23 characters
    'bk_AAAAAAAAAAAAAAAAAAAAAA==',        -- padded
    'BK_AAAAAAAAAAAAAAAAAAAAAA',          -- prefix in capitals
    'xx_AAAAAAAAAAAAAAAAAAAAAA',          -- another prefix
    'AAAAAAAAAAAAAAAAAAAAAAAAA',          -- no prefix
    'bk_AAAAAAAAAAAAAAAAAAAA+A',          -- base64, not base64url
    'bk_AAAAAAAAAAAAAAAAAAAA/A',
    'bk_AAAAAAAAAAAAAAAAAAAA A',
    'bk_AAAAAAAAAAAAAAAAAAAAAé',          -- not ASCII
    'bk_AAAAAAAAAAAAAAAAAAAAAB',          -- bits past the 16th byte set
    ' bk_AAAAAAAAAAAAAAAAAAAAAA',         -- surrounding space
    'bk_AAAAAAAAAAAAAAAAAAAAAA '
]) AS t;
SELECT booking_token_route(NULL) IS NULL AS null_routes_nowhere;

-- a malformed token names no hold: NOT_FOUND, never an error
SELECT left(t, 30) AS token, length(t), booking_confirm(t, 'rg03-u')->>'error' AS confirm,
       booking_cancel(t, 'rg03-u')->>'error' AS cancel
FROM unnest(ARRAY['', 'bk_', 'nonsense', 'BK_AAAAAAAAAAAAAAAAAAAAAA', 'bk_AAAAAAAAAAAAAAAAAAAAAB',
                  'bk_AAAAAAAAAAAAAAAAAAAAAA', repeat('bk_', 1000)]) AS t;
SELECT booking_confirm('nonsense', 'rg03-u');
SELECT booking_cancel('nonsense', 'rg03-u');

-- a well-formed token of a real hold, spelt differently, names nothing
SELECT booking_confirm(upper(r->>'token'), 'rg03-u')->>'error' AS upper_case,
       booking_confirm((r->>'token') || ' ', 'rg03-u')->>'error' AS trailing_space,
       booking_confirm(' ' || (r->>'token'), 'rg03-u')->>'error' AS leading_space
FROM proposed WHERE consultant_id = 'rg03-a';
SELECT b.status FROM proposed p JOIN booking.pending_bookings b ON b.token = p.r->>'token'
WHERE p.consultant_id = 'rg03-a';

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg03-%' OR conversation_id LIKE 'rg03-%';
