-- booking_propose in 1.1: TOO_SOON, UNAVAILABLE, the order of the checks,
-- and alternatives on every refusal that carries them (confirm's SLOT_TAKEN
-- included), with booking.alternatives.

SET booking.max_advance = '30 years';
DELETE FROM booking.working_hours WHERE consultant_id LIKE 'rg23-%';
DELETE FROM booking.time_off WHERE consultant_id LIKE 'rg23-%';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg23-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg23-%';

CREATE FUNCTION pg_temp.alts(r jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(r ->> 'error', 'ok') || ': ' || CASE WHEN r ? 'alternatives' THEN coalesce((
        SELECT string_agg(a ->> 'start_local', ', ' ORDER BY n)
        FROM jsonb_array_elements(r -> 'alternatives') WITH ORDINALITY AS e (a, n)), '[]')
        ELSE 'no alternatives key' END
$$;

SELECT booking_set_working_hours('rg23-rossi',
    '{"mon": ["09:00-13:00", "14:00-18:00"], "tue": ["09:00-13:00", "13:00-18:00"]}') ->> 'ok' AS ok;

-- UNAVAILABLE: outside the hours, across the break, past the end; with alternatives
SELECT booking_propose('rg23-rossi', 'rg23-u', 'rg23-v1', '2031-03-10 08:00');
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-u', 'rg23-v1', '2031-03-10 12:30'));
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-u', 'rg23-v1', '2031-03-10 17:30'));
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-u', 'rg23-v1', '2031-03-12 10:00'));
-- inside one stretch: ok, also across joined windows and off the grid
SELECT booking_propose('rg23-rossi', 'rg23-u', 'rg23-v1', '2031-03-10 12:00') ->> 'status' AS ends_at_13;
SELECT booking_propose('rg23-rossi', 'rg23-u', 'rg23-v2', '2031-03-11 12:30') ->> 'status' AS across_joined;
SELECT booking_propose('rg23-rossi', 'rg23-u', 'rg23-v3', '2031-03-10 09:10', '20 minutes') ->> 'status' AS off_grid;
-- no stray hold was written by a refusal
SELECT count(*) AS holds FROM booking.pending_bookings WHERE consultant_id = 'rg23-rossi';

-- SLOT_HELD and SLOT_TAKEN carry alternatives, nearest first, ties earlier first
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x1', '2031-03-10 12:00'));
SELECT booking_confirm((SELECT token FROM booking.pending_bookings WHERE conversation_id = 'rg23-v2' AND status = 'awaiting_confirm'), 'rg23-u') ->> 'status' AS confirmed;
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x1', '2031-03-11 12:30'));

-- the 168-hour reach, bounds included: one window a week
SELECT booking_set_working_hours('rg23-weekly', '{"wed": ["10:00-11:00"]}') ->> 'ok' AS ok;
SELECT pg_temp.alts(booking_propose('rg23-weekly', 'rg23-u', 'rg23-v4', '2031-03-12 10:30'));
SELECT booking_propose('rg23-weekly', 'rg23-u', 'rg23-v5', '2031-03-12 10:00') ->> 'status' AS held;
SELECT pg_temp.alts(booking_propose('rg23-weekly', 'rg23-w', 'rg23-x2', '2031-03-12 10:00'));
SELECT pg_temp.alts(booking_propose('rg23-weekly', 'rg23-w', 'rg23-x2', '2031-03-12 10:00:01'));

-- booking.alternatives: 0 leaves the key out, 1 gives one; start_local in the call's zone
SET booking.alternatives = 0;
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x3', '2031-03-10 08:00'));
SET booking.alternatives = 1;
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x3', '2031-03-10 08:00'));
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x3', '2031-03-10 07:00Z', NULL, NULL, 'America/New_York'));
RESET booking.alternatives;

-- SLOT_TAKEN at confirm: a consultation written around the API
SELECT booking_propose('rg23-open', 'rg23-u', 'rg23-v6', '2031-03-10 10:00') ->> 'status' AS held;
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg23-open', 'rg23-z', '2031-03-10 10:30+01', '2031-03-10 11:30+01');
SELECT pg_temp.alts(booking_confirm((SELECT token FROM booking.pending_bookings WHERE conversation_id = 'rg23-v6'), 'rg23-u'));

-- the order of the checks: IN_PAST, TOO_SOON, TOO_FAR_AHEAD, UNAVAILABLE, then holds and bookings
SET booking.min_notice = '40 years';
SELECT booking_propose('rg23-rossi', 'rg23-w', 'rg23-x4', '2001-03-10 10:00') ->> 'error' AS past_first;
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x4', '2031-03-10 08:00'));
RESET booking.min_notice;
SELECT booking_propose('rg23-rossi', 'rg23-w', 'rg23-x4', '2071-03-10 08:00') ->> 'error' AS too_far_before_unavailable;
SELECT jsonb_array_length(booking_set_working_hours('rg23-rossi', '{"mon": ["14:00-18:00"]}') -> 'outside_hours') AS tuesday_outside;
SELECT booking_propose('rg23-rossi', 'rg23-w', 'rg23-x4', '2031-03-10 12:00') ->> 'error' AS unavailable_before_held;
SELECT booking_add_time_off('rg23-rossi', '2031-03-10 16:00', '2031-03-10 16:30') ->> 'ok' AS off;
SELECT pg_temp.alts(booking_propose('rg23-rossi', 'rg23-w', 'rg23-x4', '2031-03-10 15:30'));

-- TOO_SOON against now(): alternatives only from now() + min_notice on
SET booking.min_notice = '2 days';
CREATE TEMP TABLE rg23_soon AS
SELECT now() AS at, booking_propose('rg23-open', 'rg23-w', 'rg23-x5',
    to_char((now() + interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) AS r;
SELECT r ->> 'error' AS error, jsonb_array_length(r -> 'alternatives') AS n,
       bool_and((a ->> 'start_at')::timestamptz >= at + interval '2 days') AS after_notice,
       bool_and((a ->> 'end_at')::timestamptz - (a ->> 'start_at')::timestamptz = interval '1 hour') AS same_duration
FROM rg23_soon, jsonb_array_elements(r -> 'alternatives') AS a GROUP BY 1, 2;
SELECT booking_propose('rg23-open', 'rg23-w', 'rg23-x5',
    to_char((now() + interval '3 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) ->> 'status' AS after_notice;
RESET booking.min_notice;

-- a consultant with neither calendar nor time off: open at any time, as in 1.0
SELECT booking_propose('rg23-open', 'rg23-u', 'rg23-v7', '2031-03-16 03:00') ->> 'status' AS sunday_3am;
