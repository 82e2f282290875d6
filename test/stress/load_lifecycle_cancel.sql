-- weight: 6
-- A client cancels one of its consultations, then retries; a second worker
-- of the same client may be moving or cancelling it at the same time.
\set me :client_id % 16
\set pick random(0, 3)
SELECT coalesce(r->'consultations'->(:pick % greatest(jsonb_array_length(r->'consultations'), 1))
                 ->>'consultation_id', '0') AS cid
  FROM stress_log('consultations', booking_consultations('u:me')) AS r \gset
SELECT (r->>'ok')::boolean::int AS ok
  FROM stress_log('cancel_consultation', booking_cancel_consultation(:cid, 'u:me')) AS r \gset
\if :ok
SELECT stress_log('cancel_consultation_retry', booking_cancel_consultation(:cid, 'u:me'));
\endif
