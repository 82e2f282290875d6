-- booking_set_working_hours / booking_clear_working_hours: the normalised
-- week, every error naming the day and the window, outside_hours.

SET booking.max_advance = '30 years';
DELETE FROM booking.working_hours WHERE consultant_id LIKE 'rg20-%';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg20-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg20-%';

-- success: all seven days, windows sorted, the zone by its canonical name
SELECT booking_set_working_hours('rg20-a',
    '{"fri": ["14:00-18:00", "09:00-13:00"], "mon": ["09:00-13:00", "13:00-18:00"], "sat": []}',
    'europe/rome');
SELECT consultant_id, timezone, hours FROM booking.working_hours WHERE consultant_id = 'rg20-a';
-- the zone defaults to booking.timezone; {} closes every day; 24:00 ends a day
SET booking.timezone = 'America/New_York';
SELECT booking_set_working_hours('rg20-b', '{}') ->> 'timezone' AS tz;
RESET booking.timezone;
SELECT booking_set_working_hours('rg20-b', '{"sun": ["20:00-24:00", "00:00-02:00"]}') -> 'hours' AS hours;
-- a call replaces the whole week
SELECT booking_set_working_hours('rg20-b', '{"tue": ["10:00-11:00"]}') -> 'hours' AS hours;

-- errors: 22023 naming the day and the window, 22004 for NULLs
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"mon": ["9-17"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"mon": ["09:00 - 17:00"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"tue": ["09:00-17:00", "9:00-10:00"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"wed": ["17:00-09:00"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"wed": ["10:00-10:00"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"thu": ["09:00-12:00", "11:30-13:00"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"fri": ["24:00-24:30"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"sat": ["09:60-10:00"]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"sun": [9]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"sun": [["09:00-10:00"]]}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"mon": "09:00-17:00"}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"mon": null}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{"monday": []}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '["09:00-17:00"]')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '"mon"')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', '{}', 'Mars/Olympus_Mons')$$);
SELECT regress.err($$SELECT booking_set_working_hours(NULL, '{}')$$);
SELECT regress.err($$SELECT booking_set_working_hours('rg20-e', NULL)$$);
SELECT regress.err($$SELECT booking_set_working_hours('', '{}')$$);
SELECT regress.err($$SELECT booking_set_working_hours(repeat('x', 256), '{}')$$);
-- nothing was written by a refused call
SELECT count(*) FROM booking.working_hours WHERE consultant_id = 'rg20-e';

-- outside_hours: the future booked consultations the new hours leave out,
-- which stay booked; past ones are not listed
SELECT booking_confirm(booking_propose('rg20-c', 'rg20-u', 'rg20-v1', '2031-03-10 10:00') ->> 'token', 'rg20-u') ->> 'status' AS mon_10;
SELECT booking_confirm(booking_propose('rg20-c', 'rg20-u', 'rg20-v2', '2031-03-10 12:30') ->> 'token', 'rg20-u') ->> 'status' AS mon_1230;
SELECT booking_confirm(booking_propose('rg20-c', 'rg20-u', 'rg20-v3', '2031-03-11 10:00') ->> 'token', 'rg20-u') ->> 'status' AS tue_10;
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, status)
VALUES ('rg20-c', 'rg20-u', now() - interval '2 days', now() - interval '2 days' + interval '1 hour', 'booked');
CREATE TEMP TABLE rg20_set AS
SELECT booking_set_working_hours('rg20-c', '{"mon": ["09:00-13:00"]}') AS r;
SELECT array_agg(c.scheduled_at AT TIME ZONE 'Europe/Rome' ORDER BY c.scheduled_at) AS outside
FROM rg20_set, jsonb_array_elements_text(r -> 'outside_hours') AS o (cid)
JOIN booking.consultations c ON c.id = o.cid::bigint;
SELECT count(*) FILTER (WHERE status = 'booked') AS still_booked FROM booking.consultations WHERE consultant_id = 'rg20-c';
-- the window is [a, b): a consultation ending at 13:00 is inside, one ending after is not
SELECT jsonb_array_length(booking_set_working_hours('rg20-c', '{"mon": ["09:00-13:30"], "tue": ["10:00-11:00"]}') -> 'outside_hours') AS none_outside;

-- clear: true once, then false; the consultant is open at any time again
SELECT booking_clear_working_hours('rg20-c') AS cleared, booking_clear_working_hours('rg20-c') AS again;
SELECT regress.err($$SELECT booking_clear_working_hours(NULL)$$);
SELECT booking_propose('rg20-c', 'rg20-u', 'rg20-v9', '2031-03-16 03:00') ->> 'status' AS sunday_night;
