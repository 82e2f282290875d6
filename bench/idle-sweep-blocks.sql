-- Blocks of the holds table and its indexes that one sweep with nothing to
-- do touches (read or found in shared buffers): it must not grow with the
-- resolved holds a database keeps.  Run by bench/run.sh on the empty and on
-- the history database.
\set ON_ERROR_STOP on
SELECT pg_stat_force_next_flush();
\c
SELECT sum(heap_blks_read + heap_blks_hit + coalesce(idx_blks_read, 0) + coalesce(idx_blks_hit, 0)) AS before
FROM pg_statio_all_tables WHERE relid = 'booking.pending_bookings'::regclass \gset
CALL booking_sweep_holds(1000);
SELECT pg_stat_force_next_flush();
\c
SELECT sum(heap_blks_read + heap_blks_hit + coalesce(idx_blks_read, 0) + coalesce(idx_blks_hit, 0))
       - :before AS blocks
FROM pg_statio_all_tables WHERE relid = 'booking.pending_bookings'::regclass;
