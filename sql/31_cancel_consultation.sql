-- booking_cancel_consultation: the slot is free at once, a retry answers
-- changed = false, another client's is NOT_FOUND, too close to its start
-- (or begun) is TOO_LATE, and holds that would move it are cancelled.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg31-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg31-%';

SELECT regress.book('rg31-c1', 'rg31-u1', 'rg31-v1', '2033-04-10 15:00') AS c1 \gset
SELECT token AS t1 FROM booking.consultations WHERE id = :c1 \gset

-- cancelled by its client: the whole shape
CREATE TEMP TABLE cancelled AS
SELECT now() AS called_at, booking_cancel_consultation(:c1, 'rg31-u1') AS r;
SELECT regress.masked(r) FROM cancelled;
SELECT array_agg(k ORDER BY k) AS keys FROM cancelled, jsonb_object_keys(r) AS k;
SELECT (r->>'consultation_id')::bigint = :c1 AS same_id FROM cancelled;
SELECT c.status, c.cancel_reason, c.cancelled_at = x.called_at AS cancelled_now,
       c.moved_to, c.moved_from
FROM booking.consultations c, cancelled x WHERE c.id = :c1;
-- the hold it came from stays confirmed, with its consultation
SELECT status, cancel_reason, consultation_id = :c1 AS same_consultation
FROM booking.pending_bookings WHERE token = :'t1';
-- it is no longer listed, and the slot is free at once
SELECT booking_consultations('rg31-u1');
SELECT booking_propose('rg31-c1', 'rg31-u2', 'rg31-v2', '2033-04-10 15:00')->>'status' AS slot_free;

-- a retry: ok, changed false, nothing changes
SELECT regress.masked(booking_cancel_consultation(:c1, 'rg31-u1')) AS again;
SELECT cancelled_at = (SELECT called_at FROM cancelled) AS cancelled_at_kept
FROM booking.consultations WHERE id = :c1;

-- NOT_FOUND: another client's (left alone), unknown, negative, huge ids
SELECT regress.book('rg31-c1', 'rg31-u3', 'rg31-v3', '2033-04-11 09:00') AS c3 \gset
SELECT booking_cancel_consultation(:c3, 'rg31-u1');
SELECT booking_cancel_consultation(:c3, 'rg31-u1')
     = booking_cancel_consultation(9223372036854775807, 'rg31-u1') AS same_as_unknown;
SELECT status FROM booking.consultations WHERE id = :c3;
SELECT booking_cancel_consultation(-1, 'rg31-u1')->>'error' AS negative,
       booking_cancel_consultation(0, 'rg31-u1')->>'error' AS zero,
       booking_cancel_consultation(-9223372036854775808, 'rg31-u1')->>'error' AS most_negative;
-- and another client learns nothing of a cancelled one either
SELECT booking_cancel_consultation(:c1, 'rg31-u3')->>'error' AS cancelled_of_other;

-- TOO_LATE: within booking.cancel_notice of its start
SELECT regress.book('rg31-c2', 'rg31-u1', 'rg31-v1',
                    to_char((now() + interval '3 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) AS soon \gset
SET booking.cancel_notice = '1 day';
SELECT r->>'ok' AS ok, r->>'error' AS error, (r->>'consultation_id')::bigint = :soon AS same_id,
       r ? 'message' AS has_message
FROM booking_cancel_consultation(:soon, 'rg31-u1') AS r;
SELECT status FROM booking.consultations WHERE id = :soon;
SET booking.cancel_notice = '3 hours';
SELECT booking_cancel_consultation(:soon, 'rg31-u1')->>'error' AS within_notice;
SET booking.cancel_notice = '2 hours';
SELECT booking_cancel_consultation(:soon, 'rg31-u1')->>'changed' AS outside_notice;
RESET booking.cancel_notice;
-- a notice too large to add to now() makes everything too late, without an error
SELECT regress.book('rg31-c2', 'rg31-u1', 'rg31-v1', '2035-01-01 10:00') AS far \gset
SET booking.cancel_notice = '20000 years';
SELECT booking_cancel_consultation(:far, 'rg31-u1')->>'error' AS huge_notice;
RESET booking.cancel_notice;

-- a consultation that has begun can never be cancelled, even with no notice
INSERT INTO booking.consultations (consultant_id, client_id, conversation_id, scheduled_at, ends_at)
VALUES ('rg31-c3', 'rg31-u1', 'rg31-v1', now() - interval '10 minutes', now() + interval '50 minutes'),
       ('rg31-c3b', 'rg31-u1', 'rg31-v1', now(), now() + interval '2 hours');
SELECT consultant_id, booking_cancel_consultation(id, 'rg31-u1')->>'error' AS begun
FROM booking.consultations WHERE consultant_id LIKE 'rg31-c3%' ORDER BY id;
-- an already-cancelled consultation is still answered as a retry after it began
UPDATE booking.consultations SET status = 'cancelled', cancel_reason = 'client', cancelled_at = now()
WHERE consultant_id LIKE 'rg31-c3%';
SELECT DISTINCT booking_cancel_consultation(id, 'rg31-u1')->>'changed' AS retry_after_start
FROM booking.consultations WHERE consultant_id LIKE 'rg31-c3%';

-- active holds that would move it are cancelled in the same transaction;
-- a stale one is marked expired; other holds are left alone
SELECT regress.book('rg31-c4', 'rg31-u4', 'rg31-v4', '2033-05-01 10:00') AS c4 \gset
SELECT booking_propose_move(:c4, 'rg31-u4', 'rg31-v4', '2033-05-02 10:00')->>'token' AS mv1 \gset
SELECT booking_propose_move(:c4, 'rg31-u4', 'rg31-v5', '2033-05-03 10:00', ttl => '1 second')->>'token' AS mv2 \gset
SELECT booking_propose('rg31-c4', 'rg31-u4', 'rg31-v6', '2033-05-04 10:00')->>'token' AS plain \gset
SELECT pg_sleep(1.1);
SELECT booking_cancel_consultation(:c4, 'rg31-u4')->>'changed' AS changed;
SELECT token = :'mv1' AS live_move, status, cancel_reason, resolved_at IS NOT NULL AS resolved
FROM booking.pending_bookings WHERE token IN (:'mv1', :'mv2', :'plain') ORDER BY token = :'mv1' DESC, token = :'mv2' DESC;
SELECT booking_pending_state('rg31-v4', 'rg31-u4') AS nothing_pending;
SELECT booking_confirm(:'mv1', 'rg31-u4')->>'error' AS confirm_after_cancel;

-- bad arguments
SELECT regress.err($$SELECT booking_cancel_consultation(NULL, 'rg31-u1')$$);
SELECT regress.err($$SELECT booking_cancel_consultation(1, NULL)$$);
SELECT regress.err($$SELECT booking_cancel_consultation(1, '')$$);
SELECT regress.err($$SELECT booking_cancel_consultation(1, repeat('x', 256))$$);
