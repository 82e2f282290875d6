-- History for the scale test: resolved holds and consultations in the past,
-- rows :first to :last - 1 of them (two sessions load halves side by side).
-- They are spread over 1000 consultants, the first of which are the ids the
-- workload then books for (:kids, a text[] literal), so that its look-ups
-- run into a long past of their own.  Each consultant's rows are two hours
-- apart before :'t0', so the booked ones never overlap.
\set ON_ERROR_STOP on
CREATE TEMP TABLE history AS
SELECT g,
       CASE WHEN g % 1000 < cardinality(:'kids'::text[])
            THEN (:'kids'::text[])[g % 1000 + 1] ELSE 'h' || g % 1000 END AS consultant_id,
       :'t0'::timestamptz - (g / 1000 + 1) * interval '2 hours' AS start_at,
       'bk_' || md5(g::text) AS token
FROM generate_series(:first, :last - 1) AS g;

INSERT INTO booking.consultations
    (consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, token, created_at)
SELECT consultant_id, 'hc' || g % 50000, 'hv' || g, start_at, start_at + interval '1 hour',
       CASE WHEN g % 10 = 9 THEN 'cancelled' ELSE 'booked' END, token, start_at - interval '1 day'
FROM history;

INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, status, created_at,
     expires_at, resolved_at, cancel_reason, consultation_id)
SELECT token, consultant_id, 'hc' || g % 50000, 'hv' || g, start_at, start_at + interval '1 hour',
       CASE WHEN g % 10 < 7 THEN 'confirmed' WHEN g % 10 < 9 THEN 'expired' ELSE 'cancelled' END,
       start_at - interval '1 day', start_at - interval '1 day' + interval '10 minutes',
       start_at - interval '1 day' + interval '1 minute',
       CASE WHEN g % 10 = 9 THEN 'client' END,
       CASE WHEN g % 10 < 7 THEN g + 1 END
FROM history;
