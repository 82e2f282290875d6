-- booking_free_slots: stretches and their grid, DST weeks of Europe/Rome,
-- a calendar in another zone than the call's, what blocks a slot, the
-- bounds and the errors.

SET booking.max_advance = '30 years';
DELETE FROM booking.working_hours WHERE consultant_id LIKE 'rg22-%';
DELETE FROM booking.time_off WHERE consultant_id LIKE 'rg22-%';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg22-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg22-%';

-- the starts of a result, in local time of the call's zone, one line
CREATE FUNCTION pg_temp.starts(r jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(
        CASE WHEN s ->> 'consultant_id' IS NULL THEN '' ELSE (s ->> 'consultant_id') || ' ' END
        || (s ->> 'start_local'), ', ' ORDER BY n), '(none)')
    FROM jsonb_array_elements(r -> 'slots') WITH ORDINALITY AS e (s, n)
$$;

SELECT booking_set_working_hours('rg22-rossi',
    '{"mon": ["09:00-13:00", "14:00-18:00"], "tue": ["09:00-13:00", "13:00-18:00"],
      "wed": ["09:00-13:00"], "sat": ["20:00-24:00"], "sun": ["00:00-02:00"]}') ->> 'ok' AS ok;

-- the shape of a result
SELECT booking_free_slots('{rg22-rossi}', '2031-03-10 09:00', '2031-03-10 11:00');
SELECT array_agg(DISTINCT k ORDER BY k) AS keys
FROM jsonb_array_elements(booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11') -> 'slots') AS s,
     jsonb_object_keys(s) AS k;

-- two windows with a break: 2-hour slots fit twice in each
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', '2 hours'));
-- joined windows (tue 09:00-13:00 and 13:00-18:00): one stretch, 3-hour slots step across 13:00
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-11', '2031-03-12', '3 hours'));
-- the same hours with a break (mon) fit a 3-hour slot only once per window
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', '3 hours'));
-- a step different from the duration: 30 minutes every 45, ending within the stretch
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-12', '2031-03-13', '30 minutes', '45 minutes'));
-- sat 20:00-24:00 and sun 00:00-02:00 join over midnight
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-15', '2031-03-17', '3 hours'));
-- from_time inside a stretch: the grid still starts at the stretch's first instant
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-12 09:10', '2031-03-12 11:00', '30 minutes', '45 minutes'));
-- to_time is exclusive for starts; a slot may end after it
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-12 09:00', '2031-03-12 10:30', '30 minutes', '45 minutes'));

-- DST, spring: on Sunday 2031-03-30 the clocks go forward at 02:00
SELECT booking_set_working_hours('rg22-night', '{"sun": ["00:00-06:00"], "sat": ["02:00-03:00"], "fri": ["09:00-18:00"], "mon": ["09:00-18:00"]}') ->> 'ok' AS ok;
-- 00:00-06:00 is 5 hours long that night
SELECT pg_temp.starts(booking_free_slots('{rg22-night}', '2031-03-30', '2031-03-31'));
-- 09:00-18:00 stays 09:00-18:00 local on both sides of the change
-- (a 9-hour slot is over booking.max_duration's default: the DBA raises it)
SET booking.max_duration = '9h';
SELECT r -> 'slots' -> 0 ->> 'start_at' AS fri_first_utc, r -> 'slots' -> -1 ->> 'start_at' AS mon_last_utc
FROM booking_free_slots('{rg22-night}', '2031-03-28', '2031-04-01', '9 hours') AS r;
RESET booking.max_duration;
SELECT booking_set_working_hours('rg22-gap', '{"sun": ["02:00-03:00"]}') ->> 'ok' AS ok;
-- 02:00-03:00 covers nothing that night, and an hour a week later
SELECT pg_temp.starts(booking_free_slots('{rg22-gap}', '2031-03-29', '2031-04-07'));
-- DST, autumn: on Sunday 2031-10-26 the clocks go back at 03:00
SELECT pg_temp.starts(booking_free_slots('{rg22-night}', '2031-10-26', '2031-10-27'));
SELECT booking_set_working_hours('rg22-fold', '{"sun": ["01:00-02:30"]}') ->> 'ok' AS ok;
-- 01:00-02:30 comes out as two stretches, the second after the clocks went back
SELECT pg_temp.starts(booking_free_slots('{rg22-fold}', '2031-10-26', '2031-10-27', '30 minutes'));

-- a calendar in another zone than the call's: 09:00-11:00 in New York,
-- listed in Rome's time; slots of several consultants sorted by start, then id
SELECT booking_set_working_hours('rg22-ny', '{"mon": ["09:00-11:00"]}', 'America/New_York') ->> 'ok' AS ok;
SELECT pg_temp.starts(booking_free_slots('{rg22-ny,rg22-rossi}', '2031-03-10', '2031-03-11', '1 hour', NULL, 'Europe/Rome'));
SELECT booking_free_slots('{rg22-ny}', '2031-03-10', '2031-03-11', '1 hour', NULL, 'Asia/Tokyo') ->> 'timezone' AS tz;

-- without a calendar: the grid of the call's local days, from midnight
SELECT pg_temp.starts(booking_free_slots('{rg22-open}', '2031-03-10 20:00', '2031-03-11 01:00', '1 hour', '90 minutes'));
SELECT pg_temp.starts(booking_free_slots('{rg22-open}', '2031-03-10 20:00', '2031-03-11 01:00', '1 hour', '90 minutes', 'Asia/Kolkata'));

-- what blocks: a booked consultation, a live hold, a time off; a stale hold does not
SELECT booking_confirm(booking_propose('rg22-rossi', 'rg22-u', 'rg22-v1', '2031-03-10 10:00') ->> 'token', 'rg22-u') ->> 'status' AS booked;
SELECT booking_propose('rg22-rossi', 'rg22-u', 'rg22-v2', '2031-03-10 14:00') ->> 'status' AS held;
INSERT INTO booking.pending_bookings (token, consultant_id, client_id, conversation_id, start_at, end_at, status, created_at, expires_at)
VALUES ('bk_rg22staleAAAAAAAAAAAAAA', 'rg22-rossi', 'rg22-w', 'rg22-v3', '2031-03-10 15:00+01', '2031-03-10 16:00+01', 'awaiting_confirm', now() - interval '1 hour', now() - interval '50 minutes');
SELECT booking_add_time_off('rg22-rossi', '2031-03-10 17:30', '2031-03-10 19:00') ->> 'ok' AS off;
-- in a READ ONLY transaction, leaving the stale hold as it is
BEGIN READ ONLY;
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11'));
COMMIT;
SELECT status FROM booking.pending_bookings WHERE token = 'bk_rg22staleAAAAAAAAAAAAAA';

-- max_slots and truncated
SELECT jsonb_array_length(r -> 'slots') AS n, r -> 'truncated' AS truncated
FROM booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-14', '1 hour', NULL, NULL, 3) AS r;
SELECT jsonb_array_length(r -> 'slots') AS n, r -> 'truncated' AS truncated
FROM booking_free_slots('{rg22-rossi}', '2031-03-12', '2031-03-13', '1 hour', NULL, NULL, 4) AS r;
-- an id twice counts once
SELECT jsonb_array_length(booking_free_slots('{rg22-ny,rg22-ny}', '2031-03-10', '2031-03-11') -> 'slots') AS n;

-- min_notice and max_advance bound the starts; an empty range lists nothing
SET booking.max_advance = '1 day';
SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11');
SET booking.max_advance = '30 years';
SET booking.min_notice = '30 years';
SELECT pg_temp.starts(booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11'));
RESET booking.min_notice;
SELECT booking_free_slots('{rg22-rossi}', '2031-03-11', '2031-03-10');
SELECT booking_free_slots('{rg22-rossi}', '2031-03-11', '2031-03-11');

-- time outcomes
SELECT booking_free_slots('{rg22-rossi}', 'now', '2031-03-11') ->> 'error' AS e;
SELECT booking_free_slots('{rg22-rossi}', '2031-03-30 02:30', '2031-03-31') ->> 'error' AS e;
SELECT booking_free_slots('{rg22-rossi}', '2031-10-26', '2031-10-26 02:15') -> 'candidates' AS candidates;

-- bounds and errors
SELECT jsonb_typeof(booking_free_slots('{rg22-rossi}', '2031-03-01T00:00:00Z', '2031-05-02T00:00:00Z') -> 'slots') AS exactly_62_days;
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-01T00:00:00Z', '2031-05-02T00:00:01Z')$$);
SELECT regress.err($$SELECT booking_free_slots(NULL, '2031-03-10', '2031-03-11')$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi,NULL}', '2031-03-10', '2031-03-11')$$);
SELECT regress.err($$SELECT booking_free_slots('{}', '2031-03-10', '2031-03-11')$$);
SELECT regress.err(format('SELECT booking_free_slots(%L, %L, %L)', (SELECT array_agg('rg22-' || i) FROM generate_series(1, 101) i), '2031-03-10', '2031-03-11'));
SELECT jsonb_typeof(booking_free_slots((SELECT array_agg('rg22-' || i) FROM generate_series(1, 100) i), '2031-03-10', '2031-03-11', max_slots => 1) -> 'slots') AS hundred_ids;
SELECT regress.err($$SELECT booking_free_slots('{""}', '2031-03-10', '2031-03-11')$$);
SELECT regress.err(format('SELECT booking_free_slots(ARRAY[%L], %L, %L)', repeat('x', 256), '2031-03-10', '2031-03-11'));
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', NULL, '2031-03-11')$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', NULL)$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', '0')$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', NULL, '-5 minutes')$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', NULL, NULL, 'Mars/Olympus_Mons')$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', NULL, NULL, NULL, 0)$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', NULL, NULL, NULL, 1001)$$);
SELECT regress.err($$SELECT booking_free_slots('{rg22-rossi}', '2031-03-10', '2031-03-11', NULL, NULL, NULL, NULL)$$);
-- a tiny step over a long free range returns at once
SELECT jsonb_array_length(booking_free_slots('{rg22-open}', '2031-03-01', '2031-05-01', '1 minute', '1 microsecond', NULL, 1000) -> 'slots') AS n;
