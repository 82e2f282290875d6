-- booking_propose: the shape of a hold, retries, SLOT_HELD, SLOT_TAKEN and
-- one hold per conversation.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg06-%' OR conversation_id LIKE 'rg06-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg06-%';

-- a new hold
CREATE TEMP TABLE first_hold AS
SELECT now() AS called_at, booking_propose('rg06-c1', 'rg06-u1', 'rg06-v1', '2031-03-11 15:00') AS r;
SELECT regress.masked(r) FROM first_hold;
SELECT array_agg(k ORDER BY k) AS keys FROM first_hold, jsonb_object_keys(r) AS k;
SELECT jsonb_typeof(r->'ok') AS ok, jsonb_typeof(r->'reused') AS reused,
       r->>'start_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$' AS start_at_utc,
       r->>'end_at' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$' AS end_at_utc,
       r->>'start_local' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$' AS start_local_offset,
       (r->>'expires_at')::timestamptz = date_trunc('second', called_at + interval '10 minutes') AS expires_in_10min,
       (r->>'start_local')::timestamptz = (r->>'start_at')::timestamptz AS local_is_same_instant
FROM first_hold;

-- the row behind it
SELECT b.consultant_id, b.client_id, b.conversation_id, b.status,
       b.start_at = (f.r->>'start_at')::timestamptz AS start_at,
       b.end_at = (f.r->>'end_at')::timestamptz AS end_at,
       b.created_at = f.called_at AS created_now,
       b.expires_at = b.created_at + interval '10 minutes' AS expires_after_ttl,
       date_trunc('second', b.expires_at) = (f.r->>'expires_at')::timestamptz AS expires_as_answered,
       b.resolved_at, b.cancel_reason, b.consultation_id
FROM first_hold f JOIN booking.pending_bookings b ON b.token = f.r->>'token';

-- the same proposal again (same client, conversation, consultant, slot): the
-- same hold, unchanged, "reused": true
SELECT r->>'token' AS token1, r->>'expires_at' AS expires1,
       (SELECT expires_at FROM booking.pending_bookings WHERE token = r->>'token') AS stored_expiry1
FROM first_hold \gset
SELECT regress.masked(r) AS again, r->>'token' = :'token1' AS same_token,
       r->>'expires_at' = :'expires1' AS same_expiry, (r->>'reused')::boolean AS reused
FROM booking_propose('rg06-c1', 'rg06-u1', 'rg06-v1', '2031-03-11 15:00') AS r;
-- also when written in another accepted form naming the same instant
SELECT r->>'token' = :'token1' AS same_token, (r->>'reused')::boolean AS reused
FROM booking_propose('rg06-c1', 'rg06-u1', 'rg06-v1', '2031-03-11T14:00:00Z', duration => '1 hour', ttl => '1 hour') AS r;
SELECT count(*) AS holds, min(expires_at) = :'stored_expiry1'::timestamptz AS expiry_not_extended
FROM booking.pending_bookings WHERE conversation_id = 'rg06-v1';

-- SLOT_HELD: the same slot, for another client
SELECT booking_propose('rg06-c1', 'rg06-u2', 'rg06-v2', '2031-03-11 15:00');
SELECT array_agg(k ORDER BY k) AS keys
FROM jsonb_object_keys(booking_propose('rg06-c1', 'rg06-u2', 'rg06-v2', '2031-03-11 15:00')) AS k;
-- ... for the same client in another conversation
SELECT booking_propose('rg06-c1', 'rg06-u1', 'rg06-v3', '2031-03-11 15:00')->>'error' AS error;
-- ... an overlapping slot that is not the same one, whoever asks
SELECT t AS start_time, d AS duration, u AS client, v AS conversation,
       booking_propose('rg06-c1', u, v, t, duration => d::interval)->>'error' AS error
FROM (VALUES ('2031-03-11 15:30', '1 hour', 'rg06-u2', 'rg06-v2'),
             ('2031-03-11 14:30', '1 hour', 'rg06-u2', 'rg06-v2'),
             ('2031-03-11 14:00', '3 hours', 'rg06-u2', 'rg06-v2'),
             ('2031-03-11 15:15', '10 minutes', 'rg06-u2', 'rg06-v2'),
             ('2031-03-11 15:59', '1 hour', 'rg06-u2', 'rg06-v2'),
             ('2031-03-11 14:01', '1 hour', 'rg06-u2', 'rg06-v2'),
             ('2031-03-11 15:30', '1 hour', 'rg06-u1', 'rg06-v3'),
             ('2031-03-11T14:00:00Z', '1 hour', 'rg06-u1', 'rg06-v3')) AS s(t, d, u, v);
-- ... the same instant written with an offset
SELECT booking_propose('rg06-c1', 'rg06-u2', 'rg06-v2', '2031-03-11T15:00+01:00')->>'error' AS error;
-- slots that only touch it are free: [start, end) ranges
SELECT t AS start_time, d AS duration,
       booking_propose('rg06-c1', 'rg06-u' || n, 'rg06-touch' || n, t, duration => d::interval)->>'status' AS status
FROM (VALUES (1, '2031-03-11 14:00', '1 hour'), (2, '2031-03-11 16:00', '30 minutes')) AS s(n, t, d);
-- the same slot of another consultant is free
SELECT booking_propose('rg06-c2', 'rg06-u2', 'rg06-v2', '2031-03-11 15:00')->>'status' AS status;
-- none of the refused proposals touched the hold or added one
SELECT b.status, b.token = :'token1' AS first_hold
FROM booking.pending_bookings b WHERE consultant_id = 'rg06-c1' ORDER BY b.start_at;

-- SLOT_TAKEN: a booked consultation overlaps
INSERT INTO booking.consultations (consultant_id, client_id, conversation_id, scheduled_at, ends_at)
VALUES ('rg06-c3', 'rg06-someone', NULL, '2031-03-12 10:00+01', '2031-03-12 11:00+01');
SELECT booking_propose('rg06-c3', 'rg06-u1', 'rg06-v4', '2031-03-12 10:00');
SELECT array_agg(k ORDER BY k) AS keys
FROM jsonb_object_keys(booking_propose('rg06-c3', 'rg06-u1', 'rg06-v4', '2031-03-12 10:00')) AS k;
SELECT t AS start_time, d AS duration,
       booking_propose('rg06-c3', 'rg06-u1', 'rg06-v4', t, duration => d::interval)->>'error' AS error
FROM (VALUES ('2031-03-12 09:30', '1 hour'), ('2031-03-12 10:59', '1 hour'),
             ('2031-03-12 10:15', '15 minutes'), ('2031-03-12 08:00', '4 hours')) AS s(t, d);
-- a booked consultation of the same client blocks it as well
SELECT booking_propose('rg06-c3', 'rg06-someone', 'rg06-v5', '2031-03-12 10:00')->>'error' AS error;
-- touching slots, another consultant, and a cancelled consultation do not
UPDATE booking.consultations SET status = 'cancelled'
WHERE consultant_id = 'rg06-c3' AND scheduled_at = '2031-03-12 10:00+01';
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at)
VALUES ('rg06-c3', 'rg06-someone', '2031-03-12 14:00+01', '2031-03-12 15:00+01');
SELECT t AS start_time, c AS consultant,
       booking_propose(c, 'rg06-u' || n, 'rg06-free' || n, t)->>'status' AS status
FROM (VALUES (1, 'rg06-c3', '2031-03-12 10:00'), (2, 'rg06-c3', '2031-03-12 13:00'),
             (3, 'rg06-c3', '2031-03-12 15:00'), (4, 'rg06-c4', '2031-03-12 14:00')) AS s(n, c, t);
SELECT count(*) AS holds FROM booking.pending_bookings WHERE conversation_id IN ('rg06-v4', 'rg06-v5');

-- one hold per conversation: another slot in it supersedes the old hold
SELECT booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-13 09:00')->>'token' AS old_token \gset
SELECT regress.masked(r) AS new_hold, r->>'superseded_token' = :'old_token' AS superseded_old,
       r->>'token' <> :'old_token' AS new_token
FROM booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-13 11:00') AS r;
SELECT array_agg(k ORDER BY k) AS keys FROM jsonb_object_keys(
    booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-13 12:00')) AS k;
SELECT to_char(start_at AT TIME ZONE 'Europe/Rome', 'HH24:MI') AS slot, status, cancel_reason,
       resolved_at IS NOT NULL AS resolved, token = :'old_token' AS old
FROM booking.pending_bookings WHERE conversation_id = 'rg06-v6' ORDER BY created_at, start_at;
-- the superseded slot is free for someone else at once
SELECT booking_propose('rg06-c5', 'rg06-u7', 'rg06-v7', '2031-03-13 09:00')->>'status' AS status;
-- a different length of the same start is another slot too
SELECT r->>'superseded_token' IS NOT NULL AS superseded, (r->>'reused')::boolean AS reused, r->>'end_at' AS end_at
FROM booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-13 12:00', duration => '30 min') AS r;
-- an overlapping slot of the same conversation replaces its hold rather than colliding with it
SELECT r->>'status' AS status, r->>'superseded_token' IS NOT NULL AS superseded, r->>'start_local' AS start_local
FROM booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-13 12:15') AS r;
-- a slot of another consultant, in the same conversation, supersedes too
SELECT r->>'consultant_id' AS consultant, r->>'superseded_token' IS NOT NULL AS superseded
FROM booking_propose('rg06-c6', 'rg06-u6', 'rg06-v6', '2031-03-13 12:15') AS r;
SELECT consultant_id, count(*) FILTER (WHERE status = 'awaiting_confirm') AS active,
       count(*) FILTER (WHERE cancel_reason = 'superseded') AS superseded
FROM booking.pending_bookings WHERE conversation_id = 'rg06-v6' GROUP BY 1 ORDER BY 1;
-- a refused proposal leaves the conversation's hold alone
SELECT booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-13 09:00')->>'error' AS held_by_other,
       booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', 'later')->>'error' AS invalid,
       booking_propose('rg06-c5', 'rg06-u6', 'rg06-v6', '2031-03-30 02:30')->>'error' AS nonexistent;
SELECT consultant_id, status FROM booking.pending_bookings
WHERE conversation_id = 'rg06-v6' AND status = 'awaiting_confirm';
-- holds of one consultant never overlap, whatever went through
SELECT count(*) AS overlapping_active_pairs
FROM booking.pending_bookings a JOIN booking.pending_bookings b
  ON a.consultant_id = b.consultant_id AND a.token < b.token
 AND tstzrange(a.start_at, a.end_at) && tstzrange(b.start_at, b.end_at)
WHERE a.status = 'awaiting_confirm' AND b.status = 'awaiting_confirm' AND a.consultant_id LIKE 'rg06-%';

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg06-%' OR conversation_id LIKE 'rg06-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg06-%';
