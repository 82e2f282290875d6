-- Plants one violation of every calendar check (calendar_checks.sql) in the
-- self-check database, after corrupt.sql: the checks must report each one.
-- cal1 works 08:00-10:00 and 10:30-12:00 UTC on weekdays; 2040-05-01 is a
-- Tuesday.

\set ON_ERROR_STOP 1

-- A hold across the break, written around the API, checked as the load does.
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, expires_at)
VALUES ('bk_forged_outside_hours', 'cal1', 'u7', 'v7', '2040-05-01 09:30Z', '2040-05-01 10:30Z', now() + interval '1 hour');
SELECT stress_calendar_check('bk_forged_outside_hours');

-- A hold inside a time off.
SELECT booking_add_time_off('cal1', '2040-05-01 11:00Z', '2040-05-01 12:00Z', 'UTC') ->> 'ok' AS off;
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, expires_at)
VALUES ('bk_forged_in_time_off', 'cal1', 'u8', 'v8', '2040-05-01 11:00Z', '2040-05-01 11:30Z', now() + interval '1 hour');
SELECT stress_calendar_check('bk_forged_in_time_off');

-- A hold given to the load and never checked.
INSERT INTO stress_outcomes (call, outcome) VALUES ('propose_calendar', 'ok:superseded');
