-- A database for the hostile-input cases: the extension, generators of
-- hostile strings, the case and result tables, and a few holds to aim at.
-- Works in a UTF8 and in a SQL_ASCII database alike.

\set ON_ERROR_STOP 1
CREATE EXTENSION booking CASCADE;

SELECT current_database() AS db \gset
ALTER DATABASE :"db" SET booking.max_advance = '30 years';
SET booking.max_advance = '30 years';

CREATE TABLE hostile_cases (
    id     serial PRIMARY KEY,
    name   text NOT NULL,
    -- 'expr': an expression, whose result is labelled; 'stmt': a statement
    kind   text NOT NULL DEFAULT 'expr' CHECK (kind IN ('expr', 'stmt')),
    call   text NOT NULL,
    -- the outcome or SQLSTATE the contract requires; '|' between
    -- alternatives where the contract leaves a choice
    expect text NOT NULL
);

CREATE TABLE hostile_results (
    id       int PRIMARY KEY,
    sqlstate text NOT NULL,
    got      text
);

-- What a call answered, in one word: 'ok' or the error code of an outcome,
-- 'pending'/'none' for a pending state, 'context:true'/'context:false' for
-- the classifier's first line, else (the start of) the value itself.
CREATE FUNCTION hostile_label(r jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN r IS NULL THEN 'NULL'
        WHEN jsonb_typeof(r) = 'object' AND r ? 'ok' THEN
            CASE WHEN r->'ok' = 'true' THEN 'ok' ELSE coalesce(r->>'error', 'MALFORMED') END
        WHEN jsonb_typeof(r) = 'object' AND r ? 'has_pending_booking' THEN
            CASE WHEN r->'has_pending_booking' = 'true' THEN 'pending' ELSE 'none' END
        WHEN jsonb_typeof(r) = 'string' THEN
            CASE split_part(r #>> '{}', E'\n', 1)
                WHEN 'Context: hasPendingBooking=true' THEN 'context:true'
                WHEN 'Context: hasPendingBooking=false' THEN 'context:false'
                ELSE left(split_part(r #>> '{}', E'\n', 1), 60)
            END
        ELSE left(r #>> '{}', 60)
    END
$$;

-- n pseudo-random code points of the whole Unicode range, never NUL; in a
-- SQL_ASCII database chr() gives bytes instead, so the range is 1..255.
CREATE FUNCTION hostile_garbage(n int, seed int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(chr(CASE WHEN cp BETWEEN 55296 AND 57343 THEN cp - 2048 ELSE cp END), '')
    FROM (SELECT 1 + (hashint4(seed * 100003 + i) & 2147483647)
                     % CASE WHEN pg_encoding_to_char(encoding) = 'UTF8' THEN 1114111 ELSE 255 END AS cp
          FROM generate_series(1, n) AS i,
               (SELECT encoding FROM pg_database WHERE datname = current_database()) AS d) AS g
$$;

-- n pseudo-random bytes 1..255, read as LATIN1 (any byte is a character
-- there) in a UTF8 database, taken as they are in a SQL_ASCII one.
CREATE FUNCTION hostile_bytes(n int, seed int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_from(decode(string_agg(lpad(to_hex(1 + (hashint4(seed * 100003 + i) & 2147483647) % 255), 2, '0'), ''), 'hex'),
                        CASE WHEN pg_encoding_to_char(d.encoding) = 'UTF8' THEN 'LATIN1' ELSE 'SQL_ASCII' END)
    FROM generate_series(1, n) AS i,
         (SELECT encoding FROM pg_database WHERE datname = current_database()) AS d
    GROUP BY d.encoding
$$;

-- Every character the database can hold, NUL excepted: about 4 MB in UTF8.
CREATE TABLE hostile_blob AS
SELECT string_agg(chr(cp), '' ORDER BY cp) AS every_char
FROM generate_series(1, CASE WHEN pg_encoding_to_char((SELECT encoding FROM pg_database
                                                        WHERE datname = current_database())) = 'UTF8'
                             THEN 1114111 ELSE 255 END) AS cp
WHERE cp NOT BETWEEN 55296 AND 57343;

CREATE FUNCTION hostile_every_char() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT every_char FROM hostile_blob $$;

CREATE FUNCTION hostile_mb() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT repeat('x', 1000000) $$;

-- Holds to aim at: fixture 'a' stays pending, 'b' is for the owner's
-- cancel, 'c' for the owner's confirm.
CREATE TABLE hostile_fixture (name text PRIMARY KEY, token text NOT NULL);
INSERT INTO hostile_fixture
SELECT f, booking_propose('fixture-consultant-' || f, 'fixture-client', 'fixture-conversation-' || f,
                          '2040-02-0' || n || ' 10:00Z', NULL, '1 hour')->>'token'
FROM (VALUES ('a', 1), ('b', 2), ('c', 3)) AS v (f, n);

CREATE FUNCTION hostile_token(f text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT token FROM hostile_fixture WHERE name = f $$;
