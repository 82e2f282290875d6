-- The calendar tables of 1.1: columns, keys, indexes, registration with
-- pg_extension_config_dump, privileges, and the signatures of the new
-- functions, read from the catalogs.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;

SELECT plan(47);

-- booking.working_hours
SELECT has_table('booking', 'working_hours', 'booking.working_hours exists');
SELECT columns_are('booking', 'working_hours', ARRAY['consultant_id', 'timezone', 'hours', 'updated_at']);
SELECT col_type_is('booking', 'working_hours', 'consultant_id', 'text', 'working_hours.consultant_id is text');
SELECT col_type_is('booking', 'working_hours', 'timezone', 'text', 'working_hours.timezone is text');
SELECT col_type_is('booking', 'working_hours', 'hours', 'jsonb', 'working_hours.hours is jsonb');
SELECT col_type_is('booking', 'working_hours', 'updated_at', 'timestamp with time zone', 'working_hours.updated_at is timestamptz');
SELECT col_is_pk('booking', 'working_hours', 'consultant_id', 'one calendar per consultant');
SELECT col_not_null('booking', 'working_hours', 'timezone', 'working_hours.timezone is NOT NULL');
SELECT col_not_null('booking', 'working_hours', 'hours', 'working_hours.hours is NOT NULL');
SELECT throws_ok($$INSERT INTO booking.working_hours (consultant_id, timezone, hours) VALUES ('tap-x', 'UTC', '[]')$$,
                 '23514', NULL, 'hours must be an object');

-- booking.time_off
SELECT has_table('booking', 'time_off', 'booking.time_off exists');
SELECT columns_are('booking', 'time_off', ARRAY['time_off_id', 'consultant_id', 'start_at', 'end_at', 'reason', 'created_at']);
SELECT col_type_is('booking', 'time_off', 'time_off_id', 'bigint', 'time_off.time_off_id is bigint');
SELECT col_type_is('booking', 'time_off', 'consultant_id', 'text', 'time_off.consultant_id is text');
SELECT col_type_is('booking', 'time_off', 'start_at', 'timestamp with time zone', 'time_off.start_at is timestamptz');
SELECT col_type_is('booking', 'time_off', 'end_at', 'timestamp with time zone', 'time_off.end_at is timestamptz');
SELECT col_type_is('booking', 'time_off', 'reason', 'text', 'time_off.reason is text');
SELECT col_type_is('booking', 'time_off', 'created_at', 'timestamp with time zone', 'time_off.created_at is timestamptz');
SELECT col_is_pk('booking', 'time_off', 'time_off_id', 'time_off_id is the primary key');
SELECT is((SELECT attidentity FROM pg_attribute WHERE attrelid = 'booking.time_off'::regclass AND attname = 'time_off_id'),
          'd', 'time_off_id is an identity column (by default)');
SELECT col_not_null('booking', 'time_off', 'consultant_id', 'time_off.consultant_id is NOT NULL');
SELECT col_not_null('booking', 'time_off', 'start_at', 'time_off.start_at is NOT NULL');
SELECT col_not_null('booking', 'time_off', 'end_at', 'time_off.end_at is NOT NULL');
SELECT has_index('booking', 'time_off', 'time_off_consultant_period', 'time_off has its overlap index');
SELECT is((SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam
           WHERE c.oid = 'booking.time_off_consultant_period'::regclass),
          'gist'::name, 'the overlap index is GiST');
SELECT throws_ok($$INSERT INTO booking.time_off (consultant_id, start_at, end_at) VALUES ('tap-x', '2031-01-02', '2031-01-01')$$,
                 '23514', NULL, 'a time off ends after it starts');

-- both tables and the identity sequence are dumped with their rows
SELECT set_eq($$SELECT c.relname::text FROM pg_extension e, unnest(e.extconfig) AS x (reloid) JOIN pg_class c ON c.oid = x.reloid
              WHERE e.extname = 'booking'$$,
              ARRAY['pending_bookings', 'consultations', 'consultations_id_seq',
                    'working_hours', 'time_off', 'time_off_time_off_id_seq',
                    'pending_bookings_hold_order_seq'],
              'pg_extension_config_dump covers the calendar tables and the time off sequence');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'booking'
           WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
           AND d.objid IN ('booking.working_hours'::regclass, 'booking.time_off'::regclass)), 2,
          'the calendar tables belong to the extension');

-- nothing to PUBLIC on the tables
SELECT is(has_table_privilege('public', 'booking.working_hours', 'SELECT'), false, 'PUBLIC cannot read working_hours');
SELECT is(has_table_privilege('public', 'booking.time_off', 'SELECT'), false, 'PUBLIC cannot read time_off');

-- functions: signatures, return types, SECURITY DEFINER, VOLATILE, not for PUBLIC
SELECT has_function('booking_set_working_hours', ARRAY['text', 'jsonb', 'text']);
SELECT has_function('booking_clear_working_hours', ARRAY['text']);
SELECT has_function('booking_add_time_off', ARRAY['text', 'text', 'text', 'text', 'text']);
SELECT has_function('booking_remove_time_off', ARRAY['bigint']);
SELECT has_function('booking_free_slots', ARRAY['text[]', 'text', 'text', 'interval', 'interval', 'text', 'integer']);
SELECT function_returns('booking_set_working_hours', ARRAY['text', 'jsonb', 'text'], 'jsonb');
SELECT function_returns('booking_clear_working_hours', ARRAY['text'], 'boolean');
SELECT function_returns('booking_add_time_off', ARRAY['text', 'text', 'text', 'text', 'text'], 'jsonb');
SELECT function_returns('booking_remove_time_off', ARRAY['bigint'], 'boolean');
SELECT function_returns('booking_free_slots', ARRAY['text[]', 'text', 'text', 'interval', 'interval', 'text', 'integer'], 'jsonb');
SELECT is((SELECT pg_get_function_arguments('booking_free_slots(text[],text,text,interval,interval,text,integer)'::regprocedure)),
          'consultant_ids text[], from_time text, to_time text, duration interval DEFAULT NULL::interval, step interval DEFAULT NULL::interval, tz text DEFAULT NULL::text, max_slots integer DEFAULT 50',
          'booking_free_slots takes the contract''s arguments and defaults');
SELECT is((SELECT pg_get_function_arguments('booking_add_time_off(text,text,text,text,text)'::regprocedure)),
          'consultant_id text, from_time text, to_time text, tz text DEFAULT NULL::text, reason text DEFAULT NULL::text',
          'booking_add_time_off takes the contract''s arguments and defaults');
SELECT is((SELECT pg_get_function_arguments('booking_set_working_hours(text,jsonb,text)'::regprocedure)),
          'consultant_id text, hours jsonb, tz text DEFAULT NULL::text',
          'booking_set_working_hours takes the contract''s arguments and defaults');
SELECT is((SELECT bool_and(prosecdef) FROM pg_proc WHERE proname IN
           ('booking_set_working_hours', 'booking_clear_working_hours', 'booking_add_time_off',
            'booking_remove_time_off', 'booking_free_slots')), true, 'the calendar functions are SECURITY DEFINER');
SELECT is((SELECT bool_and(provolatile = 'v') FROM pg_proc WHERE proname IN
           ('booking_set_working_hours', 'booking_clear_working_hours', 'booking_add_time_off',
            'booking_remove_time_off', 'booking_free_slots')), true, 'the calendar functions are VOLATILE');
SELECT is((SELECT bool_or(has_function_privilege('public', p.oid, 'EXECUTE')) FROM pg_proc p WHERE proname IN
           ('booking_set_working_hours', 'booking_clear_working_hours', 'booking_add_time_off',
            'booking_remove_time_off', 'booking_free_slots')), false, 'PUBLIC cannot execute the calendar functions');
SELECT lives_ok($$SET TRANSACTION READ ONLY; SELECT booking_free_slots('{tap-x}', '2031-01-01', '2031-01-02')$$,
                'booking_free_slots runs in a READ ONLY transaction');

SELECT * FROM finish();
ROLLBACK;
