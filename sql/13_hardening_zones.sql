-- 1.1: zone names are names of the zone database; POSIX TZ strings, which
-- read the sign the other way round, are unknown zones (22023).

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg13-%';
SET booking.max_advance = '30 years';

SELECT z, regress.err(format('SET booking.timezone = %L', z)) AS setting,
       regress.err(format($$SELECT booking_propose('rg13-c', 'rg13-u', 'rg13-v', '2031-05-01 10:00', tz => %L)$$, z)) AS argument
FROM unnest(ARRAY['UTC+3', 'Mars+3', 'utc-03:00', 'EST5', 'XYZ-2ABC', '<+03>-3', 'GMT+3']) AS z;
SHOW booking.timezone;

-- names of the database, whatever their case, with digits or signs
SELECT z, r->>'timezone' AS timezone, r->>'start_at' AS start_at, r->>'start_local' AS start_local
FROM unnest(ARRAY['UTC', 'utc', 'GMT', 'Etc/GMT+3', 'etc/gmt-14', 'America/New_York', 'europe/rome']) WITH ORDINALITY AS t(z, n),
     LATERAL booking_propose('rg13-c' || n, 'rg13-u' || n, 'rg13-v' || n, '2031-05-01 10:00', tz => z) AS r
ORDER BY n;
SELECT regress.err($$SET booking.timezone = 'Etc/GMT+3'$$) AS etc_setting;
SHOW booking.timezone;
RESET booking.timezone;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg13-%';
RESET booking.max_advance;
