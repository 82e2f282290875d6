-- The user answers "ok" and the app only knows the conversation: the
-- fallback confirm, sometimes naming the consultant, sometimes a wrong one.
\set me :client_id % 16
\set conv random(1, 2)
\set c random(1, 4)
\set s random(0, 5)
\set d random(1, 3)
\set style random(0, 2)
\set think random(0, 30)
SELECT stress_day() AS day \gset
SELECT (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, :style), make_interval(mins => 30 * :d))) AS r \gset
\if :ok
\sleep :think ms
\if random(0, 3) = 0
\set wrong 1 + :c % 4
SELECT stress_log('confirm_latest_wrong_consultant',
       booking_confirm_latest('v:client_id-:conv', 'u:me', 'c:wrong'));
\endif
\if random(0, 1) = 0
SELECT stress_log('confirm_latest', booking_confirm_latest('v:client_id-:conv', 'u:me'));
\else
SELECT stress_log('confirm_latest', booking_confirm_latest('v:client_id-:conv', 'u:me', 'c:c'));
\endif
\endif
