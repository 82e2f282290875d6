-- The free-slots benchmark's calendars: 20 consultants fs01..fs20 working
-- Monday to Friday 09:00-13:00 and 14:00-18:00 in Europe/Rome, over the 14
-- days from :'monday' (a local Monday): half of the hour slots booked, some
-- of the free ones held (live), some under a stale hold, one time off each.
-- With :history > 0, as many past consultations besides, spread over the
-- same consultants.  psql variables: monday, history.

\set ON_ERROR_STOP 1
SELECT count(booking_set_working_hours(format('fs%s', lpad(i::text, 2, '0')),
    '{"mon": ["09:00-13:00", "14:00-18:00"], "tue": ["09:00-13:00", "14:00-18:00"],
      "wed": ["09:00-13:00", "14:00-18:00"], "thu": ["09:00-13:00", "14:00-18:00"],
      "fri": ["09:00-13:00", "14:00-18:00"]}', 'Europe/Rome')) AS calendars
FROM generate_series(1, 20) AS i \gset

CREATE TEMP TABLE fs_slot AS
SELECT format('fs%s', lpad(i::text, 2, '0')) AS consultant_id, i, d, h,
       ((:'monday'::date + d) + make_time(h, 0, 0)) AT TIME ZONE 'Europe/Rome' AS start_at
FROM generate_series(1, 20) AS i, generate_series(0, 13) AS d,
     unnest(ARRAY[9, 10, 11, 12, 14, 15, 16, 17]) AS h
WHERE extract(isodow FROM :'monday'::date + d) < 6;

INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, status, created_at)
SELECT consultant_id, 'fs-client', start_at, start_at + interval '1 hour', 'booked', now()
FROM fs_slot WHERE (i + d + h) % 2 = 0;

INSERT INTO booking.pending_bookings (token, consultant_id, client_id, conversation_id, start_at, end_at,
                                      status, created_at, expires_at)
SELECT format('bk_fs%s_%s_%s', i, d, h), consultant_id, 'fs-client', format('fs-conv-%s-%s-%s', i, d, h),
       start_at, start_at + interval '1 hour', 'awaiting_confirm', now(),
       CASE WHEN (d + h) % 3 = 0 THEN now() + interval '1 day' ELSE now() - interval '1 hour' END
FROM fs_slot WHERE (i + d + h) % 2 = 1 AND (d + h) % 3 <> 1 AND h IN (10, 15);

INSERT INTO booking.time_off (consultant_id, start_at, end_at, reason)
SELECT format('fs%s', lpad(i::text, 2, '0')),
       ((:'monday'::date + 3) + time '09:00') AT TIME ZONE 'Europe/Rome',
       ((:'monday'::date + 3) + time '12:00') AT TIME ZONE 'Europe/Rome', 'training'
FROM generate_series(1, 20) AS i;

-- history: consultations of the past, one hour each, none overlapping
INSERT INTO booking.consultations (consultant_id, client_id, scheduled_at, ends_at, status, created_at)
SELECT format('fs%s', lpad((n % 20 + 1)::text, 2, '0')), 'fs-past',
       date_trunc('hour', now()) - (n / 20 + 48) * interval '1 hour',
       date_trunc('hour', now()) - (n / 20 + 47) * interval '1 hour', 'booked', now()
FROM generate_series(1, :history) AS n;

VACUUM ANALYZE booking.consultations, booking.pending_bookings, booking.time_off, booking.working_hours;
