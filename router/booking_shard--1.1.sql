-- booking_shard 1.1: what a shard database of a scaled-out booking holds
-- beside the unchanged booking extension.  The router (booking_router)
-- calls these functions through PL/Proxy; nothing here is part of the
-- booking contract, and booking itself does not know it is sharded.
--
-- Three things live here:
--   * which shard this database is, and the spacing of booking's identity
--     sequences, so that a consultation id (and a time off id) is unique
--     across shards and names its shard: on shard k, ids are k+1 modulo
--     booking_shard.max_shards();
--   * the directory of conversations (on the shard hashtext(conversation_id)
--     picks) and of clients (on the shard hashtext(client_id) picks): which
--     holds a conversation has and on which shard, which shards a client has
--     bookings on.  Calls keyed by a conversation or a client ask one shard,
--     never all of them;
--   * the steps of a supersede across shards, each idempotent: the directory
--     records which holds a newer hold of the same conversation and client
--     superseded, and keeps each one until the hold's own shard has marked
--     it.  That record is the retry queue the router drains.

\echo Use "CREATE EXTENSION booking_shard" to load this file. \quit

-- The one row that says which shard this is.  Written by configure().
CREATE TABLE booking_shard.config (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    shard_index integer NOT NULL,
    shard_count integer NOT NULL,
    CHECK (shard_count BETWEEN 1 AND 1024
           AND (shard_count & (shard_count - 1)) = 0),
    CHECK (shard_index >= 0 AND shard_index < shard_count)
);

-- The most shards a deployment can ever have.  Fixed: ids are spaced by it,
-- so growing from 4 shards to 8 keeps every id where it routes.
CREATE FUNCTION booking_shard.max_shards() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 1024';

-- A hold made through the router, in the directory of its conversation.
-- superseded_at: a newer hold of the same conversation and client replaced
-- it; supersede_done_at: the hold's own shard has marked it (until then the
-- row is an entry of the retry queue).
CREATE TABLE booking_shard.conversation_holds (
    token             text PRIMARY KEY,
    conversation_id   text NOT NULL,
    client_id         text NOT NULL,
    shard             integer NOT NULL,
    expires_at        timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
    superseded_at     timestamptz,
    supersede_done_at timestamptz,
    seq               bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX conversation_holds_conversation_idx
    ON booking_shard.conversation_holds (conversation_id, seq);
CREATE INDEX conversation_holds_retry_idx
    ON booking_shard.conversation_holds (superseded_at)
    WHERE superseded_at IS NOT NULL AND supersede_done_at IS NULL;

-- The shards a client has holds, and so maybe consultations, on.
CREATE TABLE booking_shard.client_shards (
    client_id text NOT NULL,
    shard     integer NOT NULL,
    PRIMARY KEY (client_id, shard)
);

SELECT pg_catalog.pg_extension_config_dump('booking_shard.config', '');
SELECT pg_catalog.pg_extension_config_dump('booking_shard.conversation_holds', '');
SELECT pg_catalog.pg_extension_config_dump('booking_shard.client_shards', '');

-- Makes this database shard shard_index of shard_count: records it, and
-- spaces every identity sequence of booking's tables so that the ids it
-- hands out are shard_index + 1 modulo max_shards(), above every id used.
-- Run it again after an upgrade of booking that adds a table with an
-- identity, and after a restore (pg_dump keeps a sequence's value, not its
-- increment).  Returns how many sequences it spaced.
CREATE FUNCTION booking_shard.configure(shard_index integer, shard_count integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s       record;
    used    bigint;
    next_id bigint;
    m       constant integer := booking_shard.max_shards();
    n       integer := 0;
BEGIN
    INSERT INTO booking_shard.config (only_row, shard_index, shard_count)
    VALUES (true, configure.shard_index, configure.shard_count)
    ON CONFLICT (only_row) DO UPDATE
        SET shard_index = EXCLUDED.shard_index, shard_count = EXCLUDED.shard_count;

    FOR s IN
        SELECT seq.oid::regclass AS seq, tbl.oid::regclass AS tbl, a.attname
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
        JOIN pg_catalog.pg_class tbl ON tbl.oid = d.refobjid
        JOIN pg_catalog.pg_attribute a ON a.attrelid = tbl.oid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_catalog.pg_class'::regclass
          AND d.refclassid = 'pg_catalog.pg_class'::regclass
          AND d.deptype IN ('a', 'i')
          AND tbl.relnamespace = 'booking'::regnamespace
        ORDER BY 1
    LOOP
        EXECUTE format('SELECT coalesce(max(%I), 0) FROM %s', s.attname, s.tbl) INTO used;
        IF used < configure.shard_index + 1 THEN
            next_id := configure.shard_index + 1;
        ELSE
            next_id := configure.shard_index + 1
                       + m * ((used - configure.shard_index - 1) / m + 1);
        END IF;
        EXECUTE format('ALTER SEQUENCE %s INCREMENT BY %s MINVALUE 1 START WITH %s RESTART WITH %s',
                       s.seq, m, next_id, next_id);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

-- Sets, for the current transaction only, the caller's booking settings the
-- router passes along: PL/Proxy carries no session setting to a shard.
-- Only those a plain role may set; the policy settings are the shard DBA's.
-- Runs as the caller, so that the shard checks the values as it would a SET.
CREATE FUNCTION booking_shard.apply_settings(settings jsonb)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    k text;
BEGIN
    IF settings IS NULL THEN
        RETURN false;
    END IF;
    FOR k IN SELECT key FROM jsonb_each_text(settings) LOOP
        IF k NOT IN ('booking.timezone', 'booking.hold_ttl',
                     'booking.default_duration', 'booking.alternatives') THEN
            RAISE EXCEPTION 'setting "%" is not passed to shards', k
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM set_config(k, settings ->> k, true);
    END LOOP;
    RETURN true;
END
$$;

-- Which shard this is: NULL before configure().
CREATE FUNCTION booking_shard.shard_index() RETURNS integer
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS 'SELECT shard_index FROM booking_shard.config';

-- First step of a hold through the router, run on the shards of both the
-- conversation's and the client's directory: fails when one of them is down,
-- before anything is written anywhere; on the client's, notes that the
-- client has holds on the consultant's shard.
CREATE FUNCTION booking_shard.dir_prepare(conversation_id text, client_id text, shard integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    me     integer;
    shards integer;
BEGIN
    SELECT c.shard_index, c.shard_count INTO me, shards FROM booking_shard.config c;
    IF me IS NULL THEN
        RAISE EXCEPTION 'this database is not configured as a shard'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Run booking_shard.configure(shard_index, shard_count).';
    END IF;
    IF (hashtext(dir_prepare.client_id) & (shards - 1)) = me THEN
        INSERT INTO booking_shard.client_shards (client_id, shard)
        VALUES (dir_prepare.client_id, dir_prepare.shard)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN me;
END
$$;

-- Second step, on the conversation's directory shard, once the hold exists:
-- records it (idempotent, by token) and marks every other live hold of the
-- same conversation and client superseded, returning them for the router
-- to mark on their shards.  Serialised per conversation, so that of two
-- holds recorded at once the later one wins, as on one node.
CREATE FUNCTION booking_shard.dir_record(conversation_id text, client_id text,
                                         hold_token text, hold_shard integer,
                                         hold_expires_at timestamptz,
                                         OUT superseded_token text, OUT superseded_shard integer)
RETURNS SETOF record
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('booking_shard.conversation'),
                                  hashtext(dir_record.conversation_id));
    INSERT INTO booking_shard.conversation_holds
        (token, conversation_id, client_id, shard, expires_at)
    VALUES (hold_token, dir_record.conversation_id, dir_record.client_id,
            hold_shard, hold_expires_at)
    ON CONFLICT DO NOTHING;
    RETURN QUERY
        UPDATE booking_shard.conversation_holds h
        SET superseded_at = now(),
            -- on the new hold's own shard booking superseded it already
            supersede_done_at = CASE WHEN h.shard = hold_shard THEN now() END
        WHERE h.conversation_id = dir_record.conversation_id
          AND h.client_id = dir_record.client_id
          AND h.token <> hold_token AND h.superseded_at IS NULL
          AND h.expires_at > now()
        RETURNING h.token, h.shard;
END
$$;

-- The live holds of a conversation the directory knows, newest first: not
-- superseded, not past their expiry.  Their state is for their shard to say.
CREATE FUNCTION booking_shard.dir_live(conversation_id text,
                                       OUT token text, OUT client_id text,
                                       OUT shard integer, OUT seq bigint)
RETURNS SETOF record
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT h.token, h.client_id, h.shard, h.seq
    FROM booking_shard.conversation_holds h
    WHERE h.conversation_id = $1 AND h.superseded_at IS NULL AND h.expires_at > now()
    ORDER BY h.seq DESC
    LIMIT 50
$$;

-- The shards a client has holds on (from the client's directory shard).
CREATE FUNCTION booking_shard.client_shards(client_id text)
RETURNS SETOF integer
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.shard FROM booking_shard.client_shards c WHERE c.client_id = $1 ORDER BY 1
$$;

-- Of the given tokens, those whose hold on this shard awaits confirmation
-- and has not expired.
CREATE FUNCTION booking_shard.active_tokens(tokens text[])
RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT p.token FROM booking.pending_bookings p
    WHERE p.token = ANY ($1) AND p.status = 'awaiting_confirm' AND p.expires_at > now()
$$;

-- Marks a hold of this shard superseded, as booking's own propose does in
-- one conversation: a live one becomes cancelled / superseded, a stale one
-- expired.  A row lock only, no consultant lock (as on one node), so a
-- concurrent confirm either finds it cancelled or wins and leaves nothing
-- to do.  Idempotent: returns the hold's status after the call, or NULL when
-- there is no such hold.
CREATE FUNCTION booking_shard.supersede(token text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result text;
BEGIN
    UPDATE booking.pending_bookings p
    SET status = CASE WHEN p.expires_at <= now() THEN 'expired' ELSE 'cancelled' END,
        cancel_reason = CASE WHEN p.expires_at <= now() THEN NULL ELSE 'superseded' END,
        resolved_at = now()
    WHERE p.token = supersede.token AND p.status = 'awaiting_confirm'
    RETURNING p.status INTO result;
    IF result IS NULL THEN
        SELECT p.status INTO result FROM booking.pending_bookings p WHERE p.token = supersede.token;
    END IF;
    RETURN result;
END
$$;

-- The retry queue of this directory shard: supersedes recorded but not yet
-- done on the hold's shard.  One whose hold has expired meanwhile needs
-- nothing more (a stale hold counts as expired everywhere) and is left out.
CREATE FUNCTION booking_shard.dir_pending_supersedes(OUT token text, OUT shard integer)
RETURNS SETOF record
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT h.token, h.shard FROM booking_shard.conversation_holds h
    WHERE h.superseded_at IS NOT NULL AND h.supersede_done_at IS NULL
      AND h.expires_at > now()
    ORDER BY h.superseded_at
    LIMIT 1000
$$;

-- Acknowledges supersedes done on their shards.  Returns how many.
CREATE FUNCTION booking_shard.dir_ack_supersedes(tokens text[])
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH done AS (
        UPDATE booking_shard.conversation_holds h SET supersede_done_at = now()
        WHERE h.token = ANY ($1) AND h.superseded_at IS NOT NULL AND h.supersede_done_at IS NULL
        RETURNING 1)
    SELECT count(*)::integer FROM done
$$;

-- Forgets directory rows whose holds expired more than a day ago.
CREATE FUNCTION booking_shard.prune_directory(keep interval DEFAULT '1 day')
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM booking_shard.conversation_holds h
        WHERE h.expires_at < now() - $1
        RETURNING 1)
    SELECT count(*) FROM gone
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA booking_shard FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA booking_shard FROM PUBLIC;
-- The caller's own settings are applied as the caller: anyone the router
-- connects as may call it.
GRANT USAGE ON SCHEMA booking_shard TO PUBLIC;
GRANT EXECUTE ON FUNCTION booking_shard.apply_settings(jsonb) TO PUBLIC;
