-- A hold that lives 200 ms, confirmed after a random pause around that:
-- either confirmed in time or EXPIRED, never confirmed late.
\set me :client_id % 16
\set conv random(1, 2)
\set c random(1, 4)
\set s random(0, 5)
\set d random(1, 3)
\set pause random(100, 350)
SELECT stress_day() AS day \gset
SELECT coalesce(r->>'token', '') AS token, (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, 0), make_interval(mins => 30 * :d),
       interval '200 milliseconds')) AS r \gset
\if :ok
\sleep :pause ms
SELECT stress_log('confirm_tiny_ttl', booking_confirm(':token', 'u:me'));
\endif
