-- Hostile text in a UTF8 database: every code point, random ones, bytes
-- read as LATIN1, multibyte lengths.  The server rejects invalid UTF-8
-- before any function sees it; cases_sql_ascii.sql covers that.

INSERT INTO hostile_cases (name, call, expect) VALUES
('utf8: invalid UTF-8 never reaches the API here', $$booking_propose(convert_from('\xfffe'::bytea, 'UTF8'), 'hu', 'hv', '2040-03-01 10:00Z')$$, '22021'),
-- ids are counted in bytes
('utf8: 85 euro signs (255 bytes) as ids', $$booking_propose(repeat('€', 85), repeat('€', 85), repeat('€', 85), '2040-03-01 10:00Z')$$, 'ok'),
('utf8: 86 euro signs (258 bytes) as consultant_id', $$booking_propose(repeat('€', 86), 'hu', 'hv', '2040-03-01 10:00Z')$$, '22023'),
('utf8: 1 MB of two-byte characters as client_id', $$booking_propose('hc', repeat('é', 500000), 'hv', '2040-03-01 10:00Z')$$, '22023'),
-- every character there is (about 4 MB)
('utf8: every character as consultant_id', $$booking_propose(hostile_every_char(), 'hu', 'hv', '2040-03-01 10:00Z')$$, '22023'),
('utf8: every character as client_id', $$booking_propose('hc', hostile_every_char(), 'hv', '2040-03-01 10:00Z')$$, '22023'),
('utf8: every character as conversation_id', $$booking_propose('hc', 'hu', hostile_every_char(), '2040-03-01 10:00Z')$$, '22023'),
('utf8: every character as start_time', $$booking_propose('hc', 'hu', 'hv', hostile_every_char())$$, 'INVALID_TIME'),
('utf8: every character as tz', $$booking_propose('hc', 'hu', 'hv', '2040-03-01 10:00', tz => hostile_every_char())$$, '22023'),
('utf8: every character as token to confirm', $$booking_confirm(hostile_every_char(), 'fixture-client')$$, 'NOT_FOUND'),
('utf8: every character as client of a confirm', $$booking_confirm(hostile_token('a'), hostile_every_char())$$, '22023'),
('utf8: every character as token to cancel', $$booking_cancel(hostile_every_char(), 'fixture-client')$$, 'NOT_FOUND'),
('utf8: every character as conversation of confirm_latest', $$booking_confirm_latest(hostile_every_char(), 'fixture-client')$$, '22023'),
('utf8: every character as conversation of pending_state', $$booking_pending_state(hostile_every_char(), 'fixture-client')$$, '22023'),
('utf8: every character as client of classifier_context', $$booking_classifier_context('fixture-conversation-a', hostile_every_char())$$, '22023'),
('utf8: every character as token to route', $$booking_token_route(hostile_every_char())$$, 'NULL'),
('utf8: every character as schedule', $$booking_schedule_expiry(hostile_every_char())$$, '55000'),
('utf8: every character as booking.timezone', $$set_config('booking.timezone', hostile_every_char(), false)$$, '22023'),
-- random code points
('utf8: random code points as start_time', $$booking_propose('hc', 'hu', 'hv', hostile_garbage(20, 1))$$, 'INVALID_TIME'),
('utf8: fullwidth digits in start_time', $$booking_propose('hc', 'hu', 'hv', '２０４０-０３-０１ １０:００')$$, 'INVALID_TIME'),
('utf8: Arabic-Indic digits in start_time', $$booking_propose('hc', 'hu', 'hv', '٢٠٤٠-٠٣-٠١ ١٠:٠٠')$$, 'INVALID_TIME'),
('utf8: random code points as tz', $$booking_propose('hc', 'hu', 'hv', '2040-03-01 10:00', tz => hostile_garbage(20, 2))$$, '22023'),
('utf8: random code points as token', $$booking_confirm(hostile_garbage(22, 3), 'fixture-client')$$, 'NOT_FOUND'),
('utf8: bk_ and 22 multibyte characters as token', $$booking_confirm('bk_' || repeat('é', 22), 'fixture-client')$$, 'NOT_FOUND'),
('utf8: bk_ and 22 multibyte characters to route', $$booking_token_route('bk_' || repeat('é', 22))$$, 'NULL'),
('utf8: random code points as ids of pending_state', $$booking_pending_state(hostile_garbage(50, 4), hostile_garbage(50, 5))$$, 'none'),
('utf8: random code points as ids of classifier_context', $$booking_classifier_context(hostile_garbage(50, 4), hostile_garbage(50, 5))$$, 'context:false'),
('utf8: random code points as ids of confirm_latest', $$booking_confirm_latest(hostile_garbage(50, 4), hostile_garbage(50, 5), hostile_garbage(50, 6))$$, 'NOT_FOUND'),
-- a whole conversation whose ids are random code points
('utf8: propose with random code points as ids', $$booking_propose(hostile_garbage(60, 6), hostile_garbage(60, 5), hostile_garbage(60, 4), '2040-03-01 10:00Z')$$, 'ok'),
('utf8: the consultant_id comes back unchanged', $$booking_propose(hostile_garbage(60, 6), hostile_garbage(60, 5), hostile_garbage(60, 4), '2040-03-01 10:00Z')->>'consultant_id' = hostile_garbage(60, 6)$$, 'true'),
('utf8: pending_state finds that hold', $$booking_pending_state(hostile_garbage(60, 4), hostile_garbage(60, 5))$$, 'pending'),
('utf8: classifier_context finds that hold', $$booking_classifier_context(hostile_garbage(60, 4), hostile_garbage(60, 5))$$, 'context:true'),
('utf8: its token routes to that consultant', $$(SELECT booking_token_route(token) = hashtext(hostile_garbage(60, 6)) FROM booking.pending_bookings WHERE conversation_id = hostile_garbage(60, 4))$$, 'true'),
('utf8: confirm_latest books it', $$booking_confirm_latest(hostile_garbage(60, 4), hostile_garbage(60, 5), hostile_garbage(60, 6))$$, 'ok'),
('utf8: the consultation carries those ids', $$(SELECT count(*) FROM booking.consultations WHERE consultant_id = hostile_garbage(60, 6) AND client_id = hostile_garbage(60, 5))$$, '1'),
-- bytes 1..255 read as LATIN1: control characters, C1 controls, accents
('utf8: 130 LATIN1 bytes as ids', $$booking_propose(hostile_bytes(130, 7), hostile_bytes(130, 8), hostile_bytes(130, 9), '2040-03-01 10:00Z')$$, 'ok'),
('utf8: 300 LATIN1 bytes as consultant_id', $$booking_propose(hostile_bytes(300, 7), 'hu', 'hv', '2040-03-01 10:00Z')$$, '22023'),
('utf8: LATIN1 bytes as start_time', $$booking_propose('hc', 'hu', 'hv', hostile_bytes(17, 10))$$, 'INVALID_TIME'),
('utf8: LATIN1 bytes as token', $$booking_cancel(hostile_bytes(25, 11), 'fixture-client')$$, 'NOT_FOUND'),
('utf8: LATIN1 bytes as tz', $$booking_propose('hc', 'hu', 'hv', '2040-03-01 10:00', tz => hostile_bytes(20, 12))$$, '22023'),
('utf8: the connection still answers', $$1 + 1$$, '2');
