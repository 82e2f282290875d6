-- The user asks for one slot, then another in the same conversation: the
-- first hold is superseded and can no longer be confirmed.
\set me :client_id % 16
\set conv random(1, 2)
\set c random(1, 4)
\set s random(0, 5)
\set d random(1, 3)
\set c2 random(1, 4)
\set s2 random(0, 5)
\set d2 random(1, 3)
SELECT stress_day() AS day \gset
SELECT (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, 0), make_interval(mins => 30 * :d))) AS r \gset
\if :ok
SELECT coalesce(r->>'token', '') AS token, coalesce(r->>'superseded_token', '') AS old,
       (r->>'ok')::boolean::int AS ok, (r ? 'superseded_token')::int AS superseded
  FROM stress_log('propose', booking_propose('c:c2', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s2, 0), make_interval(mins => 30 * :d2))) AS r \gset
\if :superseded
SELECT stress_log('confirm_superseded', booking_confirm(':old', 'u:me'));
\endif
\if :ok
SELECT stress_log('confirm', booking_confirm(':token', 'u:me'));
\endif
\endif
