-- Plants one violation of every check of invariants_lifecycle.sql, after
-- corrupt.sql, with the walls of 1.1 taken down first.

\set ON_ERROR_STOP 1
ALTER TABLE booking.consultations DROP CONSTRAINT consultations_moved_to_check;
DROP INDEX booking.consultations_moved_from;

-- moved to a consultation that does not exist; and one that claims to come
-- from a consultation still booked
INSERT INTO booking.consultations (id, consultant_id, client_id, scheduled_at, ends_at, status,
                                   cancel_reason, cancelled_at, moved_to, moved_from)
VALUES (-1, 'k9', 'u9', '2040-06-01 10:00Z', '2040-06-01 11:00Z', 'cancelled', 'rescheduled', now(), -99, NULL),
       (-2, 'k9', 'u9', '2040-06-02 10:00Z', '2040-06-02 11:00Z', 'booked', NULL, NULL, NULL, NULL),
       (-3, 'k9', 'u9', '2040-06-03 10:00Z', '2040-06-03 11:00Z', 'booked', NULL, NULL, NULL, -2),
       -- moved twice: two successors of -4
       (-4, 'k9', 'u9', '2040-06-04 10:00Z', '2040-06-04 11:00Z', 'cancelled', 'rescheduled', now(), -5, NULL),
       (-5, 'k9', 'u9', '2040-06-05 10:00Z', '2040-06-05 11:00Z', 'booked', NULL, NULL, NULL, -4),
       (-6, 'k9', 'u9', '2040-06-06 10:00Z', '2040-06-06 11:00Z', 'booked', NULL, NULL, NULL, -4),
       -- booked, yet with a cancel reason
       (-7, 'k9', 'u9', '2040-06-07 10:00Z', '2040-06-07 11:00Z', 'booked', 'client', NULL, NULL, NULL);

-- a confirmed move hold whose consultation did not come from the move; an
-- awaiting move hold of a cancelled consultation; a reason of 1.1 on a hold
-- that moves nothing
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at, status, expires_at,
     resolved_at, consultation_id, moves_consultation_id, cancel_reason)
VALUES ('bk_forged_move_1', 'k9', 'u9', 'v9', '2040-06-08 10:00Z', '2040-06-08 11:00Z', 'confirmed',
        now() + interval '1 hour', now(), -7, -2, NULL),
       ('bk_forged_move_2', 'k9', 'u9', 'v9', '2040-06-09 10:00Z', '2040-06-09 11:00Z', 'awaiting_confirm',
        now() + interval '1 hour', NULL, NULL, -1, NULL),
       ('bk_forged_move_3', 'k9', 'u9', 'v9', '2040-06-10 10:00Z', '2040-06-10 11:00Z', 'cancelled',
        now() + interval '1 hour', now(), NULL, NULL, 'too_late');
