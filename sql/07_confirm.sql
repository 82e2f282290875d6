-- booking_confirm and booking_confirm_latest: the booked consultation, its
-- retries, and every way a confirmation is refused.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg07-%' OR conversation_id LIKE 'rg07-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg07-%';

-- a hold, confirmed
SELECT booking_propose('rg07-c1', 'rg07-u1', 'rg07-v1', '2032-04-06 11:00')->>'token' AS t1 \gset
CREATE TEMP TABLE confirmed AS SELECT now() AS called_at, booking_confirm(:'t1', 'rg07-u1') AS r;
SELECT regress.masked(r) FROM confirmed;
SELECT array_agg(k ORDER BY k) AS keys FROM confirmed, jsonb_object_keys(r) AS k;
SELECT r->>'token' = :'t1' AS same_token, jsonb_typeof(r->'consultation_id') AS id_type,
       jsonb_typeof(r->'already_confirmed') AS already_type
FROM confirmed;
-- the consultation and the hold behind it
SELECT c.id = (f.r->>'consultation_id')::bigint AS same_id, c.consultant_id, c.client_id, c.conversation_id,
       c.status, c.token = :'t1' AS from_hold,
       c.scheduled_at = (f.r->>'start_at')::timestamptz AS scheduled_at,
       c.ends_at = (f.r->>'end_at')::timestamptz AS ends_at,
       c.created_at = f.called_at AS created_now
FROM confirmed f JOIN booking.consultations c ON c.token = f.r->>'token';
SELECT b.status, b.consultation_id = (f.r->>'consultation_id')::bigint AS linked,
       b.resolved_at = f.called_at AS resolved_now, b.cancel_reason
FROM confirmed f JOIN booking.pending_bookings b ON b.token = f.r->>'token';
-- the conversation has no pending booking any more, and the slot is taken
SELECT booking_pending_state('rg07-v1', 'rg07-u1');
SELECT booking_propose('rg07-c1', 'rg07-u2', 'rg07-v2', '2032-04-06 11:30')->>'error' AS error;

-- confirm again: the same consultation, "already_confirmed": true
SELECT regress.masked(r) AS again,
       r->>'consultation_id' = (SELECT r->>'consultation_id' FROM confirmed) AS same_consultation
FROM booking_confirm(:'t1', 'rg07-u1') AS r;
SELECT count(*) AS consultations FROM booking.consultations WHERE token = :'t1';

-- start_local and timezone follow booking.timezone at the time of the answer
SET booking.timezone = 'America/New_York';
SELECT r->>'start_at' AS start_at, r->>'start_local' AS start_local, r->>'timezone' AS timezone
FROM booking_confirm(:'t1', 'rg07-u1') AS r;
RESET booking.timezone;

-- NOT_FOUND: an unknown token, a malformed one, another client's
SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', 'rg07-u1');
SELECT booking_confirm('not-a-token', 'rg07-u1');
SELECT booking_propose('rg07-c1', 'rg07-u3', 'rg07-v3', '2032-04-06 14:00')->>'token' AS t3 \gset
SELECT booking_confirm(:'t3', 'rg07-u1');
-- ... indistinguishable from a token that does not exist
SELECT booking_confirm(:'t3', 'rg07-u1') = booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', 'rg07-u1') AS same_answer;
-- ... also once confirmed: another client learns nothing of it
SELECT booking_confirm(:'t1', 'rg07-u3') = booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', 'rg07-u3') AS same_answer;
-- and nothing changed for its owner
SELECT status FROM booking.pending_bookings WHERE token = :'t3';
SELECT (booking_confirm(:'t3', 'rg07-u3')->>'status') AS owner_confirms;

-- NOT_PENDING: a hold cancelled by its client
SELECT booking_propose('rg07-c2', 'rg07-u4', 'rg07-v4', '2032-04-07 09:00')->>'token' AS t4 \gset
SELECT booking_cancel(:'t4', 'rg07-u4')->>'status' AS cancelled;
SELECT regress.masked(booking_confirm(:'t4', 'rg07-u4'));
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(booking_confirm(:'t4', 'rg07-u4')) AS k;
-- ... a superseded hold
SELECT booking_propose('rg07-c2', 'rg07-u5', 'rg07-v5', '2032-04-07 11:00')->>'token' AS t5 \gset
SELECT booking_propose('rg07-c2', 'rg07-u5', 'rg07-v5', '2032-04-07 13:00')->>'superseded_token' = :'t5' AS superseded;
SELECT r->>'error' AS error, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_confirm(:'t5', 'rg07-u5') AS r;
-- ... and nothing was booked for either
SELECT count(*) AS consultations FROM booking.consultations WHERE token IN (:'t4', :'t5');
SELECT token = :'t4' AS t4, status, cancel_reason, consultation_id FROM booking.pending_bookings
WHERE token IN (:'t4', :'t5') ORDER BY 1 DESC;

-- SLOT_TAKEN at confirm: a consultation written around the API overlaps the hold
SELECT booking_propose('rg07-c3', 'rg07-u6', 'rg07-v6', '2032-04-08 10:00')->>'token' AS t6 \gset
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg07-c3', 'rg07-elsewhere', '2032-04-08 10:30+02', '2032-04-08 11:30+02');
SELECT regress.masked(booking_confirm(:'t6', 'rg07-u6'));
-- the hold is cancelled for slot_taken, never confirmed, and no consultation came of it
SELECT status, cancel_reason, consultation_id, resolved_at IS NOT NULL AS resolved
FROM booking.pending_bookings WHERE token = :'t6';
SELECT count(*) AS consultations FROM booking.consultations WHERE token = :'t6';
SELECT count(*) AS booked FROM booking.consultations WHERE consultant_id = 'rg07-c3' AND status = 'booked';
-- a retry is NOT_PENDING, with the reason
SELECT r->>'error' AS error, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_confirm(:'t6', 'rg07-u6') AS r;
-- an exact duplicate of the slot, rather than an overlap, is caught the same way
SELECT booking_propose('rg07-c3', 'rg07-u7', 'rg07-v7', '2032-04-08 15:00')->>'token' AS t7 \gset
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg07-c3', 'rg07-elsewhere', '2032-04-08 15:00+02', '2032-04-08 16:00+02');
SELECT r->>'error' AS error, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_confirm(:'t7', 'rg07-u7') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = :'t7';

-- booking_confirm_latest: the conversation's newest active hold of this client
SELECT booking_propose('rg07-c4', 'rg07-u8', 'rg07-v8', '2032-04-09 09:00')->>'token' AS t8a \gset
SELECT booking_propose('rg07-c4', 'rg07-u8', 'rg07-v8', '2032-04-09 10:00')->>'token' AS t8 \gset
SELECT regress.masked(r) AS confirmed, r->>'token' = :'t8' AS newest
FROM booking_confirm_latest('rg07-v8', 'rg07-u8') AS r;
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(booking_confirm(:'t8', 'rg07-u8')) AS k;
SELECT token = :'t8' AS newest, status, cancel_reason FROM booking.pending_bookings
WHERE conversation_id = 'rg07-v8' ORDER BY created_at;
-- nothing left to confirm
SELECT booking_confirm_latest('rg07-v8', 'rg07-u8');
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(booking_confirm_latest('rg07-v8', 'rg07-u8')) AS k;
-- a conversation that never had a hold
SELECT booking_confirm_latest('rg07-nothing', 'rg07-u8')->>'error' AS error;
-- with the consultant named
SELECT booking_propose('rg07-c4', 'rg07-u9', 'rg07-v9', '2032-04-09 14:00')->>'token' AS t9 \gset
SELECT booking_confirm_latest('rg07-v9', 'rg07-u9', 'rg07-other')->>'error' AS other_consultant;
SELECT status FROM booking.pending_bookings WHERE token = :'t9';
SELECT r->>'status' AS status, r->>'token' = :'t9' AS same
FROM booking_confirm_latest('rg07-v9', 'rg07-u9', 'rg07-c4') AS r;
-- another client's hold in the conversation is never confirmed for this one
SELECT booking_propose('rg07-c5', 'rg07-u10', 'rg07-v10', '2032-04-10 09:00')->>'token' AS t10 \gset
SELECT booking_confirm_latest('rg07-v10', 'rg07-u11')->>'error' AS other_client;
SELECT booking_confirm_latest('rg07-v10', 'rg07-u11', 'rg07-c5')->>'error' AS other_client_same_consultant;
SELECT status FROM booking.pending_bookings WHERE token = :'t10';
-- ... nor a cancelled or superseded one
SELECT booking_cancel(:'t10', 'rg07-u10')->>'status' AS cancelled;
SELECT booking_confirm_latest('rg07-v10', 'rg07-u10')->>'error' AS after_cancel;
-- only the newest active hold of the conversation is a candidate: while
-- another client's is newer, this client's older one is not confirmed
SELECT booking_propose('rg07-c7', 'rg07-u13', 'rg07-v13', '2032-04-12 09:00')->>'token' AS t13a \gset
SELECT booking_propose('rg07-c7', 'rg07-u14', 'rg07-v13', '2032-04-12 11:00')->>'token' AS t13b \gset
SELECT booking_confirm_latest('rg07-v13', 'rg07-u13')->>'error' AS older_hold_of_this_client;
SELECT token = :'t13a' AS older, status FROM booking.pending_bookings WHERE conversation_id = 'rg07-v13' ORDER BY created_at;
SELECT r->>'token' = :'t13b' AS newer, r->>'status' AS status FROM booking_confirm_latest('rg07-v13', 'rg07-u14') AS r;
-- once the newer one is resolved, the older one is the newest active hold
SELECT r->>'token' = :'t13a' AS older, r->>'status' AS status FROM booking_confirm_latest('rg07-v13', 'rg07-u13') AS r;
-- holds made in one transaction share its start as created_at: the one
-- made later is still the newer
BEGIN;
SELECT booking_propose('rg07-c7', 'rg07-u15', 'rg07-v15', '2032-04-13 09:00')->>'token' AS t15a \gset
SELECT booking_propose('rg07-c7', 'rg07-u16', 'rg07-v15', '2032-04-13 11:00')->>'token' AS t15b \gset
SELECT booking_confirm_latest('rg07-v15', 'rg07-u15')->>'error' AS older_in_one_transaction;
SELECT r->>'token' = :'t15b' AS newer, r->>'status' AS status FROM booking_confirm_latest('rg07-v15', 'rg07-u16') AS r;
COMMIT;

-- the fallback meets SLOT_TAKEN like a confirm by token
SELECT booking_propose('rg07-c6', 'rg07-u12', 'rg07-v12', '2032-04-11 09:00')->>'token' AS t12 \gset
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg07-c6', 'rg07-elsewhere', '2032-04-11 09:00+02', '2032-04-11 09:15+02');
SELECT r->>'error' AS error, r->>'token' = :'t12' AS same, r->>'status' AS status, r->>'cancel_reason' AS cancel_reason
FROM booking_confirm_latest('rg07-v12', 'rg07-u12') AS r;
SELECT count(*) AS consultations FROM booking.consultations WHERE token = :'t12';

-- every confirmed hold has exactly its consultation, and no other hold has one
SELECT b.status, count(*) AS holds, count(c.id) AS consultations,
       count(*) FILTER (WHERE c.id = b.consultation_id) AS linked
FROM booking.pending_bookings b LEFT JOIN booking.consultations c ON c.token = b.token
WHERE b.consultant_id LIKE 'rg07-%' GROUP BY 1 ORDER BY 1;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg07-%' OR conversation_id LIKE 'rg07-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg07-%';
