-- Invalid UTF-8 where the server allows it: in a SQL_ASCII database text
-- holds any bytes but NUL.  The ids are opaque bytes, everything else must
-- refuse what is not in its form.

INSERT INTO hostile_cases (name, call, expect) VALUES
('sql_ascii: the database takes invalid UTF-8', $$octet_length(E'\xff\xfe')$$, '2'),
('sql_ascii: invalid UTF-8 as ids', $$booking_propose(E'k\xff\xfe', E'u\xc3\x28', E'v\xed\xa0\x80', '2040-03-01 10:00Z')$$, 'ok'),
('sql_ascii: the consultant_id comes back as the same bytes', $$booking_propose(E'k\xff\xfe', E'u\xc3\x28', E'v\xed\xa0\x80', '2040-03-01 10:00Z')->>'consultant_id' = E'k\xff\xfe'$$, 'true'),
('sql_ascii: pending_state finds that hold', $$booking_pending_state(E'v\xed\xa0\x80', E'u\xc3\x28')$$, 'pending'),
('sql_ascii: classifier_context finds that hold', $$booking_classifier_context(E'v\xed\xa0\x80', E'u\xc3\x28')$$, 'context:true'),
('sql_ascii: its token routes to that consultant', $$(SELECT booking_token_route(token) = hashtext(E'k\xff\xfe') FROM booking.pending_bookings WHERE conversation_id = E'v\xed\xa0\x80')$$, 'true'),
('sql_ascii: another client with a lookalike id', $$booking_confirm_latest(E'v\xed\xa0\x80', E'u\xc3\x29')$$, 'NOT_FOUND'),
('sql_ascii: confirm_latest books it', $$booking_confirm_latest(E'v\xed\xa0\x80', E'u\xc3\x28', E'k\xff\xfe')$$, 'ok'),
('sql_ascii: the consultation carries those bytes', $$(SELECT count(*) FROM booking.consultations WHERE consultant_id = E'k\xff\xfe' AND client_id = E'u\xc3\x28')$$, '1'),
('sql_ascii: random bytes as ids', $$booking_propose(hostile_bytes(200, 1), hostile_bytes(200, 2), hostile_bytes(200, 3), '2040-03-01 10:00Z')$$, 'ok'),
('sql_ascii: 256 random bytes as client_id', $$booking_propose('hc', hostile_bytes(256, 2), 'hv', '2040-03-01 10:00Z')$$, '22023'),
('sql_ascii: 1 MB of 0xff as consultant_id', $$booking_propose(repeat(E'\xff', 1000000), 'hu', 'hv', '2040-03-01 10:00Z')$$, '22023'),
('sql_ascii: 1 MB of 0xff as start_time', $$booking_propose('hc', 'hu', 'hv', repeat(E'\xff', 1000000))$$, 'INVALID_TIME'),
('sql_ascii: every byte as start_time', $$booking_propose('hc', 'hu', 'hv', hostile_every_char())$$, 'INVALID_TIME'),
('sql_ascii: 0xff after a valid start_time', $$booking_propose('hc', 'hu', 'hv', E'2040-03-01 10:00Z\xff')$$, 'INVALID_TIME'),
('sql_ascii: a no-break space byte inside start_time', $$booking_propose('hc', 'hu', 'hv', E'2040-03-01\xa010:00Z')$$, 'INVALID_TIME'),
('sql_ascii: random bytes as start_time', $$booking_propose('hc', 'hu', 'hv', hostile_bytes(17, 4))$$, 'INVALID_TIME'),
('sql_ascii: invalid UTF-8 as tz', $$booking_propose('hc', 'hu', 'hv', '2040-03-01 10:00', tz => E'\xff\xfe')$$, '22023'),
('sql_ascii: a zone name with a trailing 0xff', $$booking_propose('hc', 'hu', 'hv', '2040-03-01 10:00', tz => E'Europe/Rome\xff')$$, '22023'),
('sql_ascii: invalid UTF-8 in a token to confirm', $$booking_confirm(E'bk_\xff' || repeat('A', 21), 'fixture-client')$$, 'NOT_FOUND'),
('sql_ascii: invalid UTF-8 in a token to cancel', $$booking_cancel(E'bk_\xff' || repeat('A', 21), 'fixture-client')$$, 'NOT_FOUND'),
('sql_ascii: invalid UTF-8 in a token to route', $$booking_token_route(E'bk_\xff' || repeat('A', 21))$$, 'NULL'),
('sql_ascii: a real token with invalid UTF-8 as client', $$booking_confirm(hostile_token('a'), E'fixture-client\xff')$$, 'NOT_FOUND'),
('sql_ascii: random bytes as ids of pending_state', $$booking_pending_state(hostile_bytes(100, 5), hostile_bytes(100, 6))$$, 'none'),
('sql_ascii: random bytes as ids of classifier_context', $$booking_classifier_context(hostile_bytes(100, 5), hostile_bytes(100, 6))$$, 'context:false'),
('sql_ascii: invalid UTF-8 as schedule', $$booking_schedule_expiry(E'\xff\xfe')$$, '55000'),
('sql_ascii: invalid UTF-8 as booking.timezone', $$set_config('booking.timezone', E'\xff\xfe', false)$$, '22023'),
('sql_ascii: invalid UTF-8 in booking.hold_ttl', $$set_config('booking.hold_ttl', E'1\xff hour', false)$$, '22023'),
('sql_ascii: the connection still answers', $$1 + 1$$, '2');
