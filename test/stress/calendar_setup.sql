-- The calendars of the load: consultants cal1 and cal2 have working hours in
-- UTC (so an independent check below can read them as plain times), which
-- the load keeps changing, and time off that comes and goes.  Loaded after
-- setup.sql.

\set ON_ERROR_STOP 1

-- One of three weeks: windows that never touch, so a slot lies within one
-- stretch exactly when every minute of it lies within some window.
CREATE FUNCTION stress_week(w int) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE w
        WHEN 0 THEN jsonb_build_object(
            'mon', '["08:00-10:00", "10:30-12:00"]'::jsonb, 'tue', '["08:00-10:00", "10:30-12:00"]'::jsonb,
            'wed', '["08:00-10:00", "10:30-12:00"]'::jsonb, 'thu', '["08:00-10:00", "10:30-12:00"]'::jsonb,
            'fri', '["08:00-10:00", "10:30-12:00"]'::jsonb, 'sat', '["09:00-11:00"]'::jsonb,
            'sun', '["09:00-11:00"]'::jsonb)
        WHEN 1 THEN jsonb_build_object(
            'mon', '["09:00-11:30"]'::jsonb, 'tue', '["09:00-11:30"]'::jsonb, 'wed', '["09:00-11:30"]'::jsonb,
            'thu', '["09:00-11:30"]'::jsonb, 'fri', '["09:00-11:30"]'::jsonb, 'sat', '["08:00-09:30"]'::jsonb,
            'sun', '["10:00-12:00"]'::jsonb)
        ELSE '{}'::jsonb
    END
$$;

-- Start s (0..7) of the day, every 30 minutes from 08:00 UTC.
CREATE FUNCTION stress_cal_start(day date, s int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(day + time '08:00' + s * interval '30 minutes', 'YYYY-MM-DD HH24:MI') || 'Z'
$$;

-- Called in the transaction of a proposal that made a hold, while it still
-- holds the consultant's lock: logs whether the hold lies within working
-- time and outside time off as the tables say at this moment, read here
-- with plain SQL, independently of the extension's C.
CREATE FUNCTION stress_calendar_check(tok text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    h booking.pending_bookings;
    week jsonb;
    verdict text := 'within';
BEGIN
    SELECT * INTO h FROM booking.pending_bookings WHERE token = tok;
    SELECT w.hours INTO week FROM booking.working_hours w WHERE w.consultant_id = h.consultant_id;
    IF week IS NOT NULL AND EXISTS (
        SELECT 1 FROM generate_series(h.start_at, h.end_at - interval '1 minute', interval '1 minute') AS m
        WHERE NOT EXISTS (
            SELECT 1
            FROM jsonb_array_elements_text(week -> (ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])
                                                    [extract(dow FROM m AT TIME ZONE 'UTC')::int + 1]) AS win
            WHERE (m AT TIME ZONE 'UTC')::time >= split_part(win, '-', 1)::time
              AND (m AT TIME ZONE 'UTC')::time < split_part(win, '-', 2)::time))
    THEN
        verdict := 'OUTSIDE_WORKING_TIME';
    ELSIF EXISTS (SELECT 1 FROM booking.time_off t
                  WHERE t.consultant_id = h.consultant_id
                    AND tstzrange(t.start_at, t.end_at) && tstzrange(h.start_at, h.end_at)) THEN
        verdict := 'IN_TIME_OFF';
    END IF;
    INSERT INTO stress_outcomes (call, outcome) VALUES ('calendar_check', verdict);
    RETURN verdict;
END
$$;

SELECT booking_set_working_hours('cal1', stress_week(0), 'UTC') IS NOT NULL AS cal1,
       booking_set_working_hours('cal2', stress_week(1), 'UTC') IS NOT NULL AS cal2;
