#!/usr/bin/env bash
# Runs one set of contract checks against the extension and against
# bench/plpgsql.sql, and fails if any outcome differs: the benchmark compares
# the two only as long as they do the same thing.
#
# With --existing it uses the database that PGHOST, PGPORT and PGDATABASE
# name, where both are installed (bench/run.sh calls it so); without, it
# builds and installs the extension and starts a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
export PATH="$PG_BIN:$PATH"

out=$(mktemp -d)
if [ "${1:-}" = --existing ]; then
	trap 'rm -rf "$out"' EXIT
else
	need_root
	install_deps
	build_and_install
	trap 'rm -rf "$out"; cluster_stop' EXIT
	cluster_start booking_check
	psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION booking CASCADE' >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -f bench/plpgsql.sql >/dev/null 2>&1
fi

# A day ahead that both runs share, so their slots and results match.
day=$(date -u -d '+3 days' +%F)

# run_checks SEARCH_PATH ID_PREFIX: one line per check, ids with the prefix
# so the two runs never meet in the shared tables.
run_checks() {
	psql -X -At -q -v ON_ERROR_STOP=1 -v sp="$1" -v p="$2" -v day="$day" <<'SQL'
SET search_path = :sp;
SET booking.max_advance = '365d';
-- Tokens, ids and expiry instants differ from run to run; their presence
-- and shape do not.
CREATE FUNCTION pg_temp.norm(r jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN jsonb_typeof(r) <> 'object' THEN r::text ELSE (
        SELECT jsonb_object_agg(key, CASE
            WHEN key IN ('token', 'superseded_token') THEN
                to_jsonb(CASE WHEN value #>> '{}' ~ '^bk_[A-Za-z0-9_-]{22}$'
                              THEN '<token>' ELSE '<malformed token>' END)
            WHEN key = 'expires_at' THEN
                to_jsonb(CASE WHEN value #>> '{}' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$'
                              THEN '<utc>' ELSE '<malformed utc>' END)
            WHEN key IN ('consultation_id', 'message', 'expires_in_seconds') THEN
                to_jsonb('<' || jsonb_typeof(value) || '>')
            ELSE value END)::text
        FROM jsonb_each(r)) END
$$;
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    EXECUTE q INTO v;
    RETURN v;
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.hold(t text) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(status, '-') || '/' || coalesce(cancel_reason, '-')
    FROM booking.pending_bookings WHERE token = t
$$;

SELECT booking_propose(:'p' || 'k1', :'p' || 'c1', :'p' || 'v1', :'day' || ' 10:00') AS r1 \gset
SELECT 'propose ok: ' || pg_temp.norm(:'r1');
SELECT :'r1'::jsonb ->> 'token' AS tok1 \gset
SELECT 'token route: ' || (booking_token_route(:'tok1') = hashtext(:'p' || 'k1'));
SELECT booking_propose(:'p' || 'k1', :'p' || 'c1', :'p' || 'v1', :'day' || ' 10:00') AS r \gset
SELECT 'propose retry: ' || pg_temp.norm(:'r') || ' same token ' || (:'r'::jsonb ->> 'token' = :'tok1');
SELECT 'same slot, other client: ' || pg_temp.norm(
    booking_propose(:'p' || 'k1', :'p' || 'c2', :'p' || 'v2', :'day' || ' 10:00'));
SELECT 'overlap, other client: ' || pg_temp.norm(
    booking_propose(:'p' || 'k1', :'p' || 'c2', :'p' || 'v2', :'day' || 'T10:30'));
SELECT 'confirm, other client: ' || pg_temp.norm(booking_confirm(:'tok1', :'p' || 'c2'));
SELECT 'confirm, malformed token: ' || pg_temp.norm(booking_confirm('bk_nope', :'p' || 'c1'));
SELECT booking_confirm(:'tok1', :'p' || 'c1') AS r \gset
SELECT 'confirm: ' || pg_temp.norm(:'r') || ' hold ' || pg_temp.hold(:'tok1');
SELECT :'r'::jsonb ->> 'consultation_id' AS cid1 \gset
SELECT booking_confirm(:'tok1', :'p' || 'c1') AS r \gset
SELECT 'confirm retry: ' || pg_temp.norm(:'r') || ' same id ' || (:'r'::jsonb ->> 'consultation_id' = :'cid1');
SELECT 'booked slot: ' || pg_temp.norm(
    booking_propose(:'p' || 'k1', :'p' || 'c3', :'p' || 'v3', :'day' || ' 10:15'));
SELECT 'cancel confirmed: ' || pg_temp.norm(booking_cancel(:'tok1', :'p' || 'c1'));

-- holds that run out
SELECT booking_propose(:'p' || 'k1', :'p' || 'c4', :'p' || 'v4', :'day' || ' 12:00', ttl => '1 second') ->> 'token' AS tok_e \gset
SELECT booking_propose(:'p' || 'k1', :'p' || 'c5', :'p' || 'v5', :'day' || ' 14:00', ttl => '1 second') ->> 'token' AS tok_s \gset
SELECT booking_propose(:'p' || 'k1', :'p' || 'c6', :'p' || 'v6', :'day' || ' 16:00', ttl => '1 second') ->> 'token' AS tok_w \gset
SELECT pg_sleep(1.2);
SELECT 'confirm expired: ' || pg_temp.norm(booking_confirm(:'tok_e', :'p' || 'c4')) || ' hold ' || pg_temp.hold(:'tok_e');
SELECT 'stale hold does not block: ' || pg_temp.norm(
    booking_propose(:'p' || 'k1', :'p' || 'c7', :'p' || 'v7', :'day' || ' 14:00')) || ' old hold ' || pg_temp.hold(:'tok_s');
SELECT 'sweep: ' || (booking_expire_holds(50) >= 1) || ' hold ' || pg_temp.hold(:'tok_w');

-- one hold per conversation
SELECT booking_propose(:'p' || 'k2', :'p' || 'c8', :'p' || 'v8', :'day' || ' 10:00') ->> 'token' AS tok_a \gset
SELECT booking_propose(:'p' || 'k2', :'p' || 'c8', :'p' || 'v8', :'day' || ' 11:00') AS r \gset
SELECT :'r'::jsonb ->> 'token' AS tok_b \gset
SELECT 'supersede: ' || pg_temp.norm(:'r') || ' old ' || (:'r'::jsonb ->> 'superseded_token' = :'tok_a')
    || ' ' || pg_temp.hold(:'tok_a');
SELECT 'pending: ' || pg_temp.norm(booking_pending_state(:'p' || 'v8', :'p' || 'c8'));
SELECT 'pending, other client: ' || pg_temp.norm(booking_pending_state(:'p' || 'v8', :'p' || 'c9'));
SELECT 'classifier: ' || split_part(booking_classifier_context(:'p' || 'v8', :'p' || 'c8'), E'\n', 1);
SELECT 'classifier, none: ' || booking_classifier_context(:'p' || 'v9', :'p' || 'c8');
SELECT 'cancel: ' || pg_temp.norm(booking_cancel(:'tok_b', :'p' || 'c8'));
SELECT 'cancel again: ' || pg_temp.norm(booking_cancel(:'tok_b', :'p' || 'c8'));
SELECT 'confirm cancelled: ' || pg_temp.norm(booking_confirm(:'tok_b', :'p' || 'c8'));
SELECT booking_propose(:'p' || 'k3', :'p' || 'c9', :'p' || 'v9', :'day' || ' 10:00') ->> 'token' AS tok_l \gset
SELECT 'confirm latest, other client: ' || pg_temp.norm(booking_confirm_latest(:'p' || 'v9', :'p' || 'c1'));
SELECT 'confirm latest: ' || pg_temp.norm(booking_confirm_latest(:'p' || 'v9', :'p' || 'c9'));

-- start times
SELECT 'time ' || t || ': ' || pg_temp.norm(
    booking_propose(:'p' || 'k4', :'p' || 'c1', :'p' || 'v' || n, t))
FROM (VALUES (1, 'tomorrow'), (2, '2027-02-30 10:00'), (3, '2027-03-28 02:30'),
             (4, '2027-10-31 02:30'), (5, '2020-01-01 10:00'), (6, '2099-01-01 10:00'),
             (7, :'day' || ' 10:00:30Z'), (8, :'day' || 'T10:00+05:30'), (9, ''),
             (10, :'day' || ' 24:00'), (11, :'day' || ' 10:00+16:00')) AS v(n, t)
ORDER BY n;
SELECT 'tz: ' || pg_temp.norm(
    booking_propose(:'p' || 'k4', :'p' || 'c2', :'p' || 'v20', :'day' || ' 10:00', tz => 'America/New_York'));

-- caller errors
SELECT 'error ' || c || ': ' || pg_temp.try(format(c, :'p', :'day'))
FROM (VALUES
    ('SELECT booking_propose(NULL, %1$L, %1$L, %2$L)'),
    ('SELECT booking_propose(%1$L, %1$L, %1$L, NULL)'),
    ('SELECT booking_propose('''', %1$L, %1$L, %2$L || '' 10:00'')'),
    ('SELECT booking_propose(repeat(''x'', 256), %1$L, %1$L, %2$L || '' 10:00'')'),
    ('SELECT booking_propose(%1$L, %1$L, %1$L, %2$L || '' 10:00'', ttl => ''-1 min'')'),
    ('SELECT booking_propose(%1$L, %1$L, %1$L, %2$L || '' 10:00'', duration => ''0'')'),
    ('SELECT booking_propose(%1$L, %1$L, %1$L, %2$L || '' 10:00'', tz => ''Mars/Base'')'),
    ('SELECT booking_confirm(NULL, %1$L)'),
    ('SELECT booking_confirm(''bk_x'', '''')'),
    ('SELECT booking_cancel(''bk_x'', NULL)')) AS v(c);
SQL
}

stamp=$$
run_checks public "c${stamp}_" | sed "s/c${stamp}_/@/g" >"$out/extension"
run_checks 'plbooking, public' "p${stamp}_" | sed "s/p${stamp}_/@/g" >"$out/plpgsql"
checks=$(wc -l <"$out/extension")
if ! diff -u --label extension --label plpgsql "$out/extension" "$out/plpgsql"; then
	echo "check-plpgsql: the PL/pgSQL implementation differs from the extension" >&2
	exit 1
fi
echo "check-plpgsql: $checks checks, same outcomes from the extension and from PL/pgSQL"
