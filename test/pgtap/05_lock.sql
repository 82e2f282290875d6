-- The per-consultant lock of propose and confirm: a transaction-level
-- advisory lock in a lock space of the extension's own, so that an app's
-- own pg_advisory_lock calls, even on hashtext(consultant_id), never wait on
-- it nor make it wait.  A second backend, through dblink, probes from the
-- outside; waits are cut short by lock_timeout (55P03) instead of hanging.

-- The other backend must see the extension: create it outside the
-- transaction that is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;
RESET client_min_messages;
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;

SELECT plan(25);

\ir helpers.psql

SET LOCAL booking.max_advance = '30 years';

CREATE FUNCTION pg_temp.remote(command text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_exec('tap_other', command);
END
$$;

-- A boolean the other backend computes.
CREATE FUNCTION pg_temp.remote_bool(query text) RETURNS boolean LANGUAGE sql AS $$
    SELECT b FROM dblink('tap_other', query) AS t(b boolean)
$$;

-- What the other backend's call answered: its ok/error keys, or the
-- SQLSTATE it raised.
CREATE FUNCTION pg_temp.remote_outcome(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    SELECT coalesce(j::jsonb->>'error', 'ok=' || (j::jsonb->>'ok'))
      INTO result
      FROM dblink('tap_other', query) AS t(j text);
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN 'SQLSTATE ' || SQLSTATE;
END
$$;

CREATE FUNCTION pg_temp.local_outcome(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result jsonb;
BEGIN
    EXECUTE query INTO result;
    RETURN coalesce(result->>'error', 'ok=' || (result->>'ok'));
EXCEPTION WHEN OTHERS THEN
    RETURN 'SQLSTATE ' || SQLSTATE;
END
$$;

CREATE TEMP VIEW tap_advisory AS
SELECT classid, objid, objsubid, mode, granted
  FROM pg_locks
 WHERE locktype = 'advisory' AND pid = pg_backend_pid();

SELECT pg_temp.connect_backend('tap_other');
SELECT pg_temp.remote($$SET booking.max_advance = '30 years'$$);
SELECT pg_temp.remote($$SET lock_timeout = '300ms'$$);
-- Committed holds of an earlier run that stopped half-way.
SELECT pg_temp.remote($$DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'tap-lock-%'$$);

SELECT is((SELECT count(*)::int FROM tap_advisory), 0, 'no advisory lock before the first call');

SELECT is(booking_propose('tap-lock-c', 'tap-lock-cl', 'tap-lock-cv', '2031-09-01 10:00')->>'ok', 'true',
    'a propose is made');
SELECT is((SELECT count(*)::int FROM tap_advisory), 2,
    'after the propose returned, its transaction holds two advisory locks: the consultant''s and the conversation''s');
SELECT is((SELECT count(*)::int FROM tap_advisory WHERE objsubid NOT IN (1, 2)), 2,
    'they are in lock spaces of their own: objsubid is neither 1 (bigint keys) nor 2 (int4 pairs)');
SELECT is((SELECT count(DISTINCT objsubid)::int FROM tap_advisory), 2,
    'the consultant lock and the conversation lock are in two different spaces');
SELECT is((SELECT string_agg(DISTINCT mode || ' ' || granted, ',') FROM tap_advisory), 'ExclusiveLock true',
    'they are held exclusively');

SELECT is(booking_propose('tap-lock-c', 'tap-lock-cl2', 'tap-lock-cv2', '2031-09-01 12:00')->>'ok', 'true',
    'a second propose for the same consultant is made');
SELECT is((SELECT count(*)::int FROM tap_advisory WHERE objsubid = 25195), 1,
    'one consultant, one lock in the consultant space');
SELECT is(booking_propose('tap-lock-d', 'tap-lock-cl', 'tap-lock-cv3', '2031-09-01 10:00')->>'ok', 'true',
    'a propose for another consultant is made');
SELECT is((SELECT count(*)::int FROM tap_advisory WHERE objsubid = 25195), 2,
    'another consultant, another lock in the same space');

-- From the outside, while this transaction holds the lock of tap-lock-c.
SELECT is(pg_temp.remote_bool($$SELECT pg_try_advisory_xact_lock(hashtext('tap-lock-c'))$$), true,
    'pg_advisory_xact_lock(hashtext(consultant_id)) in another session does not collide');
SELECT is(pg_temp.remote_bool($$SELECT pg_try_advisory_xact_lock(hashtext('tap-lock-c')::bigint << 32)$$), true,
    'pg_advisory_xact_lock(bigint) with the routing key in the high half does not collide');
SELECT is(pg_temp.remote_bool($$SELECT pg_try_advisory_xact_lock(hashtext('tap-lock-c'), 0)$$), true,
    'pg_advisory_xact_lock(hashtext(consultant_id), 0) does not collide');
SELECT is(pg_temp.remote_outcome($$SELECT booking_propose('tap-lock-c', 'tap-lock-x', 'tap-lock-xv', '2031-09-02 10:00')::text$$),
    'SQLSTATE 55P03',
    'a propose for the same consultant in another session waits for this transaction (cut short by lock_timeout)');
SELECT is(pg_temp.remote_outcome($$SELECT booking_propose('tap-lock-e', 'tap-lock-x', 'tap-lock-xv', '2031-09-02 10:00')::text$$),
    'ok=true',
    'a propose for another consultant in another session does not wait');
SELECT pg_temp.remote($$DELETE FROM booking.pending_bookings WHERE consultant_id = 'tap-lock-e'$$);

-- Positive control: the probe does see an app lock it collides with.
SELECT pg_advisory_xact_lock(hashtext('tap-lock-c'));
SELECT is(pg_temp.remote_bool($$SELECT pg_try_advisory_xact_lock(hashtext('tap-lock-c'))$$), false,
    'control: the same app lock taken here is seen as taken there');
SELECT is((SELECT count(*)::int FROM tap_advisory WHERE objsubid NOT IN (25195, 25196)), 1,
    'the app lock is a distinct advisory lock, outside the extension''s spaces');
SELECT is((SELECT count(*)::int FROM tap_advisory WHERE objsubid = 1), 1,
    'and only the app lock is in the space of pg_advisory_lock(bigint)');

-- The lock lasts until the end of the transaction, not of the call:
-- another session's propose, returned but not committed, makes ours wait.
SELECT pg_temp.remote('BEGIN');
SELECT is(pg_temp.remote_outcome($$SELECT booking_propose('tap-lock-r', 'tap-lock-y', 'tap-lock-yv', '2031-09-03 10:00')::text$$),
    'ok=true', 'another session proposes for tap-lock-r and keeps its transaction open');
SET LOCAL lock_timeout = '300ms';
SELECT is(pg_temp.local_outcome($$SELECT booking_propose('tap-lock-r', 'tap-lock-z', 'tap-lock-zv', '2031-09-03 14:00')$$),
    'SQLSTATE 55P03', 'a propose here for tap-lock-r waits while that transaction is open');
SELECT pg_temp.remote('ROLLBACK');
SELECT is(pg_temp.local_outcome($$SELECT booking_propose('tap-lock-r', 'tap-lock-z', 'tap-lock-zv', '2031-09-03 14:00')$$),
    'ok=true', 'once it has ended, the propose goes through');

-- A confirm takes the same lock.
SELECT is(pg_temp.remote_outcome($$SELECT booking_propose('tap-lock-k', 'tap-lock-kcl', 'tap-lock-kcv', '2031-09-04 10:00')::text$$),
    'ok=true', 'another session commits a hold for tap-lock-k');
SELECT pg_temp.remote('BEGIN');
SELECT is(pg_temp.remote_outcome($$SELECT booking_confirm(token, 'tap-lock-kcl')::text FROM booking.pending_bookings WHERE consultant_id = 'tap-lock-k'$$),
    'ok=true', 'and confirms it, keeping its transaction open');
SELECT is(pg_temp.local_outcome($$SELECT booking_propose('tap-lock-k', 'tap-lock-z', 'tap-lock-zv2', '2031-09-04 14:00')$$),
    'SQLSTATE 55P03', 'a propose here for tap-lock-k waits for that confirm''s transaction');
SELECT pg_temp.remote('ROLLBACK');
SELECT is(pg_temp.local_outcome($$SELECT booking_propose('tap-lock-k', 'tap-lock-z', 'tap-lock-zv2', '2031-09-04 14:00')$$),
    'ok=true', 'once it has ended, the propose goes through');
RESET lock_timeout;

SELECT pg_temp.remote($$DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'tap-lock-%'$$);
SELECT dblink_disconnect('tap_other') = 'OK' AS disconnected;

SELECT * FROM finish();
ROLLBACK;
