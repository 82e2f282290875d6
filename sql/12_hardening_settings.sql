-- 1.1: the policy settings belong to the DBA; duration and ttl are bounded.

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg12-%';
SET client_min_messages = warning;
DROP ROLE IF EXISTS rg12_app;
CREATE ROLE rg12_app;
RESET client_min_messages;
GRANT USAGE ON SCHEMA booking TO rg12_app;
GRANT EXECUTE ON FUNCTION booking_propose(text, text, text, text, interval, interval, text) TO rg12_app;
GRANT USAGE ON SCHEMA regress TO rg12_app;
-- set by the superuser: the session keeps it under SET ROLE
SET booking.max_advance = '30 years';

SELECT name, context FROM pg_settings WHERE name LIKE 'booking.%' ORDER BY name;

-- a plain role may not set a policy setting (42501), in any way
SET ROLE rg12_app;
SELECT s, regress.err(format('SET booking.%s = %L', s, '9000 years')) AS "set",
       regress.err(format('SET LOCAL booking.%s = %L', s, '9000 years')) AS set_local,
       regress.err(format('SELECT set_config(%L, %L, false)', 'booking.' || s, '9000 years')) AS set_config
FROM unnest(ARRAY['max_advance', 'min_notice', 'cancel_notice', 'max_duration', 'max_ttl']) AS s;
-- but it may choose the zone, the default duration and the ttl
SELECT regress.err($$SET booking.timezone = 'UTC'$$) AS timezone,
       regress.err($$SET booking.default_duration = '30min'$$) AS default_duration,
       regress.err($$SET booking.hold_ttl = '5min'$$) AS hold_ttl,
       regress.err($$SET booking.alternatives = 0$$) AS alternatives;
-- within the bounds: a duration or ttl over them is 22023, given or set
SELECT regress.err($$SELECT booking_propose('rg12-c1', 'rg12-u1', 'rg12-v1', '2031-12-30 10:00', duration => '8h 1s')$$) AS long_duration,
       regress.err($$SELECT booking_propose('rg12-c1', 'rg12-u1', 'rg12-v1', '2031-12-30 10:00', ttl => '5000 years')$$) AS long_ttl,
       regress.err($$SELECT booking_propose('rg12-c1', 'rg12-u1', 'rg12-v1', '2031-12-30 10:00', duration => '1 mon')$$) AS month_duration;
SET booking.default_duration = '9h';
SELECT regress.err($$SELECT booking_propose('rg12-c1', 'rg12-u1', 'rg12-v1', '2031-12-30 10:00')$$) AS default_duration_over;
RESET booking.default_duration;
SET booking.hold_ttl = '61min';
SELECT regress.err($$SELECT booking_propose('rg12-c1', 'rg12-u1', 'rg12-v1', '2031-12-30 10:00')$$) AS hold_ttl_over;
RESET booking.hold_ttl;
-- the bounds themselves are accepted
SELECT r->>'end_at' = to_char(((r->>'start_at')::timestamptz + interval '8h') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS eight_hours,
       (r->>'expires_at')::timestamptz <= now() + interval '1h' AS within_an_hour
FROM booking_propose('rg12-c2', 'rg12-u2', 'rg12-v2', '2031-12-30 10:00', duration => '8h', ttl => '1h') AS r;
RESET ROLE;

-- a superuser moves the bounds; the check follows them
SET booking.max_duration = '10h';
SET booking.default_duration = '9h';
SELECT (r->>'end_at')::timestamptz - (r->>'start_at')::timestamptz AS length
FROM booking_propose('rg12-c3', 'rg12-u3', 'rg12-v3', '2031-12-30 10:00') AS r;
SET booking.max_duration = '2h';
SELECT regress.err($$SELECT booking_propose('rg12-c4', 'rg12-u4', 'rg12-v4', '2031-12-30 10:00')$$) AS default_over_lowered_bound;
RESET booking.max_duration;
RESET booking.default_duration;
SELECT regress.err($$SET booking.max_ttl = '0'$$) AS max_ttl_zero,
       regress.err($$SET booking.max_duration = 'abc'$$) AS max_duration_bad;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg12-%';
RESET booking.max_advance;
REVOKE ALL ON SCHEMA booking FROM rg12_app;
REVOKE ALL ON SCHEMA regress FROM rg12_app;
REVOKE ALL ON FUNCTION booking_propose(text, text, text, text, interval, interval, text) FROM rg12_app;
DROP ROLE rg12_app;
