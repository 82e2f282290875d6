#!/usr/bin/env bash
# CREATE EXTENSION booking SCHEMA api: the functions live in api and the
# tables in booking; the whole flow works by qualified name with api off the
# search_path; the extension cannot be moved; DROP EXTENSION takes schema
# booking with it.
set -euo pipefail
. test/ops/lib.sh

DB=ops_schema
fresh_db $DB
q -d $DB -c 'SET client_min_messages = warning' -c 'CREATE SCHEMA api' \
	-c 'CREATE EXTENSION booking SCHEMA api CASCADE'

functions_in() {
	q -d $DB -c "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	             WHERE n.nspname = '$1' AND p.proname LIKE 'booking\_%'"
}
# as many as the extension has, whatever its version adds
members=$(q -d $DB -c "SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                       WHERE e.extname = 'booking' AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'")
check "the extension has at least the ten functions of 1.0" "$([ "$members" -ge 10 ] && echo yes)" yes
check "the extension's $members functions are in schema api" "$(functions_in api)" "$members"
check "none is in public" "$(functions_in public)" 0
check "the tables are in schema booking" \
	"$(q -d $DB -c "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c
	               JOIN pg_namespace n ON n.oid = c.relnamespace
	               WHERE n.nspname = 'booking' AND c.relkind = 'r'")" \
	"$(q -d $DB -c "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_depend d
	               JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'booking'
	               JOIN pg_class c ON c.oid = d.objid AND d.classid = 'pg_class'::regclass
	               WHERE d.deptype = 'e' AND c.relkind = 'r'")"
check "api is not on the search_path" "$(q -d $DB -c "SELECT 'api' = ANY (current_schemas(false))")" f

token=$(q -d $DB -c "SELECT api.booking_propose('sc-c', 'sc-u', 'sc-v', '$OPS_DAY 10:00')->>'token'")
check_match "propose by qualified name" "$token" '^bk_[A-Za-z0-9_-]{22}$'
check "its routing key" \
	"$(q -d $DB -c "SELECT api.booking_token_route('$token') = hashtext('sc-c')")" t
check "pending state" \
	"$(q -d $DB -c "SELECT api.booking_pending_state('sc-v', 'sc-u')->>'has_pending_booking'")" true
check "classifier context" \
	"$(q -d $DB -c "SELECT split_part(api.booking_classifier_context('sc-v', 'sc-u'), E'\n', 1)")" \
	"Context: hasPendingBooking=true"
check "fallback confirm" \
	"$(q -d $DB -c "SELECT r->>'status' || ' ' || (r->>'token' = '$token')
	               FROM api.booking_confirm_latest('sc-v', 'sc-u') AS r")" "confirmed true"
check "the consultation is in booking.consultations" \
	"$(q -d $DB -c "SELECT count(*) FROM booking.consultations WHERE token = '$token' AND status = 'booked'")" 1
check "cancel of the confirmed hold" \
	"$(q -d $DB -c "SELECT api.booking_cancel('$token', 'sc-u')->>'error'")" NOT_PENDING
insert_holds $DB sc-stale 2 "-1 minute"
check "the sweep by qualified name" "$(q -d $DB -c 'SELECT api.booking_expire_holds()')" 2
expect_sqlstate "schedule without pg_cron in this database" 55000 \
	'SELECT api.booking_schedule_expiry()' -d $DB
expect_sqlstate "the extension cannot be moved" 0A000 \
	'ALTER EXTENSION booking SET SCHEMA public' -d $DB

q -d $DB -c 'DROP EXTENSION booking'
check "DROP EXTENSION removes schema booking and its tables" \
	"$(q -d $DB -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'booking'")" 0
check "and the functions" "$(functions_in api)" 0
