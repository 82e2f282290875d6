-- Settings refused in a fresh session.  The contract makes an unknown zone
-- or a non-positive ttl or duration an ERROR (22023) whenever it is set,
-- and an app sets them first thing in a new connection, before it has
-- called any booking function.  Each check runs in a new backend, through
-- dblink, so that nothing this session did has loaded the library there.

-- The other backends must see the extension: create it outside the
-- transaction that is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;
RESET client_min_messages;
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS dblink;

SELECT plan(11);

\ir helpers.psql

CREATE FUNCTION pg_temp.close_all() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_disconnect(c) FROM unnest(dblink_get_connections()) AS c;
END
$$;

CREATE FUNCTION pg_temp.remote(name text, command text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM dblink_exec(name, command);
END
$$;

SELECT pg_temp.connect_backend('tap_probe');
SELECT diag('booking library loaded at backend start: ' ||
    (SELECT CASE WHEN n > 0 THEN 'yes' ELSE 'no' END
       FROM dblink('tap_probe', $$SELECT count(*) FROM pg_settings WHERE name = 'booking.hold_ttl'$$)
         AS t(n bigint)));

SELECT pg_temp.connect_backend('tap_tz');
SELECT pg_temp.raises($$SELECT dblink_exec('tap_tz', 'SET booking.timezone = ''Mars/Olympus_Mons''')$$,
    '22023', NULL, 'fresh session: SET booking.timezone to an unknown zone is 22023');
SELECT pg_temp.connect_backend('tap_ttl0');
SELECT pg_temp.raises($$SELECT dblink_exec('tap_ttl0', 'SET booking.hold_ttl = ''0''')$$,
    '22023', NULL, 'fresh session: SET booking.hold_ttl = ''0'' is 22023');
SELECT pg_temp.connect_backend('tap_ttlneg');
SELECT pg_temp.raises($$SELECT dblink_exec('tap_ttlneg', 'SET booking.hold_ttl = ''-1 min''')$$,
    '22023', NULL, 'fresh session: SET booking.hold_ttl = ''-1 min'' is 22023');
SELECT pg_temp.connect_backend('tap_dur');
SELECT pg_temp.raises($$SELECT dblink_exec('tap_dur', 'SET booking.default_duration = ''0''')$$,
    '22023', NULL, 'fresh session: SET booking.default_duration = ''0'' is 22023');
SELECT pg_temp.connect_backend('tap_adv');
SELECT pg_temp.raises($$SELECT dblink_exec('tap_adv', 'SET booking.max_advance = ''-1 day''')$$,
    '22023', NULL, 'fresh session: SET booking.max_advance = ''-1 day'' is 22023');

-- Accepted values set before the first call are the ones in force after it.
SELECT pg_temp.connect_backend('tap_ok');
SELECT pg_temp.remote('tap_ok', 'SET booking.max_advance = ''30 years''');
SELECT pg_temp.remote('tap_ok', 'SET booking.hold_ttl = ''90 seconds''');
SELECT pg_temp.remote('tap_ok', 'SET booking.default_duration = ''45 min''');
SELECT pg_temp.remote('tap_ok', 'SET booking.timezone = ''America/New_York''');
SELECT pg_temp.remote('tap_ok', 'BEGIN');
SELECT results_eq(
    $$SELECT * FROM dblink('tap_ok', $r$
        SELECT r->>'ok', r->>'timezone',
               ((r->>'expires_at')::timestamptz - date_trunc('second', now()))::text,
               ((r->>'end_at')::timestamptz - (r->>'start_at')::timestamptz)::text,
               r->>'start_at'
          FROM booking_propose('tap-set-c', 'tap-set-cl', 'tap-set-cv', '2031-07-01 09:00') AS r
        $r$) AS t(ok text, timezone text, ttl text, duration text, start_at text)$$,
    $$VALUES ('true', 'America/New_York', '00:01:30', '00:45:00', '2031-07-01T13:00:00Z')$$,
    'settings made before the first call are in force: ttl, duration and zone');
SELECT pg_temp.remote('tap_ok', 'ROLLBACK');
SELECT results_eq(
    $$SELECT * FROM dblink('tap_ok', 'SELECT current_setting(''booking.hold_ttl'')') AS t(v text)$$,
    $$VALUES ('90 seconds')$$,
    'the setting reads back as it was given');
SELECT pg_temp.raises($$SELECT dblink_exec('tap_ok', 'SET booking.hold_ttl = ''0''')$$,
    '22023', NULL, 'once a call has loaded the library, SET booking.hold_ttl = ''0'' is 22023');

-- Without the library loaded at backend start, a bad value set first waits
-- in a placeholder that PostgreSQL only warns about when the library loads:
-- the first call that reads the settings fails instead, and the default is
-- in force after it.
SELECT pg_temp.connect_backend('tap_late', '-c session_preload_libraries=');
SELECT results_eq(
    $$SELECT * FROM dblink('tap_late', 'SELECT count(*) FROM pg_settings WHERE name = ''booking.hold_ttl''') AS t(n bigint)$$,
    $$VALUES (0::bigint)$$,
    'a backend without session_preload_libraries has not loaded the library');
SELECT pg_temp.remote('tap_late', 'SET booking.max_advance = ''30 years''');
SELECT pg_temp.remote('tap_late', 'SET booking.hold_ttl = ''0''');
SELECT pg_temp.raises(
    $$SELECT * FROM dblink('tap_late', 'SELECT booking_propose(''tap-late-c'', ''tap-late-u'', ''tap-late-v'', ''2031-07-01 09:00'')') AS t(r jsonb)$$,
    '22023', NULL, 'a bad value set before the library was loaded fails the first call with 22023');
SELECT results_eq(
    $$SELECT * FROM dblink('tap_late', $r$
        SELECT r->>'status', ((r->>'expires_at')::timestamptz - date_trunc('second', now()))::text
          FROM booking_propose('tap-late-c', 'tap-late-u', 'tap-late-v', '2031-07-01 09:00') AS r
        $r$) AS t(status text, ttl text)$$,
    $$VALUES ('awaiting_confirm', '00:10:00')$$,
    'the next call runs with the default ttl, and the good value set beside it is in force');
SELECT pg_temp.remote('tap_late', 'DELETE FROM booking.pending_bookings WHERE consultant_id = ''tap-late-c''');

SELECT pg_temp.close_all();

SELECT * FROM finish();
ROLLBACK;
