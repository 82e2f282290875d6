-- The life of a booked consultation in the schema and the API: the new
-- columns and their checks, the walls, the three functions with their exact
-- signatures, SECURITY DEFINER, nothing granted to PUBLIC, and the
-- SQLSTATEs of bad arguments.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;

SELECT plan(50);

\ir helpers.psql

-- columns
SELECT has_column('booking', 'consultations', c, 'consultations.' || c || ' exists')
  FROM unnest(ARRAY['cancelled_at', 'cancel_reason', 'moved_from', 'moved_to']) AS c ORDER BY c;
SELECT col_type_is('booking', 'consultations', 'cancelled_at', 'timestamp with time zone', 'cancelled_at is timestamptz');
SELECT col_type_is('booking', 'consultations', 'cancel_reason', 'text', 'cancel_reason is text');
SELECT col_type_is('booking', 'consultations', 'moved_from', 'bigint', 'moved_from is bigint');
SELECT col_type_is('booking', 'consultations', 'moved_to', 'bigint', 'moved_to is bigint');
SELECT col_is_null('booking', 'consultations', c, 'consultations.' || c || ' is nullable')
  FROM unnest(ARRAY['cancelled_at', 'cancel_reason', 'moved_from', 'moved_to']) AS c ORDER BY c;
SELECT has_column('booking', 'pending_bookings', 'moves_consultation_id', 'pending_bookings.moves_consultation_id exists');
SELECT col_type_is('booking', 'pending_bookings', 'moves_consultation_id', 'bigint', 'moves_consultation_id is bigint');

-- the checks accept exactly the contract's values
INSERT INTO booking.consultations (id, consultant_id, client_id, scheduled_at, ends_at)
VALUES (-100, 'tap-c', 'tap-u', '2031-01-01 10:00Z', '2031-01-01 11:00Z');
SELECT lives_ok($$UPDATE booking.consultations SET status = 'cancelled', cancel_reason = 'client' WHERE id = -100$$,
    'a consultation may be cancelled by its client');
SELECT lives_ok($$UPDATE booking.consultations SET cancel_reason = 'rescheduled', moved_to = -101 WHERE id = -100$$,
    'or rescheduled, with moved_to');
SELECT throws_ok($$UPDATE booking.consultations SET cancel_reason = 'superseded', moved_to = NULL WHERE id = -100$$,
    '23514', NULL, 'no other cancel_reason');
SELECT throws_ok($$UPDATE booking.consultations SET cancel_reason = 'client', moved_to = -101 WHERE id = -100$$,
    '23514', NULL, 'moved_to only on a rescheduled consultation');
SELECT throws_ok($$UPDATE booking.consultations SET cancel_reason = 'rescheduled', moved_to = NULL WHERE id = -100$$,
    '23514', NULL, 'a rescheduled consultation says where it moved');
INSERT INTO booking.pending_bookings (token, consultant_id, client_id, conversation_id, start_at, end_at, expires_at)
VALUES ('tap-token', 'tap-c', 'tap-u', 'tap-v', '2031-01-01 10:00Z', '2031-01-01 11:00Z', '2031-01-01 00:00Z');
SELECT lives_ok(format($$UPDATE booking.pending_bookings SET status = 'cancelled', cancel_reason = %L WHERE token = 'tap-token'$$, r),
    'a hold may be cancelled with reason ' || r)
  FROM unnest(ARRAY['client', 'superseded', 'slot_taken', 'consultation_cancelled', 'too_late']) AS r;
SELECT throws_ok($$UPDATE booking.pending_bookings SET cancel_reason = 'rescheduled' WHERE token = 'tap-token'$$,
    '23514', NULL, 'a hold has no reason rescheduled');

-- the walls: a consultation is moved at most once
SELECT has_index('booking', 'consultations', 'consultations_moved_from', 'index consultations_moved_from');
SELECT index_is_unique('booking', 'consultations', 'consultations_moved_from', 'consultations_moved_from is unique');
INSERT INTO booking.consultations (id, consultant_id, client_id, scheduled_at, ends_at, moved_from)
VALUES (-101, 'tap-c', 'tap-u', '2031-01-02 10:00Z', '2031-01-02 11:00Z', -100);
SELECT throws_ok($$INSERT INTO booking.consultations (id, consultant_id, client_id, scheduled_at, ends_at, moved_from)
                   VALUES (-102, 'tap-c', 'tap-u', '2031-01-03 10:00Z', '2031-01-03 11:00Z', -100)$$,
    '23505', NULL, 'no consultation is moved twice');
SELECT has_index('booking', 'pending_bookings', 'pending_bookings_active_move', 'index pending_bookings_active_move');

-- the functions
CREATE TEMP TABLE tap_life (name text, args text[], arguments text);
INSERT INTO tap_life VALUES
 ('booking_consultations', '{text,text}', 'client_id text, conversation_id text DEFAULT NULL::text'),
 ('booking_cancel_consultation', '{bigint,text}', 'consultation_id bigint, client_id text'),
 ('booking_propose_move', '{bigint,text,text,text,interval,interval,text}',
  'consultation_id bigint, client_id text, conversation_id text, start_time text, duration interval DEFAULT NULL::interval, ttl interval DEFAULT NULL::interval, tz text DEFAULT NULL::text');
SELECT is(pg_catalog.pg_get_function_arguments(pg_catalog.to_regprocedure(name || '(' || array_to_string(args, ',') || ')')),
          arguments, name || ': argument names and defaults')
  FROM tap_life ORDER BY name;
SELECT function_returns(name, args, 'jsonb', name || ' returns jsonb') FROM tap_life ORDER BY name;
SELECT volatility_is(name, args, 'volatile', name || ' is volatile') FROM tap_life ORDER BY name;
SELECT is_definer(name, args, name || ' is SECURITY DEFINER') FROM tap_life ORDER BY name;
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_proc p,
                  pg_catalog.aclexplode(coalesce(p.proacl, pg_catalog.acldefault('f', p.proowner))) AS a
            WHERE p.oid = pg_catalog.to_regprocedure(name || '(' || array_to_string(args, ',') || ')')
              AND a.grantee = 0),
          0, name || ': nothing granted to PUBLIC')
  FROM tap_life ORDER BY name;

-- bad arguments
SELECT pg_temp.raises($$SELECT booking_consultations(NULL)$$, '22004', 'client_id', 'consultations: NULL client_id is 22004');
SELECT pg_temp.raises($$SELECT booking_consultations('u', '')$$, '22023', 'conversation_id', 'consultations: empty conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_cancel_consultation(NULL, 'u')$$, '22004', 'consultation_id', 'cancel_consultation: NULL consultation_id is 22004');
SELECT pg_temp.raises($$SELECT booking_cancel_consultation(1, NULL)$$, '22004', 'client_id', 'cancel_consultation: NULL client_id is 22004');
SELECT pg_temp.raises($$SELECT booking_propose_move(NULL, 'u', 'v', '2031-05-06 10:00')$$, '22004', 'consultation_id', 'propose_move: NULL consultation_id is 22004');
SELECT pg_temp.raises($$SELECT booking_propose_move(1, 'u', 'v', '2031-05-06 10:00', '0s')$$, '22023', 'duration', 'propose_move: a zero duration is 22023');

SELECT * FROM finish();
ROLLBACK;
