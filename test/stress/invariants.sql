-- What must be true of the booking tables whatever ran against them, crashes
-- included.  One row per check: name, number of violations, a sample.  The
-- exclusion constraints already forbid some of this; the checks do not rely
-- on them, so they also catch a constraint that went missing.

WITH
booked AS (
    SELECT * FROM booking.consultations WHERE status = 'booked'
),
awaiting AS (
    SELECT * FROM booking.pending_bookings WHERE status = 'awaiting_confirm'
),
booked_overlap AS (
    SELECT format('%s and %s of %s', a.id, b.id, a.consultant_id) AS v
    FROM booked a JOIN booked b
      ON a.consultant_id = b.consultant_id AND a.id < b.id
     AND tstzrange(a.scheduled_at, a.ends_at) && tstzrange(b.scheduled_at, b.ends_at)
),
awaiting_overlap AS (
    SELECT format('%s and %s of %s', a.token, b.token, a.consultant_id) AS v
    FROM awaiting a JOIN awaiting b
      ON a.consultant_id = b.consultant_id AND a.token < b.token
     AND tstzrange(a.start_at, a.end_at) && tstzrange(b.start_at, b.end_at)
),
-- A confirmed hold names its consultation, which carries its token and slot.
confirmed_unmatched AS (
    SELECT format('%s (consultation %s, %s found by token)', h.token,
                  h.consultation_id, count(c.id)) AS v
    FROM booking.pending_bookings h
    LEFT JOIN booking.consultations c ON c.token = h.token
    WHERE h.status = 'confirmed'
    GROUP BY h.token, h.consultation_id, h.consultant_id, h.start_at, h.end_at
    HAVING count(c.id) <> 1
        OR h.consultation_id IS NULL
        OR h.consultation_id IS DISTINCT FROM min(c.id)
        OR bool_or(c.consultant_id <> h.consultant_id OR c.scheduled_at <> h.start_at
                   OR c.ends_at <> h.end_at)
),
consultation_unmatched AS (
    SELECT format('consultation %s (token %s)', c.id, c.token) AS v
    FROM booking.consultations c
    WHERE NOT EXISTS (SELECT 1 FROM booking.pending_bookings h
                      WHERE h.token = c.token AND h.status = 'confirmed'
                        AND h.consultation_id = c.id)
),
-- Confirm reads the clock at its start; a hold is confirmed only before
-- its expires_at.
confirmed_late AS (
    SELECT format('%s confirmed at %s, expired at %s', token, resolved_at, expires_at) AS v
    FROM booking.pending_bookings
    WHERE status = 'confirmed' AND NOT (resolved_at < expires_at)
),
-- Nobody can hold a slot that is booked: a hold promises a free slot.  (In
-- 1.1 a move's hold may overlap the consultation it moves, and only that.)
awaiting_on_booked AS (
    SELECT format('%s over consultation %s', h.token, c.id) AS v
    FROM awaiting h JOIN booked c
      ON c.consultant_id = h.consultant_id
     AND tstzrange(c.scheduled_at, c.ends_at) && tstzrange(h.start_at, h.end_at)
     AND c.id IS DISTINCT FROM h.moves_consultation_id
),
-- Each status carries what it must and nothing else; expired means it was
-- due, cancelled means it was not (a stale hold is expired everywhere).
bad_state AS (
    SELECT format('%s %s reason=%s resolved=%s expires=%s consultation=%s', token,
                  status, cancel_reason, resolved_at, expires_at, consultation_id) AS v
    FROM booking.pending_bookings
    WHERE CASE status
        WHEN 'awaiting_confirm' THEN resolved_at IS NOT NULL OR cancel_reason IS NOT NULL
                                     OR consultation_id IS NOT NULL
        WHEN 'confirmed' THEN resolved_at IS NULL OR cancel_reason IS NOT NULL
        WHEN 'expired' THEN resolved_at IS NULL OR cancel_reason IS NOT NULL
                            OR consultation_id IS NOT NULL OR resolved_at < expires_at
        WHEN 'cancelled' THEN resolved_at IS NULL OR cancel_reason IS NULL
                              OR consultation_id IS NOT NULL OR resolved_at >= expires_at
        ELSE true
    END
),
-- The token's routing key is the consultant's, so a sharded confirm would
-- find the hold.
bad_token AS (
    SELECT format('%s of %s', token, consultant_id) AS v
    FROM booking.pending_bookings
    WHERE booking_token_route(token) IS DISTINCT FROM hashtext(consultant_id)
)
SELECT 'no two booked consultations of a consultant overlap', count(*), min(v) FROM booked_overlap
UNION ALL
SELECT 'no two awaiting_confirm holds of a consultant overlap', count(*), min(v) FROM awaiting_overlap
UNION ALL
SELECT 'every confirmed hold has exactly one consultation, with its token and slot', count(*), min(v) FROM confirmed_unmatched
UNION ALL
SELECT 'every consultation has the confirmed hold it came from', count(*), min(v) FROM consultation_unmatched
UNION ALL
SELECT 'no hold was confirmed at or after its expiry', count(*), min(v) FROM confirmed_late
UNION ALL
SELECT 'no awaiting_confirm hold overlaps a booked consultation', count(*), min(v) FROM awaiting_on_booked
UNION ALL
SELECT 'every hold''s status, reason and times agree', count(*), min(v) FROM bad_state
UNION ALL
SELECT 'every token routes to its consultant', count(*), min(v) FROM bad_token;
