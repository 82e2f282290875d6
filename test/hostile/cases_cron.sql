-- booking_schedule_expiry where pg_cron is installed: pg_cron itself
-- judges the schedule (22023 for one it cannot read).

INSERT INTO hostile_cases (name, call, expect) VALUES
('cron: NULL schedule', $$booking_schedule_expiry(NULL)$$, '22004'),
('cron: empty schedule', $$booking_schedule_expiry('')$$, '22023'),
('cron: garbage schedule', $$booking_schedule_expiry('every now and then')$$, '22023'),
('cron: minute 61', $$booking_schedule_expiry('61 * * * *')$$, '22023'),
('cron: 1 MB schedule', $$booking_schedule_expiry(hostile_mb())$$, '22023'),
('cron: 1 MB of fields', $$booking_schedule_expiry(repeat('* ', 500000))$$, '22023'),
('cron: every character as schedule', $$booking_schedule_expiry(hostile_every_char())$$, '22023'),
('cron: random code points as schedule', $$booking_schedule_expiry(hostile_garbage(30, 1))$$, '22023'),
('cron: no job was registered by any of those', $$(SELECT count(*) FROM cron.job WHERE jobname = 'booking-expire-holds')$$, '0'),
('cron: a valid schedule', $$booking_schedule_expiry('* * * * *') > 0$$, 'true'),
('cron: scheduling again updates the same job', $$booking_schedule_expiry('*/5 * * * *') = (SELECT jobid FROM cron.job WHERE jobname = 'booking-expire-holds')$$, 'true'),
('cron: one job', $$(SELECT count(*) FROM cron.job WHERE jobname = 'booking-expire-holds')$$, '1'),
('cron: unschedule', $$booking_unschedule_expiry()$$, 'true'),
('cron: unschedule again', $$booking_unschedule_expiry()$$, 'false'),
('cron: the connection still answers', $$1 + 1$$, '2');
