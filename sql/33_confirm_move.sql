-- Confirming a move: the old consultation becomes cancelled / rescheduled
-- with moved_to, the new one is booked with moved_from in the hold's
-- conversation, in one transaction; SLOT_TAKEN leaves the old one exactly
-- as it was; TOO_LATE and NOT_PENDING say why the old one cannot move.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg33-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg33-%';

CREATE TEMP TABLE before_move AS SELECT * FROM booking.consultations WHERE false;

-- a consultation booked in one conversation, moved from another, 30
-- minutes later (overlapping its own old time)
SELECT regress.book('rg33-c1', 'rg33-u1', 'rg33-v1', '2033-08-10 10:00') AS old \gset
SELECT booking_propose_move(:old, 'rg33-u1', 'rg33-v2', '2033-08-10 10:30')->>'token' AS mv \gset
CREATE TEMP TABLE confirmed AS SELECT now() AS called_at, booking_confirm(:'mv', 'rg33-u1') AS r;
SELECT regress.lc_masked(r) FROM confirmed;
SELECT array_agg(k ORDER BY k) AS keys FROM confirmed, jsonb_object_keys(r) AS k;
SELECT (r->>'moved_from_consultation_id')::bigint = :old AS moved_from_old,
       (r->>'consultation_id')::bigint AS new FROM confirmed \gset
SELECT :'moved_from_old' AS moved_from_old;
-- the old one: cancelled, rescheduled, pointing at the new one
SELECT o.status, o.cancel_reason, o.cancelled_at = x.called_at AS cancelled_now,
       o.moved_to = :new AS moved_to_new, o.moved_from
FROM booking.consultations o, confirmed x WHERE o.id = :old;
-- the new one: booked in the move hold's conversation, pointing back
SELECT n.status, n.conversation_id, n.moved_from = :old AS moved_from_old, n.token = :'mv' AS from_hold,
       n.scheduled_at, n.ends_at, n.cancel_reason, n.moved_to, n.cancelled_at
FROM booking.consultations n WHERE n.id = :new;
-- the hold: confirmed with the new consultation
SELECT status, consultation_id = :new AS with_new, moves_consultation_id = :old AS moves_old
FROM booking.pending_bookings WHERE token = :'mv';
-- the hold the old consultation came from stays confirmed
SELECT status FROM booking.pending_bookings WHERE consultation_id = :old;
-- the client's list shows the new one only
SELECT array_agg((e->>'consultation_id')::bigint) = ARRAY[:new]::bigint[] AS listed_new
FROM jsonb_array_elements(booking_consultations('rg33-u1')->'consultations') AS e;
-- the old slot is free at once; its first half is not (the new one covers it)
SELECT booking_propose('rg33-c1', 'rg33-u9', 'rg33-v9', '2033-08-10 09:00')->>'status' AS before_old,
       booking_propose('rg33-c1', 'rg33-u8', 'rg33-v8', '2033-08-10 10:00', '30min')->>'status' AS old_first_half;

-- a retry: the same consultation, still saying where it moved from
SELECT r->>'already_confirmed' AS already, (r->>'consultation_id')::bigint = :new AS same_new,
       (r->>'moved_from_consultation_id')::bigint = :old AS moved_from_old
FROM booking_confirm(:'mv', 'rg33-u1') AS r;
-- another client's confirm of the token: NOT_FOUND
SELECT booking_confirm(:'mv', 'rg33-u2')->>'error' AS other_client;
-- cancelling the old one now: a retry naming where it went
SELECT r->>'changed' AS changed, (r->>'moved_to')::bigint = :new AS moved_to_new
FROM booking_cancel_consultation(:old, 'rg33-u1') AS r;

-- the fallback confirm moves too
SELECT regress.book('rg33-c2', 'rg33-u1', 'rg33-v3', '2033-08-11 10:00') AS fb \gset
SELECT booking_propose_move(:fb, 'rg33-u1', 'rg33-v3', '2033-08-11 16:00')->>'status' AS proposed;
SELECT r->>'status' AS status, (r->>'moved_from_consultation_id')::bigint = :fb AS moved_from_fb
FROM booking_confirm_latest('rg33-v3', 'rg33-u1') AS r;
SELECT status, cancel_reason FROM booking.consultations WHERE id = :fb;

-- other holds that would move the same consultation are cancelled by the move
SELECT regress.book('rg33-c3', 'rg33-u1', 'rg33-v4', '2033-08-12 10:00') AS two \gset
SELECT booking_propose_move(:two, 'rg33-u1', 'rg33-v4', '2033-08-12 12:00')->>'token' AS mva \gset
SELECT booking_propose_move(:two, 'rg33-u1', 'rg33-v5', '2033-08-12 14:00')->>'token' AS mvb \gset
SELECT booking_confirm(:'mva', 'rg33-u1')->>'status' AS first;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'mvb';
SELECT r->>'error' AS error, r->>'cancel_reason' AS cancel_reason FROM booking_confirm(:'mvb', 'rg33-u1') AS r;
SELECT count(*) AS moved_from_two FROM booking.consultations WHERE moved_from = :two;

-- SLOT_TAKEN: a consultation written around the API overlaps the new slot;
-- the old one stays exactly as it was, the hold becomes slot_taken
SELECT regress.book('rg33-c4', 'rg33-u1', 'rg33-v6', '2033-08-13 10:00') AS kept \gset
SELECT booking_propose_move(:kept, 'rg33-u1', 'rg33-v6', '2033-08-13 15:00')->>'token' AS mvt \gset
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg33-c4', 'rg33-walk-in', '2033-08-13 13:30Z', '2033-08-13 14:30Z');
INSERT INTO before_move SELECT * FROM booking.consultations WHERE id = :kept;
SELECT regress.lc_masked(booking_confirm(:'mvt', 'rg33-u1')) AS slot_taken;
SELECT (SELECT row(c.*)::text FROM booking.consultations c WHERE c.id = :kept)
     = (SELECT row(b.*)::text FROM before_move b) AS old_unchanged;
SELECT status, cancel_reason, consultation_id FROM booking.pending_bookings WHERE token = :'mvt';
SELECT count(*) AS nothing_new FROM booking.consultations WHERE moved_from = :kept;

-- a row written around the API with the id the sequence hands out next is
-- not an overlap: an ERROR, and nothing of the move is kept
SELECT booking_propose_move(:kept, 'rg33-u1', 'rg33-v6', '2033-08-14 15:00')->>'token' AS mvi \gset
INSERT INTO booking.consultations (id, consultant_id, client_id, scheduled_at, ends_at)
VALUES (nextval('booking.consultations_id_seq') + 1, 'rg33-elsewhere', 'rg33-walk-in',
        '2033-08-14 15:00Z', '2033-08-14 16:00Z');
SELECT regress.err(format('SELECT booking_confirm(%L, %L)', :'mvi', 'rg33-u1')) AS id_taken;
SELECT (SELECT row(c.*)::text FROM booking.consultations c WHERE c.id = :kept)
     = (SELECT row(b.*)::text FROM before_move b) AS old_unchanged;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'mvi';
-- once the id is past, the same hold moves it
SELECT booking_confirm(:'mvi', 'rg33-u1')->>'status' AS then_confirmed;
SELECT status, cancel_reason FROM booking.consultations WHERE id = :kept;

-- TOO_LATE at confirm: the notice grew since the proposal
SELECT regress.book('rg33-c5', 'rg33-u1', 'rg33-v7', '2033-08-15 10:00') AS late \gset
SELECT booking_propose_move(:late, 'rg33-u1', 'rg33-v7', '2033-08-16 10:00')->>'token' AS mvl \gset
SET booking.cancel_notice = '10 years';
SELECT regress.lc_masked(booking_confirm(:'mvl', 'rg33-u1')) AS too_late;
RESET booking.cancel_notice;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'mvl';
SELECT status, moved_to FROM booking.consultations WHERE id = :late;
SELECT booking_confirm(:'mvl', 'rg33-u1')->>'error' AS retried;

-- NOT_PENDING at confirm: the consultation was cancelled meanwhile
SELECT booking_propose_move(:late, 'rg33-u1', 'rg33-v7', '2033-08-17 10:00')->>'token' AS mvc \gset
SELECT booking_cancel_consultation(:late, 'rg33-u1')->>'changed' AS cancelled;
SELECT r->>'error' AS error, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_confirm(:'mvc', 'rg33-u1') AS r;
SELECT count(*) AS nothing_booked FROM booking.consultations WHERE moved_from = :late;
-- ... also when a hold written around the API outlived the cancel
SELECT booking_propose_move(:new, 'rg33-u1', 'rg33-v7', '2033-08-18 10:00')->>'token' AS mvx \gset
UPDATE booking.consultations SET status = 'cancelled', cancel_reason = 'client', cancelled_at = now() WHERE id = :new;
SELECT r->>'error' AS error, r->>'cancel_reason' AS cancel_reason FROM booking_confirm(:'mvx', 'rg33-u1') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'mvx';

-- booking_cancel of a move hold cancels the move; the consultation stays
SELECT regress.book('rg33-c6', 'rg33-u1', 'rg33-v8', '2033-08-19 10:00') AS stays \gset
SELECT booking_propose_move(:stays, 'rg33-u1', 'rg33-v8', '2033-08-20 10:00')->>'token' AS mvs \gset
SELECT r->>'status' AS status, r->>'cancel_reason' AS cancel_reason, r->>'changed' AS changed,
       (r->>'moves_consultation_id')::bigint = :stays AS moves_it
FROM booking_cancel(:'mvs', 'rg33-u1') AS r;
SELECT status, cancel_reason, moved_to FROM booking.consultations WHERE id = :stays;
SELECT booking_confirm(:'mvs', 'rg33-u1')->>'error' AS confirm_after;
SELECT booking_pending_state('rg33-v8', 'rg33-u1') AS nothing_pending;

-- an expired move hold: EXPIRED, the consultation stays
SELECT booking_propose_move(:stays, 'rg33-u1', 'rg33-v8', '2033-08-21 10:00', ttl => '1 second')->>'token' AS mve \gset
SELECT pg_sleep(1.1);
SELECT booking_confirm(:'mve', 'rg33-u1')->>'error' AS expired;
SELECT status FROM booking.consultations WHERE id = :stays;

-- never both booked, never neither: every moved consultation of this file
-- has exactly one booked or itself moved successor pointing back
SELECT count(*) AS broken_links
FROM booking.consultations o
LEFT JOIN booking.consultations n ON n.id = o.moved_to
WHERE o.client_id LIKE 'rg33-%' AND o.cancel_reason = 'rescheduled'
  AND (n.id IS NULL OR n.moved_from IS DISTINCT FROM o.id);
