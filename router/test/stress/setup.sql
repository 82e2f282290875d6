-- In the router database: what every call answered, to compare with the
-- shards' tables afterwards.
CREATE TABLE stress_log (
    id     bigserial PRIMARY KEY,
    call   text NOT NULL,
    result jsonb NOT NULL,
    at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- A slot of the test day (five days ahead, whole hours in UTC).
CREATE FUNCTION stress_slot(h integer) RETURNS text LANGUAGE sql AS $$
    SELECT to_char(date_trunc('day', now() AT TIME ZONE 'UTC') + interval '5 days' + h * interval '1 hour',
                   'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
