-- 1.1 rules of confirm: only an overlap is SLOT_TAKEN, and the newest hold
-- of a conversation is the last one made, whatever happened to the rows.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg11-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg11-%';

-- A consultation written around the API with the id the sequence hands out
-- next (an import does this): the confirm is an ERROR (unique_violation),
-- never SLOT_TAKEN, and the hold, whose slot is free, stays awaiting.
SELECT booking_propose('rg11-c1', 'rg11-u1', 'rg11-v1', '2031-04-01 10:00')->>'status' AS proposed;
INSERT INTO booking.consultations (id, consultant_id, client_id, scheduled_at, ends_at)
VALUES (pg_catalog.nextval('booking.consultations_id_seq') + 1, 'rg11-import', 'rg11-import',
        '2031-01-01 09:00Z', '2031-01-01 10:00Z');
SELECT regress.err($$SELECT booking_confirm_latest('rg11-v1', 'rg11-u1')$$) AS confirm_on_id_collision;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE consultant_id = 'rg11-c1';
-- the next id is free: the same hold is confirmed
SELECT r->>'status' AS status, r->>'error' AS error
FROM booking_confirm_latest('rg11-v1', 'rg11-u1') AS r;

-- A consultation written around the API with the hold's token: an ERROR too.
SELECT booking_propose('rg11-c2', 'rg11-u2', 'rg11-v2', '2031-04-01 10:00')->>'status' AS proposed;
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, token)
SELECT 'rg11-import', 'rg11-import', '2031-01-02 09:00Z', '2031-01-02 10:00Z', token
FROM booking.pending_bookings WHERE consultant_id = 'rg11-c2';
SELECT regress.err($$SELECT booking_confirm_latest('rg11-v2', 'rg11-u2')$$) AS confirm_on_token_collision;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE consultant_id = 'rg11-c2';

-- An overlap, same start or not, stays SLOT_TAKEN with the hold cancelled.
SELECT booking_propose('rg11-c3', 'rg11-u3', 'rg11-v3', '2031-04-01 10:00')->>'status' AS proposed;
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg11-c3', 'rg11-other', '2031-04-01 08:30Z', '2031-04-01 09:30Z');
SELECT r->>'error' AS error FROM booking_confirm_latest('rg11-v3', 'rg11-u3') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE consultant_id = 'rg11-c3';
SELECT booking_propose('rg11-c4', 'rg11-u4', 'rg11-v4', '2031-04-01 10:00')->>'status' AS proposed;
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg11-c4', 'rg11-other', '2031-04-01 08:00Z', '2031-04-01 08:30Z');
SELECT r->>'error' AS error FROM booking_confirm_latest('rg11-v4', 'rg11-u4') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE consultant_id = 'rg11-c4';

-- The newest hold: two holds made in one transaction, by two clients of
-- one conversation, then an update of the older one rolled back.  The
-- fallback of the second client still finds its own, newer hold.
BEGIN;
SELECT booking_propose('rg11-c5', 'rg11-u5', 'rg11-v5', '2031-04-01 10:00')->>'status' AS older;
SELECT booking_propose('rg11-c6', 'rg11-u6', 'rg11-v5', '2031-04-01 10:00')->>'status' AS newer;
SAVEPOINT touch;
UPDATE booking.pending_bookings SET client_id = client_id WHERE consultant_id = 'rg11-c5';
ROLLBACK TO SAVEPOINT touch;
SELECT r->>'status' AS status, r->>'consultant_id' AS consultant
FROM booking_confirm_latest('rg11-v5', 'rg11-u6') AS r;
-- and the first client's fallback confirms its own hold, not the other's
SELECT r->>'status' AS status, r->>'consultant_id' AS consultant
FROM booking_confirm_latest('rg11-v5', 'rg11-u5') AS r;
COMMIT;

-- hold_order is filled at insert, in order, and is not null
SELECT pg_catalog.count(*) AS unnumbered FROM booking.pending_bookings WHERE hold_order IS NULL;
SELECT a.hold_order < b.hold_order AS in_order
FROM booking.pending_bookings a, booking.pending_bookings b
WHERE a.consultant_id = 'rg11-c5' AND b.consultant_id = 'rg11-c6';

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg11-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg11-%';
RESET booking.max_advance;
