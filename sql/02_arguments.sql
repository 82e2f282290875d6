-- Bad arguments are the caller's programming errors: NULL where a value is
-- required is 22004 naming the argument, an empty or oversized id is 22023.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg02-%' OR conversation_id LIKE 'rg02-%';

-- every required argument of every function, NULL in turn
SELECT stmt, regress.err(stmt) AS result FROM (VALUES
    ($$SELECT booking_propose(NULL, 'rg02-u', 'rg02-v', '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', NULL, 'rg02-v', '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', 'rg02-u', NULL, '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', NULL)$$),
    ($$SELECT booking_confirm(NULL, 'rg02-u')$$),
    ($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', NULL)$$),
    ($$SELECT booking_confirm_latest(NULL, 'rg02-u')$$),
    ($$SELECT booking_confirm_latest('rg02-v', NULL)$$),
    ($$SELECT booking_confirm_latest(NULL, 'rg02-u', 'rg02-c')$$),
    ($$SELECT booking_cancel(NULL, 'rg02-u')$$),
    ($$SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', NULL)$$),
    ($$SELECT booking_pending_state(NULL, 'rg02-u')$$),
    ($$SELECT booking_pending_state('rg02-v', NULL)$$),
    ($$SELECT booking_classifier_context(NULL, 'rg02-u')$$),
    ($$SELECT booking_classifier_context('rg02-v', NULL)$$)
) AS t(stmt);

-- the same, as psql shows it
SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', NULL);
\set VERBOSITY sqlstate
SELECT booking_confirm(NULL, 'rg02-u');
\set VERBOSITY default

-- every id argument, empty in turn
SELECT stmt, regress.err(stmt) AS result FROM (VALUES
    ($$SELECT booking_propose('', 'rg02-u', 'rg02-v', '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', '', 'rg02-v', '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', 'rg02-u', '', '2031-01-07 10:00')$$),
    ($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', '')$$),
    ($$SELECT booking_confirm_latest('', 'rg02-u')$$),
    ($$SELECT booking_confirm_latest('rg02-v', '')$$),
    ($$SELECT booking_confirm_latest('rg02-v', 'rg02-u', '')$$),
    ($$SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', '')$$),
    ($$SELECT booking_pending_state('', 'rg02-u')$$),
    ($$SELECT booking_pending_state('rg02-v', '')$$),
    ($$SELECT booking_classifier_context('', 'rg02-u')$$),
    ($$SELECT booking_classifier_context('rg02-v', '')$$)
) AS t(stmt);

-- every id argument, 256 bytes long in turn
SELECT stmt, regress.err(replace(stmt, 'LONG', repeat('x', 256))) AS result FROM (VALUES
    ($$SELECT booking_propose('LONG', 'rg02-u', 'rg02-v', '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', 'LONG', 'rg02-v', '2031-01-07 10:00')$$),
    ($$SELECT booking_propose('rg02-c', 'rg02-u', 'LONG', '2031-01-07 10:00')$$),
    ($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', 'LONG')$$),
    ($$SELECT booking_confirm_latest('LONG', 'rg02-u')$$),
    ($$SELECT booking_confirm_latest('rg02-v', 'LONG')$$),
    ($$SELECT booking_confirm_latest('rg02-v', 'rg02-u', 'LONG')$$),
    ($$SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', 'LONG')$$),
    ($$SELECT booking_pending_state('LONG', 'rg02-u')$$),
    ($$SELECT booking_pending_state('rg02-v', 'LONG')$$),
    ($$SELECT booking_classifier_context('LONG', 'rg02-u')$$),
    ($$SELECT booking_classifier_context('rg02-v', 'LONG')$$)
) AS t(stmt);

SELECT booking_pending_state(repeat('v', 300), 'rg02-u');

-- the limit is 255 bytes, not characters: 'é' is two bytes in UTF-8
SELECT octet_length(id), regress.err(format('SELECT booking_pending_state(%L, %L)', id, 'rg02-u')) AS result
FROM unnest(ARRAY[repeat('x', 255), 'x' || repeat('é', 127), repeat('é', 128), repeat('x', 254) || 'é']) AS id;

-- an id of exactly 255 bytes is stored and answered as given
SELECT r->>'status' AS status, r->>'consultant_id' = repeat('c', 255) AS same_consultant
FROM booking_propose(repeat('c', 255), repeat('u', 255), 'rg02-' || repeat('v', 250), '2031-01-07 10:00') AS r;
SELECT booking_pending_state('rg02-' || repeat('v', 250), repeat('u', 255))->>'has_pending_booking' AS pending;
SELECT r->>'status' AS status FROM booking_confirm_latest('rg02-' || repeat('v', 250), repeat('u', 255), repeat('c', 255)) AS r;
DELETE FROM booking.consultations WHERE consultant_id = repeat('c', 255);
DELETE FROM booking.pending_bookings WHERE consultant_id = repeat('c', 255);

-- duration and ttl must be positive when given; NULL means the setting
SELECT d, regress.err(format($$SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', duration => %L)$$, d)) AS duration,
       regress.err(format($$SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', ttl => %L)$$, d)) AS ttl
FROM unnest(ARRAY['0', '-1 minute', '1 day -24 hours', '-1 mon']) AS d;
SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', duration => '0');
SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', ttl => '-5 min');

-- an unknown zone given as an argument: 22023, as for the setting
SELECT z, regress.err(format($$SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', tz => %L)$$, z)) AS result
FROM unnest(ARRAY['Mars/Olympus_Mons', '', 'Europe/Atlantis', 'Rome']) AS z;
SELECT booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', tz => 'Mars/Olympus_Mons');

-- NULL duration, ttl and tz are the settings' values
BEGIN;
SET LOCAL booking.default_duration = '20 min';
SET LOCAL booking.hold_ttl = '3 min';
SELECT r->>'end_at' AS end_at, r->>'timezone' AS timezone,
       (r->>'expires_at')::timestamptz = date_trunc('second', now() + interval '3 min') AS expires_after_3min
FROM booking_propose('rg02-c', 'rg02-u', 'rg02-v', '2031-01-07 10:00', NULL, NULL, NULL) AS r;
ROLLBACK;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg02-%' OR conversation_id LIKE 'rg02-%';
