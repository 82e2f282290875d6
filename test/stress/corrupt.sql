-- Plants one violation of every invariant and outcome check in a scratch
-- stress database, with the walls (exclusion constraints, unique indexes)
-- taken down first: the checks must report each one, or they prove nothing.

\set ON_ERROR_STOP 1
SET booking.hold_ttl = '1 hour';

-- A genuine booking, and a genuine hold to make stale-confirmed.
SELECT booking_confirm(booking_propose('k1', 'u1', 'v1', '2040-05-01 10:00Z')->>'token', 'u1');
SELECT booking_confirm(booking_propose('k2', 'u1', 'v2', '2040-05-01 10:00Z')->>'token', 'u1');

ALTER TABLE booking.consultations DROP CONSTRAINT consultations_no_overlap;
DROP INDEX booking.consultations_booked_slot;
ALTER TABLE booking.pending_bookings DROP CONSTRAINT pending_bookings_no_overlap;
DROP INDEX booking.pending_bookings_active_slot;

-- A second booked consultation over the first, with no hold behind it.
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, token)
VALUES ('k1', 'u2', '2040-05-01 10:30Z', '2040-05-01 11:30Z', 'bk_forged_consultation');

-- Two holds awaiting confirmation over each other and over that booking,
-- with tokens that route nowhere.
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, expires_at)
VALUES ('bk_forged_hold_1', 'k1', 'u3', 'v3', '2040-05-01 10:00Z', '2040-05-01 11:00Z', now() + interval '1 hour'),
       ('bk_forged_hold_2', 'k1', 'u4', 'v4', '2040-05-01 10:30Z', '2040-05-01 11:30Z', now() + interval '1 hour');

-- Confirmed without a consultation.
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, status, expires_at, resolved_at)
VALUES ('bk_forged_confirmed', 'k3', 'u5', 'v5', '2040-05-01 10:00Z', '2040-05-01 11:00Z',
        'confirmed', now() + interval '1 hour', now());

-- Confirmed after its expiry.
UPDATE booking.pending_bookings SET resolved_at = expires_at WHERE consultant_id = 'k2';

-- Expired before its time.
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, status, expires_at, resolved_at)
VALUES ('bk_forged_expired', 'k4', 'u6', 'v6', '2040-05-01 10:00Z', '2040-05-01 11:00Z',
        'expired', now() + interval '1 hour', now());

-- A caller told something the contract does not allow.
INSERT INTO stress_outcomes (call, outcome) VALUES ('confirm_foreign', 'ok');

-- A sweep that reports more holds than were ever expired.
INSERT INTO stress_outcomes (call, outcome, n) VALUES ('expire_holds', 'ok', 1000000);
