-- booking_consultations: the client's booked consultations that have not
-- ended, soonest first, at most 100, optionally of one conversation, with
-- start_local in booking.timezone.

SET booking.max_advance = '30 years';
DELETE FROM booking.pending_bookings WHERE client_id LIKE 'rg30-%';
DELETE FROM booking.consultations WHERE client_id LIKE 'rg30-%';

-- The results of the life of a consultation carry more sequence-dependent
-- ids than 1.0's: shown by their format, like consultation_id.
CREATE OR REPLACE FUNCTION regress.lc_masked(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_object_agg(key, CASE
        WHEN key IN ('moved_to', 'moves_consultation_id', 'moved_from_consultation_id') THEN
            to_jsonb(CASE WHEN jsonb_typeof(value) = 'number' AND (value #>> '{}')::bigint > 0 THEN '<id>' ELSE 'BAD ID: ' || (value #>> '{}') END)
        ELSE value END)
    FROM jsonb_each(regress.masked(r))
$$;

-- books a slot through the API; returns the consultation id
CREATE OR REPLACE FUNCTION regress.book(consultant text, client text, conversation text,
                                        start_time text, duration interval DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    p jsonb := booking_propose(consultant, client, conversation, start_time, duration);
    c jsonb;
BEGIN
    IF p->>'ok' IS DISTINCT FROM 'true' THEN
        RAISE EXCEPTION 'propose of % failed: %', start_time, p;
    END IF;
    c := booking_confirm(p->>'token', client);
    IF c->>'ok' IS DISTINCT FROM 'true' THEN
        RAISE EXCEPTION 'confirm of % failed: %', start_time, c;
    END IF;
    RETURN (c->>'consultation_id')::bigint;
END $$;

-- nothing booked yet
SELECT booking_consultations('rg30-u1');

-- three consultations in two conversations, booked out of order, and
-- another client's
SELECT regress.book('rg30-c1', 'rg30-u1', 'rg30-v1', '2033-03-10 15:00') AS late \gset
SELECT regress.book('rg30-c2', 'rg30-u1', 'rg30-v2', '2033-03-09 09:30', '30min') AS early \gset
SELECT regress.book('rg30-c1', 'rg30-u1', 'rg30-v1', '2033-03-09 11:00') AS middle \gset
SELECT regress.book('rg30-c1', 'rg30-u2', 'rg30-v3', '2033-03-09 08:00') AS other \gset

-- the whole shape, soonest first; ids in booking order are early, middle, late
CREATE TEMP TABLE listed AS SELECT booking_consultations('rg30-u1') AS r;
SELECT jsonb_pretty(jsonb_set(r, '{consultations}', (
         SELECT jsonb_agg(e - 'consultation_id' ORDER BY n)
         FROM jsonb_array_elements(r->'consultations') WITH ORDINALITY AS a(e, n))))
FROM listed;
SELECT array_agg((e->>'consultation_id')::bigint ORDER BY n)
       = ARRAY[:early, :middle, :late]::bigint[] AS soonest_first
FROM listed, jsonb_array_elements(r->'consultations') WITH ORDINALITY AS a(e, n);
SELECT array_agg(k ORDER BY k) AS keys FROM listed, jsonb_object_keys(r) AS k;
SELECT DISTINCT array_agg(k ORDER BY k) AS element_keys
FROM listed, jsonb_array_elements(r->'consultations') WITH ORDINALITY AS a(e, n),
     jsonb_object_keys(e) AS k GROUP BY n;

-- only those of one conversation
SELECT array_agg((e->>'consultation_id')::bigint ORDER BY n) = ARRAY[:middle, :late]::bigint[] AS of_v1
FROM jsonb_array_elements(booking_consultations('rg30-u1', 'rg30-v1')->'consultations')
     WITH ORDINALITY AS a(e, n);
SELECT booking_consultations('rg30-u1', 'rg30-v3') AS none_of_another_clients_conversation;
-- NULL conversation: all of them
SELECT jsonb_array_length(booking_consultations('rg30-u1', NULL)->'consultations') AS all_three;

-- start_local is written in booking.timezone, whatever the session's TimeZone
SET timezone = 'America/New_York';
SET booking.timezone = 'Asia/Tokyo';
SELECT e->>'start_local' AS start_local, e->>'timezone' AS timezone
FROM jsonb_array_elements(booking_consultations('rg30-u1')->'consultations') AS e
ORDER BY e->>'start_at' LIMIT 1;
RESET booking.timezone;
RESET timezone;

-- a cancelled consultation is not listed
UPDATE booking.consultations SET status = 'cancelled', cancel_reason = 'client', cancelled_at = now()
WHERE id = :middle;
SELECT array_agg((e->>'consultation_id')::bigint ORDER BY n) = ARRAY[:early, :late]::bigint[] AS without_cancelled
FROM jsonb_array_elements(booking_consultations('rg30-u1')->'consultations')
     WITH ORDINALITY AS a(e, n);

-- ended ones are not listed; one that has begun but not ended is, first
INSERT INTO booking.consultations (consultant_id, client_id, conversation_id, scheduled_at, ends_at)
VALUES ('rg30-c3', 'rg30-u1', 'rg30-v1', now() - interval '2 hours', now() - interval '1 hour'),
       ('rg30-c3', 'rg30-u1', 'rg30-v1', now() - interval '1 hour', now()),
       ('rg30-c4', 'rg30-u1', NULL, now() - interval '10 minutes', now() + interval '50 minutes');
SELECT jsonb_array_length(r->'consultations') AS n,
       r->'consultations'->0->>'consultant_id' AS first,
       r->'consultations'->0->'conversation_id' AS its_conversation
FROM booking_consultations('rg30-u1') AS r;

-- at most 100, the soonest
INSERT INTO booking.consultations (consultant_id, client_id, conversation_id, scheduled_at, ends_at)
SELECT 'rg30-bulk', 'rg30-u9', 'rg30-v9', t, t + interval '30 minutes'
FROM generate_series(timestamptz '2034-01-01 00:00Z', timestamptz '2034-01-01 00:00Z' + interval '149 hours',
                     interval '1 hour') AS t;
SELECT jsonb_array_length(r->'consultations') AS n,
       r->'consultations'->0->>'start_at' AS first,
       r->'consultations'->99->>'start_at' AS last
FROM booking_consultations('rg30-u9') AS r;

-- bad arguments
SELECT regress.err($$SELECT booking_consultations(NULL)$$);
SELECT regress.err($$SELECT booking_consultations('')$$);
SELECT regress.err($$SELECT booking_consultations('rg30-u1', '')$$);
SELECT regress.err($$SELECT booking_consultations(repeat('x', 256))$$);
SELECT regress.err($$SELECT booking_consultations('rg30-u1', repeat('x', 256))$$);

DELETE FROM booking.consultations WHERE client_id = 'rg30-u9';
