-- Every rule of propose applies to a move: TOO_SOON, UNAVAILABLE (working
-- hours, time off) and alternatives; the consultation being moved does not
-- block its alternatives either.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg34-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg34-%';
DELETE FROM booking.time_off WHERE consultant_id LIKE 'rg34-%';
SELECT count(booking_clear_working_hours(c)) AS cleared FROM unnest(ARRAY['rg34-c1', 'rg34-c2']) AS c;

-- rg34-c1 works 09:00-12:00 Rome on Mondays; 2033-09-05 is a Monday
SELECT booking_set_working_hours('rg34-c1', '{"mon": ["09:00-12:00"]}')->>'ok' AS hours_set;
SELECT regress.book('rg34-c1', 'rg34-u1', 'rg34-v1', '2033-09-05 09:00') AS c1 \gset

-- UNAVAILABLE: outside the working hours, and over a time off; alternatives
-- of the same length, where the consultation's own time is free for it
SELECT r->>'error' AS error,
       ARRAY(SELECT a->>'start_local' FROM jsonb_array_elements(r->'alternatives') AS a) AS alternatives
FROM booking_propose_move(:c1, 'rg34-u1', 'rg34-v1', '2033-09-05 14:00') AS r;
SELECT booking_add_time_off('rg34-c1', '2033-09-05 10:00', '2033-09-05 11:00')->>'ok' AS time_off;
SELECT r->>'error' AS error,
       ARRAY(SELECT a->>'start_local' FROM jsonb_array_elements(r->'alternatives') AS a) AS alternatives
FROM booking_propose_move(:c1, 'rg34-u1', 'rg34-v1', '2033-09-05 10:00') AS r;
-- inside the hours and clear of the time off, it is held
SELECT r->>'status' AS status, r->>'start_local' AS start_local
FROM booking_propose_move(:c1, 'rg34-u1', 'rg34-v1', '2033-09-05 11:00') AS r;
SELECT booking_cancel(booking_pending_state('rg34-v1', 'rg34-u1')->>'token', 'rg34-u1')->>'status' AS tidy;

-- SLOT_TAKEN carries alternatives, which never include the slots of other
-- consultations and may include the moved consultation's own time
SELECT regress.book('rg34-c2', 'rg34-u2', 'rg34-v2', '2033-09-12 11:00') AS other \gset
SELECT regress.book('rg34-c2', 'rg34-u1', 'rg34-v1', '2033-09-12 12:00') AS c2 \gset
SET booking.alternatives = 2;
SELECT r->>'error' AS error,
       ARRAY(SELECT a->>'start_local' FROM jsonb_array_elements(r->'alternatives') AS a) AS alternatives
FROM booking_propose_move(:c2, 'rg34-u1', 'rg34-v1', '2033-09-12 11:00') AS r;
-- a plain proposal of the same slot is offered neither 11:00 nor 12:00
SELECT r->>'error' AS error,
       ARRAY(SELECT a->>'start_local' FROM jsonb_array_elements(r->'alternatives') AS a) AS alternatives
FROM booking_propose('rg34-c2', 'rg34-u3', 'rg34-v3', '2033-09-12 11:00') AS r;
SET booking.alternatives = 0;
SELECT booking_propose_move(:c2, 'rg34-u1', 'rg34-v1', '2033-09-12 11:00') ? 'alternatives' AS with_none;
RESET booking.alternatives;

-- TOO_SOON: sooner than booking.min_notice, after the consultation's checks
SET booking.min_notice = '2 days';
SELECT r->>'error' AS error, r ? 'alternatives' AS has_alternatives
FROM booking_propose_move(:c2, 'rg34-u1', 'rg34-v1',
                          to_char((now() + interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"')) AS r;
SELECT booking_propose_move(-1, 'rg34-u1', 'rg34-v1',
                            to_char((now() + interval '1 day') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"'))->>'error' AS not_found_first;
RESET booking.min_notice;

-- a duration over booking.max_duration is the caller's error, as for propose
SELECT regress.err(format($$SELECT booking_propose_move(%s, 'rg34-u1', 'rg34-v1', '2033-09-13 10:00', '9 hours')$$, :c2));
