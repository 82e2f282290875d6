-- The tables, indexes and constraints of the contract, read from the
-- catalogs, and the slot walls tried with rows written straight into the
-- tables (as data written around the API would be).
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;

SELECT plan(86);

SELECT has_schema('booking');
SELECT tables_are('booking', ARRAY['pending_bookings', 'consultations', 'working_hours', 'time_off']);

-- booking.pending_bookings
SELECT columns_are('booking', 'pending_bookings', ARRAY[
    'token', 'consultant_id', 'client_id', 'conversation_id', 'start_at',
    'end_at', 'status', 'created_at', 'expires_at', 'resolved_at',
    'cancel_reason', 'consultation_id',
    'hold_order',
    -- 1.1: the life of a consultation
    'moves_consultation_id']);
SELECT col_type_is('booking', 'pending_bookings', 'token', 'text', 'pending_bookings.token is text');
SELECT col_type_is('booking', 'pending_bookings', 'consultant_id', 'text', 'pending_bookings.consultant_id is text');
SELECT col_type_is('booking', 'pending_bookings', 'client_id', 'text', 'pending_bookings.client_id is text');
SELECT col_type_is('booking', 'pending_bookings', 'conversation_id', 'text', 'pending_bookings.conversation_id is text');
SELECT col_type_is('booking', 'pending_bookings', 'start_at', 'timestamp with time zone', 'pending_bookings.start_at is timestamptz');
SELECT col_type_is('booking', 'pending_bookings', 'end_at', 'timestamp with time zone', 'pending_bookings.end_at is timestamptz');
SELECT col_type_is('booking', 'pending_bookings', 'status', 'text', 'pending_bookings.status is text');
SELECT col_type_is('booking', 'pending_bookings', 'created_at', 'timestamp with time zone', 'pending_bookings.created_at is timestamptz');
SELECT col_type_is('booking', 'pending_bookings', 'expires_at', 'timestamp with time zone', 'pending_bookings.expires_at is timestamptz');
SELECT col_type_is('booking', 'pending_bookings', 'resolved_at', 'timestamp with time zone', 'pending_bookings.resolved_at is timestamptz');
SELECT col_type_is('booking', 'pending_bookings', 'cancel_reason', 'text', 'pending_bookings.cancel_reason is text');
SELECT col_type_is('booking', 'pending_bookings', 'consultation_id', 'bigint', 'pending_bookings.consultation_id is bigint');

SELECT col_not_null('booking', 'pending_bookings', 'token', 'pending_bookings.token is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'consultant_id', 'pending_bookings.consultant_id is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'client_id', 'pending_bookings.client_id is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'conversation_id', 'pending_bookings.conversation_id is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'start_at', 'pending_bookings.start_at is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'end_at', 'pending_bookings.end_at is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'status', 'pending_bookings.status is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'created_at', 'pending_bookings.created_at is NOT NULL');
SELECT col_not_null('booking', 'pending_bookings', 'expires_at', 'pending_bookings.expires_at is NOT NULL');
SELECT col_is_null('booking', 'pending_bookings', 'resolved_at', 'pending_bookings.resolved_at is nullable');
SELECT col_is_null('booking', 'pending_bookings', 'cancel_reason', 'pending_bookings.cancel_reason is nullable');
SELECT col_is_null('booking', 'pending_bookings', 'consultation_id', 'pending_bookings.consultation_id is nullable');
-- 1.1: the order in which holds were made, for the fallback confirm
SELECT col_type_is('booking', 'pending_bookings', 'hold_order', 'bigint', 'pending_bookings.hold_order is bigint');
SELECT col_not_null('booking', 'pending_bookings', 'hold_order', 'pending_bookings.hold_order is NOT NULL');

SELECT has_pk('booking', 'pending_bookings', 'pending_bookings has a primary key');
SELECT col_is_pk('booking', 'pending_bookings', 'token', 'pending_bookings is keyed by token');

-- booking.consultations
SELECT columns_are('booking', 'consultations', ARRAY[
    'id', 'consultant_id', 'client_id', 'conversation_id', 'scheduled_at',
    'ends_at', 'status', 'token', 'created_at',
    -- 1.1: the life of a consultation
    'cancelled_at', 'cancel_reason', 'moved_from', 'moved_to']);
SELECT col_type_is('booking', 'consultations', 'id', 'bigint', 'consultations.id is bigint');
SELECT col_type_is('booking', 'consultations', 'consultant_id', 'text', 'consultations.consultant_id is text');
SELECT col_type_is('booking', 'consultations', 'client_id', 'text', 'consultations.client_id is text');
SELECT col_type_is('booking', 'consultations', 'conversation_id', 'text', 'consultations.conversation_id is text');
SELECT col_type_is('booking', 'consultations', 'scheduled_at', 'timestamp with time zone', 'consultations.scheduled_at is timestamptz');
SELECT col_type_is('booking', 'consultations', 'ends_at', 'timestamp with time zone', 'consultations.ends_at is timestamptz');
SELECT col_type_is('booking', 'consultations', 'status', 'text', 'consultations.status is text');
SELECT col_type_is('booking', 'consultations', 'token', 'text', 'consultations.token is text');
SELECT col_type_is('booking', 'consultations', 'created_at', 'timestamp with time zone', 'consultations.created_at is timestamptz');

SELECT col_not_null('booking', 'consultations', 'id', 'consultations.id is NOT NULL');
SELECT col_not_null('booking', 'consultations', 'consultant_id', 'consultations.consultant_id is NOT NULL');
SELECT col_not_null('booking', 'consultations', 'client_id', 'consultations.client_id is NOT NULL');
SELECT col_is_null('booking', 'consultations', 'conversation_id', 'consultations.conversation_id is nullable');
SELECT col_not_null('booking', 'consultations', 'scheduled_at', 'consultations.scheduled_at is NOT NULL');
SELECT col_not_null('booking', 'consultations', 'ends_at', 'consultations.ends_at is NOT NULL');
SELECT col_not_null('booking', 'consultations', 'status', 'consultations.status is NOT NULL');
SELECT col_is_null('booking', 'consultations', 'token', 'consultations.token is nullable');
SELECT col_not_null('booking', 'consultations', 'created_at', 'consultations.created_at is NOT NULL');

SELECT has_pk('booking', 'consultations', 'consultations has a primary key');
SELECT col_is_pk('booking', 'consultations', 'id', 'consultations is keyed by id');
SELECT isnt(
    (SELECT attidentity FROM pg_catalog.pg_attribute
      WHERE attrelid = 'booking.consultations'::regclass AND attname = 'id'),
    '',
    'consultations.id is an identity column');
SELECT isnt(pg_catalog.pg_get_serial_sequence('booking.consultations', 'id'), NULL,
    'consultations.id has its own sequence');
SELECT col_is_unique('booking', 'consultations', 'token', 'consultations.token is UNIQUE');

-- Indexes and constraints are found by what they do, not by name: the
-- contract names none of them.
CREATE TEMP VIEW tap_indexes AS
SELECT i.indexrelid,
       i.indrelid,
       i.indisunique,
       i.indisvalid,
       am.amname,
       (SELECT pg_catalog.array_agg(pg_catalog.pg_get_indexdef(i.indexrelid, k.n::int, true) ORDER BY k.n)
          FROM pg_catalog.generate_series(1, i.indnkeyatts) AS k(n)) AS keys,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
  JOIN pg_catalog.pg_am am ON am.oid = c.relam;

CREATE TEMP VIEW tap_exclusions AS
SELECT x.conrelid,
       x.condeferrable,
       t.amname,
       t.keys,
       t.predicate,
       (SELECT pg_catalog.array_agg(o.oprname::text ORDER BY u.n)
          FROM pg_catalog.unnest(x.conexclop) WITH ORDINALITY AS u(op, n)
          JOIN pg_catalog.pg_operator o ON o.oid = u.op) AS operators
  FROM pg_catalog.pg_constraint x
  JOIN tap_indexes t ON t.indexrelid = x.conindid
 WHERE x.contype = 'x';

SELECT ok(EXISTS (
    SELECT 1 FROM tap_indexes
     WHERE indrelid = 'booking.pending_bookings'::regclass
       AND indisunique AND indisvalid
       AND keys = ARRAY['consultant_id', 'start_at']
       AND predicate = 'status = ''awaiting_confirm''::text'),
    'pending_bookings: UNIQUE (consultant_id, start_at) WHERE status = ''awaiting_confirm''');

SELECT ok(EXISTS (
    SELECT 1 FROM tap_exclusions
     WHERE conrelid = 'booking.pending_bookings'::regclass
       AND NOT condeferrable
       AND amname = 'gist'
       AND keys[1] = 'consultant_id'
       AND keys[2] ~ '^tstzrange\(start_at, end_at(, ''\[\)''::text)?\)$'
       AND operators = ARRAY['=', '&&']
       AND predicate = 'status = ''awaiting_confirm''::text'),
    'pending_bookings: EXCLUDE USING gist (consultant_id WITH =, [start_at, end_at) WITH &&) WHERE awaiting_confirm');

SELECT ok(EXISTS (
    SELECT 1 FROM tap_indexes
     WHERE indrelid = 'booking.pending_bookings'::regclass
       AND indisvalid
       AND keys[1] = 'conversation_id'),
    'pending_bookings: an index leads with conversation_id, for look-ups by conversation');

SELECT ok(EXISTS (
    SELECT 1 FROM tap_indexes
     WHERE indrelid = 'booking.consultations'::regclass
       AND indisunique AND indisvalid
       AND keys = ARRAY['consultant_id', 'scheduled_at']
       AND predicate = 'status = ''booked''::text'),
    'consultations: UNIQUE (consultant_id, scheduled_at) WHERE status = ''booked''');

SELECT ok(EXISTS (
    SELECT 1 FROM tap_exclusions
     WHERE conrelid = 'booking.consultations'::regclass
       AND NOT condeferrable
       AND amname = 'gist'
       AND keys[1] = 'consultant_id'
       AND keys[2] ~ '^tstzrange\(scheduled_at, ends_at(, ''\[\)''::text)?\)$'
       AND operators = ARRAY['=', '&&']
       AND predicate = 'status = ''booked''::text'),
    'consultations: EXCLUDE USING gist (consultant_id WITH =, [scheduled_at, ends_at) WITH &&) WHERE booked');

-- The walls at work.  Rows are written as data written around the API
-- would be; the whole file is rolled back.
TRUNCATE booking.pending_bookings, booking.consultations;

CREATE FUNCTION pg_temp.hold(tok text, consultant text, s text, e text, st text DEFAULT 'awaiting_confirm')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO booking.pending_bookings
        (token, consultant_id, client_id, conversation_id, start_at, end_at,
         status, created_at, expires_at)
    VALUES (tok, consultant, 'tap-client', 'tap-conv-' || tok, s::timestamptz, e::timestamptz,
            st, now(), now() + interval '10 min')
$$;
CREATE FUNCTION pg_temp.consult(tok text, consultant text, s text, e text, st text DEFAULT 'booked')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO booking.consultations
        (consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, token)
    VALUES (consultant, 'tap-client', 'tap-conv', s::timestamptz, e::timestamptz, st, tok)
$$;

SELECT lives_ok($$SELECT pg_temp.hold('h1', 'tap-c1', '2031-01-06 10:00Z', '2031-01-06 11:00Z')$$,
    'a hold on a free slot is written');
SELECT throws_ok($$SELECT pg_temp.hold('h2', 'tap-c1', '2031-01-06 10:30Z', '2031-01-06 11:30Z')$$,
    '23P01', NULL,
    'an awaiting hold that overlaps another of the same consultant is refused (exclusion, 23P01)');
SELECT throws_ok($$SELECT pg_temp.hold('h3', 'tap-c1', '2031-01-06 09:00Z', '2031-01-06 12:00Z')$$,
    '23P01', NULL,
    'an awaiting hold that encloses another of the same consultant is refused');
SELECT throws_ok($$SELECT pg_temp.hold('h1', 'tap-c9', '2032-01-06 10:00Z', '2032-01-06 11:00Z')$$,
    '23505', NULL,
    'a second hold with the same token is refused (primary key)');
SELECT lives_ok($$SELECT pg_temp.hold('h4', 'tap-c1', '2031-01-06 11:00Z', '2031-01-06 12:00Z')$$,
    'an adjacent hold is accepted: slots are half-open [start_at, end_at)');
SELECT lives_ok($$SELECT pg_temp.hold('h5', 'tap-c2', '2031-01-06 10:00Z', '2031-01-06 11:00Z')$$,
    'the same slot of another consultant is accepted');
SELECT lives_ok($$SELECT pg_temp.hold('h6', 'tap-c1', '2031-01-06 10:00Z', '2031-01-06 11:00Z', 'cancelled')$$,
    'a cancelled hold does not count against the wall');
SELECT lives_ok($$SELECT pg_temp.hold('h7', 'tap-c1', '2031-01-06 10:00Z', '2031-01-06 11:00Z', 'expired')$$,
    'an expired hold does not count against the wall');
SELECT lives_ok($$SELECT pg_temp.hold('h8', 'tap-c1', '2031-01-06 10:00Z', '2031-01-06 11:00Z', 'confirmed')$$,
    'a confirmed hold does not count against the wall');
SELECT is((SELECT count(*)::int FROM booking.pending_bookings), 6,
    'the refused rows were not written');

SELECT lives_ok($$SELECT pg_temp.consult('k1', 'tap-c1', '2031-01-06 10:00Z', '2031-01-06 11:00Z')$$,
    'a consultation on a free slot is written');
SELECT throws_ok($$SELECT pg_temp.consult('k2', 'tap-c1', '2031-01-06 10:59Z', '2031-01-06 11:59Z')$$,
    '23P01', NULL,
    'a booked consultation that overlaps another of the same consultant is refused (exclusion, 23P01)');
SELECT throws_ok($$SELECT pg_temp.consult('k1', 'tap-c9', '2032-01-06 10:00Z', '2032-01-06 11:00Z')$$,
    '23505', NULL,
    'a second consultation from the same token is refused (token UNIQUE)');
SELECT lives_ok($$SELECT pg_temp.consult(NULL, 'tap-c9', '2032-01-06 10:00Z', '2032-01-06 11:00Z')$$,
    'a consultation without a token is written');
SELECT lives_ok($$SELECT pg_temp.consult(NULL, 'tap-c9', '2032-01-07 10:00Z', '2032-01-07 11:00Z')$$,
    'several consultations without a token are written');
SELECT lives_ok($$SELECT pg_temp.consult('k3', 'tap-c1', '2031-01-06 11:00Z', '2031-01-06 12:00Z')$$,
    'an adjacent consultation is accepted');
SELECT lives_ok($$SELECT pg_temp.consult('k4', 'tap-c2', '2031-01-06 10:00Z', '2031-01-06 11:00Z')$$,
    'the same slot of another consultant is accepted');
SELECT lives_ok($$SELECT pg_temp.consult('k5', 'tap-c1', '2031-01-06 10:00Z', '2031-01-06 11:00Z', 'cancelled')$$,
    'a cancelled consultation does not count against the wall');
SELECT is((SELECT count(DISTINCT id)::int FROM booking.consultations), 6,
    'consultations are numbered by their identity, one number a row');
SELECT is((SELECT count(*)::int FROM booking.consultations), 6,
    'the refused consultations were not written');

-- pg_dump keeps the rows of both tables and the identity's position.
SELECT set_eq(
    $$SELECT c::regclass::text FROM pg_catalog.pg_extension e, pg_catalog.unnest(e.extconfig) AS c
       WHERE e.extname = 'booking'$$,
    ARRAY['booking.pending_bookings', 'booking.consultations',
          pg_catalog.pg_get_serial_sequence('booking.consultations', 'id')::regclass::text,
          'booking.pending_bookings_hold_order_seq',
          'booking.working_hours', 'booking.time_off',
          pg_catalog.pg_get_serial_sequence('booking.time_off', 'time_off_id')::regclass::text],
    'pg_extension_config_dump registers the tables, the identity sequences and the holds'' order');
SELECT is(
    (SELECT pg_catalog.array_length(extconfig, 1) FROM pg_catalog.pg_extension WHERE extname = 'booking'),
    7, 'nothing else is registered for dumping');
SELECT is(
    (SELECT pg_catalog.bool_and(cond = '') FROM pg_catalog.pg_extension e, pg_catalog.unnest(e.extcondition) AS cond
      WHERE e.extname = 'booking'),
    true, 'every row of the registered tables is dumped (no filter)');

-- The extension as the contract describes it.
SELECT is((SELECT extrelocatable FROM pg_catalog.pg_extension WHERE extname = 'booking'), false,
    'booking is not relocatable');
SELECT ok(EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_extension b ON b.oid = d.objid AND b.extname = 'booking'
      JOIN pg_catalog.pg_extension g ON g.oid = d.refobjid AND g.extname = 'btree_gist'
     WHERE d.classid = 'pg_catalog.pg_extension'::regclass
       AND d.refclassid = 'pg_catalog.pg_extension'::regclass),
    'booking requires btree_gist');
SELECT ok(EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_extension b ON b.oid = d.refobjid AND b.extname = 'booking'
     WHERE d.classid = 'pg_catalog.pg_namespace'::regclass
       AND d.objid = 'booking'::regnamespace
       AND d.deptype = 'e'),
    'schema booking belongs to the extension');

SELECT * FROM finish();
ROLLBACK;
