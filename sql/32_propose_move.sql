-- booking_propose_move: a hold on a new slot for the consultation's
-- consultant; NOT_FOUND, NOT_PENDING and TOO_LATE before anything else; then
-- every rule of propose, except that the consultation does not block its own
-- new slot; reuse only by a move of the same consultation.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg32-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg32-%';

-- 2033-06-10 10:00-11:00 Rome (08:00Z-09:00Z), 90 minutes long
SELECT regress.book('rg32-c1', 'rg32-u1', 'rg32-v1', '2033-06-10 10:00', '90min') AS c1 \gset

-- the whole shape; the duration defaults to the consultation's length, the
-- consultant is the consultation's
CREATE TEMP TABLE moved AS
SELECT booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-11 14:00') AS r;
SELECT regress.lc_masked(r) FROM moved;
SELECT array_agg(k ORDER BY k) AS keys FROM moved, jsonb_object_keys(r) AS k;
SELECT (r->>'moves_consultation_id')::bigint = :c1 AS moves_c1 FROM moved;
SELECT b.consultant_id, b.client_id, b.conversation_id, b.status, b.end_at - b.start_at AS length,
       b.moves_consultation_id = :c1 AS stored
FROM moved m JOIN booking.pending_bookings b ON b.token = m.r->>'token';
-- the consultation is untouched by a proposal
SELECT status, scheduled_at FROM booking.consultations WHERE id = :c1;

-- pending state and classifier context show it as a move; the first line
-- of the context is unchanged
SELECT regress.lc_masked(booking_pending_state('rg32-v1', 'rg32-u1') - 'expires_in_seconds') AS state;
SELECT (booking_pending_state('rg32-v1', 'rg32-u1')->>'moves_consultation_id')::bigint = :c1 AS state_moves_c1;
SELECT split_part(ctx, E'\n', 1) AS first_line,
       regexp_replace(regexp_replace(regexp_replace(split_part(ctx, E'\n', 2),
           'bk_[A-Za-z0-9_-]{22}', '<token>'), 'consultation \d+', 'consultation <id>'),
           'expires at \S+, in \d+ seconds', 'expires at <utc>, in <n> seconds') AS second_line,
       split_part(ctx, E'\n', 2) LIKE '%consultation ' || :c1 || ' %' AS names_c1
FROM booking_classifier_context('rg32-v1', 'rg32-u1') AS ctx;

-- reuse: the same move of the same slot returns the same hold, unchanged
SELECT r->>'reused' AS reused, r->>'token' = (SELECT m.r->>'token' FROM moved m) AS same_token,
       r->>'expires_at' = (SELECT m.r->>'expires_at' FROM moved m) AS same_expiry
FROM booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-11 14:00') AS r;

-- a plain propose of the same slot in the conversation supersedes the move
-- hold rather than reusing it ...
SELECT r->>'reused' AS reused, r->>'superseded_token' = (SELECT m.r->>'token' FROM moved m) AS superseded_move,
       r ? 'moves_consultation_id' AS is_move
FROM booking_propose('rg32-c1', 'rg32-u1', 'rg32-v1', '2033-06-11 14:00', '90min') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = (SELECT r->>'token' FROM moved);
-- ... and a move of the same slot supersedes the plain hold
SELECT booking_pending_state('rg32-v1', 'rg32-u1')->>'token' AS plain \gset
SELECT r->>'reused' AS reused, r->>'superseded_token' = :'plain' AS superseded_plain
FROM booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-11 14:00') AS r;
-- a move of another consultation to the same slot supersedes it too
SELECT regress.book('rg32-c1', 'rg32-u1', 'rg32-v9', '2033-06-20 10:00', '90min') AS c1b \gset
SELECT r->>'reused' AS reused, r ? 'superseded_token' AS superseded,
       (r->>'moves_consultation_id')::bigint = :c1b AS moves_c1b
FROM booking_propose_move(:c1b, 'rg32-u1', 'rg32-v1', '2033-06-11 14:00') AS r;
SELECT count(*) AS active_in_conversation FROM booking.pending_bookings
WHERE conversation_id = 'rg32-v1' AND client_id = 'rg32-u1' AND status = 'awaiting_confirm';
SELECT booking_cancel(booking_pending_state('rg32-v1', 'rg32-u1')->>'token', 'rg32-u1')->>'status' AS tidy;

-- the consultation does not block its own new slot: half an hour later,
-- overlapping its present time
SELECT r->>'ok' AS ok, r->>'start_at' AS start_at, r->>'end_at' AS end_at
FROM booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-10 10:30') AS r;
-- but it does block a plain proposal of that slot by anyone, and another
-- consultation blocks a move
SELECT booking_cancel(booking_pending_state('rg32-v1', 'rg32-u1')->>'token', 'rg32-u1')->>'status' AS tidy;
SELECT booking_propose('rg32-c1', 'rg32-u1', 'rg32-v2', '2033-06-10 10:30')->>'error' AS plain_on_it;
SELECT regress.book('rg32-c1', 'rg32-u2', 'rg32-v3', '2033-06-12 10:00') AS other \gset
SELECT r->>'error' AS error FROM booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-12 10:30') AS r;
-- SLOT_HELD: another client's hold overlaps
SELECT booking_propose('rg32-c1', 'rg32-u2', 'rg32-v3', '2033-06-13 10:00')->>'status' AS held;
SELECT booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-13 10:30')->>'error' AS error;
-- a duration of its own; a zone of its own
SELECT r->>'end_at' AS end_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-06-14 10:00', '30min', NULL, 'Europe/London') AS r;

-- the time outcomes, after the consultation's checks
SELECT booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', 'tomorrow')->>'error' AS invalid,
       booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2034-03-26 02:30')->>'error' AS gap,
       booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2033-10-30 02:30')->>'error' AS fold,
       booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2020-01-01 10:00')->>'error' AS past,
       booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', '2099-01-01 10:00')->>'error' AS far;

-- NOT_FOUND comes first: unknown, another client's, negative, huge
SELECT booking_propose_move(:other, 'rg32-u1', 'rg32-v1', 'tomorrow');
SELECT booking_propose_move(:other, 'rg32-u1', 'rg32-v1', '2033-06-15 10:00')
     = booking_propose_move(9223372036854775807, 'rg32-u1', 'rg32-v1', '2033-06-15 10:00') AS same_as_unknown,
       booking_propose_move(-5, 'rg32-u1', 'rg32-v1', '2033-06-15 10:00')->>'error' AS negative;
-- NOT_PENDING: cancelled, or already moved (with moved_to)
SELECT regress.book('rg32-c2', 'rg32-u1', 'rg32-v1', '2033-07-01 10:00') AS gone \gset
SELECT booking_cancel_consultation(:gone, 'rg32-u1')->>'changed' AS cancelled;
SELECT regress.lc_masked(booking_propose_move(:gone, 'rg32-u1', 'rg32-v1', 'tomorrow')) AS cancelled_one;
SELECT regress.book('rg32-c2', 'rg32-u1', 'rg32-v1', '2033-07-02 10:00') AS was \gset
SELECT booking_confirm(booking_propose_move(:was, 'rg32-u1', 'rg32-v1', '2033-07-03 10:00')->>'token', 'rg32-u1')->>'status' AS moved;
SELECT r->>'error' AS error, (r->>'moved_to')::bigint = (SELECT moved_to FROM booking.consultations WHERE id = :was) AS says_where
FROM booking_propose_move(:was, 'rg32-u1', 'rg32-v1', '2033-07-04 10:00') AS r;
-- TOO_LATE: within booking.cancel_notice of its start, before the time checks
SET booking.cancel_notice = '10 years';
SELECT booking_propose_move(:c1, 'rg32-u1', 'rg32-v1', 'tomorrow')->>'error' AS too_late;
RESET booking.cancel_notice;

-- bad arguments
SELECT regress.err($$SELECT booking_propose_move(NULL, 'u', 'v', '2033-01-01 10:00')$$);
SELECT regress.err($$SELECT booking_propose_move(1, NULL, 'v', '2033-01-01 10:00')$$);
SELECT regress.err($$SELECT booking_propose_move(1, 'u', NULL, '2033-01-01 10:00')$$);
SELECT regress.err($$SELECT booking_propose_move(1, 'u', 'v', NULL)$$);
SELECT regress.err($$SELECT booking_propose_move(1, 'u', '', '2033-01-01 10:00')$$);
SELECT regress.err($$SELECT booking_propose_move(1, 'u', 'v', '2033-01-01 10:00', '-1h')$$);
SELECT regress.err($$SELECT booking_propose_move(1, 'u', 'v', '2033-01-01 10:00', NULL, '0s')$$);
SELECT regress.err($$SELECT booking_propose_move(1, 'u', 'v', '2033-01-01 10:00', NULL, NULL, 'Mars/Base')$$);
