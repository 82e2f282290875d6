-- The booking API in PL/pgSQL, as an application developer would write it
-- without a C extension: the benchmark's comparison point.  It is not part of the
-- extension; bench/run.sh loads it into the benchmark database.
--
-- It works on the extension's own tables (booking.pending_bookings and
-- booking.consultations), so both implementations write through the same
-- indexes and constraints.  Its statements are the straightforward ones: a
-- read of the relevant holds, a check for booked overlaps, the INSERT; for a
-- confirm, the row lock, the consultation INSERT and the UPDATE of the hold.
-- Its locks are pg_advisory_xact_lock(hashtext(consultant_id)) and one for
-- the client's conversation, in the key spaces applications use, not the
-- extension's.
--
-- Needs: CREATE EXTENSION booking (for the tables) and pgcrypto in schema
-- plbooking (gen_random_bytes).

CREATE SCHEMA IF NOT EXISTS plbooking;
CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA plbooking;

-- Settings: the extension's GUCs when its library is loaded in this session,
-- the contract's defaults when not.
CREATE OR REPLACE FUNCTION plbooking._setting(name text, fallback text)
RETURNS text LANGUAGE sql STABLE
AS $$ SELECT coalesce(nullif(pg_catalog.current_setting(name, true), ''), fallback) $$;

CREATE OR REPLACE FUNCTION plbooking._interval_setting(name text, fallback text)
RETURNS interval LANGUAGE sql STABLE
AS $$ SELECT plbooking._setting(name, fallback)::interval $$;

-- "2026-03-10T14:00:00Z", whole seconds, as the extension writes them.
CREATE OR REPLACE FUNCTION plbooking._fmt_utc(ts timestamptz)
RETURNS text LANGUAGE sql STABLE
AS $$ SELECT pg_catalog.to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

-- "2026-03-10T15:00:00+01:00": the wall time in tz and its offset.
CREATE OR REPLACE FUNCTION plbooking._fmt_local(ts timestamptz, tz text)
RETURNS text LANGUAGE sql STABLE
AS $$
    SELECT pg_catalog.to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN off < 0 THEN '-' ELSE '+' END
        || pg_catalog.lpad((abs(off) / 3600)::text, 2, '0') || ':'
        || pg_catalog.lpad((abs(off) % 3600 / 60)::text, 2, '0')
    FROM (SELECT extract(epoch FROM (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC'))::int
          AS off) o
$$;

CREATE OR REPLACE FUNCTION plbooking._check_id(v text, name text)
RETURNS text LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION '% must not be null', name USING ERRCODE = '22004';
    ELSIF v = '' THEN
        RAISE EXCEPTION '% must not be empty', name USING ERRCODE = '22023';
    ELSIF pg_catalog.octet_length(v) > 255 THEN
        RAISE EXCEPTION '% is too long', name USING ERRCODE = '22023';
    END IF;
    RETURN v;
END $$;

CREATE OR REPLACE FUNCTION plbooking._zone()
RETURNS text LANGUAGE sql STABLE
AS $$ SELECT plbooking._setting('booking.timezone', 'Europe/Rome') $$;

-- The consultant's routing key that a token carries, or NULL.
CREATE OR REPLACE FUNCTION plbooking.booking_token_route(token text)
RETURNS integer LANGUAGE sql IMMUTABLE STRICT
AS $$
    SELECT CASE WHEN token ~ '^bk_[A-Za-z0-9_-]{21}[AQgw]$' THEN
        ('x' || pg_catalog.encode(substring(
            pg_catalog.decode(pg_catalog.translate(pg_catalog.substr(token, 4, 8), '-_', '+/'), 'base64')
            FROM 1 FOR 4), 'hex'))::bit(32)::int
    END
$$;

-- The hold as the results describe it.
CREATE OR REPLACE FUNCTION plbooking._slot_json(h booking.pending_bookings, tz text)
RETURNS jsonb LANGUAGE sql STABLE
AS $$
    SELECT pg_catalog.jsonb_build_object(
        'token', h.token,
        'consultant_id', h.consultant_id,
        'start_at', plbooking._fmt_utc(h.start_at),
        'end_at', plbooking._fmt_utc(h.end_at),
        'start_local', plbooking._fmt_local(h.start_at, tz),
        'timezone', tz)
$$;

CREATE OR REPLACE FUNCTION plbooking._error(code text, message text)
RETURNS jsonb LANGUAGE sql IMMUTABLE
AS $$ SELECT pg_catalog.jsonb_build_object('ok', false, 'error', code, 'message', message) $$;

CREATE OR REPLACE FUNCTION plbooking.booking_propose(consultant_id text, client_id text,
                                                     conversation_id text, start_time text,
                                                     duration interval DEFAULT NULL,
                                                     ttl interval DEFAULT NULL,
                                                     tz text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p_consultant text := plbooking._check_id(consultant_id, 'consultant_id');
    p_client text := plbooking._check_id(client_id, 'client_id');
    p_conversation text := plbooking._check_id(conversation_id, 'conversation_id');
    v_duration interval;
    v_ttl interval;
    v_tz text;
    m text[];
    v_wall timestamp;
    v_offset interval;
    v_candidates timestamptz[];
    v_probe timestamptz;
    v_early timestamptz;
    v_late timestamptz;
    v_start timestamptz;
    v_end timestamptz;
    v_expires timestamptz;
    v_token text;
    h booking.pending_bookings;
    v_reuse booking.pending_bookings;
    v_retire text[] := '{}';
    v_held boolean := false;
    v_superseded text;
BEGIN
    IF start_time IS NULL THEN
        RAISE EXCEPTION 'start_time must not be null' USING ERRCODE = '22004';
    END IF;
    v_duration := coalesce(duration, plbooking._interval_setting('booking.default_duration', '60min'));
    v_ttl := coalesce(ttl, plbooking._interval_setting('booking.hold_ttl', '10min'));
    IF v_duration <= interval '0' THEN
        RAISE EXCEPTION 'duration must be positive' USING ERRCODE = '22023';
    ELSIF v_ttl <= interval '0' THEN
        RAISE EXCEPTION 'ttl must be positive' USING ERRCODE = '22023';
    END IF;
    v_tz := coalesce(tz, plbooking._zone());
    -- an unknown zone is 22023, which AT TIME ZONE raises
    IF v_tz = '' THEN
        RAISE EXCEPTION 'time zone "" is not recognized' USING ERRCODE = '22023';
    END IF;
    PERFORM now() AT TIME ZONE v_tz;

    m := regexp_match(start_time,
        '^([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|([+-])([0-9]{2}):([0-9]{2}))?$');
    IF m IS NULL OR m[1]::int < 1 OR m[2]::int NOT BETWEEN 1 AND 12 OR m[3]::int < 1
       OR m[3]::int > extract(day FROM make_date(m[1]::int, m[2]::int, 1) + interval '1 month - 1 day')
       OR m[4]::int > 23 OR m[5]::int > 59 OR coalesce(m[6]::int, 0) > 59
       OR coalesce(m[9]::int, 0) > 15 OR coalesce(m[10]::int, 0) > 59 THEN
        RETURN plbooking._error('INVALID_TIME',
            'The start time must be a date and time such as 2026-03-10 15:00, optionally followed by Z or an offset such as +01:00.');
    END IF;
    v_wall := make_timestamp(m[1]::int, m[2]::int, m[3]::int, m[4]::int, m[5]::int,
                             coalesce(m[6]::int, 0));

    IF m[7] IS NOT NULL THEN
        v_offset := CASE WHEN m[7] = 'Z' THEN interval '0'
                         ELSE make_interval(hours => m[9]::int, mins => m[10]::int)
                              * CASE WHEN m[8] = '-' THEN -1 ELSE 1 END END;
        v_start := (v_wall - v_offset) AT TIME ZONE 'UTC';
    ELSE
        -- The offsets in force a day before and a day after are the only
        -- candidates; those that give the wall time back are its instants:
        -- none in a DST gap, two in a fold.
        v_probe := (v_wall - interval '1 day') AT TIME ZONE 'UTC';
        v_early := (v_wall - ((v_probe AT TIME ZONE v_tz) - (v_probe AT TIME ZONE 'UTC'))) AT TIME ZONE 'UTC';
        v_probe := (v_wall + interval '1 day') AT TIME ZONE 'UTC';
        v_late := (v_wall - ((v_probe AT TIME ZONE v_tz) - (v_probe AT TIME ZONE 'UTC'))) AT TIME ZONE 'UTC';
        v_candidates := '{}';
        IF v_early AT TIME ZONE v_tz = v_wall THEN
            v_candidates := v_candidates || v_early;
        END IF;
        IF v_late <> v_early AND v_late AT TIME ZONE v_tz = v_wall THEN
            v_candidates := v_candidates || v_late;
        END IF;
        IF cardinality(v_candidates) = 0 THEN
            RETURN plbooking._error('NONEXISTENT_TIME',
                'That local time does not exist, because the clocks go forward then; choose another time.');
        ELSIF cardinality(v_candidates) = 2 THEN
            IF v_candidates[1] > v_candidates[2] THEN
                v_candidates := ARRAY[v_candidates[2], v_candidates[1]];
            END IF;
            RETURN plbooking._error('AMBIGUOUS_TIME',
                    'That local time occurs twice, because the clocks go back then; choose one of the candidates.')
                || jsonb_build_object('timezone', v_tz,
                       'candidates', jsonb_build_array(plbooking._fmt_local(v_candidates[1], v_tz),
                                                       plbooking._fmt_local(v_candidates[2], v_tz)));
        END IF;
        v_start := v_candidates[1];
    END IF;

    IF v_start <= now() THEN
        RETURN plbooking._error('IN_PAST', 'That time is in the past; choose a time in the future.');
    ELSIF v_start > now() + plbooking._interval_setting('booking.max_advance', '365d') THEN
        RETURN plbooking._error('TOO_FAR_AHEAD',
            'That time is too far ahead to be booked yet; choose an earlier time.');
    END IF;
    v_end := v_start + v_duration;
    v_expires := now() + v_ttl;

    -- One conversation's proposals for two consultants would take two
    -- consultant locks and miss each other's hold; the conversation's lock
    -- comes first, and nothing takes the two in the other order.
    PERFORM pg_advisory_xact_lock(hashtext(p_conversation), hashtext(p_client));
    PERFORM pg_advisory_xact_lock(hashtext(p_consultant));

    -- Holds overlapping the slot, and this client's in this conversation:
    -- a live one of the same slot is a retry, stale ones and this
    -- conversation's others give way, anything else holds the slot.
    FOR h IN
        SELECT * FROM booking.pending_bookings b
        WHERE b.status = 'awaiting_confirm'
          AND ((b.consultant_id = p_consultant
                AND tstzrange(b.start_at, b.end_at) && tstzrange(v_start, v_end))
               OR (b.conversation_id = p_conversation AND b.client_id = p_client))
    LOOP
        IF h.expires_at > now() AND h.conversation_id = p_conversation AND h.client_id = p_client
           AND h.consultant_id = p_consultant AND h.start_at = v_start AND h.end_at = v_end THEN
            v_reuse := h;
        ELSIF h.expires_at <= now()
              OR (h.conversation_id = p_conversation AND h.client_id = p_client) THEN
            v_retire := v_retire || h.token;
        ELSE
            v_held := true;
        END IF;
    END LOOP;

    IF v_reuse.token IS NOT NULL THEN
        RETURN jsonb_build_object('ok', true, 'status', 'awaiting_confirm',
                                  'expires_at', plbooking._fmt_utc(v_reuse.expires_at), 'reused', true)
            || plbooking._slot_json(v_reuse, v_tz);
    ELSIF v_held THEN
        RETURN plbooking._error('SLOT_HELD',
            'That slot is being held for another booking; please choose another time.');
    END IF;

    IF EXISTS (SELECT 1 FROM booking.consultations c
               WHERE c.consultant_id = p_consultant AND c.status = 'booked'
                 AND tstzrange(c.scheduled_at, c.ends_at) && tstzrange(v_start, v_end)) THEN
        RETURN plbooking._error('SLOT_TAKEN', 'That slot is already booked; please choose another time.');
    END IF;

    IF cardinality(v_retire) > 0 THEN
        WITH retired AS (
            UPDATE booking.pending_bookings b
            SET status = CASE WHEN b.expires_at <= now() THEN 'expired' ELSE 'cancelled' END,
                cancel_reason = CASE WHEN b.expires_at <= now() THEN NULL ELSE 'superseded' END,
                resolved_at = now()
            WHERE b.token = ANY (v_retire) AND b.status = 'awaiting_confirm'
            RETURNING b.token, b.status)
        SELECT r.token INTO v_superseded FROM retired r WHERE r.status = 'cancelled' LIMIT 1;
    END IF;

    v_token := 'bk_' || rtrim(translate(encode(int4send(hashtext(p_consultant))
                                               || plbooking.gen_random_bytes(12), 'base64'),
                                        '+/', '-_'), '=');
    INSERT INTO booking.pending_bookings AS b
        (token, consultant_id, client_id, conversation_id, start_at, end_at,
         status, created_at, expires_at)
    VALUES (v_token, p_consultant, p_client, p_conversation, v_start, v_end,
            'awaiting_confirm', now(), v_expires)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN plbooking._error('SLOT_HELD',
            'That slot is being held for another booking; please choose another time.');
    END IF;

    RETURN jsonb_build_object('ok', true, 'status', 'awaiting_confirm', 'token', v_token,
                              'consultant_id', p_consultant,
                              'start_at', plbooking._fmt_utc(v_start),
                              'end_at', plbooking._fmt_utc(v_end),
                              'start_local', plbooking._fmt_local(v_start, v_tz),
                              'timezone', v_tz,
                              'expires_at', plbooking._fmt_utc(v_expires),
                              'reused', false)
        || CASE WHEN v_superseded IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('superseded_token', v_superseded) END;
END $$;

CREATE OR REPLACE FUNCTION plbooking._hold_error(h booking.pending_bookings, code text, message text)
RETURNS jsonb LANGUAGE sql STABLE
AS $$
    SELECT plbooking._error(code, message)
        || pg_catalog.jsonb_build_object('token', h.token, 'status', h.status,
                                         'expires_at', plbooking._fmt_utc(h.expires_at))
        || CASE WHEN h.cancel_reason IS NULL THEN '{}'::jsonb
                ELSE pg_catalog.jsonb_build_object('cancel_reason', h.cancel_reason) END
$$;

CREATE OR REPLACE FUNCTION plbooking.booking_confirm(token text, client_id text)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p_client text := plbooking._check_id(client_id, 'client_id');
    v_route integer;
    h booking.pending_bookings;
    v_id bigint;
    v_tz text := plbooking._zone();
BEGIN
    IF token IS NULL THEN
        RAISE EXCEPTION 'token must not be null' USING ERRCODE = '22004';
    END IF;
    v_route := plbooking.booking_token_route(token);
    IF v_route IS NULL THEN
        RETURN plbooking._error('NOT_FOUND', 'There is no such pending booking for this client.');
    END IF;
    -- the token carries hashtext(consultant_id): lock before reading
    PERFORM pg_advisory_xact_lock(v_route);

    SELECT * INTO h FROM booking.pending_bookings b WHERE b.token = booking_confirm.token FOR UPDATE;
    IF NOT FOUND OR h.client_id <> p_client THEN
        RETURN plbooking._error('NOT_FOUND', 'There is no such pending booking for this client.');
    END IF;
    IF hashtext(h.consultant_id) <> v_route THEN
        PERFORM pg_advisory_xact_lock(hashtext(h.consultant_id));
    END IF;

    IF h.status = 'confirmed' THEN
        RETURN jsonb_build_object('ok', true, 'status', 'confirmed',
                                  'consultation_id', h.consultation_id, 'already_confirmed', true)
            || plbooking._slot_json(h, v_tz);
    ELSIF h.status = 'cancelled' THEN
        RETURN plbooking._hold_error(h, 'NOT_PENDING',
            'That booking was cancelled and can no longer be confirmed.');
    END IF;
    IF h.status = 'awaiting_confirm' AND h.expires_at <= now() THEN
        UPDATE booking.pending_bookings b SET status = 'expired', resolved_at = now()
        WHERE b.token = h.token;
        h.status := 'expired';
    END IF;
    IF h.status = 'expired' THEN
        RETURN plbooking._hold_error(h, 'EXPIRED',
            'The hold on that slot has expired; propose the slot again.');
    END IF;

    INSERT INTO booking.consultations AS c
        (token, consultant_id, client_id, conversation_id, scheduled_at, ends_at, status, created_at)
    VALUES (h.token, h.consultant_id, h.client_id, h.conversation_id, h.start_at, h.end_at,
            'booked', now())
    ON CONFLICT DO NOTHING
    RETURNING c.id INTO v_id;
    IF v_id IS NULL THEN
        UPDATE booking.pending_bookings b
        SET status = 'cancelled', cancel_reason = 'slot_taken', resolved_at = now()
        WHERE b.token = h.token;
        h.status := 'cancelled';
        h.cancel_reason := 'slot_taken';
        RETURN plbooking._hold_error(h, 'SLOT_TAKEN',
            'That slot was booked in the meantime; please choose another time.');
    END IF;
    UPDATE booking.pending_bookings b
    SET status = 'confirmed', consultation_id = v_id, resolved_at = now()
    WHERE b.token = h.token;

    RETURN jsonb_build_object('ok', true, 'status', 'confirmed', 'consultation_id', v_id,
                              'already_confirmed', false)
        || plbooking._slot_json(h, v_tz);
END $$;

CREATE OR REPLACE FUNCTION plbooking.booking_confirm_latest(conversation_id text, client_id text,
                                                            consultant_id text DEFAULT NULL)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p_conversation text := plbooking._check_id(conversation_id, 'conversation_id');
    p_client text := plbooking._check_id(client_id, 'client_id');
    p_consultant text := CASE WHEN consultant_id IS NULL THEN NULL
                              ELSE plbooking._check_id(consultant_id, 'consultant_id') END;
    h booking.pending_bookings;
BEGIN
    SELECT * INTO h FROM booking.pending_bookings b
    WHERE b.conversation_id = p_conversation AND b.status = 'awaiting_confirm'
      AND b.expires_at > now()
    ORDER BY b.created_at DESC, b.cmin::text::bigint DESC LIMIT 1;
    IF NOT FOUND OR h.client_id <> p_client
       OR (p_consultant IS NOT NULL AND h.consultant_id <> p_consultant) THEN
        RETURN plbooking._error('NOT_FOUND',
            'There is no pending booking of this client to confirm in this conversation.');
    END IF;
    RETURN plbooking.booking_confirm(h.token, p_client);
END $$;

CREATE OR REPLACE FUNCTION plbooking.booking_cancel(token text, client_id text)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p_client text := plbooking._check_id(client_id, 'client_id');
    h booking.pending_bookings;
    v_changed boolean := true;
BEGIN
    IF token IS NULL THEN
        RAISE EXCEPTION 'token must not be null' USING ERRCODE = '22004';
    END IF;
    IF plbooking.booking_token_route(token) IS NULL THEN
        RETURN plbooking._error('NOT_FOUND', 'There is no such pending booking for this client.');
    END IF;
    UPDATE booking.pending_bookings b
    SET status = CASE WHEN b.expires_at <= now() THEN 'expired' ELSE 'cancelled' END,
        cancel_reason = CASE WHEN b.expires_at <= now() THEN NULL ELSE 'client' END,
        resolved_at = now()
    WHERE b.token = booking_cancel.token AND b.client_id = p_client AND b.status = 'awaiting_confirm'
    RETURNING * INTO h;
    IF NOT FOUND THEN
        v_changed := false;
        SELECT * INTO h FROM booking.pending_bookings b WHERE b.token = booking_cancel.token;
        IF NOT FOUND OR h.client_id <> p_client THEN
            RETURN plbooking._error('NOT_FOUND', 'There is no such pending booking for this client.');
        ELSIF h.status = 'confirmed' THEN
            RETURN plbooking._error('NOT_PENDING',
                'That booking is already confirmed; a hold can no longer be cancelled.');
        END IF;
    END IF;
    RETURN jsonb_build_object('ok', true, 'status', h.status, 'changed', v_changed)
        || plbooking._slot_json(h, plbooking._zone())
        || CASE WHEN h.cancel_reason IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('cancel_reason', h.cancel_reason) END;
END $$;

CREATE OR REPLACE FUNCTION plbooking.booking_pending_state(conversation_id text, client_id text)
RETURNS jsonb LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p_conversation text := plbooking._check_id(conversation_id, 'conversation_id');
    p_client text := plbooking._check_id(client_id, 'client_id');
    h booking.pending_bookings;
BEGIN
    SELECT * INTO h FROM booking.pending_bookings b
    WHERE b.conversation_id = p_conversation AND b.status = 'awaiting_confirm'
      AND b.client_id = p_client AND b.expires_at > now()
    ORDER BY b.created_at DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('has_pending_booking', false);
    END IF;
    RETURN jsonb_build_object('has_pending_booking', true, 'token', h.token,
                              'consultant_id', h.consultant_id,
                              'start_at', plbooking._fmt_utc(h.start_at),
                              'start_local', plbooking._fmt_local(h.start_at, plbooking._zone()),
                              'timezone', plbooking._zone(),
                              'expires_at', plbooking._fmt_utc(h.expires_at),
                              'expires_in_seconds', floor(extract(epoch FROM h.expires_at - now()))::bigint);
END $$;

CREATE OR REPLACE FUNCTION plbooking.booking_classifier_context(conversation_id text, client_id text)
RETURNS text LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s jsonb := plbooking.booking_pending_state(conversation_id, client_id);
BEGIN
    IF NOT (s ->> 'has_pending_booking')::boolean THEN
        RETURN 'Context: hasPendingBooking=false';
    END IF;
    RETURN format(E'Context: hasPendingBooking=true\nPending booking %s: consultant %s at %s (%s), awaiting the client''s confirmation; the hold expires at %s, in %s seconds.',
                  s ->> 'token', s ->> 'consultant_id', s ->> 'start_local', s ->> 'timezone',
                  s ->> 'expires_at', s ->> 'expires_in_seconds');
END $$;

CREATE OR REPLACE FUNCTION plbooking.booking_expire_holds(batch_size integer DEFAULT 1000)
RETURNS bigint LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
    total bigint := 0;
BEGIN
    IF batch_size IS NULL THEN
        RAISE EXCEPTION 'batch_size must not be null' USING ERRCODE = '22004';
    ELSIF batch_size <= 0 THEN
        RAISE EXCEPTION 'batch_size must be positive' USING ERRCODE = '22023';
    END IF;
    LOOP
        UPDATE booking.pending_bookings b SET status = 'expired', resolved_at = now()
        WHERE b.token = ANY (ARRAY(
                  SELECT s.token FROM booking.pending_bookings s
                  WHERE s.status = 'awaiting_confirm' AND s.expires_at <= now()
                  ORDER BY s.expires_at LIMIT batch_size FOR UPDATE SKIP LOCKED))
          AND b.status = 'awaiting_confirm';
        GET DIAGNOSTICS n = ROW_COUNT;
        total := total + n;
        EXIT WHEN n < batch_size;
    END LOOP;
    RETURN total;
END $$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA plbooking FROM PUBLIC;
