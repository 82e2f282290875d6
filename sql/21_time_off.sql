-- booking_add_time_off / booking_remove_time_off: bare dates as the first
-- instant of a local day, time outcomes, conflicting consultations, and
-- propose's UNAVAILABLE for a consultant with or without a calendar.

SET booking.max_advance = '30 years';
DELETE FROM booking.time_off WHERE consultant_id LIKE 'rg21-%';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg21-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg21-%';

SELECT booking_confirm(booking_propose('rg21-a', 'rg21-u', 'rg21-v1', '2031-12-24 10:00') ->> 'token', 'rg21-u') ->> 'status' AS booked_on_24th;

-- three whole local days, to_time exclusive; the booked consultation inside is reported and stays booked
CREATE TEMP TABLE rg21_off AS
SELECT booking_add_time_off('rg21-a', '2031-12-24', '2031-12-27', NULL, 'Christmas') AS r;
SELECT r - 'time_off_id' - 'conflicting_consultation_ids' AS r,
       jsonb_typeof(r -> 'time_off_id') AS id_type,
       (SELECT array_agg(c.scheduled_at AT TIME ZONE 'Europe/Rome')
        FROM jsonb_array_elements_text(r -> 'conflicting_consultation_ids') AS o (cid)
        JOIN booking.consultations c ON c.id = o.cid::bigint) AS conflicting
FROM rg21_off;
SELECT t.consultant_id, t.start_at AT TIME ZONE 'UTC' AS start_utc, t.end_at AT TIME ZONE 'UTC' AS end_utc, t.reason
FROM booking.time_off t JOIN rg21_off ON t.time_off_id = (r ->> 'time_off_id')::bigint;
SELECT count(*) AS still_booked FROM booking.consultations WHERE consultant_id = 'rg21-a' AND status = 'booked';

-- a zone of the call, and times with an offset
SELECT booking_add_time_off('rg21-b', '2031-06-01 09:00', '2031-06-01 12:00', 'America/New_York') - 'time_off_id' AS r;
SELECT booking_add_time_off('rg21-b', '2031-06-02T09:00:00Z', '2031-06-02 12:00+02:00') - 'time_off_id' AS r;

-- time outcomes, as for propose; to must be after from
SELECT booking_add_time_off('rg21-c', 'tomorrow', '2031-06-02');
SELECT booking_add_time_off('rg21-c', '2031-06-02', '2031-02-30');
SELECT booking_add_time_off('rg21-c', '2031-06-02', '2031-06-02');
SELECT booking_add_time_off('rg21-c', '2031-06-02 10:00', '2031-06-02 09:00');
SELECT booking_add_time_off('rg21-c', '2031-03-30 02:30', '2031-03-30 05:00');
SELECT booking_add_time_off('rg21-c', '2031-10-26 01:00', '2031-10-26 02:30');
SELECT count(*) AS none_written FROM booking.time_off WHERE consultant_id = 'rg21-c';

-- errors
SELECT regress.err($$SELECT booking_add_time_off(NULL, '2031-06-02', '2031-06-03')$$);
SELECT regress.err($$SELECT booking_add_time_off('rg21-c', NULL, '2031-06-03')$$);
SELECT regress.err($$SELECT booking_add_time_off('rg21-c', '2031-06-02', NULL)$$);
SELECT regress.err($$SELECT booking_add_time_off('', '2031-06-02', '2031-06-03')$$);
SELECT regress.err($$SELECT booking_add_time_off('rg21-c', '2031-06-02', '2031-06-03', 'Europe/Atlantis')$$);
SELECT regress.err($$SELECT booking_remove_time_off(NULL)$$);

-- time off applies to a consultant without a calendar: UNAVAILABLE inside,
-- also for a slot that only overlaps its edge; free right at its end
SET booking.alternatives = 0;
SELECT booking_propose('rg21-a', 'rg21-u', 'rg21-v2', '2031-12-25 10:00');
SELECT booking_propose('rg21-a', 'rg21-u', 'rg21-v2', '2031-12-23 23:30') ->> 'error' AS edge;
SELECT booking_propose('rg21-a', 'rg21-u', 'rg21-v2', '2031-12-27 00:00') ->> 'status' AS at_end;
-- time off may overlap time off; removing one leaves the other in force
CREATE TEMP TABLE rg21_more AS
SELECT booking_add_time_off('rg21-a', '2031-12-25 08:00', '2031-12-25 20:00') AS r;
SELECT booking_remove_time_off((SELECT (r ->> 'time_off_id')::bigint FROM rg21_off)) AS removed,
       booking_remove_time_off((SELECT (r ->> 'time_off_id')::bigint FROM rg21_off)) AS again;
SELECT booking_propose('rg21-a', 'rg21-u', 'rg21-v3', '2031-12-25 10:00') ->> 'error' AS in_second;
SELECT booking_propose('rg21-a', 'rg21-u', 'rg21-v3', '2031-12-26 10:00') ->> 'status' AS after_removal;
SELECT booking_remove_time_off(-1) AS no_such;
RESET booking.alternatives;
