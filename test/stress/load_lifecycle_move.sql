-- weight: 10
-- The life of a consultation under load: book a slot, list the client's
-- consultations, then move one of them (the one just booked, or another
-- that a second worker of the same client may be moving or cancelling at
-- the same time) to a slot of the day; sometimes the client changes their
-- mind and cancels the move's hold instead.
\set me :client_id % 16
\set conv random(1, 2)
\set c random(1, 4)
\set s random(0, 5)
\set s2 random(0, 5)
\set d random(1, 3)
\set pick random(0, 3)
\set abandon random(0, 4)
SELECT stress_day() AS day \gset
SELECT coalesce(r->>'token', '') AS token, (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose', booking_propose('c:c', 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s, 0), make_interval(mins => 30 * :d))) AS r \gset
\if :ok
SELECT stress_log('confirm', booking_confirm(':token', 'u:me'));
\endif
-- pick one of the client's consultations with c1..c4, which have no calendar
-- (those of the calendar load are its own): 0 when there is none (NOT_FOUND)
SELECT coalesce((SELECT e->>'consultation_id'
                   FROM jsonb_array_elements(r->'consultations') WITH ORDINALITY AS a (e, n)
                  WHERE e->>'consultant_id' IN ('c1', 'c2', 'c3', 'c4')
                  ORDER BY n OFFSET :pick LIMIT 1), '0') AS cid
  FROM stress_log('consultations', booking_consultations('u:me')) AS r \gset
SELECT coalesce(r->>'token', '') AS mtoken, (r->>'ok')::boolean::int AS ok
  FROM stress_log('propose_move', booking_propose_move(:cid, 'u:me', 'v:client_id-:conv',
       stress_start(':day', :s2, 0))) AS r \gset
\if :ok
SELECT stress_log_context('classifier_context', booking_classifier_context('v:client_id-:conv', 'u:me'));
\if :abandon
SELECT stress_log('confirm_move', booking_confirm(':mtoken', 'u:me'));
\else
SELECT stress_log('cancel_move', booking_cancel(':mtoken', 'u:me'));
\endif
\endif
