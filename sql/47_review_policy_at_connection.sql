-- A plain role's value of a policy setting given when it connects, before
-- the library loads, is refused even when it equals the default: it must not
-- quietly replace the value a superuser set for the role.
\set su :USER
SET client_min_messages = warning;
DROP ROLE IF EXISTS rv47_app;
RESET client_min_messages;
CREATE ROLE rv47_app LOGIN;
GRANT USAGE ON SCHEMA booking, regress TO rv47_app;
GRANT EXECUTE ON FUNCTION booking_free_slots(text[], text, text, interval, interval, text, integer) TO rv47_app;
ALTER ROLE rv47_app SET booking.min_notice = '2h';
-- the superuser's value is in force for the role
\c -reuse-previous=on "user=rv47_app"
SHOW booking.min_notice;
-- the role's own value, equal to the default, is refused at the first call
\c -reuse-previous=on "user=rv47_app options='-c booking.min_notice=0'"
SELECT regress.err($$SELECT booking_free_slots('{rv47-a}', '2031-01-06', '2031-01-07')$$) AS default_value_by_role;
-- as is any other value
\c -reuse-previous=on "user=rv47_app options='-c booking.min_notice=5min'"
SELECT regress.err($$SELECT booking_free_slots('{rv47-a}', '2031-01-06', '2031-01-07')$$) AS other_value_by_role;
\c -reuse-previous=on "options=''"
\c - :su
ALTER ROLE rv47_app RESET ALL;
REVOKE ALL ON SCHEMA booking, regress FROM rv47_app;
REVOKE ALL ON FUNCTION booking_free_slots(text[], text, text, interval, interval, text, integer) FROM rv47_app;
DROP ROLE rv47_app;
SELECT current_user = :'su' AS back_as_superuser;
