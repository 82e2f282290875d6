# Shared by test/suites/ops-*.sh: counted checks, SQL helpers, and throwaway
# databases.  Source it after `set -euo pipefail`; the suite runs from the
# repository root with PGHOST, PGPORT, PGUSER and PGDATABASE exported.

OPS_PASSED=0
OPS_FAILED=0
OPS_DBS=()
OPS_CLEANUP=()

pass() { OPS_PASSED=$((OPS_PASSED + 1)); printf 'PASS: %s\n' "$*"; }
fail() { OPS_FAILED=$((OPS_FAILED + 1)); printf 'FAIL: %s\n' "$*"; }

# check NAME ACTUAL EXPECTED
check() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1: got '$2', expected '$3'"
	fi
}

# check_match NAME ACTUAL EXTENDED-REGEX
check_match() {
	if [[ $2 =~ $3 ]]; then
		pass "$1"
	else
		fail "$1: got '$2', expected to match /$3/"
	fi
}

# q [psql options] -c SQL: unaligned, tuples only, stops at the first error.
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

# sqlstate_of SQL [psql options]: the SQLSTATE the SQL raised, or "none".
sqlstate_of() {
	local sql=$1 out
	shift
	if out=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose "$@" -c "$sql" 2>&1 >/dev/null); then
		echo none
		return
	fi
	sed -n 's/^\(psql:[^ ]* \)\{0,1\}ERROR:  \([0-9A-Z]\{5\}\): .*/\2/p' <<<"$out" | head -n 1
}

# expect_sqlstate NAME CODE-REGEX SQL [psql options]
expect_sqlstate() {
	local name=$1 codes=$2 sql=$3 got
	shift 3
	got=$(sqlstate_of "$sql" "$@")
	if [[ $got =~ ^($codes)$ ]]; then
		pass "$name (SQLSTATE $got)"
	else
		fail "$name: SQLSTATE '$got', expected $codes"
	fi
}

# fresh_db NAME: an empty database of this suite's own, dropped at exit.
fresh_db() {
	drop_db "$1"
	createdb "$1"
	OPS_DBS+=("$1")
}

drop_db() {
	q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS \"$1\""
}

# with_booking NAME: fresh_db with the extension created in it.
with_booking() {
	fresh_db "$1"
	q -d "$1" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking CASCADE'
}

# on_exit COMMAND: run at exit, before the databases are dropped.
on_exit() { OPS_CLEANUP+=("$1"); }

# login_roles DB ROLE...: ordinary login roles for the test, made where
# missing; at exit what they own in DB is dropped, and the roles this call
# made with it.
login_roles() {
	local db=$1 role; shift
	OPS_ROLES_DB=$db OPS_ROLES=("$@") OPS_MADE_ROLES=()
	for role in "$@"; do
		if [ "$(q -d "$db" -c "SELECT count(*) FROM pg_roles WHERE rolname = '$role'")" = 0 ]; then
			q -d "$db" -c "CREATE ROLE $role LOGIN"
			OPS_MADE_ROLES+=("$role")
		fi
	done
	on_exit drop_login_roles
}
drop_login_roles() {
	local role
	for role in "${OPS_ROLES[@]}"; do
		q -d "$OPS_ROLES_DB" -c "DROP OWNED BY $role" 2>/dev/null
	done
	for role in "${OPS_MADE_ROLES[@]}"; do
		q -d postgres -c "DROP ROLE $role"
	done
}

ops_exit() {
	local rc=$? c db
	set +e
	for c in "${OPS_CLEANUP[@]}"; do eval "$c"; done
	for db in "${OPS_DBS[@]}"; do drop_db "$db"; done
	# an unexpected error stopped the suite before its checks ended
	[ "$rc" -eq 0 ] || fail "the suite stopped early (exit status $rc)"
	printf '%d passed, %d failed\n' "$OPS_PASSED" "$OPS_FAILED"
	[ "$OPS_FAILED" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
	exit 1
}
trap ops_exit EXIT

# A day far enough ahead that its slots are never in the past, and well
# inside booking.max_advance.
OPS_DAY=$(date -u -d '+3 days' +%F)

# insert_holds DB TAG N EXPIRES: N awaiting holds written straight into the
# table, one consultant each so that no slot wall stands in the way, created
# twenty minutes ago and expiring at now() + EXPIRES (an interval; negative
# for stale holds).  Tokens and ids start with TAG.
insert_holds() {
	q -d "$1" -v tag="$2" -v n="$3" -v expires="$4" <<'SQL'
INSERT INTO booking.pending_bookings
    (token, consultant_id, client_id, conversation_id, start_at, end_at,
     status, created_at, expires_at)
SELECT :'tag' || '-' || g, :'tag' || '-consultant-' || g, :'tag' || '-client',
       :'tag' || '-conversation-' || g,
       now() + interval '2 days', now() + interval '2 days 1 hour',
       'awaiting_confirm', now() - interval '20 minutes', now() + :'expires'::interval
FROM generate_series(1, :n) AS g;
SQL
}
