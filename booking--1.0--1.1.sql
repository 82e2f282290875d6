-- booking 1.0 -> 1.1: calendars and free slots, the life of a booked
-- consultation, and the hardening of 1.0's rules.  booking--1.1.sql is built
-- from booking--1.0.sql and this file, so a fresh 1.1 and an upgraded 1.0
-- are the same.

\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

-- == hardening: the sweep procedure, retention, table settings ==============


-- == calendars: working hours, time off, free slots =========================


-- == life of a consultation: list, cancel, move =============================

-- A consultation keeps why and when it was cancelled, and a move links the
-- old consultation and the new one both ways.
ALTER TABLE booking.consultations
    ADD COLUMN cancelled_at  timestamptz,
    ADD COLUMN cancel_reason text,
    ADD COLUMN moved_from    bigint,
    ADD COLUMN moved_to      bigint,
    ADD CONSTRAINT consultations_cancel_reason_check
        CHECK (cancel_reason IN ('client', 'rescheduled')),
    -- moved_to is set exactly when the consultation was cancelled by a move
    ADD CONSTRAINT consultations_moved_to_check
        CHECK ((moved_to IS NOT NULL) = (cancel_reason IS NOT NULL AND cancel_reason = 'rescheduled'));

-- A consultation is moved at most once: a second new consultation claiming
-- the same old one hits this wall.
CREATE UNIQUE INDEX consultations_moved_from
    ON booking.consultations (moved_from)
    WHERE moved_from IS NOT NULL;

-- booking_consultations lists a client's booked consultations, soonest first.
CREATE INDEX consultations_booked_client
    ON booking.consultations (client_id, scheduled_at)
    WHERE status = 'booked';

-- A hold may move a booked consultation rather than book a new one.
ALTER TABLE booking.pending_bookings
    ADD COLUMN moves_consultation_id bigint;

-- Same name as in 1.0, so that an upgraded 1.0 equals a fresh 1.1.
ALTER TABLE booking.pending_bookings
    DROP CONSTRAINT pending_bookings_cancel_reason_check,
    ADD CONSTRAINT pending_bookings_cancel_reason_check
        CHECK (cancel_reason IN ('client', 'superseded', 'slot_taken',
                                 'consultation_cancelled', 'too_late'));

-- Cancelling a consultation finds the active holds that would move it.
CREATE INDEX pending_bookings_active_move
    ON booking.pending_bookings (moves_consultation_id)
    WHERE status = 'awaiting_confirm' AND moves_consultation_id IS NOT NULL;

CREATE FUNCTION booking_consultations(client_id text, conversation_id text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_consultations'
LANGUAGE C VOLATILE SECURITY DEFINER PARALLEL UNSAFE;

CREATE FUNCTION booking_cancel_consultation(consultation_id bigint, client_id text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_cancel_consultation'
LANGUAGE C VOLATILE SECURITY DEFINER PARALLEL UNSAFE;

CREATE FUNCTION booking_propose_move(consultation_id bigint, client_id text,
                                     conversation_id text, start_time text,
                                     duration interval DEFAULT NULL,
                                     ttl interval DEFAULT NULL,
                                     tz text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_propose_move'
LANGUAGE C VOLATILE SECURITY DEFINER PARALLEL UNSAFE;

REVOKE ALL ON FUNCTION booking_consultations(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION booking_cancel_consultation(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION booking_propose_move(bigint, text, text, text, interval, interval, text) FROM PUBLIC;
