-- 1.1: the sweep and purge procedures, which commit after each batch.

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg14-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg14-%';

SELECT p.proname, p.prokind, p.prosecdef, pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
       p.proacl IS NOT NULL AND NOT pg_catalog.has_function_privilege('public', p.oid, 'EXECUTE') AS not_public
FROM pg_proc p
WHERE p.proname IN ('booking_sweep_holds', 'booking_purge_holds', 'booking_schedule_purge', 'booking_unschedule_purge')
ORDER BY p.proname;

-- inside a transaction block: 2D000, even with nothing to sweep or purge
\set VERBOSITY sqlstate
BEGIN;
CALL booking_sweep_holds();
ROLLBACK;
BEGIN;
CALL booking_purge_holds('1 day');
ROLLBACK;
\set VERBOSITY default
-- from a function (an atomic context): 2D000 as well
SELECT regress.err('CALL booking_sweep_holds(10)') AS sweep_from_function;
-- bad arguments
SELECT regress.err('CALL booking_sweep_holds(NULL)') AS null_batch;
SELECT regress.err('CALL booking_sweep_holds(0)') AS zero_batch;
SELECT regress.err($$CALL booking_purge_holds(NULL)$$) AS null_age;
SELECT regress.err($$CALL booking_purge_holds('0')$$) AS zero_age;
SELECT regress.err($$CALL booking_purge_holds('1 day', 0)$$) AS zero_purge_batch;

-- stale holds written as 1.0's sweep tests do, live ones through the API
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, created_at, expires_at)
SELECT 'rg14-stale-' || i, 'rg14-c' || i, 'rg14-u', 'rg14-v' || i,
       '2031-06-01 10:00Z'::timestamptz, '2031-06-01 11:00Z'::timestamptz,
       now() - interval '1 hour', now() - interval '1 minute' - i * interval '1 second'
FROM generate_series(1, 25) AS i;
SET booking.max_advance = '30 years';
SELECT booking_propose('rg14-live', 'rg14-u', 'rg14-vlive', '2031-06-01 10:00')->>'status' AS live;
RESET booking.max_advance;

-- batches of 4: every stale hold is swept, the live one stays
CALL booking_sweep_holds(4);
SELECT status, pg_catalog.count(*), pg_catalog.count(resolved_at) AS resolved
FROM booking.pending_bookings WHERE consultant_id LIKE 'rg14-%' GROUP BY status ORDER BY status;

-- under SERIALIZABLE by default the batches still run (READ COMMITTED each)
UPDATE booking.pending_bookings SET status = 'awaiting_confirm', resolved_at = NULL
WHERE token LIKE 'rg14-stale-%';
SET default_transaction_isolation = serializable;
CALL booking_sweep_holds(7);
RESET default_transaction_isolation;
SELECT pg_catalog.count(*) AS still_awaiting_stale
FROM booking.pending_bookings WHERE token LIKE 'rg14-stale-%' AND status = 'awaiting_confirm';

-- the purge: resolved holds older than the age go, the rest stay
UPDATE booking.pending_bookings SET resolved_at = now() - interval '40 days'
WHERE token IN ('rg14-stale-1', 'rg14-stale-2', 'rg14-stale-3');
UPDATE booking.pending_bookings SET resolved_at = now() - interval '20 days'
WHERE token = 'rg14-stale-4';
-- a confirmed hold, old: its consultation keeps its token
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, created_at, expires_at,
     status, resolved_at, consultation_id)
VALUES ('rg14-confirmed', 'rg14-cc', 'rg14-u', 'rg14-vc', '2026-01-01 10:00Z', '2026-01-01 11:00Z',
        now() - interval '60 days', now() - interval '60 days', 'confirmed', now() - interval '60 days', NULL);
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, token)
VALUES ('rg14-cc', 'rg14-u', '2026-01-01 10:00Z', '2026-01-01 11:00Z', 'rg14-confirmed');
-- an awaiting hold however old is never purged
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, created_at, expires_at)
VALUES ('rg14-ancient', 'rg14-ca', 'rg14-u', 'rg14-va', '2026-01-01 10:00Z', '2026-01-01 11:00Z',
        now() - interval '90 days', now() - interval '90 days');
CALL booking_purge_holds('30 days', 2);
SELECT token FROM booking.pending_bookings
WHERE token IN ('rg14-stale-1', 'rg14-stale-2', 'rg14-stale-3', 'rg14-stale-4', 'rg14-confirmed', 'rg14-ancient')
ORDER BY token;
SELECT token FROM booking.consultations WHERE consultant_id = 'rg14-cc';
SELECT pg_catalog.count(*) AS remaining FROM booking.pending_bookings WHERE consultant_id LIKE 'rg14-%';

-- a role granted EXECUTE on the procedures runs them without any right on
-- the tables: each batch runs as their owner
SET client_min_messages = warning;
DROP ROLE IF EXISTS rg14_sweeper;
RESET client_min_messages;
CREATE ROLE rg14_sweeper;
GRANT EXECUTE ON PROCEDURE booking_sweep_holds(integer), booking_purge_holds(interval, integer) TO rg14_sweeper;
GRANT USAGE ON SCHEMA regress TO rg14_sweeper;
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, created_at, expires_at)
SELECT 'rg14-role-' || i, 'rg14-r' || i, 'rg14-u', 'rg14-rv' || i,
       '2031-06-01 10:00Z'::timestamptz, '2031-06-01 11:00Z'::timestamptz,
       now() - interval '1 hour', now() - interval '1 minute'
FROM generate_series(1, 3) AS i;
SET ROLE rg14_sweeper;
SELECT regress.err('SELECT 1 FROM booking.pending_bookings LIMIT 1') AS table_read;
CALL booking_sweep_holds(2);
CALL booking_purge_holds('100 years');
SELECT current_user AS back_as;
RESET ROLE;
SELECT status, pg_catalog.count(*) FROM booking.pending_bookings
WHERE token LIKE 'rg14-role-%' GROUP BY status;
REVOKE ALL ON PROCEDURE booking_sweep_holds(integer), booking_purge_holds(interval, integer) FROM rg14_sweeper;
REVOKE ALL ON SCHEMA regress FROM rg14_sweeper;
DROP ROLE rg14_sweeper;

-- the autovacuum settings chosen for the holds' write pattern
SELECT c.relname, c.reloptions FROM pg_class c
WHERE c.oid IN ('booking.pending_bookings'::regclass, 'booking.consultations'::regclass)
ORDER BY c.relname;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg14-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg14-%';
