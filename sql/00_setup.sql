-- The test database gets the extension once; every later file assumes it.
-- Quiet, so that a database where it already exists gives the same output.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS booking CASCADE;
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
