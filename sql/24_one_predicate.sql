-- One predicate decides what is bookable: every candidate start of a range,
-- listed or not, is proposed at the same instant as booking_free_slots was
-- called (one statement, one now()), by a client with no hold of its own;
-- a propose must succeed exactly for the listed slots.  Each hold made is
-- cancelled at once, so the next candidate meets the same state.

SET booking.max_advance = '30 years';
DELETE FROM booking.working_hours WHERE consultant_id LIKE 'rg24-%';
DELETE FROM booking.time_off WHERE consultant_id LIKE 'rg24-%';
DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg24-%';
DELETE FROM booking.consultations WHERE consultant_id LIKE 'rg24-%';

-- candidates every `step` from `from_at` (on the grid of every stretch and
-- local day below); returns what disagrees, or nothing
CREATE FUNCTION pg_temp.disagreements(cid text, from_at timestamptz, to_at timestamptz,
                                      dur interval, step interval, tz text)
RETURNS TABLE (candidates integer, listed integer, accepted integer, mismatches text)
LANGUAGE plpgsql AS $$
DECLARE
    fmt constant text := 'YYYY-MM-DD"T"HH24:MI:SS"Z"';
    slots jsonb;
    listed_starts timestamptz[];
    s timestamptz;
    p jsonb;
    ok boolean;
    n integer := 0;
BEGIN
    slots := booking_free_slots(ARRAY[cid], to_char(from_at AT TIME ZONE 'UTC', fmt),
                                to_char(to_at AT TIME ZONE 'UTC', fmt), dur, step, tz, 1000);
    IF (slots ->> 'truncated')::boolean THEN
        RAISE EXCEPTION 'range too large for this test';
    END IF;
    SELECT coalesce(array_agg((e ->> 'start_at')::timestamptz), '{}')
      INTO listed_starts FROM jsonb_array_elements(slots -> 'slots') AS e;
    candidates := 0; accepted := 0; mismatches := '';
    listed := cardinality(listed_starts);
    FOR s IN SELECT generate_series(from_at, to_at - interval '1 microsecond', step) LOOP
        n := n + 1;
        candidates := candidates + 1;
        p := booking_propose(cid, 'rg24-prober-' || n, 'rg24-probe-' || n,
                             to_char(s AT TIME ZONE 'UTC', fmt), dur, NULL, tz);
        ok := (p ->> 'ok')::boolean;
        IF ok THEN
            accepted := accepted + 1;
            PERFORM booking_cancel(p ->> 'token', 'rg24-prober-' || n);
        END IF;
        IF ok IS DISTINCT FROM (s = ANY (listed_starts)) THEN
            mismatches := mismatches || to_char(s AT TIME ZONE 'UTC', fmt) || ' '
                          || coalesce(p ->> 'error', 'ok') || '; ';
        END IF;
    END LOOP;
    RETURN NEXT;
END $$;

-- a calendar across the autumn change-over, joined and split windows, a
-- time off, a booking, a live hold of another client and a stale hold
SELECT booking_set_working_hours('rg24-cal',
    '{"sat": ["09:00-13:00", "13:00-14:30", "22:00-24:00"], "sun": ["00:00-03:30", "10:00-11:00"],
      "mon": ["08:15-12:00", "15:00-19:45"]}', 'Europe/Rome') ->> 'ok' AS ok;
SELECT booking_add_time_off('rg24-cal', '2031-10-27 09:00', '2031-10-27 10:10') ->> 'ok' AS off;
SELECT booking_confirm(booking_propose('rg24-cal', 'rg24-u', 'rg24-v1', '2031-10-25 11:15', '45 minutes') ->> 'token', 'rg24-u') ->> 'status' AS booked;
SELECT booking_propose('rg24-cal', 'rg24-u', 'rg24-v2', '2031-10-27 16:30', '30 minutes') ->> 'status' AS held;
INSERT INTO booking.pending_bookings (token, consultant_id, client_id, conversation_id, start_at, end_at, status, created_at, expires_at)
VALUES ('bk_rg24staleAAAAAAAAAAAAAA', 'rg24-cal', 'rg24-w', 'rg24-v3', '2031-10-27 17:30+01', '2031-10-27 18:30+01', 'awaiting_confirm', now() - interval '1 hour', now() - interval '50 minutes');

SET booking.alternatives = 0;
SELECT * FROM pg_temp.disagreements('rg24-cal', '2031-10-24T22:00:00Z', '2031-10-28T00:00:00Z', '45 minutes', '15 minutes', 'Europe/Rome');
-- the same with the call in another zone than the calendar's
SELECT * FROM pg_temp.disagreements('rg24-cal', '2031-10-24T22:00:00Z', '2031-10-28T00:00:00Z', '1 hour', '15 minutes', 'Asia/Kolkata');

-- without a calendar: the local days of the call's zone, a time off, a booking
SELECT booking_add_time_off('rg24-open', '2031-03-29 22:00', '2031-03-30 04:00', 'Europe/Rome') ->> 'ok' AS off;
SELECT booking_confirm(booking_propose('rg24-open', 'rg24-u', 'rg24-v4', '2031-03-30 09:00') ->> 'token', 'rg24-u') ->> 'status' AS booked;
SELECT * FROM pg_temp.disagreements('rg24-open', '2031-03-29T20:00:00Z', '2031-03-30T12:00:00Z', '50 minutes', '15 minutes', 'Europe/Rome');

-- with booking.alternatives on, refusals carry only slots that would be accepted
SET booking.alternatives = 20;
CREATE TEMP TABLE rg24_alts AS
SELECT a FROM jsonb_array_elements(booking_propose('rg24-cal', 'rg24-x', 'rg24-y', '2031-10-27 09:30', '45 minutes') -> 'alternatives') AS a;
SET booking.alternatives = 0;
SELECT count(*) AS alternatives,
       count(*) FILTER (WHERE (booking_propose('rg24-cal', 'rg24-x2-' || (a ->> 'start_at'), 'rg24-y2-' || (a ->> 'start_at'), a ->> 'start_at', '45 minutes') ->> 'ok')::boolean) AS accepted
FROM rg24_alts;
RESET booking.alternatives;
