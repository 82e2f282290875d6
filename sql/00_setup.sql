-- The test database gets the extension once; every later file assumes it.
-- Quiet, so that a database where it already exists gives the same output.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;

-- Helpers the later files share.
CREATE SCHEMA IF NOT EXISTS regress;

-- Runs one statement and reports its SQLSTATE and message instead of failing.
CREATE OR REPLACE FUNCTION regress.err(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- A result with its random token, its now()-dependent expiry and its
-- sequence-dependent consultation id shown only by their format.
CREATE OR REPLACE FUNCTION regress.masked(r jsonb) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_object_agg(key, CASE
        WHEN key IN ('token', 'superseded_token') THEN
            to_jsonb(CASE WHEN value #>> '{}' ~ '^bk_[A-Za-z0-9_-]{22}$' THEN '<token>' ELSE 'BAD TOKEN: ' || (value #>> '{}') END)
        WHEN key = 'expires_at' THEN
            to_jsonb(CASE WHEN value #>> '{}' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$' THEN '<utc>' ELSE 'BAD UTC: ' || (value #>> '{}') END)
        WHEN key = 'consultation_id' THEN
            to_jsonb(CASE WHEN jsonb_typeof(value) = 'number' AND (value #>> '{}')::bigint > 0 THEN '<id>' ELSE 'BAD ID: ' || (value #>> '{}') END)
        ELSE value END)
    FROM jsonb_each(r)
$$;
RESET client_min_messages;

SELECT extname, extversion, extrelocatable
FROM pg_extension WHERE extname IN ('booking', 'btree_gist') ORDER BY extname;

-- booking requires btree_gist, and cannot be dropped from under it
SELECT e.extname AS extension, r.extname AS requires
FROM pg_depend d
JOIN pg_extension e ON e.oid = d.objid AND d.classid = 'pg_extension'::regclass
JOIN pg_extension r ON r.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass
WHERE e.extname = 'booking';

SELECT n.nspname AS schema, p.proname
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'booking'
ORDER BY p.proname;

SELECT c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'booking' AND c.relkind = 'r' ORDER BY c.relname;
