-- booking 1.0 -> 1.1: calendars and free slots, the life of a booked
-- consultation, and the hardening of 1.0's rules.  booking--1.1.sql is built
-- from booking--1.0.sql and this file, so a fresh 1.1 and an upgraded 1.0
-- are the same.

\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

-- == hardening: the sweep procedure, retention, table settings ==============

-- The newest hold of a conversation is the last one made, by a number drawn
-- when the row is inserted: created_at is shared by holds made in one
-- transaction, and a row's system columns change with any update, even one
-- rolled back.  Holds of an upgraded 1.0 are numbered in the order of their
-- created_at (then token, for holds made in one transaction, whose order
-- 1.0 did not record).
CREATE SEQUENCE booking.pending_bookings_hold_order_seq AS bigint;
ALTER TABLE booking.pending_bookings ADD COLUMN hold_order bigint;
UPDATE booking.pending_bookings AS p SET hold_order = n.hold_order
FROM (SELECT token, pg_catalog.row_number() OVER (ORDER BY created_at, token) AS hold_order
      FROM booking.pending_bookings) AS n
WHERE p.token OPERATOR(pg_catalog.=) n.token;
SELECT pg_catalog.setval('booking.pending_bookings_hold_order_seq',
                         COALESCE(pg_catalog.max(hold_order), 0) OPERATOR(pg_catalog.+) 1, false)
FROM booking.pending_bookings;
ALTER TABLE booking.pending_bookings
    ALTER COLUMN hold_order SET DEFAULT pg_catalog.nextval('booking.pending_bookings_hold_order_seq'::pg_catalog.regclass),
    ALTER COLUMN hold_order SET NOT NULL;
ALTER SEQUENCE booking.pending_bookings_hold_order_seq OWNED BY booking.pending_bookings.hold_order;
SELECT pg_catalog.pg_extension_config_dump('booking.pending_bookings_hold_order_seq', '');

-- Holds are short-lived rows that change status once and are then only
-- read for retries: the table churns, its live part is small, and every
-- status change leaves dead entries in the partial indexes.  Vacuum it
-- after a small fraction of changes rather than PostgreSQL's default 20 %,
-- and let inserts alone trigger it too, so that the indexes the live path
-- reads stay compact.  Consultations are inserted and rarely updated.
ALTER TABLE booking.pending_bookings SET (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE booking.consultations SET (
    autovacuum_vacuum_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.05);

-- The sweep that commits after each batch (booking_expire_holds stays, one
-- transaction), and the purge of resolved holds.  Procedures that commit
-- cannot be SECURITY DEFINER: they run as their caller and do each batch
-- as the owner of the tables.
CREATE PROCEDURE booking_sweep_holds(batch_size integer DEFAULT 1000)
AS 'MODULE_PATHNAME', 'booking_sweep_holds'
LANGUAGE C;

CREATE PROCEDURE booking_purge_holds(older_than interval, batch_size integer DEFAULT 10000)
AS 'MODULE_PATHNAME', 'booking_purge_holds'
LANGUAGE C;

CREATE FUNCTION booking_schedule_purge(older_than interval DEFAULT '30 days',
                                       schedule text DEFAULT '30 3 * * *')
RETURNS bigint
AS 'MODULE_PATHNAME', 'booking_schedule_purge'
LANGUAGE C VOLATILE SECURITY DEFINER PARALLEL UNSAFE;

CREATE FUNCTION booking_unschedule_purge()
RETURNS boolean
AS 'MODULE_PATHNAME', 'booking_unschedule_purge'
LANGUAGE C VOLATILE SECURITY DEFINER PARALLEL UNSAFE;

REVOKE ALL ON PROCEDURE booking_sweep_holds(integer) FROM PUBLIC;
REVOKE ALL ON PROCEDURE booking_purge_holds(interval, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION booking_schedule_purge(interval, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION booking_unschedule_purge() FROM PUBLIC;


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
