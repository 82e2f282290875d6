-- The flow an application runs itself, statement by statement: a propose
-- is BEGIN, the consultant's advisory lock, the two overlap checks, the
-- INSERT and COMMIT; a confirm is BEGIN, the hold's row lock, the
-- consultation INSERT, the hold's UPDATE and COMMIT.  Variables as in
-- api.sql; the token is the client's own random number.
\if :phase = 0
\set n :n + 1
\if :nk = 0
\set kid :run * 1000 + :client_id
\else
\set kid :run * 1000 + random(1, :nk)
\endif
\set cid :run * 1000 + 500 + :client_id
\set sec :base + :n * 3600
BEGIN;
SELECT pg_advisory_xact_lock(hashtext(:kid));
SELECT count(*) FILTER (WHERE expires_at > now()
                        AND NOT (conversation_id = :cid AND client_id = :cid)) AS held
FROM booking.pending_bookings
WHERE status = 'awaiting_confirm'
  AND ((consultant_id = :kid
        AND tstzrange(start_at, end_at)
            && tstzrange(to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour'))
       OR (conversation_id = :cid AND client_id = :cid)) \gset
SELECT count(*) AS taken
FROM (SELECT 1 FROM booking.consultations
      WHERE consultant_id = :kid AND status = 'booked'
        AND tstzrange(scheduled_at, ends_at)
            && tstzrange(to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour')
      LIMIT 1) AS t \gset
\if :held + :taken = 0
\set tok random(1000000000000000000, 9223372036854775806)
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at,
     status, created_at, expires_at)
VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
        'awaiting_confirm', now(), now() + interval '10 minutes');
\set phase 1
\endif
COMMIT;
\else
BEGIN;
SELECT consultant_id, client_id, conversation_id, start_at, end_at, status, expires_at
FROM booking.pending_bookings WHERE token = :tok FOR UPDATE;
INSERT INTO booking.consultations
    (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
        'booked', now())
RETURNING id AS consultation \gset
UPDATE booking.pending_bookings
SET status = 'confirmed', consultation_id = :consultation, resolved_at = now()
WHERE token = :tok;
COMMIT;
\set phase 0
\endif
