-- booking_free_slots as the SQL a PostgreSQL expert would write, run
-- prepared (-M prepared): per consultant, a tstzmultirange of working time
-- (each local date's windows in the calendar's zone), minus the range_agg of
-- what is busy in the range (bookings, live holds, time off, each read by
-- overlap through its GiST index, so history is never read); a candidate is
-- free when that multirange contains its slot.  Variables: ids (a text[]
-- literal), from, to (local times in tz), dur, maxslots.  Instants are
-- written by bench/free-slots-plpgsql.sql's helpers: a pgbench script cannot
-- hold a colon followed by letters, even in a string.
WITH params AS (
    SELECT (:from::timestamp AT TIME ZONE 'Europe/Rome') AS from_at,
           (:to::timestamp AT TIME ZONE 'Europe/Rome') AS to_at,
           :dur::interval AS dur
),
cal AS (
    SELECT w.consultant_id, w.timezone, w.hours
    FROM unnest(:ids::text[]) AS ids (cid)
    JOIN booking.working_hours w ON w.consultant_id = ids.cid
),
-- each local date's windows, mapped in the calendar's zone
windows AS (
    SELECT c.consultant_id,
           tstzrange((g::date + split_part(win, '-', 1)::time) AT TIME ZONE c.timezone,
                     (g::date + split_part(win, '-', 2)::time) AT TIME ZONE c.timezone) AS r
    FROM cal c, params p,
         generate_series((p.from_at AT TIME ZONE c.timezone)::date - 1,
                         (p.to_at AT TIME ZONE c.timezone)::date + 1, interval '1 day') AS g,
         jsonb_array_elements_text(c.hours -> (ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])
                                              [extract(dow FROM g)::int + 1]) AS win
),
-- per consultant: working time (touching windows join), and working time
-- minus what is busy
per_consultant AS MATERIALIZED (
    SELECT c.consultant_id, w.work,
           w.work - coalesce((SELECT range_agg(b.r) FROM (
                 SELECT tstzrange(k.scheduled_at, k.ends_at) AS r FROM booking.consultations k
                 WHERE k.consultant_id = c.consultant_id AND k.status = 'booked'
                   AND tstzrange(k.scheduled_at, k.ends_at) && tstzrange(p.from_at, p.to_at + p.dur)
                 UNION ALL
                 SELECT tstzrange(h.start_at, h.end_at) FROM booking.pending_bookings h
                 WHERE h.consultant_id = c.consultant_id AND h.status = 'awaiting_confirm'
                   AND h.expires_at > now()
                   AND tstzrange(h.start_at, h.end_at) && tstzrange(p.from_at, p.to_at + p.dur)
                 UNION ALL
                 SELECT tstzrange(t.start_at, t.end_at) FROM booking.time_off t
                 WHERE t.consultant_id = c.consultant_id
                   AND tstzrange(t.start_at, t.end_at) && tstzrange(p.from_at, p.to_at + p.dur)) AS b),
             '{}'::tstzmultirange) AS free
    FROM cal c, params p,
         LATERAL (SELECT range_agg(x.r) AS work FROM windows x WHERE x.consultant_id = c.consultant_id) AS w
),
-- candidates step from each stretch's first instant; free when the free
-- time holds the whole slot
found AS (
    SELECT pc.consultant_id, st AS start_at
    FROM per_consultant pc, params p,
         unnest(pc.work) AS stretch,
         generate_series(lower(stretch), upper(stretch) - p.dur, p.dur) AS st
    WHERE st >= greatest(p.from_at, now() + current_setting('booking.min_notice')::interval)
      AND st > now() AND st < p.to_at
      AND st <= now() + current_setting('booking.max_advance')::interval
      AND pc.free @> tstzrange(st, st + p.dur)
    ORDER BY st, pc.consultant_id
    LIMIT :maxslots::integer + 1
)
SELECT jsonb_build_object('ok', true, 'timezone', 'Europe/Rome', 'truncated', count(*) > :maxslots::integer,
    'slots', coalesce(jsonb_agg(jsonb_build_object(
        'consultant_id', consultant_id,
        'start_at', fsbench.utc_text(start_at),
        'end_at', fsbench.utc_text(start_at + (SELECT dur FROM params)),
        'start_local', fsbench.local_text(start_at, 'Europe/Rome'))
        ORDER BY start_at, consultant_id) FILTER (WHERE n <= :maxslots::integer), '[]'))
FROM (SELECT *, row_number() OVER (ORDER BY start_at, consultant_id) AS n FROM found) AS x;
