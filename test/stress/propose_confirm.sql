-- The common path: propose a slot, sometimes send the same proposal again
-- (a lost reply), confirm the token, sometimes confirm it again.
\set me :client_id % 16
\set conv random(1, 2)
\set c random(1, 4)
\set s random(0, 5)
\set d random(1, 3)
\set style random(0, 2)
\set think random(0, 30)
SELECT stress_day() AS day \gset
SELECT coalesce(r->>'token', '') AS token, (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, :style), make_interval(mins => 30 * :d))) AS r \gset
\if :ok
\sleep :think ms
\if random(0, 1) = 1
SELECT stress_log('propose_retry', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, :style), make_interval(mins => 30 * :d)));
\endif
SELECT (r->>'ok')::boolean::int AS ok
  FROM stress_log('confirm', booking_confirm(':token', 'u:me')) AS r \gset
\if :ok
\if random(0, 2) = 0
SELECT stress_log('confirm_retry', booking_confirm(':token', 'u:me'));
\endif
\endif
\endif
