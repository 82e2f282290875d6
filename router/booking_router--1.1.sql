-- booking_router 1.1: the booking API of booking 1.1, with the same names,
-- signatures and results, routed with PL/Proxy to shard databases that each
-- run the unchanged booking extension and booking_shard.
--
-- The shards form the PL/Proxy cluster 'booking_shards', a foreign server
-- of the plproxy wrapper whose options partition_0 .. partition_{N-1} are
-- the shards' connection strings in partition order (N a power of two).
-- A consultant lives on partition hashtext(consultant_id) & (N - 1); a
-- token routes by booking_token_route(token), which is that hash; a
-- consultation id (and a time off id) by (id - 1) % 1024, since shard k
-- hands out the ids k + 1 modulo 1024.  Calls keyed by a conversation or a
-- client go through the directory of booking_shard on the shard
-- hashtext(conversation_id) or hashtext(client_id) picks.
--
-- Every remote call is its own transaction on its shard (PL/Proxy runs
-- them in autocommit): a call that needs several shards is a sequence of
-- steps, each idempotent, and README.md's "Scaling out" says what that
-- weakens.  PL/Proxy passes no session setting, so the caller's booking.*
-- settings that a plain role may set travel with each call and are set on
-- the shard for that call's transaction.

\echo Use "CREATE EXTENSION booking_router" to load this file. \quit

CREATE SCHEMA booking_router;
REVOKE ALL ON SCHEMA booking_router FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Routing helpers, run on the router
-- ---------------------------------------------------------------------------

-- Partitions in the cluster, from the foreign server's options.
CREATE FUNCTION booking_router.shard_count() RETURNS integer
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT count(*)::integer
    FROM pg_catalog.pg_foreign_server s, pg_catalog.unnest(s.srvoptions) o
    WHERE s.srvname = 'booking_shards' AND o ~ '^(p|partition_)[0-9]+='
$$;

-- The partition of a consultation or time off id.  Ids that no shard
-- hands out (NULL, zero, negative) go somewhere all the same, to be
-- answered NOT_FOUND or refused by the shard as on one node.
CREATE FUNCTION booking_router.id_route(id bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce(((id - 1) % 1024)::integer, 0) $$;

-- An id argument the contract accepts: otherwise the call goes to one shard
-- as it is, which raises the contract's error for it.
CREATE FUNCTION booking_router.id_ok(id text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT id IS NOT NULL AND id <> '' AND octet_length(id) <= 255 $$;

-- The caller's settings that a call carries to its shard.
CREATE FUNCTION booking_router.session_settings() RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_object_agg(name, value)
    FROM (SELECT name, current_setting(name, true) AS value
          FROM unnest(ARRAY['booking.timezone', 'booking.hold_ttl',
                            'booking.default_duration', 'booking.alternatives']) AS name) s
    WHERE value IS NOT NULL AND value <> ''
$$;

-- The two directory shards of a hold: its conversation's and its client's.
CREATE FUNCTION booking_router.dir_routes(conversation_id text, client_id text)
RETURNS SETOF integer
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT hashtext($1) UNION SELECT hashtext($2) $$;

CREATE FUNCTION booking_router.each(shards integer[]) RETURNS SETOF integer
LANGUAGE sql IMMUTABLE
AS $$ SELECT DISTINCT s FROM pg_catalog.unnest($1) s WHERE s IS NOT NULL $$;

-- ---------------------------------------------------------------------------
-- Remote calls (PL/Proxy).  Each sets the caller's settings, then calls the
-- shard's function by position (named arguments would collide with
-- PL/Proxy's substitution of argument names).
-- ---------------------------------------------------------------------------

CREATE FUNCTION booking_router.remote_propose(route integer, settings jsonb,
    p_consultant text, p_client text, p_conversation text, p_start text,
    p_duration interval, p_ttl interval, p_tz text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_propose(p_consultant, p_client, p_conversation, p_start,
                                  p_duration, p_ttl, p_tz) AS remote_propose
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_confirm(route integer, settings jsonb,
    p_token text, p_client text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_confirm(p_token, p_client) AS remote_confirm
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_confirm_latest(route integer, settings jsonb,
    p_conversation text, p_client text, p_consultant text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_confirm_latest(p_conversation, p_client, p_consultant) AS remote_confirm_latest
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_cancel(route integer, settings jsonb,
    p_token text, p_client text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_cancel(p_token, p_client) AS remote_cancel
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_pending_state(route integer, settings jsonb,
    p_conversation text, p_client text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_pending_state(p_conversation, p_client) AS remote_pending_state
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_classifier_context(route integer, settings jsonb,
    p_conversation text, p_client text)
RETURNS text LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_classifier_context(p_conversation, p_client) AS remote_classifier_context
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_expire_holds(p_batch integer)
RETURNS SETOF bigint LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON ALL;
    SELECT public.booking_expire_holds(p_batch) AS remote_expire_holds;
$$;

CREATE FUNCTION booking_router.remote_schedule_expiry(p_schedule text)
RETURNS SETOF bigint LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON ALL;
    SELECT public.booking_schedule_expiry(p_schedule) AS remote_schedule_expiry;
$$;

CREATE FUNCTION booking_router.remote_unschedule_expiry()
RETURNS SETOF boolean LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON ALL;
    SELECT public.booking_unschedule_expiry() AS remote_unschedule_expiry;
$$;

-- 1.1: calendars and free slots

CREATE FUNCTION booking_router.remote_set_working_hours(route integer, settings jsonb,
    p_consultant text, p_hours jsonb, p_tz text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_set_working_hours(p_consultant, p_hours, p_tz) AS remote_set_working_hours
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_clear_working_hours(route integer, p_consultant text)
RETURNS boolean LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_clear_working_hours(p_consultant) AS remote_clear_working_hours;
$$;

CREATE FUNCTION booking_router.remote_add_time_off(route integer, settings jsonb,
    p_consultant text, p_from text, p_to text, p_tz text, p_reason text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_add_time_off(p_consultant, p_from, p_to, p_tz, p_reason) AS remote_add_time_off
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_remove_time_off(route integer, p_id bigint)
RETURNS boolean LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_remove_time_off(p_id) AS remote_remove_time_off;
$$;

-- Split by consultant: each shard gets its own consultants, in one parallel
-- round.
CREATE FUNCTION booking_router.remote_free_slots(settings jsonb, p_ids text[],
    p_from text, p_to text, p_duration interval, p_step interval, p_tz text, p_max integer)
RETURNS SETOF jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    SPLIT p_ids;
    RUN ON hashtext(p_ids);
    SELECT public.booking_free_slots(p_ids, p_from, p_to, p_duration, p_step, p_tz, p_max) AS remote_free_slots
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

-- Unsplit, for an array the contract refuses: one shard raises its error.
CREATE FUNCTION booking_router.remote_free_slots_one(route integer, settings jsonb, p_ids text[],
    p_from text, p_to text, p_duration interval, p_step interval, p_tz text, p_max integer)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_free_slots(p_ids, p_from, p_to, p_duration, p_step, p_tz, p_max) AS remote_free_slots_one
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

-- 1.1: the life of a consultation

CREATE FUNCTION booking_router.remote_consultations(shards integer[], settings jsonb,
    p_client text, p_conversation text)
RETURNS SETOF jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON booking_router.each(shards);
    SELECT public.booking_consultations(p_client, p_conversation) AS remote_consultations
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_cancel_consultation(route integer, settings jsonb,
    p_id bigint, p_client text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_cancel_consultation(p_id, p_client) AS remote_cancel_consultation
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

CREATE FUNCTION booking_router.remote_propose_move(route integer, settings jsonb,
    p_id bigint, p_client text, p_conversation text, p_start text,
    p_duration interval, p_ttl interval, p_tz text)
RETURNS jsonb LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT public.booking_propose_move(p_id, p_client, p_conversation, p_start,
                                       p_duration, p_ttl, p_tz) AS remote_propose_move
    FROM booking_shard.apply_settings(settings) AS applied;
$$;

-- The directory and the steps of a supersede across shards (booking_shard)

CREATE FUNCTION booking_router.remote_dir_prepare(p_conversation text, p_client text, p_shard integer)
RETURNS SETOF integer LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON booking_router.dir_routes(p_conversation, p_client);
    SELECT booking_shard.dir_prepare(p_conversation, p_client, p_shard) AS remote_dir_prepare;
$$;

CREATE FUNCTION booking_router.remote_dir_record(p_conversation text, p_client text,
    p_token text, p_shard integer, p_expires_at timestamptz,
    OUT superseded_token text, OUT superseded_shard integer)
RETURNS SETOF record LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON hashtext(p_conversation);
    SELECT superseded_token, superseded_shard
    FROM booking_shard.dir_record(p_conversation, p_client, p_token, p_shard, p_expires_at);
$$;

CREATE FUNCTION booking_router.remote_dir_live(p_conversation text,
    OUT token text, OUT client_id text, OUT shard integer, OUT seq bigint)
RETURNS SETOF record LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON hashtext(p_conversation);
    SELECT token, client_id, shard, seq FROM booking_shard.dir_live(p_conversation);
$$;

CREATE FUNCTION booking_router.remote_client_shards(p_client text)
RETURNS SETOF integer LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON hashtext(p_client);
    SELECT booking_shard.client_shards(p_client) AS remote_client_shards;
$$;

CREATE FUNCTION booking_router.remote_active_tokens(p_tokens text[])
RETURNS SETOF text LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    SPLIT p_tokens;
    RUN ON @extschema@.booking_token_route(p_tokens);
    SELECT booking_shard.active_tokens(p_tokens) AS remote_active_tokens;
$$;

CREATE FUNCTION booking_router.remote_supersede(route integer, p_token text)
RETURNS text LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT booking_shard.supersede(p_token) AS remote_supersede;
$$;

CREATE FUNCTION booking_router.remote_dir_pending_supersedes(route integer,
    OUT token text, OUT shard integer)
RETURNS SETOF record LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT token, shard FROM booking_shard.dir_pending_supersedes();
$$;

CREATE FUNCTION booking_router.remote_dir_ack_supersedes(route integer, p_tokens text[])
RETURNS integer LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT booking_shard.dir_ack_supersedes(p_tokens) AS remote_dir_ack_supersedes;
$$;

CREATE FUNCTION booking_router.remote_shard_index(route integer)
RETURNS integer LANGUAGE plproxy AS $$
    CLUSTER 'booking_shards';
    RUN ON route;
    SELECT booking_shard.shard_index() AS remote_shard_index;
$$;

-- ---------------------------------------------------------------------------
-- The token's routing key, computed here as booking computes it on a shard,
-- so that routing a token needs no shard: bk_ + 22 characters of unpadded
-- base64url of 16 bytes whose first 4 are the key, big-endian, and whose 4
-- bits past the 16th byte are zero (one spelling per token).  NULL when
-- malformed.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.booking_token_route(token text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN token ~ '^bk_[A-Za-z0-9_-]{21}[AQgw]$' COLLATE "C" THEN
        (SELECT (CASE WHEN v >= 2147483648 THEN v - 4294967296 ELSE v END)::integer
         FROM (SELECT (d[1] << 26) | (d[2] << 20) | (d[3] << 14) | (d[4] << 8)
                      | (d[5] << 2) | (d[6] >> 4) AS v
               FROM (SELECT ARRAY(SELECT strpos('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
                                                substr(token, i, 1) COLLATE "C")::bigint - 1
                                  FROM generate_series(4, 9) i ORDER BY i) AS d) digits) key)
    END
$$;

-- ---------------------------------------------------------------------------
-- Steps shared by the calls that make a hold
-- ---------------------------------------------------------------------------

-- Supersedes the given holds on their shards and acknowledges to the
-- directory those that are done; those whose shard cannot be reached stay
-- in the directory's retry queue.  Each step is idempotent.
CREATE FUNCTION booking_router.supersede_on_shards(directory_route integer, tokens text[])
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t    text;
    done text[] := '{}';
BEGIN
    FOREACH t IN ARRAY tokens LOOP
        BEGIN
            PERFORM booking_router.remote_supersede(@extschema@.booking_token_route(t), t);
            done := done || t;
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'hold % stays in the supersede retry queue: %', t, SQLERRM;
        END;
    END LOOP;
    IF cardinality(done) > 0 THEN
        BEGIN
            PERFORM booking_router.remote_dir_ack_supersedes(directory_route, done);
        EXCEPTION WHEN OTHERS THEN
            -- acknowledged by the next retry, which finds nothing left to do
            RAISE WARNING 'supersedes done but not acknowledged: %', SQLERRM;
        END;
    END IF;
    RETURN cardinality(done);
END
$$;

-- After a propose or a move on shard `shard`: records a new hold in its
-- conversation's directory, and supersedes the conversation and client's
-- older hold when it is on another shard (on the same shard booking did it
-- in the propose's transaction).  A hold the directory could not record is
-- taken back, so that no live hold escapes the directory.
CREATE FUNCTION booking_router.after_hold(result jsonb, conversation_id text, client_id text, shard integer)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    token text := result ->> 'token';
    older text[];
BEGIN
    IF token IS NULL OR NOT coalesce((result ->> 'ok')::boolean, false) THEN
        RETURN result;
    END IF;
    BEGIN
        SELECT array_agg(r.superseded_token) FILTER (WHERE r.superseded_shard <> shard)
        INTO older
        FROM booking_router.remote_dir_record(conversation_id, client_id, token, shard,
                                              (result ->> 'expires_at')::timestamptz) r;
    EXCEPTION WHEN OTHERS THEN
        BEGIN
            PERFORM booking_router.remote_supersede(shard, token);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'hold % is not in its conversation''s directory and lives until it expires', token;
        END;
        RAISE;
    END;
    IF older IS NOT NULL THEN
        PERFORM booking_router.supersede_on_shards(hashtext(conversation_id), older);
        IF NOT result ? 'superseded_token' THEN
            result := result || jsonb_build_object('superseded_token', older[1]);
        END IF;
    END IF;
    RETURN result;
END
$$;

-- The partition whose hold of the conversation is the newest live one that
-- its shard still holds active, among those of client_id if given; NULL if
-- none.  The directory keeps the order the holds were made in.
CREATE FUNCTION booking_router.newest_live_shard(conversation_id text, client_id text)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    tokens text[];
    shards integer[];
    active text[];
BEGIN
    SELECT array_agg(l.token ORDER BY l.seq DESC), array_agg(l.shard ORDER BY l.seq DESC)
    INTO tokens, shards
    FROM booking_router.remote_dir_live(conversation_id) l
    WHERE newest_live_shard.client_id IS NULL OR l.client_id = newest_live_shard.client_id;
    IF tokens IS NULL THEN
        RETURN NULL;
    END IF;
    -- Holds of one conversation and client supersede each other: the newest
    -- live entry is the one.  Across clients, ask the shards which are active.
    IF client_id IS NOT NULL OR cardinality(tokens) = 1 THEN
        RETURN shards[1];
    END IF;
    active := ARRAY(SELECT booking_router.remote_active_tokens(tokens));
    FOR i IN 1 .. cardinality(tokens) LOOP
        IF tokens[i] = ANY (active) THEN
            RETURN shards[i];
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------
-- The contract, 1.0
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.booking_propose(consultant_id text, client_id text,
    conversation_id text, start_time text,
    duration interval DEFAULT NULL, ttl interval DEFAULT NULL, tz text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    route integer := coalesce(hashtext(consultant_id), 0);
    shard integer;
BEGIN
    IF NOT (booking_router.id_ok(consultant_id) AND booking_router.id_ok(client_id)
            AND booking_router.id_ok(conversation_id)) THEN
        RETURN booking_router.remote_propose(route, booking_router.session_settings(),
            consultant_id, client_id, conversation_id, start_time, duration, ttl, tz);
    END IF;
    shard := route & (booking_router.shard_count() - 1);
    PERFORM booking_router.remote_dir_prepare(conversation_id, client_id, shard);
    RETURN booking_router.after_hold(
        booking_router.remote_propose(route, booking_router.session_settings(),
            consultant_id, client_id, conversation_id, start_time, duration, ttl, tz),
        conversation_id, client_id, shard);
END
$$;

CREATE FUNCTION @extschema@.booking_confirm(token text, client_id text)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    route integer := @extschema@.booking_token_route(token);
BEGIN
    IF token IS NOT NULL AND booking_router.id_ok(client_id) AND route IS NULL THEN
        RETURN booking_router.not_found();
    END IF;
    RETURN booking_router.remote_confirm(coalesce(route, hashtext(coalesce(client_id, '')), 0),
                                         booking_router.session_settings(), token, client_id);
END
$$;

CREATE FUNCTION @extschema@.booking_cancel(token text, client_id text)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    route integer := @extschema@.booking_token_route(token);
BEGIN
    IF token IS NOT NULL AND booking_router.id_ok(client_id) AND route IS NULL THEN
        RETURN booking_router.not_found();
    END IF;
    RETURN booking_router.remote_cancel(coalesce(route, hashtext(coalesce(client_id, '')), 0),
                                        booking_router.session_settings(), token, client_id);
END
$$;

CREATE FUNCTION @extschema@.booking_confirm_latest(conversation_id text, client_id text,
    consultant_id text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    route integer := coalesce(hashtext(conversation_id), 0);
    shard integer;
BEGIN
    IF booking_router.id_ok(conversation_id) AND booking_router.id_ok(client_id)
       AND (consultant_id IS NULL OR booking_router.id_ok(consultant_id)) THEN
        -- the newest active hold of the conversation, whoever's: the shard
        -- that has it decides, as one node would, whether it is this
        -- client's (and consultant's) to confirm
        shard := booking_router.newest_live_shard(conversation_id, NULL);
    END IF;
    RETURN booking_router.remote_confirm_latest(coalesce(shard, route), booking_router.session_settings(),
                                                conversation_id, client_id, consultant_id);
END
$$;

CREATE FUNCTION @extschema@.booking_pending_state(conversation_id text, client_id text)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard integer;
BEGIN
    IF booking_router.id_ok(conversation_id) AND booking_router.id_ok(client_id) THEN
        shard := booking_router.newest_live_shard(conversation_id, client_id);
    END IF;
    RETURN booking_router.remote_pending_state(coalesce(shard, hashtext(conversation_id), 0),
        booking_router.session_settings(), conversation_id, client_id);
END
$$;

CREATE FUNCTION @extschema@.booking_classifier_context(conversation_id text, client_id text)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    shard integer;
BEGIN
    IF booking_router.id_ok(conversation_id) AND booking_router.id_ok(client_id) THEN
        shard := booking_router.newest_live_shard(conversation_id, client_id);
    END IF;
    RETURN booking_router.remote_classifier_context(coalesce(shard, hashtext(conversation_id), 0),
        booking_router.session_settings(), conversation_id, client_id);
END
$$;

-- Every shard sweeps its own holds; the sum is what was expired.
CREATE FUNCTION @extschema@.booking_expire_holds(batch_size integer DEFAULT 1000)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT sum(n)::bigint FROM booking_router.remote_expire_holds($1) n $$;

-- Registers the job on every shard (each shard's pg_cron runs its own
-- sweep).  Returns the greatest of the shards' job ids.
CREATE FUNCTION @extschema@.booking_schedule_expiry(schedule text DEFAULT '* * * * *')
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT max(j) FROM booking_router.remote_schedule_expiry($1) j $$;

-- True when some shard had a job to remove.
CREATE FUNCTION @extschema@.booking_unschedule_expiry()
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT bool_or(u) FROM booking_router.remote_unschedule_expiry() u $$;

-- NOT_FOUND for a malformed token, written as booking writes it, answered
-- here: a token that routes nowhere must not depend on a shard being up.
CREATE FUNCTION booking_router.not_found() RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$ SELECT '{"ok": false, "error": "NOT_FOUND", "message": "There is no such pending booking for this client."}'::jsonb $$;

-- ---------------------------------------------------------------------------
-- The contract, 1.1: calendars and free slots
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.booking_set_working_hours(consultant_id text, hours jsonb, tz text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT booking_router.remote_set_working_hours(coalesce(hashtext($1), 0),
        booking_router.session_settings(), $1, $2, $3)
$$;

CREATE FUNCTION @extschema@.booking_clear_working_hours(consultant_id text)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT booking_router.remote_clear_working_hours(coalesce(hashtext($1), 0), $1) $$;

CREATE FUNCTION @extschema@.booking_add_time_off(consultant_id text, from_time text, to_time text,
    tz text DEFAULT NULL, reason text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT booking_router.remote_add_time_off(coalesce(hashtext($1), 0),
        booking_router.session_settings(), $1, $2, $3, $4, $5)
$$;

CREATE FUNCTION @extschema@.booking_remove_time_off(time_off_id bigint)
RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$ SELECT booking_router.remote_remove_time_off(booking_router.id_route($1), $1) $$;

CREATE FUNCTION @extschema@.booking_free_slots(consultant_ids text[], from_time text, to_time text,
    duration interval DEFAULT NULL, step interval DEFAULT NULL, tz text DEFAULT NULL,
    max_slots integer DEFAULT 50)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    settings jsonb := booking_router.session_settings();
    results  jsonb[];
    refused  jsonb;
BEGIN
    IF consultant_ids IS NULL OR cardinality(consultant_ids) NOT BETWEEN 1 AND 100
       OR array_ndims(consultant_ids) <> 1 OR max_slots IS NULL
       OR EXISTS (SELECT 1 FROM unnest(consultant_ids) i WHERE NOT booking_router.id_ok(i)) THEN
        RETURN booking_router.remote_free_slots_one(coalesce(hashtext(consultant_ids[1]), 0), settings,
            consultant_ids, from_time, to_time, duration, step, tz, max_slots);
    END IF;
    results := ARRAY(SELECT booking_router.remote_free_slots(settings, consultant_ids, from_time,
                                                               to_time, duration, step, tz, max_slots));
    -- an outcome that refuses the call is the same from every shard
    SELECT r INTO refused FROM unnest(results) r WHERE NOT coalesce((r ->> 'ok')::boolean, false) LIMIT 1;
    IF refused IS NOT NULL THEN
        RETURN refused;
    END IF;
    IF cardinality(results) = 1 THEN
        RETURN results[1];
    END IF;
    -- each shard gave its first max_slots in the contract's order: merge them
    RETURN (
        WITH all_slots AS (
            SELECT s FROM unnest(results) r, jsonb_array_elements(r -> 'slots') s)
        SELECT jsonb_build_object(
            'ok', true,
            'timezone', results[1] -> 'timezone',
            'slots', coalesce(
                (SELECT jsonb_agg(k.s ORDER BY k.s ->> 'start_at', k.s ->> 'consultant_id' COLLATE "C")
                 FROM (SELECT a.s FROM all_slots a
                       ORDER BY a.s ->> 'start_at', a.s ->> 'consultant_id' COLLATE "C"
                       LIMIT max_slots) k), '[]'::jsonb),
            'truncated', (SELECT count(*) FROM all_slots) > max_slots
                         OR EXISTS (SELECT 1 FROM unnest(results) r
                                    WHERE coalesce((r ->> 'truncated')::boolean, false))));
END
$$;

-- ---------------------------------------------------------------------------
-- The contract, 1.1: the life of a booked consultation
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.booking_consultations(client_id text, conversation_id text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    settings jsonb := booking_router.session_settings();
    shards   integer[];
    results  jsonb[];
    refused  jsonb;
BEGIN
    IF booking_router.id_ok(client_id)
       AND (conversation_id IS NULL OR booking_router.id_ok(conversation_id)) THEN
        shards := ARRAY(SELECT booking_router.remote_client_shards(client_id));
    END IF;
    IF coalesce(cardinality(shards), 0) = 0 THEN
        -- no holds anywhere: the client's own directory shard answers
        shards := ARRAY[coalesce(hashtext(client_id), 0) & (booking_router.shard_count() - 1)];
    END IF;
    results := ARRAY(SELECT booking_router.remote_consultations(shards, settings, client_id, conversation_id));
    SELECT r INTO refused FROM unnest(results) r WHERE NOT coalesce((r ->> 'ok')::boolean, false) LIMIT 1;
    IF refused IS NOT NULL THEN
        RETURN refused;
    END IF;
    IF cardinality(results) = 1 THEN
        RETURN results[1];
    END IF;
    RETURN jsonb_build_object('ok', true, 'consultations', coalesce(
        (SELECT jsonb_agg(c ORDER BY c ->> 'start_at', (c ->> 'consultation_id')::bigint)
         FROM (SELECT c FROM unnest(results) r, jsonb_array_elements(r -> 'consultations') c
               ORDER BY c ->> 'start_at', (c ->> 'consultation_id')::bigint
               LIMIT 100) kept), '[]'::jsonb));
END
$$;

CREATE FUNCTION @extschema@.booking_cancel_consultation(consultation_id bigint, client_id text)
RETURNS jsonb
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT booking_router.remote_cancel_consultation(booking_router.id_route($1),
        booking_router.session_settings(), $1, $2)
$$;

CREATE FUNCTION @extschema@.booking_propose_move(consultation_id bigint, client_id text,
    conversation_id text, start_time text,
    duration interval DEFAULT NULL, ttl interval DEFAULT NULL, tz text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    route integer := booking_router.id_route(consultation_id);
    shard integer := route & (booking_router.shard_count() - 1);
BEGIN
    IF consultation_id IS NOT NULL AND booking_router.id_ok(client_id)
       AND booking_router.id_ok(conversation_id) THEN
        PERFORM booking_router.remote_dir_prepare(conversation_id, client_id, shard);
        RETURN booking_router.after_hold(
            booking_router.remote_propose_move(route, booking_router.session_settings(),
                consultation_id, client_id, conversation_id, start_time, duration, ttl, tz),
            conversation_id, client_id, shard);
    END IF;
    RETURN booking_router.remote_propose_move(route, booking_router.session_settings(),
        consultation_id, client_id, conversation_id, start_time, duration, ttl, tz);
END
$$;

-- The sweep: every shard expires its stale holds one batch per transaction
-- (each remote call commits on its shard), until the shards together have
-- less than a batch left, so that none has a full one.  Not SECURITY
-- DEFINER and without SET, as a procedure that commits must be: it calls
-- booking_expire_holds, which is, so a role granted EXECUTE on both needs
-- nothing else.
CREATE PROCEDURE @extschema@.booking_sweep_holds(batch_size integer DEFAULT 1000)
LANGUAGE plpgsql
AS $$
DECLARE
    expired bigint;
BEGIN
    -- inside a transaction block this raises 2D000, as one node's does
    COMMIT;
    LOOP
        expired := @extschema@.booking_expire_holds(batch_size);
        EXIT WHEN expired IS NULL OR expired OPERATOR(pg_catalog.<) batch_size;
        COMMIT;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- The retry queue of supersedes across shards: run by pg_cron on the
-- router (scripts/scaleout.sh schedules it every minute).  Each directory
-- shard is asked on its own, so one shard down delays only its entries.
-- Returns how many supersedes it completed.
-- ---------------------------------------------------------------------------

CREATE FUNCTION booking_router.retry_supersedes()
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    p      integer;
    tokens text[];
    n      integer := 0;
BEGIN
    FOR p IN 0 .. booking_router.shard_count() - 1 LOOP
        BEGIN
            tokens := ARRAY(SELECT q.token FROM booking_router.remote_dir_pending_supersedes(p) q);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'directory shard % not reached: %', p, SQLERRM;
            CONTINUE;
        END;
        IF cardinality(tokens) > 0 THEN
            n := n + booking_router.supersede_on_shards(p, tokens);
        END IF;
    END LOOP;
    RETURN n;
END
$$;

-- ---------------------------------------------------------------------------
-- Privileges: nothing to PUBLIC.  A role granted EXECUTE on the contract's
-- functions and procedure uses the API, and nothing else of the router.
-- ---------------------------------------------------------------------------

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA booking_router FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_propose(text, text, text, text, interval, interval, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_confirm(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_confirm_latest(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_cancel(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_pending_state(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_classifier_context(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_expire_holds(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_schedule_expiry(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_unschedule_expiry() FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_token_route(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_set_working_hours(text, jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_clear_working_hours(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_add_time_off(text, text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_remove_time_off(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_free_slots(text[], text, text, interval, interval, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_consultations(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_cancel_consultation(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION @extschema@.booking_propose_move(bigint, text, text, text, interval, interval, text) FROM PUBLIC;
REVOKE ALL ON PROCEDURE @extschema@.booking_sweep_holds(integer) FROM PUBLIC;
