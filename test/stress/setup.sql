-- The load driver's side of a stress database: the extension, the settings
-- the load needs, and an outcome log written in the same transaction as each
-- call, so that after the run (or after a crash and recovery) the log and the
-- booking tables can be compared row for row.
--
-- psql variable: isolation (read committed | serializable).

\set ON_ERROR_STOP 1
CREATE EXTENSION booking CASCADE;

SELECT current_database() AS db \gset
-- Slots lie in 2040 and later, beyond the default max_advance.
ALTER DATABASE :"db" SET booking.max_advance = '30 years';
-- Holds left alone expire within the run and must stop blocking their slots.
ALTER DATABASE :"db" SET booking.hold_ttl = '5 seconds';
ALTER DATABASE :"db" SET default_transaction_isolation = :'isolation';

-- Logged on purpose: after a crash it must hold exactly the outcomes whose
-- transactions committed, like the booking tables.
CREATE TABLE stress_outcomes (
    call    text   NOT NULL,
    outcome text   NOT NULL,
    n       bigint NOT NULL DEFAULT 1
);

-- One word per result: 'ok' with what kind of success, or the error code.
CREATE FUNCTION stress_label(r jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN r IS NULL THEN 'NULL_RESULT'
        WHEN r ? 'has_pending_booking' AND NOT r ? 'ok' THEN
            CASE WHEN r->'has_pending_booking' = 'true' AND r ? 'token' THEN 'pending'
                 WHEN r->'has_pending_booking' = 'false' THEN 'none'
                 ELSE 'MALFORMED_RESULT' END
        WHEN r->'ok' = 'true' THEN 'ok' ||
            CASE
                WHEN r ? 'changed' THEN ':' || (r->>'status') ||
                    CASE WHEN r->'changed' = 'false' THEN ':unchanged' ELSE '' END
                WHEN r->'reused' = 'true' THEN ':reused'
                WHEN r->'already_confirmed' = 'true' THEN ':already_confirmed'
                WHEN r ? 'superseded_token' THEN ':superseded'
                ELSE ''
            END
        WHEN r->'ok' = 'false' AND r ? 'error' THEN r->>'error'
        ELSE 'MALFORMED_RESULT'
    END
$$;

CREATE FUNCTION stress_log(call text, r jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stress_outcomes (call, outcome) VALUES (call, stress_label(r));
    RETURN r;
END
$$;

CREATE FUNCTION stress_log_context(call text, context text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stress_outcomes (call, outcome)
    VALUES (call, CASE split_part(context, E'\n', 1)
                      WHEN 'Context: hasPendingBooking=true' THEN 'pending'
                      WHEN 'Context: hasPendingBooking=false' THEN 'none'
                      ELSE 'MALFORMED_RESULT' END);
    RETURN context;
END
$$;

CREATE FUNCTION stress_log_count(call text, expired bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stress_outcomes (call, outcome, n) VALUES (call, 'ok', expired);
    RETURN expired;
END
$$;

-- All clients work on one day at a time, a new one every 0.2 seconds, so
-- that they keep colliding on the same few slots instead of filling the
-- calendar once and then only hearing SLOT_TAKEN.
CREATE FUNCTION stress_day() RETURNS date
LANGUAGE sql VOLATILE AS $$
    SELECT date '2040-01-01' +
        (floor(extract(epoch FROM clock_timestamp()) * 5)::bigint % 5000)::int
$$;

-- Slot s (0..5) of the day: 09:00, 09:30, ... 11:30 UTC, written in one of
-- the accepted forms: 0 with Z, 1 the same instant with 'T' and +01:00,
-- 2 as a local time in booking.timezone (another instant: more overlaps).
CREATE FUNCTION stress_start(day date, s int, style int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE style
        WHEN 0 THEN to_char(t, 'YYYY-MM-DD HH24:MI') || 'Z'
        WHEN 1 THEN to_char(t + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS') || '+01:00'
        ELSE to_char(t, 'YYYY-MM-DD HH24:MI')
    END
    FROM (SELECT day + time '09:00' + s * interval '30 minutes' AS t) AS slot
$$;
