-- The functions of the contract: their exact signatures, argument names and
-- defaults (callers use named notation), return types, volatility, and that
-- nothing is granted to PUBLIC.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;

SELECT plan(91);

CREATE TEMP TABLE tap_api (name text, args text[], arguments text, returns text, volatility text);
INSERT INTO tap_api VALUES
 ('booking_propose', '{text,text,text,text,interval,interval,text}',
  'consultant_id text, client_id text, conversation_id text, start_time text, duration interval DEFAULT NULL::interval, ttl interval DEFAULT NULL::interval, tz text DEFAULT NULL::text',
  'jsonb', 'volatile'),
 ('booking_confirm', '{text,text}', 'token text, client_id text', 'jsonb', 'volatile'),
 ('booking_confirm_latest', '{text,text,text}',
  'conversation_id text, client_id text, consultant_id text DEFAULT NULL::text', 'jsonb', 'volatile'),
 ('booking_cancel', '{text,text}', 'token text, client_id text', 'jsonb', 'volatile'),
 ('booking_pending_state', '{text,text}', 'conversation_id text, client_id text', 'jsonb', 'volatile'),
 ('booking_classifier_context', '{text,text}', 'conversation_id text, client_id text', 'text', 'volatile'),
 ('booking_expire_holds', '{integer}', 'batch_size integer DEFAULT 1000', 'bigint', 'volatile'),
 ('booking_schedule_expiry', '{text}', 'schedule text DEFAULT ''* * * * *''::text', 'bigint', 'volatile'),
 ('booking_unschedule_expiry', '{}', '', 'boolean', 'volatile'),
 -- a pure function of its argument: it reads no table
 ('booking_token_route', '{text}', 'token text', 'integer', 'immutable');

CREATE TEMP VIEW tap_api_proc AS
SELECT a.*, p.oid AS proc, p.pronamespace, p.proowner, p.proacl
  FROM tap_api a
  LEFT JOIN pg_catalog.pg_proc p
    ON p.oid = pg_catalog.to_regprocedure(a.name || '(' || pg_catalog.array_to_string(a.args, ',') || ')');

SELECT has_function(name, args, name || '(' || array_to_string(args, ', ') || ') exists')
  FROM tap_api ORDER BY name;

SELECT is(pg_catalog.pg_get_function_arguments(proc), arguments,
          name || ': argument names and defaults')
  FROM tap_api_proc ORDER BY name;

SELECT function_returns(name, args, returns, name || ' returns ' || returns)
  FROM tap_api ORDER BY name;

SELECT volatility_is(name, args, volatility, name || ' is ' || volatility)
  FROM tap_api ORDER BY name;

-- One function a name: an overload would make a call with NULLs or unknown
-- literals ambiguous for the callers.
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_proc p
            WHERE p.proname = t.name AND p.pronamespace = t.pronamespace),
          1, name || ' is not overloaded')
  FROM tap_api_proc t ORDER BY name;

-- In the extension's schema, as members of the extension.
SELECT ok(EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'booking'
     WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = t.proc
       AND d.deptype = 'e' AND e.extnamespace = t.pronamespace),
    name || ' belongs to the extension, in its schema')
  FROM tap_api_proc t ORDER BY name;

-- A role with EXECUTE alone can use the API but has no right on the
-- tables: the functions that read or write them must run as their owner.
SELECT is_definer(name, args, name || ' is SECURITY DEFINER')
  FROM tap_api WHERE name <> 'booking_token_route' ORDER BY name;

-- proacl NULL would mean the default, which grants EXECUTE to PUBLIC.
SELECT is((SELECT count(*)::int
             FROM pg_catalog.aclexplode(coalesce(t.proacl, pg_catalog.acldefault('f', t.proowner))) AS a
            WHERE a.grantee = 0),
          0, name || ': nothing granted to PUBLIC')
  FROM tap_api_proc t ORDER BY name;

CREATE ROLE tap_nobody NOLOGIN;
SELECT is(pg_catalog.has_function_privilege('tap_nobody', proc, 'EXECUTE'), false,
          name || ': a role granted nothing cannot execute it')
  FROM tap_api_proc ORDER BY name;

SELECT is((SELECT count(*)::int
             FROM pg_catalog.pg_class c,
                  pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault(
                      CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))) AS a
            WHERE c.relnamespace = 'booking'::regnamespace AND a.grantee = 0),
          0, 'nothing on the tables and sequences of schema booking is granted to PUBLIC');
SELECT is((SELECT count(*)::int
             FROM pg_catalog.pg_namespace n,
                  pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) AS a
            WHERE n.nspname = 'booking' AND a.grantee = 0),
          0, 'schema booking grants nothing to PUBLIC');

SELECT * FROM finish();
ROLLBACK;
