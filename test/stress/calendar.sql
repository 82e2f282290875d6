-- Calendars in the load: consultants cal1 and cal2 get new working hours, time
-- off added and removed, free-slot reads and proposals, all at once.  Each
-- hold made is checked in its own transaction, under the consultant's lock,
-- against the hours and time off in force (stress_calendar_check), and some
-- are confirmed.
\set me :client_id % 16
\set k random(1, 2)
\set action random(0, 19)
\set s random(0, 7)
\set d random(1, 3)
\set w random(0, 2)
\set dd random(0, 6)
-- one week of days, so that hours, time off and proposals meet
SELECT date '2040-01-02' + :dd AS day \gset
\if :action < 2
SELECT stress_log('set_working_hours', booking_set_working_hours('cal:k', stress_week(:w), 'UTC'));
\elif :action < 4
SELECT stress_log('add_time_off', booking_add_time_off('cal:k', stress_cal_start(':day', :s),
       stress_cal_start(':day', :s + :d), 'UTC', 'stress'));
\elif :action < 6
SELECT stress_log('remove_time_off', jsonb_build_object('ok', true, 'removed', booking_remove_time_off(t.time_off_id)))
  FROM (SELECT time_off_id FROM booking.time_off WHERE consultant_id = 'cal:k' ORDER BY random() LIMIT 1) AS t;
\elif :action < 9
SELECT stress_log('free_slots', booking_free_slots(ARRAY['cal1', 'cal2'], ':day', (':day'::date + 1)::text,
       '30 minutes', NULL, 'UTC', 100));
\else
BEGIN;
SELECT coalesce(r->>'token', '') AS token, (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose_calendar', booking_propose('cal:k', 'u:me', 'kv:client_id', stress_cal_start(':day', :s),
       make_interval(mins => 30 * :d))) AS r \gset
\if :ok
SELECT stress_calendar_check(':token');
\endif
COMMIT;
\if :ok
\if random(0, 1) = 1
SELECT stress_log('confirm_calendar', booking_confirm(':token', 'u:me'));
\endif
\endif
\endif
