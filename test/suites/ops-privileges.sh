#!/usr/bin/env bash
# Privileges: nothing of the extension is granted to PUBLIC; a role with no
# grant cannot call the functions; a role given only test/ops/app-grants.sql
# runs the whole flow but cannot touch the tables or the sweep.
set -euo pipefail
. test/ops/lib.sh

DB=ops_priv
D=$OPS_DAY
with_booking $DB

login_roles $DB app_user ops_nobody
check "app_user and ops_nobody are ordinary roles" \
	"$(q -d $DB -c "SELECT count(*) FROM pg_roles WHERE rolname IN ('app_user', 'ops_nobody')
	                AND NOT (rolsuper OR rolbypassrls OR rolcreaterole) AND rolcanlogin")" 2

q -d $DB -f test/ops/app-grants.sql

# --- nothing to PUBLIC ------------------------------------------------------
# A NULL acl means the default one, which gives EXECUTE on a function to PUBLIC.
public_grants=$(cat <<'SQL'
SELECT coalesce(string_agg(pg_describe_object(d.classid, d.objid, 0), ', '
                         ORDER BY pg_describe_object(d.classid, d.objid, 0)), 'none')
FROM pg_depend d
CROSS JOIN LATERAL (
    SELECT coalesce(proacl, acldefault('f', proowner)) FROM pg_proc
     WHERE d.classid = 'pg_proc'::regclass AND oid = d.objid
    UNION ALL
    SELECT coalesce(relacl, acldefault(CASE relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", relowner))
      FROM pg_class WHERE d.classid = 'pg_class'::regclass AND oid = d.objid
    UNION ALL
    SELECT coalesce(nspacl, acldefault('n', nspowner)) FROM pg_namespace
     WHERE d.classid = 'pg_namespace'::regclass AND oid = d.objid) AS o(acl)
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'booking')
  AND EXISTS (SELECT FROM aclexplode(o.acl) a WHERE a.grantee = 0)
SQL
)
check "no object of the extension grants anything to PUBLIC" "$(q -d $DB -c "$public_grants")" none
# the same query sees a grant to PUBLIC when there is one
check "a grant to PUBLIC would be seen (rolled back)" \
	"$(q -d $DB -c 'BEGIN' -c 'GRANT SELECT ON booking.consultations TO PUBLIC' \
	    -c 'GRANT EXECUTE ON FUNCTION booking_cancel(text, text) TO PUBLIC' \
	    -c "$public_grants" -c 'ROLLBACK')" \
	"function booking_cancel(text,text), table booking.consultations"

calls=(
	"booking_propose('dr-a', 'cl-1', 'conv-1', '$D 10:00')"
	"booking_confirm('bk_AAAAAAAAAAAAAAAAAAAAAA', 'cl-1')"
	"booking_confirm_latest('conv-1', 'cl-1')"
	"booking_cancel('bk_AAAAAAAAAAAAAAAAAAAAAA', 'cl-1')"
	"booking_pending_state('conv-1', 'cl-1')"
	"booking_classifier_context('conv-1', 'cl-1')"
	"booking_token_route('bk_AAAAAAAAAAAAAAAAAAAAAA')"
	"booking_expire_holds()"
	"booking_schedule_expiry()"
	"booking_unschedule_expiry()"
)
for call in "${calls[@]}"; do
	expect_sqlstate "a role with no grant cannot call ${call%%(*}" 42501 "SELECT $call" -d $DB -U ops_nobody
done
expect_sqlstate "a role with no grant cannot read the holds" 42501 \
	'SELECT count(*) FROM booking.pending_bookings' -d $DB -U ops_nobody

# --- the whole flow as app_user -----------------------------------------------
app() { q -d $DB -U app_user -F '|' -c "$1"; }

r=$(app "SELECT r->>'ok', r->>'status', r->>'token' FROM booking_propose('dr-a', 'cl-1', 'conv-1', '$D 10:00') r")
check "app_user: propose" "${r%|*}" "true|awaiting_confirm"
t1=${r##*|}
check "app_user: pending_state" \
	"$(app "SELECT r->>'has_pending_booking', r->>'token' FROM booking_pending_state('conv-1', 'cl-1') r")" "true|$t1"
check "app_user: classifier_context" \
	"$(app "SELECT split_part(booking_classifier_context('conv-1', 'cl-1'), E'\n', 1)")" \
	"Context: hasPendingBooking=true"
check "app_user: token_route" \
	"$(app "SELECT booking_token_route('$t1') = hashtext('dr-a')")" t
r=$(app "SELECT r->>'ok', r->>'status', r->>'consultation_id' FROM booking_confirm('$t1', 'cl-1') r")
check_match "app_user: confirm" "$r" '^true\|confirmed\|[0-9]+$'
app "SELECT booking_propose('dr-a', 'cl-1', 'conv-2', '$D 11:00')" >/dev/null
check_match "app_user: confirm_latest" \
	"$(app "SELECT r->>'ok', r->>'status', r->>'consultation_id' FROM booking_confirm_latest('conv-2', 'cl-1') r")" \
	'^true\|confirmed\|[0-9]+$'
t3=$(app "SELECT booking_propose('dr-a', 'cl-1', 'conv-3', '$D 12:00')->>'token'")
check "app_user: cancel" \
	"$(app "SELECT r->>'ok', r->>'status', r->>'cancel_reason' FROM booking_cancel('$t3', 'cl-1') r")" \
	"true|cancelled|client"
check "app_user: pending_state after cancel" \
	"$(app "SELECT booking_pending_state('conv-3', 'cl-1')->>'has_pending_booking'")" false
check "app_user: classifier_context after cancel" \
	"$(app "SELECT booking_classifier_context('conv-3', 'cl-1')")" "Context: hasPendingBooking=false"
check "the flow wrote through the functions" \
	"$(q -d $DB -c "SELECT string_agg(status, ' ' ORDER BY start_at) FROM booking.pending_bookings")
$(q -d $DB -c "SELECT count(*) FROM booking.consultations WHERE client_id = 'cl-1' AND status = 'booked'")" \
	"confirmed confirmed cancelled
2"

# --- but not the tables ---------------------------------------------------------
for table in pending_bookings consultations; do
	for sql in \
		"SELECT * FROM booking.$table" \
		"INSERT INTO booking.$table (token, consultant_id, client_id, conversation_id) VALUES ('bk_x', 'x', 'x', 'x')" \
		"UPDATE booking.$table SET status = 'cancelled'" \
		"DELETE FROM booking.$table" \
		"TRUNCATE booking.$table" \
		"COPY booking.$table TO STDOUT"; do
		expect_sqlstate "app_user: ${sql%% *} on booking.$table is refused" 42501 "$sql" -d $DB -U app_user
	done
done
expect_sqlstate "app_user: nextval of the identity sequence is refused" 42501 \
	"SELECT nextval('booking.consultations_id_seq')" -d $DB -U app_user
expect_sqlstate "app_user: creating in schema booking is refused" 42501 \
	'CREATE TABLE booking.mine (x int)' -d $DB -U app_user
for call in "booking_expire_holds()" "booking_schedule_expiry()" "booking_unschedule_expiry()"; do
	expect_sqlstate "app_user: ${call%%(*} is for the DBA" 42501 "SELECT $call" -d $DB -U app_user
done
check "the refused statements changed nothing" \
	"$(q -d $DB -c "SELECT (SELECT count(*) FROM booking.pending_bookings) || ' '
	                || (SELECT count(*) FROM booking.consultations)")" "3 2"

# --- the sweep, once granted, needs no right on the tables either ----------------
q -d $DB -c 'GRANT EXECUTE ON FUNCTION booking_expire_holds(integer) TO app_user'
insert_holds $DB priv-stale 3 "-1 minute"
check "app_user, granted EXECUTE on booking_expire_holds, sweeps the 3 stale holds" \
	"$(q -d $DB -U app_user -c 'SELECT booking_expire_holds()')" 3
check "and they are expired" \
	"$(q -d $DB -c "SELECT string_agg(DISTINCT status, ',') FROM booking.pending_bookings
	               WHERE token LIKE 'priv-stale-%'")" expired
