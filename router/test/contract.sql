-- The contract through the API only, no table: test/suites/router.sh runs
-- this file on one node (a database with booking) and through the router,
-- and the two outputs must be the same, line for line.  Random tokens,
-- expiry instants and sequence-given ids are masked (ids differ by
-- construction: a shard numbers k+1 modulo 1024).
--
-- Consultants rt-a and rt-b live on different shards of four, and so do
-- the conversations and clients used below, so that the router's steps
-- across shards (directory, supersede) are what is compared.
-- psql variables: has_cal, has_life (1.1 functions present on the nodes), day (a date
-- a few days ahead), gap_day (a spring-forward Sunday in Rome), fold_day.

SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS rt;

CREATE OR REPLACE FUNCTION rt.mask(t text) RETURNS text LANGUAGE sql AS $$
    SELECT regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        t,
        'bk_[A-Za-z0-9_-]{22}', '<token>', 'g'),
        '"(expires_at|created_at)": "[^"]*"', '"\1": "<utc>"', 'g'),
        '"(consultation_id|moved_from_consultation_id|moves_consultation_id|time_off_id|moved_to|moved_from|expires_in_seconds)": [0-9]+', '"\1": <n>', 'g'),
        '"(outside_hours|conflicting_consultation_ids)": \[[0-9, ]+\]', '"\1": [<ids>]', 'g'),
        'expires at [0-9T:Z-]+, in [0-9]+ seconds', 'expires at <utc>, in <n> seconds', 'g'),
        'consultation [0-9]+', 'consultation <n>', 'g')
$$;

-- One call: its masked result, or its SQLSTATE (messages differ: the
-- router names the shard that raised it).
CREATE OR REPLACE FUNCTION rt.show(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE stmt INTO r;
    RETURN rt.mask(r);
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END $$;

\pset tuples_only on
\pset format unaligned

\echo == propose: shapes, retries, walls
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u1', 'c1', %L)$$, :'day' || ' 10:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u1', 'c1', %L)$$, :'day' || ' 10:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u2', 'c2', %L)$$, :'day' || ' 10:30'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u1', 'c3', %L)$$, :'day' || ' 10:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u2', 'c2', %L, duration => '30 min')$$, :'day' || ' 09:30'));
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u2', 'c2', %L, tz => 'America/New_York')$$, :'day' || ' 10:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u3', 'c4', %L)$$, :'day' || 'T09:00:00Z'));
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u3', 'c4', %L)$$, :'day' || ' 18:00+05:00'));

\echo == time outcomes
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', 'tomorrow')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2026-02-30 10:00')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '')$$);
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u1', 'c1', %L)$$, :'gap_day' || ' 02:30'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u1', 'c1', %L)$$, :'fold_day' || ' 02:30'));
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2001-01-01 10:00')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2099-01-01 10:00')$$);

\echo == bad arguments
SELECT rt.show($$SELECT booking_propose(NULL, 'u1', 'c1', '2030-01-01 10:00')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', NULL, 'c1', '2030-01-01 10:00')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', NULL, '2030-01-01 10:00')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', NULL)$$);
SELECT rt.show($$SELECT booking_propose('', 'u1', 'c1', '2030-01-01 10:00')$$);
SELECT rt.show(format($$SELECT booking_propose(%L, 'u1', 'c1', '2030-01-01 10:00')$$, repeat('x', 256)));
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2030-01-01 10:00', tz => 'Mars/Olympus')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2030-01-01 10:00', tz => 'UTC+3')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2030-01-01 10:00', ttl => '0')$$);
SELECT rt.show($$SELECT booking_propose('rt-a', 'u1', 'c1', '2030-01-01 10:00', duration => '-1 hour')$$);
SELECT rt.show($$SELECT booking_confirm(NULL, 'u1')$$);
SELECT rt.show($$SELECT booking_confirm('bk_x', NULL)$$);
SELECT rt.show($$SELECT booking_confirm('bk_x', '')$$);
SELECT rt.show($$SELECT booking_cancel(NULL, 'u1')$$);
SELECT rt.show($$SELECT booking_confirm_latest(NULL, 'u1')$$);
SELECT rt.show($$SELECT booking_confirm_latest('c1', 'u1', '')$$);
SELECT rt.show($$SELECT booking_pending_state('c1', NULL)$$);
SELECT rt.show($$SELECT booking_classifier_context(NULL, 'u1')$$);
SELECT rt.show($$SELECT booking_expire_holds(0)$$);

\echo == state of a conversation
SELECT rt.show($$SELECT booking_pending_state('c1', 'u1')$$);
SELECT rt.show($$SELECT booking_classifier_context('c1', 'u1')$$);
SELECT rt.show($$SELECT booking_pending_state('c1', 'u2')$$);
SELECT rt.show($$SELECT booking_classifier_context('c9', 'u9')$$);

\echo == confirm, retries, other clients, malformed tokens
SELECT booking_propose('rt-a', 'u5', 'c5', :'day' || ' 14:00') ->> 'token' AS t5 \gset
SELECT rt.show(format($$SELECT booking_confirm(%L, 'u6')$$, :'t5'));
SELECT rt.show(format($$SELECT booking_cancel(%L, 'u6')$$, :'t5'));
SELECT rt.show(format($$SELECT booking_confirm(%L, 'u5')$$, :'t5'));
SELECT rt.show(format($$SELECT booking_confirm(%L, 'u5')$$, :'t5'));
SELECT rt.show(format($$SELECT booking_cancel(%L, 'u5')$$, :'t5'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u6', 'c6', %L)$$, :'day' || ' 14:30'));
SELECT rt.show($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAB', 'u5')$$);
SELECT rt.show($$SELECT booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', 'u5')$$);
SELECT rt.show($$SELECT booking_confirm('nonsense', 'u5')$$);
SELECT rt.show($$SELECT booking_cancel('bk_!AAAAAAAAAAAAAAAAAAAAA', 'u5')$$);
SELECT booking_token_route(:'t5') = hashtext('rt-a') AS token_routes_to_consultant;
SELECT booking_token_route(t) FROM unnest(ARRAY['bk_AAAAAAAAAAAAAAAAAAAAAA', 'bk_AAAAAAAAAAAAAAAAAAAAAB',
    'bk_________________________', 'bk_______________________w', 'bk_gAAAAAAAAAAAAAAAAAAAAA', 'bk_', NULL]) t;

\echo == cancel, then confirm: NOT_PENDING
SELECT booking_propose('rt-b', 'u7', 'c7', :'day' || ' 15:00') ->> 'token' AS t7 \gset
SELECT rt.show(format($$SELECT booking_cancel(%L, 'u7')$$, :'t7'));
SELECT rt.show(format($$SELECT booking_cancel(%L, 'u7')$$, :'t7'));
SELECT rt.show(format($$SELECT booking_confirm(%L, 'u7')$$, :'t7'));

\echo == one hold per conversation and client, across consultants (shards)
SELECT booking_propose('rt-a', 'u8', 'c8', :'day' || ' 16:00') ->> 'token' AS t8a \gset
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u8', 'c8', %L)$$, :'day' || ' 12:00'));
SELECT booking_pending_state('c8', 'u8') ->> 'consultant_id' AS pending_consultant;
SELECT rt.show(format($$SELECT booking_confirm(%L, 'u8')$$, :'t8a'));
SELECT rt.show($$SELECT booking_confirm_latest('c8', 'u8', 'rt-a')$$);
SELECT rt.show($$SELECT booking_confirm_latest('c8', 'u9')$$);
SELECT rt.show($$SELECT booking_confirm_latest('c8', 'u8', 'rt-b')$$);
SELECT rt.show($$SELECT booking_confirm_latest('c8', 'u8')$$);
SELECT rt.show($$SELECT booking_pending_state('c8', 'u8')$$);
-- and back: the newer hold on the first consultant's shard supersedes again
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u8', 'c10', %L)$$, :'day' || ' 17:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u8', 'c10', %L)$$, :'day' || ' 17:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u8', 'c10', %L)$$, :'day' || ' 17:00'));
SELECT rt.show($$SELECT booking_classifier_context('c10', 'u8')$$);
-- two clients in one conversation: the newest active hold is the other's
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u11', 'c11', %L)$$, :'day' || ' 18:00'));
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u12', 'c11', %L)$$, :'day' || ' 18:00'));
SELECT rt.show($$SELECT booking_confirm_latest('c11', 'u11')$$);
SELECT rt.show($$SELECT booking_pending_state('c11', 'u11')$$);
SELECT booking_pending_state('c11', 'u12') ->> 'token' AS t12 \gset
SELECT rt.show(format($$SELECT booking_cancel(%L, 'u12')$$, :'t12'));
SELECT rt.show($$SELECT booking_confirm_latest('c11', 'u11')$$);

\echo == settings of the session travel with the call
SET booking.timezone = 'America/New_York';
SET booking.hold_ttl = '20 min';
SET booking.default_duration = '45 min';
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u13', 'c13', %L)$$, :'day' || ' 07:00'));
SELECT rt.show($$SELECT booking_pending_state('c13', 'u13')$$);
SELECT rt.show($$SELECT booking_classifier_context('c13', 'u13')$$);
SELECT rt.show($$SELECT booking_confirm_latest('c13', 'u13')$$);
RESET booking.timezone;
RESET booking.hold_ttl;
RESET booking.default_duration;

\echo == expiry: a one-second hold
SELECT booking_propose('rt-a', 'u14', 'c14', :'day' || ' 20:00', ttl => '1 second') ->> 'token' AS t14 \gset
SELECT booking_propose('rt-b', 'u15', 'c15', :'day' || ' 20:00', ttl => '1 second') ->> 'token' AS t15 \gset
SELECT pg_sleep(1.5);
SELECT rt.show($$SELECT booking_pending_state('c14', 'u14')$$);
SELECT rt.show(format($$SELECT booking_confirm(%L, 'u14')$$, :'t14'));
SELECT rt.show($$SELECT booking_expire_holds()$$);
SELECT rt.show($$SELECT booking_expire_holds()$$);
SELECT rt.show(format($$SELECT booking_cancel(%L, 'u15')$$, :'t15'));

\if :has_cal
\echo == 1.1: calendars
SELECT rt.show($$SELECT booking_set_working_hours('rt-a', '{"mon": ["09:00-13:00", "14:00-18:00"], "tue": ["09:00-18:00"], "wed": ["09:00-18:00"], "thu": ["09:00-18:00"], "fri": ["09:00-18:00"], "sat": ["09:00-18:00"], "sun": ["09:00-18:00"]}')$$);
SELECT rt.show($$SELECT booking_set_working_hours('rt-a', '{"mon": ["9-17"]}')$$);
SELECT rt.show($$SELECT booking_set_working_hours(NULL, '{}')$$);
SELECT rt.show(format($$SELECT booking_propose('rt-a', 'u16', 'c16', %L)$$, :'day' || ' 07:00'));
SELECT rt.show(format($$SELECT booking_add_time_off('rt-b', %L, %L, reason => 'congress')$$, :'day' || ' 12:00', :'day' || ' 13:00'));
SELECT booking_add_time_off('rt-b', :'day' || ' 21:00', :'day' || ' 22:00') ->> 'time_off_id' AS off_id \gset
SELECT rt.show(format($$SELECT booking_propose('rt-b', 'u16', 'c16', %L)$$, :'day' || ' 21:00'));
SELECT rt.show(format($$SELECT booking_remove_time_off(%s)$$, :'off_id'));
SELECT rt.show(format($$SELECT booking_remove_time_off(%s)$$, :'off_id'));
SELECT rt.show($$SELECT booking_remove_time_off(999999999)$$);
SELECT rt.show($$SELECT booking_clear_working_hours('rt-b')$$);

\echo == 1.1: free slots over consultants of several shards
SELECT rt.show(format($$SELECT booking_free_slots(ARRAY['rt-a', 'rt-b', 'rt-c'], %L, %L, max_slots => 12)$$, :'day' || ' 08:00', :'day' || ' 20:00'));
SELECT rt.show(format($$SELECT booking_free_slots(ARRAY['rt-b', 'rt-a'], %L, %L, step => '30 min', max_slots => 1000)$$, :'day' || ' 08:00', :'day' || ' 23:00'));
SELECT rt.show(format($$SELECT booking_free_slots(ARRAY['rt-a', 'rt-b'], %L, %L, duration => '2 hours', tz => 'UTC', max_slots => 5)$$, :'day', :'day' || ' 23:00'));
SELECT rt.show(format($$SELECT booking_free_slots(ARRAY['rt-a'], %L, %L)$$, :'day' || ' 20:00', :'day' || ' 08:00'));
SELECT rt.show($$SELECT booking_free_slots(ARRAY['rt-a'], 'tomorrow', '2030-01-01')$$);
SELECT rt.show($$SELECT booking_free_slots(ARRAY[]::text[], '2030-01-01', '2030-01-02')$$);
SELECT rt.show($$SELECT booking_free_slots(ARRAY['rt-a', NULL], '2030-01-01', '2030-01-02')$$);
SELECT rt.show($$SELECT booking_free_slots(NULL, '2030-01-01', '2030-01-02')$$);
SELECT rt.show($$SELECT booking_free_slots(ARRAY['rt-a', 'rt-b'], '2030-01-01', '2030-01-02', max_slots => 0)$$);
SELECT rt.show($$SELECT booking_free_slots(ARRAY['rt-a', 'rt-b'], '2030-01-01', '2030-05-02')$$);

\else
\echo == 1.1 calendar functions missing on the nodes: calendar part SKIPPED
\endif

\if :has_life
\echo == 1.1: the life of a consultation
SELECT booking_propose('rt-b', 'u20', 'c20', :'day' || ' 11:00') ->> 'token' AS t20 \gset
SELECT (booking_confirm(:'t20', 'u20') ->> 'consultation_id') AS id20 \gset
SELECT booking_propose('rt-a', 'u20', 'c21', :'day' || ' 13:00') ->> 'token' AS t21 \gset
SELECT (booking_confirm(:'t21', 'u20') ->> 'consultation_id') AS id21 \gset
SELECT rt.show($$SELECT booking_consultations('u20')$$);
SELECT rt.show($$SELECT booking_consultations('u20', 'c21')$$);
SELECT rt.show($$SELECT booking_consultations('nobody')$$);
SELECT rt.show($$SELECT booking_consultations(NULL)$$);
SELECT rt.show(format($$SELECT booking_cancel_consultation(%s, 'u99')$$, :'id20'));
SELECT rt.show(format($$SELECT booking_propose_move(%s, 'u20', 'c20', %L)$$, :'id20', :'day' || ' 19:00'));
SELECT rt.show($$SELECT booking_pending_state('c20', 'u20')$$);
SELECT rt.show($$SELECT booking_classifier_context('c20', 'u20')$$);
SELECT rt.show($$SELECT booking_confirm_latest('c20', 'u20')$$);
SELECT rt.show($$SELECT booking_consultations('u20')$$);
SELECT rt.show(format($$SELECT booking_cancel_consultation(%s, 'u20')$$, :'id20'));
SELECT rt.show(format($$SELECT booking_cancel_consultation(%s, 'u20')$$, :'id21'));
SELECT rt.show(format($$SELECT booking_cancel_consultation(%s, 'u20')$$, :'id21'));
SELECT rt.show($$SELECT booking_cancel_consultation(NULL, 'u20')$$);
SELECT rt.show($$SELECT booking_cancel_consultation(0, 'u20')$$);
SELECT rt.show($$SELECT booking_propose_move(0, 'u20', 'c20', '2030-01-01 10:00')$$);
SELECT rt.show($$SELECT booking_consultations('u20')$$);
\else
\echo == 1.1 lifecycle functions missing on the nodes: lifecycle part SKIPPED
\endif
