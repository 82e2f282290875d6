-- The whole API as an application calls it, one result a line.  Two holds
-- are made stale first, under the session's own search_path; every call
-- after that runs under :path.  Output goes through \qecho, so that \o can
-- silence a run.
-- Variables: p (prefix of the consultant ids), path, day (YYYY-MM-DD, a few
-- days ahead), yesterday (YYYY-MM-DD).
\set dra :p 'dr-a'
\set drb :p 'dr-b'
\set drs :p 'dr-s'
\set t0930 :day ' 09:30'
\set t10 :day ' 10:00'
\set t1030 :day ' 10:30'
\set t11 :day ' 11:00'
\set t12 :day ' 12:00'
\set t14 :day ' 14:00'
\set past :yesterday ' 10:00'

SELECT booking_propose(:'drs', 'cl-s1', 'conv-s1', :'t10') ->> 'token' AS s1 \gset
SELECT booking_propose(:'drs', 'cl-s2', 'conv-s2', :'t12') ->> 'token' AS s2 \gset
SELECT booking_propose(:'drs', 'cl-s3', 'conv-s3', :'t14') ->> 'token' AS s3 \gset
UPDATE booking.pending_bookings
   SET created_at = created_at - interval '1 hour', expires_at = expires_at - interval '1 hour'
 WHERE token IN (:'s1', :'s2', :'s3');

SET search_path = :path;

SELECT booking_propose(:'dra', 'cl-1', 'conv-1', :'t10') AS r \gset
\qecho propose :r
SELECT :'r'::jsonb ->> 'token' AS t1 \gset
SELECT booking_propose(:'dra', 'cl-2', 'conv-2', :'t10') AS r \gset
\qecho same slot, other client :r
SELECT booking_propose(:'dra', 'cl-2', 'conv-2', :'t1030') AS r \gset
\qecho overlapping slot, other client :r
SELECT booking_propose(:'dra', 'cl-2', 'conv-2', :'t11') AS r \gset
\qecho next slot, other client :r
SELECT booking_propose(:'drb', 'cl-3', 'conv-3', :'t10') AS r \gset
\qecho same time, other consultant :r
SELECT :'r'::jsonb ->> 'token' AS t3 \gset
SELECT booking_propose(:'dra', 'cl-1', 'conv-1', :'t10') AS r \gset
\qecho retry :r
SELECT booking_propose(:'dra', 'cl-9', 'conv-9', :'past') AS r \gset
\qecho yesterday :r
SELECT booking_propose(:'drs', 'cl-9', 'conv-9', :'t14') AS r \gset
\qecho the slot of a stale hold :r
SELECT booking_cancel(:'r'::jsonb ->> 'token', 'cl-9') AS r \gset
\qecho cancel it :r

SELECT booking_pending_state('conv-1', 'cl-1') AS r \gset
\qecho pending state :r
SELECT booking_pending_state('conv-1', 'cl-2') AS r \gset
\qecho pending state, other client :r
SELECT booking_classifier_context('conv-1', 'cl-1') AS r \gset
\qecho classifier context :r
SELECT booking_classifier_context('conv-9', 'cl-9') AS r \gset
\qecho classifier context, nothing pending :r

SELECT booking_confirm(:'t1', 'cl-2') AS r \gset
\qecho confirm, other client :r
SELECT booking_confirm(:'t1', 'cl-1') AS r \gset
\qecho confirm :r
SELECT booking_confirm(:'t1', 'cl-1') AS r \gset
\qecho confirm again :r
SELECT booking_propose(:'dra', 'cl-4', 'conv-4', :'t0930') AS r \gset
\qecho overlapping a booked slot :r
SELECT booking_propose(:'dra', 'cl-2', 'conv-2', :'t12') AS r \gset
\qecho supersede :r
SELECT booking_confirm_latest('conv-2', 'cl-1') AS r \gset
\qecho confirm_latest, other client :r
SELECT booking_confirm_latest('conv-2', 'cl-2') AS r \gset
\qecho confirm_latest :r
SELECT booking_cancel(:'t3', 'cl-3') AS r \gset
\qecho cancel :r
SELECT booking_cancel(:'t3', 'cl-3') AS r \gset
\qecho cancel again :r
SELECT booking_cancel(:'t1', 'cl-1') AS r \gset
\qecho cancel a confirmed hold :r

SELECT booking_confirm(:'s1', 'cl-s1') AS r \gset
\qecho confirm a stale hold :r
SELECT booking_expire_holds(1) AS r \gset
\qecho sweep :r
SELECT booking_confirm(:'s2', 'cl-s2') AS r \gset
\qecho confirm a swept hold :r
SELECT booking_token_route(:'t1') AS r \gset
\qecho token route :r

RESET search_path;
