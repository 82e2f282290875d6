#!/usr/bin/env bash
# Versions and upgrades.  The version a fresh CREATE EXTENSION installs is
# booking.control's default_version and META.json's "version".  Every
# booking--A--B.sql in the repository is installed as it is, and updating
# an install of A to B gives what a fresh install of B gives; every older
# version updates to the default one, keeps its rows, and then passes the
# flow and the pgTAP suite like a fresh install.
set -euo pipefail
. test/ops/lib.sh

EXT=booking
SHARE=$(pg_config --sharedir)/extension
DEFAULT=$(sed -n "s/^default_version = '\(.*\)'/\1/p" $EXT.control)
tmp=$(mktemp -d)
on_exit "rm -rf '$tmp'"

# --- versions -----------------------------------------------------------------
check "booking.control has a default_version" "$([ -n "$DEFAULT" ] && echo yes)" yes
check "the installed control file is the repository's" \
	"$(q -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = '$EXT'")" "$DEFAULT"
with_booking ops_version
check "CREATE EXTENSION installs default_version $DEFAULT" \
	"$(q -d ops_version -c "SELECT extversion FROM pg_extension WHERE extname = '$EXT'")" "$DEFAULT"

# PGXN wants semantic versions there: 1.0 and 1.0.0 name the same release.
semver() { [[ $1 =~ ^[0-9]+\.[0-9]+$ ]] && echo "$1.0" || echo "$1"; }
if [ ! -f META.json ]; then
	fail "META.json is missing: it must exist, with \"version\": \"$DEFAULT\""
elif ! meta=$(q -d postgres -v meta="$(cat META.json)" -v ext=$EXT <<<"
	SELECT (:'meta'::jsonb) ->> 'version', (:'meta'::jsonb) -> 'provides' -> :'ext' ->> 'version'"); then
	fail "META.json is not valid JSON"
else
	check "META.json's version is default_version" "$(semver "${meta%%|*}")" "$(semver "$DEFAULT")"
	check "META.json provides $EXT at that version" "$(semver "${meta#*|}")" "$(semver "$DEFAULT")"
fi

# --- every update reaches the default version ------------------------------
check "every known version has an update path to $DEFAULT" \
	"$(q -d ops_version -c "SELECT coalesce(string_agg(source, ', '), 'none')
	                        FROM pg_extension_update_paths('$EXT')
	                        WHERE target = '$DEFAULT' AND source <> target AND path IS NULL")" none

shape() { q -d "$1" -v ext=$EXT -f test/ops/extension-shape.sql; }

# install DB VERSION: a new database with the extension at VERSION
install() {
	fresh_db "$1"
	create_at "$1" "$2"
}
create_at() {
	q -d "$1" -c 'SET client_min_messages = warning' -c "CREATE EXTENSION $EXT VERSION '$2' CASCADE"
}
# a few holds made through the API, none confirmed so that consultation ids
# stay comparable
seed() {
	q -d "$1" -c "SELECT booking_propose('seed-' || g, 'seed-client', 'seed-' || g, '$OPS_DAY 10:00')
	              FROM generate_series(1, 3) g" >/dev/null
}
rows() { q -d "$1" -c "SELECT (SELECT count(*) FROM booking.pending_bookings) || ' '
                             || (SELECT count(*) FROM booking.consultations)"; }

updates=0
for script in $EXT--*--*.sql; do
	[ -e "$script" ] || continue
	updates=$((updates + 1))
	v=${script#$EXT--}; v=${v%.sql}
	from=${v%%--*} to=${v#*--}
	check "$script is installed as it is" "$(cmp -s "$script" "$SHARE/$script" && echo same)" same
	check_match "$script refuses to run outside ALTER EXTENSION" "$(grep -m 1 '\\quit' "$script")" \
		'^\\echo .*ALTER EXTENSION.*\\quit'
	# an update can only be tried from a version that can still be installed
	fresh_db ops_upgrade_a
	if ! err=$(create_at ops_upgrade_a "$from" 2>&1); then
		fail "$from -> $to: version $from cannot be installed; keep $EXT--$from.sql: $err"
		continue
	fi
	if ! err=$(q -d ops_upgrade_a -c "ALTER EXTENSION $EXT UPDATE TO '$to'" 2>&1); then
		fail "$from -> $to: ALTER EXTENSION $EXT UPDATE TO '$to' fails: $err"
		continue
	fi
	check "$from -> $to: the version is $to" \
		"$(q -d ops_upgrade_a -c "SELECT extversion FROM pg_extension WHERE extname = '$EXT'")" "$to"
	install ops_upgrade_b "$to"
	if d=$(diff <(shape ops_upgrade_b) <(shape ops_upgrade_a)); then
		pass "$from -> $to: the same objects as a fresh install of $to"
	else
		fail "$from -> $to: objects differ from a fresh install of $to (< fresh, > updated):"$'\n'"$d"
	fi
done
[ "$updates" -gt 0 ] || echo "no $EXT--A--B.sql yet: there is no update to try"

flow() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -v day="$OPS_DAY" -v yesterday="$(date -u -d '-1 day' +%F)" \
		-v p= -v path='"$user", public' -f test/ops/flow.sql |
		sed -E -e 's/bk_[A-Za-z0-9_-]{22}/<token>/g' -e 's/[0-9]{4}-[0-9-]+T[0-9:.]+Z/<time>/g' \
			-e 's/"expires_in_seconds": [0-9]+/<n>/g; s/in [0-9]+ seconds/in <n> seconds/g'
}

older=0
for script in $EXT--*.sql; do
	v=${script#$EXT--}; v=${v%.sql}
	[[ $v == *--* || $v == "$DEFAULT" ]] && continue
	older=$((older + 1))
	install ops_upgrade_old "$v"
	seed ops_upgrade_old
	before=$(rows ops_upgrade_old)
	if ! err=$(q -d ops_upgrade_old -c "ALTER EXTENSION $EXT UPDATE" 2>&1); then
		fail "$v -> $DEFAULT: ALTER EXTENSION $EXT UPDATE fails: $err"
		continue
	fi
	check "$v -> $DEFAULT: ALTER EXTENSION $EXT UPDATE reaches $DEFAULT" \
		"$(q -d ops_upgrade_old -c "SELECT extversion FROM pg_extension WHERE extname = '$EXT'")" "$DEFAULT"
	check "$v -> $DEFAULT: the rows are kept" "$(rows ops_upgrade_old)" "$before"
	if d=$(diff <(shape ops_version) <(shape ops_upgrade_old)); then
		pass "$v -> $DEFAULT: the same objects as a fresh install"
	else
		fail "$v -> $DEFAULT: objects differ from a fresh install (< fresh, > updated):"$'\n'"$d"
	fi
	seed ops_version
	if d=$(diff <(flow ops_version) <(flow ops_upgrade_old)); then
		pass "$v -> $DEFAULT: the flow gives what it gives on a fresh install"
	else
		fail "$v -> $DEFAULT: the flow differs from a fresh install:"$'\n'"$d"
	fi
	q -d ops_upgrade_old -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS pgtap'
	if out=$(pg_prove --ext .sql -d ops_upgrade_old test/pgtap/ 2>&1); then
		pass "$v -> $DEFAULT: the pgTAP suite passes"
	else
		fail "$v -> $DEFAULT: the pgTAP suite fails:"$'\n'"$out"
	fi
	drop_db ops_version
	with_booking ops_version
done
[ "$older" -gt 0 ] || echo "SKIP: no version older than $DEFAULT to update from yet"
