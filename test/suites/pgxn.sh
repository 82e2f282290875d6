#!/usr/bin/env bash
# META.json as PGXN's meta spec 1.0.0 wants it (the rules PGXN's validator
# checks: the mandatory keys, semantic versions, a file for each extension
# provided, known licenses and prereq phases), and `make dist` giving the
# archive PGXN takes: booking-<version>.zip with everything under
# booking-<version>/, META.json and each provided file in it.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/ops/lib.sh
install_packages unzip git

# (psql interpolates :'meta' in what it reads, not in -c)
meta() { q -d postgres -v meta="$(cat META.json)" <<<"$1"; }
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'

if ! meta "SELECT (:'meta')::jsonb" >/dev/null 2>&1; then
	fail "META.json is not valid JSON"
	exit 1
fi
check "META.json has the mandatory keys" "$(meta "
	SELECT coalesce(string_agg(k, ' '), 'all') FROM unnest(ARRAY['name', 'abstract', 'version',
	    'maintainer', 'license', 'provides', 'meta-spec']) k
	WHERE NOT (:'meta')::jsonb ? k")" all
check "META.json follows meta spec 1.0.0" "$(meta "SELECT (:'meta')::jsonb #>> '{meta-spec,version}'")" 1.0.0
version=$(meta "SELECT (:'meta')::jsonb ->> 'version'")
check_match "the version is a semantic version" "$version" "$semver"
check_match "the license is one PGXN knows" "$(meta "SELECT (:'meta')::jsonb ->> 'license'")" \
	'^(postgresql|bsd|mit|apache_2_0|gpl_2|gpl_3|lgpl_2_1|lgpl_3_0|artistic_2|perl_5|unrestricted|open_source|restricted)$'
while IFS='|' read -r ext file pversion; do
	check_match "provides $ext at a semantic version" "$pversion" "$semver"
	check "provides $ext from a file in the repository" "$(git ls-files --error-unmatch "$file" >/dev/null 2>&1 && echo yes)" yes
	check "provides $ext: there is $ext.control beside that file" "$([ -f "$(dirname "$file")/$ext.control" ] && echo yes)" yes
done < <(meta "SELECT key, value ->> 'file', value ->> 'version' FROM jsonb_each((:'meta')::jsonb -> 'provides')")
check "prereqs name only PGXN's phases and relations" "$(meta "
	SELECT coalesce(string_agg(p.key || '.' || r.key, ' '), 'none')
	FROM jsonb_each((:'meta')::jsonb -> 'prereqs') p, jsonb_each(p.value) r
	WHERE p.key NOT IN ('configure', 'build', 'test', 'runtime', 'develop')
	   OR r.key NOT IN ('requires', 'recommends', 'suggests', 'conflicts')")" none
while IFS='|' read -r name range; do
	check_match "prereq $name: 0 or a semantic version" "$range" "^(0|([<>]=?|[=!]=)? *${semver:1:-1})$"
done < <(meta "SELECT p.key || '.' || r.key || '.' || d.key, d.value #>> '{}'
	FROM jsonb_each((:'meta')::jsonb -> 'prereqs') p, jsonb_each(p.value) r, jsonb_each(r.value) d")

# `make dist` archives HEAD, as PGXS's own dist does: what is committed.
work=$(mktemp -d /tmp/booking-pgxn.XXXXXX)
on_exit "rm -rf '$work'"
if out=$(make -s dist PG_CONFIG="$PG_BIN/pg_config" 2>&1) && [ -f "booking-$version.zip" ]; then
	mv "booking-$version.zip" "$work/"
	pass "make dist gives booking-$version.zip"
else
	fail "make dist gives no booking-$version.zip: $out"
	exit 1
fi
listing=$(unzip -Z1 "$work/booking-$version.zip")
check "everything in the archive is under booking-$version/" "$(grep -vc "^booking-$version/" <<<"$listing" || true)" 0
files="META.json Makefile booking.control booking--1.0.sql booking--1.0--1.1.sql README.md"
[ ! -f router/Makefile ] || files="$files router/Makefile router/booking_router.control router/booking_shard.control"
for f in $files; do
	check "the archive holds $f" "$(grep -cx "booking-$version/$f" <<<"$listing" || true)" 1
done
built=$(sed -n "s/^default_version = '\(.*\)'/booking--\1.sql/p" booking.control)
check "the archive holds no build product" \
	"$(grep -E "\.(o|so|bc)\$|/$built\$" <<<"$listing" | xargs)" ""
