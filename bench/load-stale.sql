-- :rows holds whose time ran out an hour ago but which still say
-- awaiting_confirm, as if no sweep had run: 100 future slots for each of
-- :rows / 100 consultants that the workload never books for.
\set ON_ERROR_STOP on
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, status, created_at,
     expires_at)
SELECT 'bk_' || md5('stale' || g), 's' || g / 100, 'sc' || g, 'sv' || g,
       date_trunc('hour', now()) + (g % 100 + 24) * interval '2 hours',
       date_trunc('hour', now()) + (g % 100 + 24) * interval '2 hours' + interval '1 hour',
       'awaiting_confirm', now() - interval '70 minutes', now() - interval '60 minutes'
FROM generate_series(0, :rows - 1) AS g;
