-- EXPLAIN (ANALYZE, BUFFERS) of the statements that one propose and one
-- confirm run, written as src/statements.c writes them (keep the two in
-- step), with the generic plan that a kept plan settles on.  Parameters:
-- consultant :'kid' and client :'cid' of the last run, a free hour after
-- the consultant's last hold.  Everything is rolled back.
\set ON_ERROR_STOP on
SET plan_cache_mode = force_generic_plan;
SELECT max(end_at) + interval '2 hours' AS s1, max(end_at) + interval '3 hours' AS e1,
       count(*) AS holds
FROM booking.pending_bookings WHERE consultant_id = :'kid' \gset
SELECT count(*) AS consultations FROM booking.consultations WHERE consultant_id = :'kid' \gset
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
PREPARE insert_hold(text, text, text, text, timestamptz, timestamptz, timestamptz, timestamptz) AS
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at,
     status, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, 'awaiting_confirm', $7, $8)
ON CONFLICT DO NOTHING;
PREPARE hold_for_update(text) AS
SELECT token, consultant_id, client_id, conversation_id, status, start_at, end_at,
       created_at, expires_at, consultation_id, cancel_reason
FROM booking.pending_bookings WHERE token OPERATOR(pg_catalog.=) $1 FOR UPDATE;
PREPARE book_hold(text, text, text, text, timestamptz, timestamptz, timestamptz) AS
WITH booked AS (
    INSERT INTO booking.consultations
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, 'booked', $7)
    ON CONFLICT DO NOTHING RETURNING id)
UPDATE booking.pending_bookings
SET status = 'confirmed', consultation_id = booked.id, resolved_at = $7
FROM booked WHERE token OPERATOR(pg_catalog.=) $1
RETURNING booked.id;

\echo
\echo == STMT_PROPOSE_SCAN_HOLDS
EXPLAIN (ANALYZE, BUFFERS) EXECUTE scan_holds(:'kid', :'s1', :'e1', :'cid', :'cid');
\echo == STMT_PROPOSE_SCAN_BOOKED
EXPLAIN (ANALYZE, BUFFERS) EXECUTE scan_booked(:'kid', :'s1', :'e1');
\echo == STMT_INSERT_HOLD
EXPLAIN (ANALYZE, BUFFERS) EXECUTE insert_hold('bk_explainexplainexplain00', :'kid', :'cid', :'cid',
                                               :'s1', :'e1', now(), now() + interval '10 minutes');
\echo == STMT_HOLD_FOR_UPDATE
EXPLAIN (ANALYZE, BUFFERS) EXECUTE hold_for_update('bk_explainexplainexplain00');
\echo == STMT_BOOK_HOLD
EXPLAIN (ANALYZE, BUFFERS) EXECUTE book_hold('bk_explainexplainexplain00', :'kid', :'cid', :'cid',
                                             :'s1', :'e1', now());
ROLLBACK;
