-- Another app server answering the same user: it reads another connection's
-- pending hold through the API and confirms it too, racing the owner; a
-- stranger tries the same token and must learn nothing.
\set other random(0, :nclients - 1)
\set owner :other % 16
\set conv random(1, 2)
SELECT coalesce(r->>'token', '') AS token, (r->'has_pending_booking' = 'true')::int AS pending
  FROM stress_log('pending_state', booking_pending_state('v:other-:conv', 'u:owner')) AS r \gset
SELECT stress_log_context('classifier_context',
       booking_classifier_context('v:other-:conv', 'u:owner'));
\if :pending
SELECT stress_log('confirm_foreign', booking_confirm(':token', 'x:client_id'));
SELECT stress_log('cancel_foreign', booking_cancel(':token', 'x:client_id'));
SELECT stress_log('confirm_duplicate', booking_confirm(':token', 'u:owner'));
\endif
