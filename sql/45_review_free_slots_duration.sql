-- A duration over booking.max_duration is refused by every call that takes
-- one (22023), booking_free_slots included, whether passed or defaulted.
SELECT regress.err($$SELECT booking_free_slots('{rv45-a}', '2031-01-06', '2031-01-07', duration => '9h')$$) AS passed_over_bound;
SET booking.default_duration = '9h';
SELECT regress.err($$SELECT booking_free_slots('{rv45-a}', '2031-01-06', '2031-01-07')$$) AS default_over_bound;
RESET booking.default_duration;
-- at the bound it lists slots of that length
SET booking.max_advance = '3650d';
SELECT s ->> 'start_at' AS start_at, s ->> 'end_at' AS end_at
FROM jsonb_array_elements(booking_free_slots('{rv45-a}', '2031-01-06T00:00:00Z', '2031-01-06T12:00:00Z', duration => '8h', tz => 'UTC') -> 'slots') s;
SET booking.max_duration = '10h';
SELECT jsonb_array_length(booking_free_slots('{rv45-a}', '2031-01-06T00:00:00Z', '2031-01-06T12:00:00Z', duration => '9h', tz => 'UTC') -> 'slots') AS slots_under_raised_bound;
RESET booking.max_duration;
RESET booking.max_advance;
