-- booking_free_slots as a straightforward PL/pgSQL function would do it, for
-- the benchmark: per consultant and local date, a generate_series of
-- candidate starts over each window, and NOT EXISTS probes for bookings,
-- live holds and time off.  It reads the same tables and answers in the same
-- shape; bench/free-slots.sh checks it returns the same slots before timing
-- it.  Windows are taken one by one (the benchmark's never touch), and local
-- times go through PostgreSQL's casts (its dates have no DST change).

CREATE SCHEMA IF NOT EXISTS fsbench;

-- Instants written as the extension writes them, for both SQL versions:
-- single expressions, so that the planner inlines them.
CREATE OR REPLACE FUNCTION fsbench.utc_text(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;
CREATE OR REPLACE FUNCTION fsbench.local_text(t timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN (t AT TIME ZONE tz) < (t AT TIME ZONE 'UTC') THEN '-' ELSE '+' END
        || to_char(CASE WHEN (t AT TIME ZONE tz) < (t AT TIME ZONE 'UTC')
                        THEN (t AT TIME ZONE 'UTC') - (t AT TIME ZONE tz)
                        ELSE (t AT TIME ZONE tz) - (t AT TIME ZONE 'UTC') END, 'HH24:MI')
$$;

CREATE OR REPLACE FUNCTION fsbench.free_slots_plpgsql(
    ids text[], from_time text, to_time text, duration interval DEFAULT '1 hour',
    step interval DEFAULT NULL, tz text DEFAULT 'Europe/Rome', max_slots integer DEFAULT 50)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    from_at timestamptz := (from_time::timestamp AT TIME ZONE tz);
    to_at timestamptz := (to_time::timestamp AT TIME ZONE tz);
    lo timestamptz := greatest(from_at, now() + current_setting('booking.min_notice')::interval);
    hi timestamptz := least(to_at, now() + current_setting('booking.max_advance')::interval);
    days constant text[] := ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    cid text;
    cal booking.working_hours;
    d date;
    win text;
    s timestamptz;
    found_slots jsonb := '[]';
    total integer := 0;
BEGIN
    step := coalesce(step, duration);
    CREATE TEMP TABLE IF NOT EXISTS fsbench_found (consultant_id text, start_at timestamptz) ON COMMIT DELETE ROWS;
    TRUNCATE fsbench_found;
    FOREACH cid IN ARRAY ids LOOP
        SELECT * INTO cal FROM booking.working_hours WHERE consultant_id = cid;
        FOR d IN SELECT g::date FROM generate_series((from_at AT TIME ZONE cal.timezone)::date - 1,
                                                   (to_at AT TIME ZONE cal.timezone)::date, interval '1 day') AS g LOOP
            FOR win IN SELECT jsonb_array_elements_text(cal.hours -> days[extract(dow FROM d)::int + 1]) LOOP
                FOR s IN SELECT generate_series((d + split_part(win, '-', 1)::time) AT TIME ZONE cal.timezone,
                                                (d + split_part(win, '-', 2)::time) AT TIME ZONE cal.timezone - duration,
                                                step) LOOP
                    CONTINUE WHEN s < lo OR s >= hi OR s <= now();
                    CONTINUE WHEN EXISTS (SELECT 1 FROM booking.consultations c
                        WHERE c.consultant_id = cid AND c.status = 'booked'
                          AND tstzrange(c.scheduled_at, c.ends_at) && tstzrange(s, s + duration));
                    CONTINUE WHEN EXISTS (SELECT 1 FROM booking.pending_bookings h
                        WHERE h.consultant_id = cid AND h.status = 'awaiting_confirm' AND h.expires_at > now()
                          AND tstzrange(h.start_at, h.end_at) && tstzrange(s, s + duration));
                    CONTINUE WHEN EXISTS (SELECT 1 FROM booking.time_off t
                        WHERE t.consultant_id = cid
                          AND tstzrange(t.start_at, t.end_at) && tstzrange(s, s + duration));
                    INSERT INTO fsbench_found VALUES (cid, s);
                END LOOP;
            END LOOP;
        END LOOP;
    END LOOP;
    SELECT count(*) INTO total FROM fsbench_found;
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'consultant_id', f.consultant_id,
               'start_at', fsbench.utc_text(f.start_at),
               'end_at', fsbench.utc_text(f.start_at + duration),
               'start_local', fsbench.local_text(f.start_at, tz))
               ORDER BY f.start_at, f.consultant_id), '[]')
      INTO found_slots
      FROM (SELECT * FROM fsbench_found ORDER BY start_at, consultant_id LIMIT max_slots) AS f;
    RETURN jsonb_build_object('ok', true, 'timezone', tz, 'slots', found_slots, 'truncated', total > max_slots);
END $$;
