-- Daylight saving time: a local time in a gap is NONEXISTENT_TIME, one that
-- occurs twice is AMBIGUOUS_TIME with both candidates; an explicit offset
-- picks one occurrence.  Europe/Rome moves its clocks at 02:00/03:00 on the
-- last Sunday of March (forward) and of October (back).

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg05-%' OR conversation_id LIKE 'rg05-%';

CREATE FUNCTION pg_temp.last_sunday(y int, m int) RETURNS date LANGUAGE sql AS $$
    SELECT d - extract(dow FROM d)::int
    FROM (SELECT (make_date(y, m, 1) + interval '1 month - 1 day')::date AS d) AS s
$$;

-- Each call gets a consultant of its own, so that no two holds meet; every
-- answer is kept, to check at the end that refused times wrote nothing.
CREATE TEMP SEQUENCE call_no;
CREATE TEMP TABLE tried (consultant_id text, r jsonb);
CREATE FUNCTION pg_temp.try(start_time text, tz text DEFAULT NULL) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO tried
    SELECT 'rg05-c' || n, booking_propose('rg05-c' || n, 'rg05-u', 'rg05-v' || n, start_time, tz => tz)
    FROM (SELECT nextval('call_no') AS n) AS s
    RETURNING r
$$;

-- the gap: 02:30 does not exist on the last Sunday of March
SELECT y, to_char(d, 'YYYY-MM-DD') AS sunday, r->>'error' AS error, r->>'message' AS message, r ? 'token' AS has_token
FROM generate_series(2031, 2035) AS y,
     LATERAL pg_temp.last_sunday(y, 3) AS d,
     LATERAL pg_temp.try(to_char(d, 'YYYY-MM-DD') || ' 02:30') AS r
ORDER BY y;

-- the fold: 02:30 occurs twice on the last Sunday of October, first at
-- +02:00 then at +01:00
SELECT y, to_char(d, 'YYYY-MM-DD') AS sunday, r->>'error' AS error, r->>'timezone' AS timezone, r->'candidates' AS candidates
FROM generate_series(2031, 2035) AS y,
     LATERAL pg_temp.last_sunday(y, 10) AS d,
     LATERAL pg_temp.try(to_char(d, 'YYYY-MM-DD') || ' 02:30') AS r
ORDER BY y;

SELECT pg_temp.try('2031-10-26 02:30');
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(pg_temp.try('2031-10-26 02:30')) AS k;
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(pg_temp.try('2031-03-30 02:30')) AS k;

-- an explicit offset chooses the occurrence: +02:00 is the first (00:30Z),
-- +01:00 the second (01:30Z); both are booked as distinct slots
SELECT y, o AS offset, r->>'status' AS status, r->>'start_at' AS start_at, r->>'end_at' AS end_at,
       r->>'start_local' AS start_local
FROM generate_series(2031, 2035) AS y,
     unnest(ARRAY['+02:00', '+01:00']) AS o,
     LATERAL pg_temp.last_sunday(y, 10) AS d,
     LATERAL pg_temp.try(to_char(d, 'YYYY-MM-DD') || 'T02:30' || o) AS r
ORDER BY y, o DESC;

-- each candidate, sent back as start_time, is accepted and names its own instant
SELECT c AS candidate, r->>'start_at' AS start_at, r->>'start_local' = c AS start_local_is_candidate
FROM jsonb_array_elements_text(pg_temp.try('2033-10-30 02:30')->'candidates') AS c,
     LATERAL pg_temp.try(c) AS r;

-- one consultant, both occurrences: they are an hour apart, so both can be held
SELECT booking_propose('rg05-fold', 'rg05-u1', 'rg05-fold-1', '2034-10-29 02:30+02:00')->>'start_at' AS first,
       booking_propose('rg05-fold', 'rg05-u2', 'rg05-fold-2', '2034-10-29 02:30+01:00')->>'start_at' AS second;
-- and a 90-minute consultation at the first overlaps the second
SELECT booking_propose('rg05-fold', 'rg05-u3', 'rg05-fold-3', '2034-10-29 02:00+02:00', duration => '90 min')->>'error' AS error;

-- UTC input around the changes is never ambiguous, and start_local shows the offset in force
SELECT t AS start_time, r->>'start_at' AS start_at, r->>'start_local' AS start_local
FROM unnest(ARRAY['2031-03-30T00:30Z', '2031-03-30T01:30Z', '2031-10-26T00:30Z', '2031-10-26T01:30Z',
                  '2031-10-26T02:30Z']) WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(t) AS r
ORDER BY n;

-- the edges of the gap and of the fold, to the second
SELECT t AS start_time, r->>'error' AS error, r->>'start_at' AS start_at, r->>'start_local' AS start_local,
       r->'candidates' AS candidates
FROM unnest(ARRAY['2032-03-28 01:59:59', '2032-03-28 02:00', '2032-03-28 02:59:59', '2032-03-28 03:00',
                  '2032-10-31 01:59:59', '2032-10-31 02:00', '2032-10-31 02:59:59', '2032-10-31 03:00']) WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(t) AS r
ORDER BY n;

-- an offset that the zone does not use then is still that instant
SELECT r->>'start_at' AS start_at, r->>'start_local' AS start_local
FROM pg_temp.try('2031-03-30 02:30+01:00') AS r;

-- past the 2038 limit of 32-bit zone data the rules go on
SELECT y, pg_temp.try(to_char(pg_temp.last_sunday(y, 3), 'YYYY-MM-DD') || ' 02:30')->>'error' AS march,
       pg_temp.try(to_char(pg_temp.last_sunday(y, 10), 'YYYY-MM-DD') || ' 02:30')->>'error' AS october,
       pg_temp.try(to_char(pg_temp.last_sunday(y, 7), 'YYYY-MM-DD') || ' 02:30')->>'start_local' AS july
FROM generate_series(2037, 2040) AS y ORDER BY y;

-- other zones, given as tz: America/New_York moves at 02:00 on the second
-- Sunday of March and back at 02:00 on the first Sunday of November
SELECT t AS start_time, r->>'error' AS error, r->>'start_at' AS start_at, r->>'start_local' AS start_local,
       r->>'timezone' AS timezone, r->'candidates' AS candidates
FROM unnest(ARRAY['2031-03-09 02:30', '2031-03-09 01:59', '2031-03-09 03:00',
                  '2031-11-02 01:30', '2031-11-02 01:30-04:00', '2031-11-02 01:30-05:00',
                  '2031-11-02 02:30']) WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(t, 'America/New_York') AS r
ORDER BY n;

-- the same readings through booking.timezone instead of tz
SET booking.timezone = 'America/New_York';
SELECT t AS start_time, r->>'error' AS error, r->>'start_local' AS start_local, r->'candidates' AS candidates
FROM unnest(ARRAY['2032-03-14 02:30', '2032-11-07 01:30', '2032-03-30 02:30', '2032-10-31 02:30'])
         WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(t) AS r
ORDER BY n;
-- and Rome's gap, named as tz, still wins over the setting
SELECT pg_temp.try('2032-03-28 02:30', 'Europe/Rome')->>'error' AS error;
RESET booking.timezone;

-- half-hour changes (Australia/Lord_Howe: 02:00 -> 02:30 in October, 02:00 -> 01:30 in April)
SELECT t AS start_time, r->>'error' AS error, r->>'start_local' AS start_local, r->'candidates' AS candidates
FROM unnest(ARRAY['2031-10-05 02:15', '2031-10-05 02:30', '2031-04-06 01:45', '2031-04-06 02:00'])
         WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(t, 'Australia/Lord_Howe') AS r
ORDER BY n;

-- a zone without changes has neither gaps nor folds
SELECT t AS start_time, r->>'start_local' AS start_local
FROM unnest(ARRAY['2031-03-30 02:30', '2031-10-26 02:30']) WITH ORDINALITY AS s(t, n),
     LATERAL pg_temp.try(t, 'Asia/Tokyo') AS r
ORDER BY n;

-- refused times wrote nothing; accepted ones wrote their hold
SELECT t.r->>'ok' AS ok, t.r->>'error' AS error, count(*) AS answers, count(b.token) AS holds
FROM tried t LEFT JOIN booking.pending_bookings b USING (consultant_id)
GROUP BY 1, 2 ORDER BY 1, 2;

-- Days of a duration are counted in the booking's zone, not in the
-- session's TimeZone: a one-day consultation from the Saturday before the
-- spring change ends at the same wall time on Sunday, 23 hours later
-- (a day is over booking.max_duration's default: the DBA raises it).
SET booking.max_duration = '2 days';
SET TimeZone = 'UTC';
SELECT booking_propose('rg05-day1', 'rg05-u', 'rg05-day1', '2033-03-26 12:00', duration => '1 day')->>'end_at' AS end_at_session_utc;
SET TimeZone = 'America/New_York';
SELECT booking_propose('rg05-day2', 'rg05-u', 'rg05-day2', '2033-03-26 12:00', duration => '1 day')->>'end_at' AS end_at_session_new_york;
RESET TimeZone;
RESET booking.max_duration;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg05-%' OR conversation_id LIKE 'rg05-%';
