-- The floor: the rows a propose and a confirm write, and nothing else.  A
-- propose is one INSERT of the hold; a confirm one statement that inserts
-- the consultation and updates the hold.  No lock, no checks: only the
-- tables' own indexes and constraints.  Variables as in api.sql, plus mode:
--   0  plain INSERTs (the floor);
--   1  INSERT ... ON CONFLICT DO NOTHING, as the extension writes them (the
--      floor under contention, where a plain INSERT's first collision
--      would end the run);
--   2  ON CONFLICT ON CONSTRAINT <the exclusion constraint> DO NOTHING;
--   3  mode 1 plus the extension's checks folded into the same statements:
--      the propose's reads of the conversation's hold and of booked
--      overlaps, the row lock in the confirm.
-- Modes 1 to 3 show what the extension's statement shapes cost on their own.
\if :phase = 0
\set n :n + 1
\if :nk = 0
\set kid :run * 1000 + :client_id
\else
\set kid :run * 1000 + random(1, :nk)
\endif
\set cid :run * 1000 + 500 + :client_id
\set sec :base + :n * 3600
\set tok random(1000000000000000000, 9223372036854775806)
\if :mode = 0
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at,
     status, created_at, expires_at)
VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
        'awaiting_confirm', now(), now() + interval '10 minutes');
\set phase 1
\elif :mode = 1
WITH hold AS (
    INSERT INTO booking.pending_bookings
        (token, consultant_id, client_id, conversation_id, start_at, end_at,
         status, created_at, expires_at)
    VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
            'awaiting_confirm', now(), now() + interval '10 minutes')
    ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS phase FROM hold \gset
\elif :mode = 2
WITH hold AS (
    INSERT INTO booking.pending_bookings
        (token, consultant_id, client_id, conversation_id, start_at, end_at,
         status, created_at, expires_at)
    VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
            'awaiting_confirm', now(), now() + interval '10 minutes')
    ON CONFLICT ON CONSTRAINT pending_bookings_no_overlap DO NOTHING RETURNING 1)
SELECT count(*) AS phase FROM hold \gset
\else
WITH held AS (
    SELECT 1 FROM booking.pending_bookings
    WHERE status = 'awaiting_confirm' AND conversation_id = :cid AND client_id = :cid),
taken AS (
    SELECT 1 FROM booking.consultations
    WHERE consultant_id = :kid AND status = 'booked'
      AND tstzrange(scheduled_at, ends_at)
          && tstzrange(to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour')
    LIMIT 1),
hold AS (
    INSERT INTO booking.pending_bookings
        (token, consultant_id, client_id, conversation_id, start_at, end_at,
         status, created_at, expires_at)
    SELECT :tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
           'awaiting_confirm', now(), now() + interval '10 minutes'
    WHERE NOT EXISTS (SELECT 1 FROM held) AND NOT EXISTS (SELECT 1 FROM taken)
    ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS phase FROM hold \gset
\endif
\elif :mode = 0
WITH consultation AS (
    INSERT INTO booking.consultations
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
            'booked', now())
    RETURNING id)
UPDATE booking.pending_bookings
SET status = 'confirmed', consultation_id = consultation.id, resolved_at = now()
FROM consultation WHERE token = :tok;
\set phase 0
\elif :mode = 1
WITH consultation AS (
    INSERT INTO booking.consultations
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
            'booked', now())
    ON CONFLICT DO NOTHING RETURNING id)
UPDATE booking.pending_bookings
SET status = 'confirmed', consultation_id = consultation.id, resolved_at = now()
FROM consultation WHERE token = :tok;
\set phase 0
\elif :mode = 2
WITH consultation AS (
    INSERT INTO booking.consultations
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    VALUES (:tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
            'booked', now())
    ON CONFLICT ON CONSTRAINT consultations_no_overlap DO NOTHING RETURNING id)
UPDATE booking.pending_bookings
SET status = 'confirmed', consultation_id = consultation.id, resolved_at = now()
FROM consultation WHERE token = :tok;
\set phase 0
\else
WITH hold AS (
    SELECT token FROM booking.pending_bookings WHERE token = :tok FOR UPDATE),
consultation AS (
    INSERT INTO booking.consultations
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    SELECT :tok, :kid, :cid, :cid, to_timestamp(:sec), to_timestamp(:sec) + interval '1 hour',
           'booked', now()
    FROM hold
    ON CONFLICT DO NOTHING RETURNING id)
UPDATE booking.pending_bookings
SET status = 'confirmed', consultation_id = consultation.id, resolved_at = now()
FROM consultation WHERE token = :tok;
\set phase 0
\endif
