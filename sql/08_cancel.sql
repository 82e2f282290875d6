-- booking_cancel: the client withdraws a hold; a retry answers ok with the
-- hold's status; a confirmed hold is NOT_PENDING; someone else's NOT_FOUND.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg08-%' OR conversation_id LIKE 'rg08-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg08-%';

-- a hold, cancelled by its client
SELECT booking_propose('rg08-c1', 'rg08-u1', 'rg08-v1', '2033-01-10 16:00')->>'token' AS t1 \gset
CREATE TEMP TABLE cancelled AS SELECT now() AS called_at, booking_cancel(:'t1', 'rg08-u1') AS r;
SELECT regress.masked(r) FROM cancelled;
SELECT array_agg(k ORDER BY k) AS keys FROM cancelled, jsonb_object_keys(r) AS k;
SELECT r->>'token' = :'t1' AS same_token FROM cancelled;
SELECT b.status, b.cancel_reason, b.resolved_at = c.called_at AS resolved_now, b.consultation_id
FROM cancelled c JOIN booking.pending_bookings b ON b.token = :'t1';
-- the slot is free again, and the conversation has nothing pending
SELECT booking_pending_state('rg08-v1', 'rg08-u1');
SELECT booking_propose('rg08-c1', 'rg08-u2', 'rg08-v2', '2033-01-10 16:00')->>'status' AS status;

-- cancel again: ok, with the status it has
SELECT regress.masked(booking_cancel(:'t1', 'rg08-u1')) AS again;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'t1';

-- a superseded hold: ok, with its status and reason, unchanged
SELECT booking_propose('rg08-c2', 'rg08-u3', 'rg08-v3', '2033-01-11 09:00')->>'token' AS t3 \gset
SELECT booking_propose('rg08-c2', 'rg08-u3', 'rg08-v3', '2033-01-11 10:00')->>'token' AS t3b \gset
SELECT r->>'ok' AS ok, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_cancel(:'t3', 'rg08-u3') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'t3';
-- ... and the newer hold of the conversation is untouched by it
SELECT status FROM booking.pending_bookings WHERE token = :'t3b';

-- a hold cancelled because its slot was taken: ok, with that reason
SELECT booking_propose('rg08-c3', 'rg08-u4', 'rg08-v4', '2033-01-12 09:00')->>'token' AS t4 \gset
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg08-c3', 'rg08-elsewhere', '2033-01-12 09:00+01', '2033-01-12 10:00+01');
SELECT booking_confirm(:'t4', 'rg08-u4')->>'error' AS confirm;
SELECT r->>'ok' AS ok, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_cancel(:'t4', 'rg08-u4') AS r;

-- NOT_PENDING: the hold is confirmed
SELECT booking_propose('rg08-c4', 'rg08-u5', 'rg08-v5', '2033-01-13 09:00')->>'token' AS t5 \gset
SELECT booking_confirm(:'t5', 'rg08-u5')->>'status' AS confirmed;
SELECT booking_cancel(:'t5', 'rg08-u5');
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(booking_cancel(:'t5', 'rg08-u5')) AS k;
-- the hold and its consultation stay as they were
SELECT b.status, b.cancel_reason, c.status AS consultation
FROM booking.pending_bookings b JOIN booking.consultations c ON c.id = b.consultation_id
WHERE b.token = :'t5';

-- NOT_FOUND: unknown, malformed, another client's (which is left alone)
SELECT booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', 'rg08-u1');
SELECT booking_cancel('bk_nope', 'rg08-u1')->>'error' AS malformed;
SELECT booking_propose('rg08-c5', 'rg08-u6', 'rg08-v6', '2033-01-14 09:00')->>'token' AS t6 \gset
SELECT booking_cancel(:'t6', 'rg08-u7') = booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', 'rg08-u7') AS same_as_unknown;
SELECT booking_cancel(:'t6', 'rg08-u7')->>'error' AS other_client;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'t6';
-- another client learns nothing of a confirmed or cancelled hold either
SELECT booking_cancel(:'t5', 'rg08-u7')->>'error' AS confirmed_of_other,
       booking_cancel(:'t1', 'rg08-u7')->>'error' AS cancelled_of_other;
SELECT booking_pending_state('rg08-v6', 'rg08-u6')->>'has_pending_booking' AS still_pending;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg08-%' OR conversation_id LIKE 'rg08-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg08-%';
