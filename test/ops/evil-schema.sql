-- A schema that shadows pg_catalog for a session that puts it first:
--     SET search_path = evil, pg_catalog, public;
-- Comparisons of text and timestamptz and the overlap of ranges all answer
-- :verdict whatever their arguments, tstzrange() makes a range that
-- overlaps everything (verdict true) or nothing (false), and the clock
-- functions are stuck in 2000.  A statement that leaves one of these
-- unqualified gives other answers under that search_path.
\set body 'SELECT ' :verdict
\if :verdict
\set range_body 'SELECT pg_catalog.tstzrange(NULL, NULL)'
\else
\set range_body 'SELECT ''empty''::pg_catalog.tstzrange'
\endif

CREATE SCHEMA evil;

CREATE FUNCTION evil.text_cmp(text, text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS :'body';
CREATE FUNCTION evil.ts_cmp(timestamptz, timestamptz) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS :'body';
CREATE FUNCTION evil.range_cmp(tstzrange, tstzrange) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS :'body';
CREATE FUNCTION evil.tstzrange(timestamptz, timestamptz) RETURNS tstzrange
    LANGUAGE sql IMMUTABLE AS :'range_body';
CREATE FUNCTION evil.tstzrange(timestamptz, timestamptz, text) RETURNS tstzrange
    LANGUAGE sql IMMUTABLE AS :'range_body';

CREATE OPERATOR evil.=  (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_cmp);
CREATE OPERATOR evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_cmp);
CREATE OPERATOR evil.<  (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_cmp);
CREATE OPERATOR evil.>  (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_cmp);
CREATE OPERATOR evil.=  (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.ts_cmp);
CREATE OPERATOR evil.<> (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.ts_cmp);
CREATE OPERATOR evil.<  (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.ts_cmp);
CREATE OPERATOR evil.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.ts_cmp);
CREATE OPERATOR evil.>  (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.ts_cmp);
CREATE OPERATOR evil.>= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = evil.ts_cmp);
CREATE OPERATOR evil.&& (LEFTARG = tstzrange, RIGHTARG = tstzrange, FUNCTION = evil.range_cmp);

CREATE FUNCTION evil.now() RETURNS timestamptz
    LANGUAGE sql STABLE AS $$SELECT '2000-01-01 00:00:00+00'::timestamptz$$;
CREATE FUNCTION evil.transaction_timestamp() RETURNS timestamptz
    LANGUAGE sql STABLE AS $$SELECT '2000-01-01 00:00:00+00'::timestamptz$$;
CREATE FUNCTION evil.statement_timestamp() RETURNS timestamptz
    LANGUAGE sql STABLE AS $$SELECT '2000-01-01 00:00:00+00'::timestamptz$$;
CREATE FUNCTION evil.clock_timestamp() RETURNS timestamptz
    LANGUAGE sql VOLATILE AS $$SELECT '2000-01-01 00:00:00+00'::timestamptz$$;
