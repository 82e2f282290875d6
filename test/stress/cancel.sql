-- The user changes their mind: propose, cancel, cancel again (a retry),
-- then a late confirm of the cancelled hold.
\set me :client_id % 16
\set conv random(1, 2)
\set c random(1, 4)
\set s random(0, 5)
\set d random(1, 3)
\set style random(0, 2)
SELECT stress_day() AS day \gset
SELECT coalesce(r->>'token', '') AS token, (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, :style), make_interval(mins => 30 * :d))) AS r \gset
\if :ok
SELECT (r->>'ok')::boolean::int AS ok
  FROM stress_log('cancel', booking_cancel(':token', 'u:me')) AS r \gset
\if :ok
SELECT stress_log('cancel_retry', booking_cancel(':token', 'u:me'));
SELECT stress_log('confirm_after_cancel', booking_confirm(':token', 'u:me'));
\endif
\endif
