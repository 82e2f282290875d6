-- start_time: the accepted forms and what they mean, INVALID_TIME for
-- anything else, IN_PAST and TOO_FAR_AHEAD.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg04-%' OR conversation_id LIKE 'rg04-%';

-- Each input gets a consultant of its own, so that no two holds meet; every
-- answer is kept, to check at the end that refused proposals wrote nothing.
CREATE TEMP TABLE tried (consultant_id text, r jsonb);
CREATE FUNCTION pg_temp.try(n bigint, start_time text, tz text DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$
    INSERT INTO tried
    SELECT 'rg04-c' || n, booking_propose('rg04-c' || n, 'rg04-u', 'rg04-v' || n, start_time, tz => tz)
    RETURNING r
$$;

-- not in an accepted form: INVALID_TIME, with nothing written
SELECT t AS start_time, r->>'error' AS error
FROM unnest(ARRAY[
    'tomorrow', 'TOMORROW', 'today', 'now', 'Now', 'infinity', '-infinity', 'epoch', 'allballs',
    '', ' ', 'garbage', 'NaN',
    '2026-02-30 10:00',            -- no such day
    '2031-02-29 10:00',            -- not a leap year
    '2100-02-29 10:00',            -- not a leap year either
    '2031-04-31 10:00', '2031-13-01 10:00', '2031-00-10 10:00', '2031-01-00 10:00',
    '2031-06-10 24:00', '2031-06-10 10:60', '2031-06-10 10:00:60', '2031-06-10 -1:00',
    '2031-06-10',                  -- date only
    '10:00',                       -- time only
    '2031-06-10 10',               -- no minutes
    '2031-06-10 1000',
    '2031-6-10 10:00', '2031-06-1 10:00', '2031-06-10 9:00', '31-06-10 10:00', '02031-06-10 10:00',
    '2031/06/10 10:00', '10.06.2031 10:00', '06/10/2031 10:00', 'June 10 2031 10:00',
    '2031-06-10 10:00 AM', '2031-06-10 10:00am',
    '2031-06-10t10:00',            -- lowercase separator
    '2031-06-10 10:00z',           -- lowercase Z
    '2031-06-10T10:00:00z',
    '2031-06-10_10:00', '2031-06-10  10:00', '2031-06-10T 10:00',
    ' 2031-06-10 10:00', '2031-06-10 10:00 ', E'2031-06-10 10:00\n', E'2031-06-10\t10:00',
    '2031-06-10 10:00:00.5',       -- fractions of a second
    '2031-06-10 10:00:0',
    '2031-06-10 10:00 +02:00',     -- space before the offset
    '2031-06-10 10:00+02',         -- offset without minutes
    '2031-06-10 10:00+0200',       -- offset without colon
    '2031-06-10 10:00+2:00',
    '2031-06-10 10:00+02:00:00',
    '2031-06-10 10:00+02:60',
    '2031-06-10 10:00Z+02:00', '2031-06-10 10:00ZZ', '2031-06-10 10:00+02:00Z',
    '2031-06-10 10:00 UTC', '2031-06-10 10:00 CET', '2031-06-10 10:00 Europe/Rome',
    '2031-06-10 10:00 GMT+2',
    '２０３１-06-10 10:00',        -- full-width digits
    '2031-06-10 10:00:00:00',
    'J2463300', '2031-161 10:00', '20310610T100000', '2031-06-10T10:00:00+02:00[Europe/Rome]'
]) WITH ORDINALITY AS s(t, n), LATERAL pg_temp.try(n, t) AS r
ORDER BY n;

-- the whole answer, once
SELECT booking_propose('rg04-c', 'rg04-u', 'rg04-v', 'tomorrow');
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(booking_propose('rg04-c', 'rg04-u', 'rg04-v', 'now')) AS k;
SELECT count(*) AS holds FROM booking.pending_bookings WHERE consultant_id LIKE 'rg04-%';

-- the accepted forms, read in Europe/Rome (UTC+2 in June, UTC+1 in January)
SELECT t AS start_time, r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'end_at' AS end_at
FROM unnest(ARRAY[
    '2031-06-10 10:00',
    '2031-06-10T10:00',
    '2031-06-10 10:00:45',
    '2031-06-10T10:00:45',
    '2031-06-10 10:00Z',           -- Z: that instant in UTC
    '2031-06-10T10:00:00Z',
    '2031-06-10 10:00+02:00',      -- an offset: that instant
    '2031-06-10T10:00:00+05:30',
    '2031-06-10T10:00-03:00',
    '2031-06-10T10:00+00:00',
    '2031-06-10T10:00-00:00',
    '2031-06-10T10:00+14:00',
    '2031-06-10T10:00-12:00',
    '2031-01-10 10:00',
    '2031-01-10T10:00Z',
    '2032-02-29 10:00',            -- a leap day
    '2031-12-31 23:59:59',
    '2032-01-01 00:00'
]) WITH ORDINALITY AS s(t, n), LATERAL pg_temp.try(n + 100, t) AS r
ORDER BY n;

-- start_at is the instant start_time names, whatever the session's own TimeZone
SET TimeZone = 'Pacific/Kiritimati';
SET DateStyle = 'SQL, DMY';
SELECT (r->>'start_at')::timestamptz = timestamptz '2031-06-10 08:00:00+00' AS same_instant,
       r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM pg_temp.try(201, '2031-06-10 10:00') AS r;
RESET TimeZone;
RESET DateStyle;

-- the stored row holds the same instants
SELECT pg_temp.try(202, '2031-06-10T18:15:30+01:00') ->> 'token' AS token \gset
SELECT b.start_at = (t.r->>'start_at')::timestamptz AS start_stored,
       b.end_at = (t.r->>'end_at')::timestamptz AS end_stored,
       b.start_at = timestamptz '2031-06-10 17:15:30+00' AS start_right,
       extract(epoch FROM b.end_at - b.start_at) AS seconds, b.status, b.client_id, b.conversation_id
FROM tried t JOIN booking.pending_bookings b ON b.token = t.r->>'token'
WHERE b.token = :'token';

-- tz: local times read in the given zone, and start_local written in it
SELECT tz, r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM unnest(ARRAY['Europe/Rome', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe',
                  'UTC', 'Etc/GMT+5', 'Pacific/Chatham']) WITH ORDINALITY AS s(tz, n),
     LATERAL pg_temp.try(n + 300, '2031-06-10 10:00', tz) AS r
ORDER BY n;

-- an explicit offset is an instant: the zone only changes how start_local is written
SELECT tz, r->>'start_at' AS start_at, r->>'start_local' AS start_local
FROM unnest(ARRAY['Europe/Rome', 'America/New_York', 'Asia/Tokyo']) WITH ORDINALITY AS s(tz, n),
     LATERAL pg_temp.try(n + 400, '2031-06-10T10:00Z', tz) AS r
ORDER BY n;

-- booking.timezone is the zone when no tz is given; tz wins over it
SET booking.timezone = 'America/New_York';
SELECT r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM pg_temp.try(501, '2031-06-10 10:00') AS r;
SELECT r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM pg_temp.try(502, '2031-06-10 10:00', 'Europe/Rome') AS r;
SET booking.timezone = 'Asia/Tokyo';
SELECT r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM pg_temp.try(503, '2031-06-10 10:00') AS r;
RESET booking.timezone;

-- IN_PAST: start_at <= now()
SELECT t AS start_time, r->>'error' AS error
FROM unnest(ARRAY['2020-01-01 10:00', '2000-02-29 00:00', '1970-01-01 00:00Z', '0001-01-01 00:00',
                  '2026-01-01 00:00', '2026-02-01 10:00+14:00']) WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(n + 600, t) AS r
ORDER BY n;
SELECT booking_propose('rg04-c', 'rg04-u', 'rg04-v', '2020-01-01 10:00');
-- the current second, which is not after now(), and a minute ago
SELECT r->>'error' AS error
FROM pg_temp.try(610, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) AS r;
SELECT r->>'error' AS error
FROM pg_temp.try(611, to_char(now() AT TIME ZONE 'UTC' - interval '1 minute', 'YYYY-MM-DD"T"HH24:MI"Z"')) AS r;
-- two minutes ahead is fine
SELECT r->>'status' AS status
FROM pg_temp.try(612, to_char(now() AT TIME ZONE 'UTC' + interval '2 minutes', 'YYYY-MM-DD"T"HH24:MI"Z"')) AS r;

-- TOO_FAR_AHEAD: start_at > now() + booking.max_advance (365 days by default)
RESET booking.max_advance;
SELECT r->>'error' AS error
FROM pg_temp.try(701, to_char(now() AT TIME ZONE 'UTC' + interval '365 days 2 minutes', 'YYYY-MM-DD"T"HH24:MI"Z"')) AS r;
SELECT r->>'status' AS status
FROM pg_temp.try(702, to_char(now() AT TIME ZONE 'UTC' + interval '364 days', 'YYYY-MM-DD"T"HH24:MI"Z"')) AS r;
SELECT booking_propose('rg04-c', 'rg04-u', 'rg04-v', '2031-06-10 10:00');
SELECT t AS start_time, r->>'error' AS error
FROM unnest(ARRAY['2031-06-10 10:00', '2040-01-01 00:00Z', '9999-12-31 23:59']) WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(n + 710, t) AS r
ORDER BY n;
-- now() + max_advance is timestamp arithmetic: a year is a calendar year,
-- a month a calendar month
SET booking.max_advance = '1 year';
SELECT r->>'status' AS status
FROM pg_temp.try(715, to_char(now() AT TIME ZONE 'UTC' + interval '1 year' - interval '2 days', 'YYYY-MM-DD"T"HH24:MI"Z"')) AS r;
SELECT r->>'error' AS error
FROM pg_temp.try(716, to_char(now() AT TIME ZONE 'UTC' + interval '1 year' + interval '2 minutes', 'YYYY-MM-DD"T"HH24:MI"Z"')) AS r;
-- the bound itself: a slot starting exactly at now() + max_advance is
-- accepted, one second later is not (max_advance in seconds, so that no
-- day of the zone's calendar is longer or shorter than 24 hours)
BEGIN;
SELECT set_config('booking.max_advance',
                  extract(epoch FROM timestamptz '2031-01-01 00:00Z' - now()) || ' seconds', true) <> '' AS bound_set;
SELECT r->>'status' AS at_the_bound FROM pg_temp.try(730, '2031-01-01 00:00:00Z') AS r;
SELECT r->>'error' AS one_second_past FROM pg_temp.try(731, '2031-01-01 00:00:01Z') AS r;
COMMIT;
SET booking.max_advance = '30 years';
SELECT r->>'error' AS error FROM pg_temp.try(720, '9999-12-31 23:59') AS r;
SELECT r->>'error' AS error FROM pg_temp.try(721, '9999-12-31 23:59-12:00') AS r;

-- refused proposals wrote nothing; accepted ones wrote their hold
SELECT t.r->>'ok' AS ok, count(*) AS answers, count(b.token) AS holds
FROM tried t LEFT JOIN booking.pending_bookings b USING (consultant_id)
GROUP BY 1 ORDER BY 1;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg04-%' OR conversation_id LIKE 'rg04-%';
