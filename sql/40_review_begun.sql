-- A consultation that has begun can never be cancelled or moved, even from
-- a transaction opened before it began: the functions' now() is the
-- transaction's start, and begun is a fact of the clock.  The consultation
-- is written in the transaction, to start two seconds after its start;
-- once the clock is past that, cancel and move are TOO_LATE, and a move
-- proposed before it began cannot be confirmed.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg40-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg40-%';

BEGIN;
INSERT INTO booking.consultations (consultant_id, client_id, conversation_id,
                                   scheduled_at, ends_at, status, token, created_at)
VALUES ('rg40-c1', 'rg40-u1', 'rg40-v1', now() + interval '2 s', now() + interval '1 h',
        'booked', 'rg40-t1', now())
RETURNING id AS c1 \gset
-- not yet begun: a move can be proposed
SELECT r->>'ok' AS ok, r->>'status' AS status
FROM booking_propose_move(:c1, 'rg40-u1', 'rg40-v1', '2031-05-01 10:00') AS r;
SELECT pg_sleep(2.5);
SELECT clock_timestamp() > scheduled_at AS has_begun, now() < scheduled_at AS not_for_now
FROM booking.consultations WHERE id = :c1;
SELECT r->>'ok' AS ok, r->>'error' AS error
FROM booking_cancel_consultation(:c1, 'rg40-u1') AS r;
SELECT r->>'ok' AS ok, r->>'error' AS error
FROM booking_propose_move(:c1, 'rg40-u1', 'rg40-v2', '2031-05-01 12:00') AS r;
SELECT r->>'ok' AS ok, r->>'error' AS error, r->>'cancel_reason' AS cancel_reason
FROM booking_confirm_latest('rg40-v1', 'rg40-u1') AS r;
SELECT status, cancel_reason FROM booking.consultations WHERE id = :c1;
COMMIT;

DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg40-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg40-%';
RESET booking.max_advance;
