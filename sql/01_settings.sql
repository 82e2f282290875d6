-- Settings: defaults, accepted and refused values, and what each changes.

-- The GUCs exist once the library is loaded; load it as the first call would.
LOAD 'booking';

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg01-%' OR conversation_id LIKE 'rg01-%';

-- defaults of the contract
SHOW booking.timezone;
SHOW booking.hold_ttl;
SHOW booking.default_duration;
SHOW booking.max_advance;
SELECT name, setting, boot_val, context, vartype
FROM pg_settings WHERE name LIKE 'booking.%' ORDER BY name;

-- the prefix is reserved: a misspelt setting is refused, not kept as a placeholder
SET booking.nonexistent = 1;
SELECT regress.err($$SET booking.hold_tll = '5min'$$);
SELECT regress.err($$SELECT set_config('booking.nonexistent', '1', false)$$);

-- an unknown zone is refused with 22023, and the setting keeps its value
SET booking.timezone = 'Mars/Olympus_Mons';
SHOW booking.timezone;
SELECT regress.err($$SET booking.timezone = 'Mars/Olympus_Mons'$$);
SELECT regress.err($$SET booking.timezone = ''$$);
SELECT regress.err($$SET booking.timezone = 'Europe/Atlantis'$$);
SHOW booking.timezone;

-- non-positive or unreadable intervals are refused with 22023
SET booking.hold_ttl = '0';
SELECT v, regress.err(format('SET booking.hold_ttl = %L', v)) AS hold_ttl,
       regress.err(format('SET booking.default_duration = %L', v)) AS default_duration,
       regress.err(format('SET booking.max_advance = %L', v)) AS max_advance
FROM unnest(ARRAY['0', '0 min', '-1 min', '1 hour -60 minutes', '-10 days', 'abc', '',
                  'tomorrow']) AS v;
SHOW booking.hold_ttl;
SHOW booking.default_duration;
SHOW booking.max_advance;

-- accepted spellings of an interval
SELECT v, regress.err(format('SET booking.hold_ttl = %L', v)) AS hold_ttl
FROM unnest(ARRAY['1 second', '90s', '10 minutes', 'PT15M', '1 hour 30 minutes', '2 days']) AS v;

RESET booking.hold_ttl;

-- a zone name is found whatever its case; results spell it as the zone database does
SET booking.max_advance = '30 years';
SET booking.timezone = 'america/new_york';
SELECT r->>'timezone' AS timezone, r->>'start_local' AS start_local
FROM booking_propose('rg01-c0', 'rg01-u0', 'rg01-v0', '2031-12-01 09:00', tz => 'europe/rome') AS r;
SELECT booking_pending_state('rg01-v0', 'rg01-u0')->>'timezone' AS timezone;
RESET booking.timezone;

-- a set value is used by the next call: ttl, duration, zone, max_advance
SET booking.max_advance = '30 years';
SET booking.hold_ttl = '2 min';
SET booking.default_duration = '45min';
SET booking.timezone = 'America/New_York';
SELECT r->>'start_at' AS start_at, r->>'end_at' AS end_at, r->>'start_local' AS start_local,
       r->>'timezone' AS timezone,
       (r->>'expires_at')::timestamptz = date_trunc('second', now() + interval '2 min') AS expires_after_2min
FROM booking_propose('rg01-c1', 'rg01-u1', 'rg01-v1', '2031-07-01 09:00') AS r;

-- a setting changed inside a transaction applies to the call that follows in it
BEGIN;
SET LOCAL booking.default_duration = '15 minutes';
SET LOCAL booking.hold_ttl = '30s';
SET LOCAL booking.timezone = 'Asia/Tokyo';
SELECT r->>'start_at' AS start_at, r->>'end_at' AS end_at, r->>'start_local' AS start_local,
       r->>'timezone' AS timezone,
       (r->>'expires_at')::timestamptz = date_trunc('second', now() + interval '30 seconds') AS expires_after_30s
FROM booking_propose('rg01-c2', 'rg01-u1', 'rg01-v2', '2031-07-01 09:00') AS r;
COMMIT;
SHOW booking.default_duration;
SHOW booking.timezone;

-- max_advance bounds how far ahead a slot may be
SET booking.max_advance = '1 day';
SELECT r->>'error' AS error FROM booking_propose('rg01-c3', 'rg01-u1', 'rg01-v3', '2031-07-01 09:00') AS r;
SET booking.max_advance = '30 years';
SELECT r->>'status' AS status FROM booking_propose('rg01-c3', 'rg01-u1', 'rg01-v3', '2031-07-01 09:00') AS r;

RESET ALL;
SHOW booking.timezone;
SHOW booking.hold_ttl;
SHOW booking.default_duration;
SHOW booking.max_advance;

DELETE FROM booking.pending_bookings WHERE consultant_id LIKE 'rg01-%' OR conversation_id LIKE 'rg01-%';
