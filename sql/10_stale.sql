-- Stale holds: a hold whose expires_at has passed counts as expired
-- everywhere, whether or not the sweep has marked it.  One short sleep
-- serves every case below.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg10-%' OR conversation_id LIKE 'rg10-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg10-%';

CREATE TEMP TABLE hold (name text PRIMARY KEY, token text);
CREATE FUNCTION pg_temp.hold(name text, consultant text, client text, conversation text,
                             start_time text, ttl interval) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO hold
    SELECT name, booking_propose(consultant, client, conversation, start_time, ttl => ttl)->>'token'
    RETURNING jsonb_build_object('name', name, 'token', token ~ '^bk_[A-Za-z0-9_-]{22}$')
$$;
CREATE FUNCTION pg_temp.tok(name text) RETURNS text LANGUAGE sql AS $$
    SELECT token FROM hold WHERE hold.name = tok.name
$$;

-- holds that live one second
SELECT pg_temp.hold('confirm_late',  'rg10-c1', 'rg10-u1', 'rg10-v1', '2035-06-05 10:00', '1 second');
SELECT pg_temp.hold('same_slot',     'rg10-c1', 'rg10-u2', 'rg10-v2', '2035-06-05 12:00', '1 second');
SELECT pg_temp.hold('overlapped',    'rg10-c1', 'rg10-u3', 'rg10-v3', '2035-06-05 14:00', '1 second');
SELECT pg_temp.hold('pending',       'rg10-c2', 'rg10-u4', 'rg10-v4', '2035-06-05 10:00', '1 second');
SELECT pg_temp.hold('cancel_late',   'rg10-c2', 'rg10-u5', 'rg10-v5', '2035-06-05 12:00', '1 second');
SELECT pg_temp.hold('again',         'rg10-c4', 'rg10-u7', 'rg10-v7', '2035-06-05 10:00', '1 second');
SELECT pg_temp.hold('own_elsewhere', 'rg10-c5', 'rg10-u8', 'rg10-v8', '2035-06-05 10:00', '1 second');
SELECT pg_temp.hold('live_older',    'rg10-c6', 'rg10-u9', 'rg10-v9', '2035-06-05 10:00', '10 minutes');
SELECT pg_temp.hold('stale_newer',   'rg10-c7', 'rg10-u10', 'rg10-v9', '2035-06-05 10:00', '1 second');
SELECT pg_temp.hold('swept',         'rg10-c8', 'rg10-u11', 'rg10-v11', '2035-06-05 10:00', '1 second');
SELECT pg_temp.hold('superseded',    'rg10-c9', 'rg10-u12', 'rg10-v12', '2035-06-05 10:00', '1 second');
-- confirmed in the transaction that made it, so surely within its second
BEGIN;
SELECT pg_temp.hold('confirmed',     'rg10-c3', 'rg10-u6', 'rg10-v6', '2035-06-05 10:00', '1 second');
SELECT booking_confirm(pg_temp.tok('confirmed'), 'rg10-u6')->>'status' AS confirmed_in_time;
COMMIT;
SELECT h.name, b.status, extract(epoch FROM b.expires_at - b.created_at) AS ttl_seconds
FROM hold h JOIN booking.pending_bookings b USING (token) ORDER BY h.name;

SELECT pg_sleep(1.2);

-- their time is up, but nothing has marked them yet
SELECT h.name, b.status, b.expires_at <= now() AS past_expiry
FROM hold h JOIN booking.pending_bookings b USING (token) ORDER BY h.name;

-- a stale hold does not block the same slot for someone else...
SELECT r->>'status' AS status, r ? 'superseded_token' AS superseded_something
FROM booking_propose('rg10-c1', 'rg10-u20', 'rg10-v20', '2035-06-05 12:00') AS r;
-- ... nor an overlapping one
SELECT r->>'status' AS status FROM booking_propose('rg10-c1', 'rg10-u21', 'rg10-v21', '2035-06-05 14:30') AS r;
-- ... nor the same slot for its own client from another conversation
SELECT r->>'status' AS status FROM booking_propose('rg10-c5', 'rg10-u8', 'rg10-v8b', '2035-06-05 10:00') AS r;
-- and the stale holds those proposals met are now marked expired, not superseded
SELECT h.name, b.status, b.cancel_reason, b.resolved_at IS NOT NULL AS resolved
FROM hold h JOIN booking.pending_bookings b USING (token)
WHERE h.name IN ('same_slot', 'overlapped', 'own_elsewhere') ORDER BY h.name;

-- pending state and the classifier context ignore a stale hold
SELECT booking_pending_state('rg10-v4', 'rg10-u4');
SELECT booking_classifier_context('rg10-v4', 'rg10-u4');
SELECT b.status AS still_unswept FROM booking.pending_bookings b WHERE token = pg_temp.tok('pending');
-- the fallback confirm does not pick it
SELECT booking_confirm_latest('rg10-v4', 'rg10-u4');

-- EXPIRED: confirm of a stale hold, which is then marked expired
SELECT booking_confirm(pg_temp.tok('confirm_late'), 'rg10-u1') - 'token' - 'expires_at' AS answer;
SELECT array_agg(k ORDER BY k) AS keys
FROM jsonb_object_keys(booking_confirm(pg_temp.tok('confirm_late'), 'rg10-u1')) AS k;
SELECT r->>'token' = pg_temp.tok('confirm_late') AS same_token,
       (r->>'expires_at')::timestamptz = date_trunc('second', b.expires_at) AS its_expiry,
       b.status, b.cancel_reason, b.resolved_at IS NOT NULL AS resolved, b.consultation_id
FROM booking_confirm(pg_temp.tok('confirm_late'), 'rg10-u1') AS r
JOIN booking.pending_bookings b ON b.token = r->>'token';
SELECT count(*) AS consultations FROM booking.consultations WHERE token = pg_temp.tok('confirm_late');
-- another client still gets NOT_FOUND for it
SELECT booking_confirm(pg_temp.tok('confirm_late'), 'rg10-u2')->>'error' AS other_client;

-- a hold confirmed in time stays confirmed: a retry after its expiry is
-- already_confirmed, and a cancel is NOT_PENDING
SELECT r->>'status' AS status, (r->>'already_confirmed')::boolean AS already_confirmed
FROM booking_confirm(pg_temp.tok('confirmed'), 'rg10-u6') AS r;
SELECT booking_cancel(pg_temp.tok('confirmed'), 'rg10-u6')->>'error' AS cancel;

-- cancel of a stale hold: ok, and it says expired
SELECT booking_cancel(pg_temp.tok('cancel_late'), 'rg10-u5') - 'token' AS answer;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = pg_temp.tok('cancel_late');
SELECT booking_cancel(pg_temp.tok('cancel_late'), 'rg10-u5')->>'status' AS again;

-- the same client asking again for the same slot gets a new hold, not the stale one
SELECT r->>'token' <> pg_temp.tok('again') AS new_token, (r->>'reused')::boolean AS reused,
       r ? 'superseded_token' AS superseded_something,
       (r->>'expires_at')::timestamptz = date_trunc('second', now() + interval '10 minutes') AS fresh_expiry
FROM booking_propose('rg10-c4', 'rg10-u7', 'rg10-v7', '2035-06-05 10:00') AS r;
SELECT token = pg_temp.tok('again') AS old, status, cancel_reason FROM booking.pending_bookings
WHERE conversation_id = 'rg10-v7' ORDER BY created_at;

-- a stale hold of the conversation is expired, not reported superseded, when another slot is proposed
SELECT r->>'status' AS status, r ? 'superseded_token' AS superseded_something
FROM booking_propose('rg10-c9', 'rg10-u12', 'rg10-v12', '2035-06-05 16:00') AS r;
SELECT status, cancel_reason FROM booking.pending_bookings WHERE token = pg_temp.tok('superseded');

-- the fallback confirm takes the newest active hold: the newer one is stale,
-- so the older live one of this client is confirmed
SELECT booking_confirm_latest('rg10-v9', 'rg10-u10')->>'error' AS stale_newer;
SELECT r->>'token' = pg_temp.tok('live_older') AS live_older, r->>'status' AS status
FROM booking_confirm_latest('rg10-v9', 'rg10-u9') AS r;

-- the sweep marks what is left; a swept hold answers EXPIRED just the same
SELECT booking_expire_holds() >= 3 AS swept_some;
SELECT h.name, b.status FROM hold h JOIN booking.pending_bookings b USING (token)
WHERE h.name IN ('pending', 'swept', 'stale_newer') ORDER BY h.name;
SELECT r->>'error' AS error, r->>'status' AS status FROM booking_confirm(pg_temp.tok('swept'), 'rg10-u11') AS r;

-- a hold whose expiry alone was moved into the past, as a test or an
-- operator may do, is stale like any other
SELECT pg_temp.hold('moved', 'rg10-c10', 'rg10-u13', 'rg10-v13', '2035-06-05 10:00', '10 minutes');
UPDATE booking.pending_bookings SET expires_at = now() - interval '1 second'
WHERE token = pg_temp.tok('moved');
SELECT booking_pending_state('rg10-v13', 'rg10-u13') AS moved_pending;
SELECT booking_confirm(pg_temp.tok('moved'), 'rg10-u13')->>'error' AS moved_confirm;
SELECT booking_propose('rg10-c10', 'rg10-u14', 'rg10-v14', '2035-06-05 10:00')->>'status' AS moved_slot;

-- the boundary: a hold whose expires_at is now() itself is expired
SELECT pg_temp.hold('edge', 'rg10-c11', 'rg10-u15', 'rg10-v15', '2035-06-05 10:00', '10 minutes');
BEGIN;
UPDATE booking.pending_bookings SET expires_at = now() WHERE token = pg_temp.tok('edge');
SELECT booking_pending_state('rg10-v15', 'rg10-u15') AS edge_pending;
SELECT split_part(booking_classifier_context('rg10-v15', 'rg10-u15'), E'\n', 1) AS edge_context;
SELECT booking_confirm_latest('rg10-v15', 'rg10-u15')->>'error' AS edge_confirm_latest;
SELECT booking_confirm(pg_temp.tok('edge'), 'rg10-u15')->>'error' AS edge_confirm;
COMMIT;
BEGIN;
UPDATE booking.pending_bookings SET status = 'awaiting_confirm', resolved_at = NULL, expires_at = now()
WHERE token = pg_temp.tok('edge');
SELECT booking_propose('rg10-c11', 'rg10-u16', 'rg10-v16', '2035-06-05 10:00')->>'status' AS edge_slot;
COMMIT;

-- no stale hold was left active, and no expired hold has a consultation
SELECT count(*) FILTER (WHERE status = 'awaiting_confirm' AND expires_at <= now()) AS stale_active,
       count(*) FILTER (WHERE status = 'expired' AND consultation_id IS NOT NULL) AS expired_booked
FROM booking.pending_bookings WHERE consultant_id LIKE 'rg10-%';

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg10-%' OR conversation_id LIKE 'rg10-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg10-%';
