-- For a consultant without a calendar, starts step by step from the first
-- instant of each local day of tz, in absolute time: the clock change inside
-- that day does not restart the grid.
SET booking.max_advance = '30 years';
-- Europe/Rome, 2031-03-30: the day starts at 2031-03-29T23:00:00Z and is 23 hours long
SELECT jsonb_path_query_array(booking_free_slots('{rv48-a}', '2031-03-30', '2031-03-31', duration => '1 hour', step => '5 hours', tz => 'Europe/Rome'),
                              '$.slots[*].start_at') AS spring_every_5h;
SELECT jsonb_path_query_array(booking_free_slots('{rv48-a}', '2031-03-30', '2031-03-30 06:00', duration => '90 min', tz => 'Europe/Rome'),
                              '$.slots[*].start_at') AS spring_every_90min;
-- 2031-10-26: the day starts at 2031-10-25T22:00:00Z and is 25 hours long
SELECT jsonb_path_query_array(booking_free_slots('{rv48-a}', '2031-10-26', '2031-10-27', duration => '1 hour', step => '5 hours', tz => 'Europe/Rome'),
                              '$.slots[*].start_at') AS autumn_every_5h;
-- the alternatives of a refused proposal walk the same grid
SELECT booking_add_time_off('rv48-b', '2031-03-30 05:00:00Z', '2031-04-06 10:00:00Z') ->> 'ok' AS time_off;
SELECT jsonb_path_query_array(booking_propose('rv48-b', 'rv48-client', 'rv48-conv', '2031-03-30T06:00:00Z', duration => '3 hours', tz => 'Europe/Rome'),
                              '$.alternatives[*].start_at') AS alternatives;
RESET booking.max_advance;
