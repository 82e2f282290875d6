-- EXPLAIN (ANALYZE, BUFFERS) of the statements that a propose and a
-- confirm run, written as src/statements.c writes them (keep the two in
-- step), with the generic plan that a kept plan settles on.  Parameters:
-- consultant :'kid' and client :'cid' of the last run, a free hour after
-- the consultant's last hold or consultation.  Everything is rolled back.
\set ON_ERROR_STOP on
SET plan_cache_mode = force_generic_plan;
SELECT (SELECT count(*) FROM booking.pending_bookings WHERE consultant_id = :'kid') AS holds,
       (SELECT count(*) FROM booking.consultations WHERE consultant_id = :'kid') AS consultations,
       t + interval '2 hours' AS s1, t + interval '3 hours' AS e1
FROM (SELECT greatest((SELECT max(end_at) FROM booking.pending_bookings WHERE consultant_id = :'kid'),
                      (SELECT max(ends_at) FROM booking.consultations WHERE consultant_id = :'kid'),
                      date_trunc('hour', now())) AS t) AS last \gset
\echo consultant :kid: :holds holds, :consultations consultations; tables:
SELECT c.relname, c.reltuples::bigint AS rows, pg_size_pretty(pg_relation_size(c.oid)) AS size
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'booking' ORDER BY c.relkind DESC, c.relname;

BEGIN;
PREPARE scan_holds(text, timestamptz, timestamptz, text, text) AS
SELECT token, consultant_id, client_id, conversation_id, status, start_at, end_at,
       created_at, expires_at, consultation_id, cancel_reason
FROM booking.pending_bookings
WHERE status OPERATOR(pg_catalog.=) 'awaiting_confirm'
  AND ((consultant_id OPERATOR(pg_catalog.=) $1
        AND pg_catalog.tstzrange(start_at, end_at) OPERATOR(pg_catalog.&&) pg_catalog.tstzrange($2, $3))
    OR (conversation_id OPERATOR(pg_catalog.=) $4 AND client_id OPERATOR(pg_catalog.=) $5));
PREPARE scan_booked(text, timestamptz, timestamptz) AS
SELECT 1 FROM booking.consultations
WHERE consultant_id OPERATOR(pg_catalog.=) $1 AND status OPERATOR(pg_catalog.=) 'booked'
  AND pg_catalog.tstzrange(scheduled_at, ends_at) OPERATOR(pg_catalog.&&) pg_catalog.tstzrange($2, $3)
LIMIT 1;
PREPARE insert_hold_if_free(text, text, text, text, timestamptz, timestamptz, timestamptz, timestamptz) AS
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at,
     status, created_at, expires_at)
SELECT $1, $2, $3, $4, $5, $6, 'awaiting_confirm', $7, $8
WHERE NOT EXISTS (SELECT 1 FROM booking.pending_bookings
    WHERE conversation_id OPERATOR(pg_catalog.=) $4 AND status OPERATOR(pg_catalog.=) 'awaiting_confirm'
    AND client_id OPERATOR(pg_catalog.=) $3)
AND NOT EXISTS (SELECT 1 FROM booking.consultations
    WHERE consultant_id OPERATOR(pg_catalog.=) $2 AND status OPERATOR(pg_catalog.=) 'booked'
    AND pg_catalog.tstzrange(scheduled_at, ends_at) OPERATOR(pg_catalog.&&) pg_catalog.tstzrange($5, $6))
ON CONFLICT DO NOTHING;
PREPARE confirm_hold(text, text, timestamptz) AS
WITH hold AS (
    SELECT token, consultant_id, client_id, conversation_id, status, start_at, end_at,
           created_at, expires_at, consultation_id, cancel_reason
    FROM booking.pending_bookings
    WHERE token OPERATOR(pg_catalog.=) $1 FOR UPDATE),
booked AS (
    INSERT INTO booking.consultations
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    SELECT token, consultant_id, client_id, conversation_id, start_at, end_at, 'booked', $3 FROM hold
    WHERE client_id OPERATOR(pg_catalog.=) $2 AND status OPERATOR(pg_catalog.=) 'awaiting_confirm'
      AND expires_at OPERATOR(pg_catalog.>) $3
    ON CONFLICT DO NOTHING RETURNING id),
confirmed AS (
    UPDATE booking.pending_bookings
    SET status = 'confirmed', consultation_id = booked.id, resolved_at = $3
    FROM booked WHERE token OPERATOR(pg_catalog.=) $1 RETURNING booked.id)
SELECT hold.*, (SELECT id FROM confirmed) FROM hold;

-- A backend's first execution of each statement also loads the catalog
-- entries of the indexes it opens; run everything once on another slot so
-- that the plans below show the steady state.
\o /dev/null
EXECUTE scan_holds(:'kid', :'s1', :'e1', :'cid', :'cid');
EXECUTE scan_booked(:'kid', :'s1', :'e1');
EXECUTE insert_hold_if_free('bk_warmupwarmupwarmupwarm0', :'kid', :'cid', 'bench-warm-up',
                            :'e1'::timestamptz + interval '10 hours', :'e1'::timestamptz + interval '11 hours',
                            now(), now() + interval '10 minutes');
EXECUTE confirm_hold('bk_warmupwarmupwarmupwarm0', :'cid', now());
\o

\echo
\echo == STMT_PROPOSE_SCAN_HOLDS, which a propose runs when the slot or the conversation is not free
EXPLAIN (ANALYZE, BUFFERS) EXECUTE scan_holds(:'kid', :'s1', :'e1', :'cid', :'cid');
\echo == STMT_PROPOSE_SCAN_BOOKED, then (and under REPEATABLE READ)
EXPLAIN (ANALYZE, BUFFERS) EXECUTE scan_booked(:'kid', :'s1', :'e1');
\echo == STMT_INSERT_HOLD_IF_FREE, the propose of a free slot
EXPLAIN (ANALYZE, BUFFERS) EXECUTE insert_hold_if_free('bk_explainexplainexplain00', :'kid', :'cid', :'cid',
                                                       :'s1', :'e1', now(), now() + interval '10 minutes');
\echo == STMT_CONFIRM_HOLD, the confirm
EXPLAIN (ANALYZE, BUFFERS) EXECUTE confirm_hold('bk_explainexplainexplain00', :'cid', now());
ROLLBACK;
