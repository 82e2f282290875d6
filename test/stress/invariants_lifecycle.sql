-- The invariants of the life of a consultation, whatever ran against the
-- tables, crashes included; same output shape as invariants.sql.  Never both
-- the old and the new consultation booked, never neither: a moved one points
-- at its successor, which points back, and nothing is moved twice.

WITH
moved AS (
    SELECT * FROM booking.consultations WHERE cancel_reason = 'rescheduled'
),
-- a consultation moved away has a successor (booked, or itself moved or
-- cancelled) that names it as where it came from
moved_dangling AS (
    SELECT format('consultation %s moved_to %s (found: %s, its moved_from: %s)',
                  o.id, o.moved_to, n.id IS NOT NULL, n.moved_from) AS v
    FROM moved o LEFT JOIN booking.consultations n ON n.id = o.moved_to
    WHERE o.status <> 'cancelled' OR o.moved_to IS NULL OR n.id IS NULL
       OR n.moved_from IS DISTINCT FROM o.id
       OR n.client_id <> o.client_id OR n.consultant_id <> o.consultant_id
),
-- a consultation that came from a move: its predecessor was cancelled by it
from_dangling AS (
    SELECT format('consultation %s moved_from %s (its status %s, its moved_to %s)',
                  n.id, n.moved_from, o.status, o.moved_to) AS v
    FROM booking.consultations n LEFT JOIN booking.consultations o ON o.id = n.moved_from
    WHERE n.moved_from IS NOT NULL
      AND (o.id IS NULL OR o.status <> 'cancelled' OR o.cancel_reason IS DISTINCT FROM 'rescheduled'
           OR o.moved_to IS DISTINCT FROM n.id)
),
moved_twice AS (
    SELECT format('consultation %s moved %s times', moved_from, count(*)) AS v
    FROM booking.consultations WHERE moved_from IS NOT NULL
    GROUP BY moved_from HAVING count(*) > 1
),
-- a confirmed move hold booked the consultation that came from the move
move_hold_unmatched AS (
    SELECT format('hold %s moving %s confirmed as %s (its moved_from %s)',
                  h.token, h.moves_consultation_id, h.consultation_id, c.moved_from) AS v
    FROM booking.pending_bookings h LEFT JOIN booking.consultations c ON c.id = h.consultation_id
    WHERE h.status = 'confirmed' AND h.moves_consultation_id IS NOT NULL
      AND (c.id IS NULL OR c.moved_from IS DISTINCT FROM h.moves_consultation_id)
),
-- a hold awaiting confirmation only ever moves a booked consultation of its
-- client and consultant: cancelling or moving it cancels such holds
move_hold_orphan AS (
    SELECT format('hold %s awaits moving consultation %s (%s)', h.token,
                  h.moves_consultation_id, coalesce(c.status, 'missing')) AS v
    FROM booking.pending_bookings h LEFT JOIN booking.consultations c ON c.id = h.moves_consultation_id
    WHERE h.status = 'awaiting_confirm' AND h.moves_consultation_id IS NOT NULL
      AND (c.id IS NULL OR c.status <> 'booked' OR c.client_id <> h.client_id
           OR c.consultant_id <> h.consultant_id)
),
-- a consultation's status and its cancel fields agree
consultation_state AS (
    SELECT format('consultation %s %s reason=%s cancelled_at=%s moved_to=%s', id, status,
                  cancel_reason, cancelled_at, moved_to) AS v
    FROM booking.consultations
    WHERE CASE status
        WHEN 'booked' THEN cancel_reason IS NOT NULL OR cancelled_at IS NOT NULL OR moved_to IS NOT NULL
        WHEN 'cancelled' THEN cancel_reason IS NULL OR cancelled_at IS NULL
                              OR (moved_to IS NOT NULL) <> (cancel_reason = 'rescheduled')
        ELSE true
    END
),
-- the reasons of 1.1 belong to move holds only
move_reason_elsewhere AS (
    SELECT format('hold %s cancelled %s without a consultation to move', token, cancel_reason) AS v
    FROM booking.pending_bookings
    WHERE cancel_reason IN ('consultation_cancelled', 'too_late') AND moves_consultation_id IS NULL
)
SELECT 'every moved consultation has a successor that points back', count(*), min(v) FROM moved_dangling
UNION ALL
SELECT 'every consultation that came from a move cancelled its predecessor', count(*), min(v) FROM from_dangling
UNION ALL
SELECT 'no consultation was moved twice', count(*), min(v) FROM moved_twice
UNION ALL
SELECT 'every confirmed move hold booked the consultation that came from the move', count(*), min(v) FROM move_hold_unmatched
UNION ALL
SELECT 'every move hold awaiting confirmation moves a booked consultation of its client', count(*), min(v) FROM move_hold_orphan
UNION ALL
SELECT 'every consultation''s status, reason and times agree', count(*), min(v) FROM consultation_state
UNION ALL
SELECT 'consultation_cancelled and too_late only on move holds', count(*), min(v) FROM move_reason_elsewhere;
