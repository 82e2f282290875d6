-- Bad arguments are the caller's programming errors: each raises the
-- SQLSTATE of the contract (22004 for a NULL where a value is required,
-- naming the argument; 22023 for an empty id, an id over 255 bytes, a
-- non-positive duration or ttl, an unknown zone), before anything is read
-- or written.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;

SELECT plan(78);

SET LOCAL booking.max_advance = '30 years';

\ir helpers.psql

CREATE TEMP TABLE tap_ids AS
SELECT repeat('x', 255) AS longest, repeat('x', 256) AS too_long,
       repeat('é', 127) AS longest_wide, repeat('é', 128) AS too_long_wide;

-- booking_propose
SELECT pg_temp.raises($$SELECT booking_propose(NULL, 'cl', 'cv', '2031-05-06 10:00')$$,
    '22004', 'consultant_id', 'propose: NULL consultant_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_propose('c', NULL, 'cv', '2031-05-06 10:00')$$,
    '22004', 'client_id', 'propose: NULL client_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', NULL, '2031-05-06 10:00')$$,
    '22004', 'conversation_id', 'propose: NULL conversation_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', NULL)$$,
    '22004', 'start_time', 'propose: NULL start_time is 22004, named');
SELECT pg_temp.raises($$SELECT booking_propose('', 'cl', 'cv', '2031-05-06 10:00')$$,
    '22023', NULL, 'propose: empty consultant_id is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', '', 'cv', '2031-05-06 10:00')$$,
    '22023', NULL, 'propose: empty client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', '', '2031-05-06 10:00')$$,
    '22023', NULL, 'propose: empty conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_propose(too_long, 'cl', 'cv', '2031-05-06 10:00') FROM tap_ids$$,
    '22023', NULL, 'propose: a 256-byte consultant_id is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', too_long, 'cv', '2031-05-06 10:00') FROM tap_ids$$,
    '22023', NULL, 'propose: a 256-byte client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', too_long, '2031-05-06 10:00') FROM tap_ids$$,
    '22023', NULL, 'propose: a 256-byte conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_propose(too_long_wide, 'cl', 'cv', '2031-05-06 10:00') FROM tap_ids$$,
    '22023', NULL, 'propose: 128 two-byte characters (256 bytes) are too long: the limit is in bytes');
SELECT is(
    (SELECT booking_propose(longest, longest, longest, '2031-05-06 10:00')->>'ok' FROM tap_ids),
    'true', 'propose: ids of exactly 255 bytes are accepted');
SELECT is(
    (SELECT booking_propose(longest_wide, 'tap-cl', 'tap-cv-wide', '2031-05-06 12:00')->>'ok' FROM tap_ids),
    'true', 'propose: 127 two-byte characters (254 bytes) are accepted');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', duration => '0')$$,
    '22023', NULL, 'propose: a zero duration is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', duration => '-1 min')$$,
    '22023', NULL, 'propose: a negative duration is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', duration => '1 hour -60 min')$$,
    '22023', NULL, 'propose: a duration whose parts add up to zero is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', ttl => '0')$$,
    '22023', NULL, 'propose: a zero ttl is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', ttl => '-1 min')$$,
    '22023', NULL, 'propose: a negative ttl is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', tz => 'Mars/Olympus_Mons')$$,
    '22023', NULL, 'propose: an unknown tz is 22023');
SELECT pg_temp.raises($$SELECT booking_propose('c', 'cl', 'cv', '2031-05-06 10:00', tz => '')$$,
    '22023', NULL, 'propose: an empty tz is 22023');
-- A malformed start_time is the end user's doing: an outcome, not an error.
SELECT is(booking_propose('c', 'cl', 'cv', 'tomorrow')->>'error', 'INVALID_TIME',
    'propose: a malformed start_time is the outcome INVALID_TIME, not an error');
SELECT is(booking_propose('tap-c', 'tap-cl', 'tap-cv', '2031-05-06 10:00', NULL, NULL, NULL)->>'ok', 'true',
    'propose: NULL duration, ttl and tz take the defaults');
SELECT is(
    booking_propose('tap-c', 'tap-cl', 'tap-cv2', '2032-05-06 10:00',
                    duration => '30 min', ttl => '5 min', tz => 'America/New_York')->>'ok',
    'true', 'propose: positive duration and ttl and a known tz are accepted');

-- booking_confirm
SELECT pg_temp.raises($$SELECT booking_confirm(NULL, 'cl')$$,
    '22004', 'token', 'confirm: NULL token is 22004, named');
SELECT pg_temp.raises($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', NULL)$$,
    '22004', 'client_id', 'confirm: NULL client_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', '')$$,
    '22023', NULL, 'confirm: empty client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', too_long) FROM tap_ids$$,
    '22023', NULL, 'confirm: a 256-byte client_id is 22023');
SELECT is(booking_confirm('', 'cl')->>'error', 'NOT_FOUND',
    'confirm: an empty token names no hold: NOT_FOUND, not an error');

-- booking_confirm_latest
SELECT pg_temp.raises($$SELECT booking_confirm_latest(NULL, 'cl')$$,
    '22004', 'conversation_id', 'confirm_latest: NULL conversation_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_confirm_latest('cv', NULL)$$,
    '22004', 'client_id', 'confirm_latest: NULL client_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_confirm_latest('', 'cl')$$,
    '22023', NULL, 'confirm_latest: empty conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_confirm_latest('cv', '')$$,
    '22023', NULL, 'confirm_latest: empty client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_confirm_latest('cv', 'cl', '')$$,
    '22023', NULL, 'confirm_latest: empty consultant_id is 22023');
SELECT pg_temp.raises($$SELECT booking_confirm_latest(too_long, 'cl') FROM tap_ids$$,
    '22023', NULL, 'confirm_latest: a 256-byte conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_confirm_latest('cv', too_long) FROM tap_ids$$,
    '22023', NULL, 'confirm_latest: a 256-byte client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_confirm_latest('cv', 'cl', too_long) FROM tap_ids$$,
    '22023', NULL, 'confirm_latest: a 256-byte consultant_id is 22023');
SELECT is(booking_confirm_latest('tap-no-such-cv', 'cl', NULL)->>'error', 'NOT_FOUND',
    'confirm_latest: a NULL consultant_id is optional');

-- booking_cancel
SELECT pg_temp.raises($$SELECT booking_cancel(NULL, 'cl')$$,
    '22004', 'token', 'cancel: NULL token is 22004, named');
SELECT pg_temp.raises($$SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', NULL)$$,
    '22004', 'client_id', 'cancel: NULL client_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', '')$$,
    '22023', NULL, 'cancel: empty client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', too_long) FROM tap_ids$$,
    '22023', NULL, 'cancel: a 256-byte client_id is 22023');
SELECT is(booking_cancel('', 'cl')->>'error', 'NOT_FOUND',
    'cancel: an empty token names no hold: NOT_FOUND, not an error');

-- booking_pending_state
SELECT pg_temp.raises($$SELECT booking_pending_state(NULL, 'cl')$$,
    '22004', 'conversation_id', 'pending_state: NULL conversation_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_pending_state('cv', NULL)$$,
    '22004', 'client_id', 'pending_state: NULL client_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_pending_state('', 'cl')$$,
    '22023', NULL, 'pending_state: empty conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_pending_state('cv', '')$$,
    '22023', NULL, 'pending_state: empty client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_pending_state(too_long, 'cl') FROM tap_ids$$,
    '22023', NULL, 'pending_state: a 256-byte conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_pending_state('cv', too_long) FROM tap_ids$$,
    '22023', NULL, 'pending_state: a 256-byte client_id is 22023');

-- booking_classifier_context
SELECT pg_temp.raises($$SELECT booking_classifier_context(NULL, 'cl')$$,
    '22004', 'conversation_id', 'classifier_context: NULL conversation_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_classifier_context('cv', NULL)$$,
    '22004', 'client_id', 'classifier_context: NULL client_id is 22004, named');
SELECT pg_temp.raises($$SELECT booking_classifier_context('', 'cl')$$,
    '22023', NULL, 'classifier_context: empty conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_classifier_context('cv', '')$$,
    '22023', NULL, 'classifier_context: empty client_id is 22023');
SELECT pg_temp.raises($$SELECT booking_classifier_context(too_long, 'cl') FROM tap_ids$$,
    '22023', NULL, 'classifier_context: a 256-byte conversation_id is 22023');
SELECT pg_temp.raises($$SELECT booking_classifier_context('cv', too_long) FROM tap_ids$$,
    '22023', NULL, 'classifier_context: a 256-byte client_id is 22023');

-- booking_expire_holds
SELECT pg_temp.raises($$SELECT booking_expire_holds(NULL)$$,
    '22004', 'batch_size', 'expire_holds: NULL batch_size is 22004, named');
SELECT pg_temp.raises($$SELECT booking_expire_holds(0)$$,
    '22023', NULL, 'expire_holds: a zero batch_size is 22023');
SELECT pg_temp.raises($$SELECT booking_expire_holds(-1)$$,
    '22023', NULL, 'expire_holds: a negative batch_size is 22023');

-- booking_schedule_expiry: the argument is checked whether pg_cron is
-- there or not
SELECT pg_temp.raises($$SELECT booking_schedule_expiry(NULL)$$,
    '22004', 'schedule', 'schedule_expiry: NULL schedule is 22004, named');

-- booking_token_route: NULL and malformed tokens route nowhere
SELECT is(booking_token_route(NULL), NULL, 'token_route: NULL gives NULL');
SELECT is(booking_token_route(''), NULL, 'token_route: an empty token gives NULL');
SELECT is(booking_token_route('bk_tooShort'), NULL, 'token_route: a short token gives NULL');
SELECT is(booking_token_route('xx_AAAAAAAAAAAAAAAAAAAAAA'), NULL, 'token_route: a wrong prefix gives NULL');
SELECT is(booking_token_route('bk_AAAAAAAAAAAAAAAAAAAA*A'), NULL, 'token_route: a character outside base64url gives NULL');
SELECT is(booking_token_route('bk_AAAAAAAAAAAAAAAAAAAAAAA'), NULL, 'token_route: a token one character too long gives NULL');

-- Settings, in a session where the library is loaded (the calls above
-- loaded it).  A fresh session is tried in 04_settings.sql.
CREATE TEMP TABLE tap_before AS SELECT current_setting('booking.hold_ttl') AS hold_ttl;
SELECT pg_temp.raises($$SET booking.timezone = 'Mars/Olympus_Mons'$$,
    '22023', NULL, 'SET booking.timezone to an unknown zone is 22023');
SELECT pg_temp.raises($$SET booking.timezone = ''$$,
    '22023', NULL, 'SET booking.timezone to an empty string is 22023');
SELECT pg_temp.raises($$SET booking.hold_ttl = '0'$$,
    '22023', NULL, 'SET booking.hold_ttl = ''0'' is 22023');
SELECT pg_temp.raises($$SET booking.hold_ttl = '-1 min'$$,
    '22023', NULL, 'SET booking.hold_ttl = ''-1 min'' is 22023');
SELECT pg_temp.raises($$SET booking.hold_ttl = 'ten minutes'$$,
    '22023', NULL, 'SET booking.hold_ttl to something that is no interval is 22023');
SELECT pg_temp.raises($$SELECT set_config('booking.hold_ttl', '0', true)$$,
    '22023', NULL, 'set_config(''booking.hold_ttl'', ''0'') is 22023');
SELECT pg_temp.raises($$SET booking.default_duration = '0'$$,
    '22023', NULL, 'SET booking.default_duration = ''0'' is 22023');
SELECT pg_temp.raises($$SET booking.default_duration = '-30 min'$$,
    '22023', NULL, 'SET booking.default_duration = ''-30 min'' is 22023');
SELECT pg_temp.raises($$SET booking.max_advance = '0'$$,
    '22023', NULL, 'SET booking.max_advance = ''0'' is 22023');
SELECT pg_temp.raises($$SET booking.max_advance = '-1 day'$$,
    '22023', NULL, 'SET booking.max_advance = ''-1 day'' is 22023');
SELECT is(current_setting('booking.hold_ttl'), (SELECT hold_ttl FROM tap_before),
    'a refused booking.hold_ttl leaves the setting as it was');
SELECT is(current_setting('booking.max_advance'), '30 years',
    'a refused booking.max_advance leaves the setting as it was');
SELECT lives_ok($$SET LOCAL booking.timezone = 'America/New_York'$$,
    'SET booking.timezone to a known zone is accepted');
SELECT lives_ok($$SET LOCAL booking.hold_ttl = '90 seconds'$$,
    'SET booking.hold_ttl to a positive interval is accepted');

SELECT * FROM finish();
ROLLBACK;
