-- weight: 6
-- A client cancels one of its consultations, then retries; a second worker
-- of the same client may be moving or cancelling it at the same time.  Only
-- consultations with c1..c4: those of the calendar load are its own.
\set me :client_id % 16
\set pick random(0, 3)
SELECT coalesce((SELECT e->>'consultation_id'
                   FROM jsonb_array_elements(r->'consultations') WITH ORDINALITY AS a (e, n)
                  WHERE e->>'consultant_id' IN ('c1', 'c2', 'c3', 'c4')
                  ORDER BY n OFFSET :pick LIMIT 1), '0') AS cid
  FROM stress_log('consultations', booking_consultations('u:me')) AS r \gset
SELECT (r->>'ok')::boolean::int AS ok
  FROM stress_log('cancel_consultation', booking_cancel_consultation(:cid, 'u:me')) AS r \gset
\if :ok
SELECT stress_log('cancel_consultation_retry', booking_cancel_consultation(:cid, 'u:me'));
-- a cancelled consultation can no longer be moved
SELECT stress_log('propose_move_cancelled',
       booking_propose_move(:cid, 'u:me', 'v:client_id-cancelled', stress_start(stress_day(), 0, 0)));
\endif
