#!/usr/bin/env bash
# The life of a booked consultation and its privileges: a role with no grant
# cannot list, move or cancel consultations; a role given test/ops/app-grants.sql
# does all three through the functions, without any right on the tables; a
# hostile search_path changes nothing they do.
set -euo pipefail
. test/ops/lib.sh

DB=ops_lifecycle_priv
D=$OPS_DAY
with_booking $DB

login_roles $DB lc_app lc_nobody
sed 's/app_user/lc_app/g' test/ops/app-grants.sql | q -d $DB

calls=(
	"booking_consultations('cl-1')"
	"booking_cancel_consultation(1, 'cl-1')"
	"booking_propose_move(1, 'cl-1', 'conv-1', '$D 10:00')"
)
for call in "${calls[@]}"; do
	expect_sqlstate "a role with no grant cannot call ${call%%(*}" 42501 "SELECT $call" -d $DB -U lc_nobody
done

app() { q -d $DB -U lc_app -F '|' -c "$1"; }

# a hostile search_path: an = operator for bigint and a function of the
# same name as the API's in a schema the role owns and puts first
q -d $DB -c "CREATE SCHEMA lc_evil AUTHORIZATION lc_app"
q -d $DB -U lc_app -c "
	CREATE FUNCTION lc_evil.int8eq_evil(bigint, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
	CREATE OPERATOR lc_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = lc_evil.int8eq_evil);
	CREATE OPERATOR lc_evil.<> (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = lc_evil.int8eq_evil);"
app() { q -d $DB -U lc_app -F '|' -c "SET search_path = lc_evil, pg_catalog, public" -c "$1"; }

c1=$(app "SELECT booking_confirm_latest('conv-1', 'cl-1')->>'consultation_id'
          FROM (SELECT booking_propose('dr-a', 'cl-1', 'conv-1', '$D 10:00')) AS p")
c2=$(app "SELECT booking_confirm_latest('conv-2', 'cl-1')->>'consultation_id'
          FROM (SELECT booking_propose('dr-a', 'cl-1', 'conv-2', '$D 12:00')) AS p")
check_match "lc_app: two consultations booked" "$c1 $c2" '^[0-9]+ [0-9]+$'
check "lc_app: lists both, soonest first" \
	"$(app "SELECT string_agg(e->>'consultation_id', ' ') FROM jsonb_array_elements(booking_consultations('cl-1')->'consultations') e")" \
	"$c1 $c2"
check "lc_app: proposes a move of the first" \
	"$(app "SELECT r->>'status', r->>'moves_consultation_id' FROM booking_propose_move($c1, 'cl-1', 'conv-1', '$D 14:00') r")" \
	"awaiting_confirm|$c1"
check "lc_app: confirms it" \
	"$(app "SELECT r->>'status', r->>'moved_from_consultation_id' FROM booking_confirm_latest('conv-1', 'cl-1') r")" \
	"confirmed|$c1"
check "lc_app: cancels the second" \
	"$(app "SELECT r->>'status', r->>'changed' FROM booking_cancel_consultation($c2, 'cl-1') r")" \
	"cancelled|true"
check "lc_app: another client's consultation is still NOT_FOUND under that search_path" \
	"$(app "SELECT booking_cancel_consultation($c2 + 1, 'cl-other')->>'error'")" NOT_FOUND
check "the tables say what the calls said" \
	"$(q -d $DB -c "SELECT string_agg(status || ':' || coalesce(cancel_reason, '-'), ' ' ORDER BY id) FROM booking.consultations")" \
	"cancelled:rescheduled cancelled:client booked:-"
expect_sqlstate "lc_app: cannot update the consultations directly" 42501 \
	"UPDATE booking.consultations SET status = 'cancelled'" -d $DB -U lc_app
q -d $DB -c "SET client_min_messages = warning" -c "DROP SCHEMA lc_evil CASCADE" >/dev/null

