#!/usr/bin/env bash
# The Debian package, as a DBA installs it.  `make deb` builds
# postgresql-<major>-booking, lintian finds no error in it, and it holds the
# install and update scripts.  The 1.0 package is built from the 1.0 release
# (commit $BOOKING_1_0, `git archive`d) with this tree's debian/, installed,
# given data through the API; the new package is installed over it, ALTER
# EXTENSION booking UPDATE runs, and the data, the API and the objects must
# be those of a fresh install.  Then the regression, isolation and pgTAP
# suites run against what the package installed, on a clean cluster.  When
# the tree has the router (router/), its package is built, checked by
# lintian and installed too, and booking_router and booking_shard are
# created from the packages.
#
# What `make install` put into the server is removed first, so that only the
# package's files are there, and put back at the end.  On the server Debian
# installed (PG_BIN under /usr/lib/postgresql) the packages go in with
# `apt-get install ./*.deb`, as the README says; on a relocated copy of the
# server (PG_BIN elsewhere: a machine shared with other work that must not
# touch the system's PostgreSQL) apt-get only simulates the install, to check
# that its dependencies are met, and the package's files are unpacked into
# that copy with dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
. test/ops/lib.sh

BOOKING_1_0=${BOOKING_1_0:-5e31567}	# 1.0 as released
PKG=postgresql-$PG_MAJOR-booking
ROUTER_PKG=postgresql-$PG_MAJOR-booking-router
PG_CONFIG=$PG_BIN/pg_config
SHARE=$("$PG_CONFIG" --sharedir)/extension
LIB=$("$PG_CONFIG" --pkglibdir)
root=${PG_BIN%/usr/lib/postgresql/$PG_MAJOR/bin}
[ "$root" != "$PG_BIN" ] || { echo "PG_BIN must end in /usr/lib/postgresql/$PG_MAJOR/bin" >&2; exit 1; }
install_packages debhelper dpkg-dev fakeroot postgresql-server-dev-all libsodium-dev lintian git

work=$(mktemp -d /tmp/booking-package.XXXXXX)
chmod 755 "$work"
unpacked=""		# files unpacked into a relocated copy, removed before the next
installed=""	# packages installed by apt-get, purged at the end
restore() {
	cluster_stop
	pkg_remove
	make -s PG_CONFIG="$PG_CONFIG" WERROR=1 install >/dev/null
	[ ! -f router/Makefile ] || make -s -C router PG_CONFIG="$PG_CONFIG" install >/dev/null
	rm -rf "$work"
}
on_exit restore

# pkg_install DEB...: these packages, replacing what an earlier call installed
pkg_install() {
	local deb
	if [ -z "$root" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			--allow-downgrades "$@" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; return 1; }
		for deb in "$@"; do installed="$installed $(dpkg-deb -f "$deb" Package)"; done
	else
		apt-get install -s -qq --no-install-recommends "$@" >"$work/apt.log" 2>&1 ||
			{ cat "$work/apt.log"; return 1; }
		pkg_remove
		for deb in "$@"; do
			dpkg-deb -x "$deb" "$root"
			# files, then the package's own directories, deepest first
			unpacked="$unpacked $(dpkg-deb -c "$deb" | awk '{ sub(/^\./, "", $6) }
				$1 !~ /^d/ { print $6 } $1 ~ /^d/ && $6 ~ /booking/ { print $6 }')"
		done
		unpacked=$(printf '%s\n' $unpacked | sort -ru)
	fi
}
pkg_remove() {
	if [ -z "$root" ]; then
		if [ -n "$installed" ]; then
			DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $installed >/dev/null 2>&1 || true
		fi
		installed=""
	else
		local f
		for f in $unpacked; do
			if [ -d "$root$f" ]; then rmdir --ignore-fail-on-non-empty "$root$f"; else rm -f "$root$f"; fi
		done
		unpacked=""
	fi
}
pkg_version() {
	if [ -z "$root" ]; then
		dpkg-query -W -f='${Version}' "$PKG"
	else
		zcat "$root/usr/share/doc/$PKG/changelog.Debian.gz" | dpkg-parsechangelog -l - -S Version
	fi
}
booking_files() { ls "$SHARE"/booking[.-]* "$LIB"/booking.so 2>/dev/null | xargs -r -n 1 basename | sort | xargs; }
router=$([ -f router/Makefile ] && echo yes || true)

# --- the packages -------------------------------------------------------------
mkdir "$work/new" "$work/old"
if out=$(make -s deb DEB_OUT="$work/new" 2>&1); then
	pass "make deb builds the package"
else
	fail "make deb fails:"$'\n'"$out"
	exit 1
fi
new=$(ls "$work"/new/${PKG}_*.deb 2>/dev/null | head -n 1)
version=$(dpkg-parsechangelog -S Version)
check "make deb gives ${PKG}_${version}" "$(basename "${new:-none}")" "${PKG}_${version}_$(dpkg --print-architecture).deb"
[ -n "$new" ] || exit 1
new_router=""
if [ -n "$router" ]; then
	new_router=$(ls "$work"/new/${ROUTER_PKG}_*.deb 2>/dev/null | head -n 1)
	check "make deb gives ${ROUTER_PKG}_${version}" "$(basename "${new_router:-none}")" "${ROUTER_PKG}_${version}_all.deb"
	[ -n "$new_router" ] || exit 1
fi
for deb in "$new" $new_router; do
	# (lintian warns that it runs as root, which the suites do)
	if out=$(lintian --fail-on error "$deb" 2>&1 | grep -v 'running with root privileges'; exit "${PIPESTATUS[0]}"); then
		pass "lintian finds no error in $(basename "$deb")${out:+ (it says:$'\n'$out)}"
	else
		fail "lintian finds errors in $(basename "$deb"):"$'\n'"$out"
	fi
done
contents=$(dpkg-deb -c "$new" | awk '{print $6}')
ver=$(sed -n "s/^default_version = '\(.*\)'/\1/p" booking.control)
for f in booking.control booking--1.0.sql booking--1.0--1.1.sql "booking--$ver.sql"; do
	check "the package holds extension/$f" "$(grep -c "/share/postgresql/$PG_MAJOR/extension/$f\$" <<<"$contents")" 1
done
check "the package holds the library" "$(grep -c "/lib/postgresql/$PG_MAJOR/lib/booking.so\$" <<<"$contents")" 1
if [ -n "$router" ]; then
	check "the package holds booking_shard, which shards run beside booking" \
		"$(grep -c "/extension/booking_shard\.control\$" <<<"$contents")" 1
	rcontents=$(dpkg-deb -c "$new_router" | awk '{print $6}')
	check "the router's package holds booking_router and nothing of booking" \
		"$(grep -E '/extension/[^/]+$' <<<"$rcontents" | sed 's|.*/||' | grep -v '^booking_router[.-]' | xargs)" ""
	check "the router's package holds booking_router.control" \
		"$(grep -c "/share/postgresql/$PG_MAJOR/extension/booking_router\.control\$" <<<"$rcontents")" 1
	check "the router's package depends on PL/Proxy" \
		"$(dpkg-deb -f "$new_router" Depends | grep -o "postgresql-$PG_MAJOR-plproxy")" "postgresql-$PG_MAJOR-plproxy"
fi

# The 1.0 release's sources with this tree's packaging, its changelog cut to 1.0.
if ! git cat-file -e "$BOOKING_1_0^{commit}" 2>/dev/null; then
	fail "commit $BOOKING_1_0 (1.0 as released) is not in this clone: clone with history"
	exit 1
fi
mkdir "$work/src-1.0"
git archive "$BOOKING_1_0" | tar -x -C "$work/src-1.0"
cp -r debian "$work/src-1.0/"
sed -n '/^booking (1\.0-1)/,$p' debian/changelog >"$work/src-1.0/debian/changelog"
# 1.0 had no router: its package is left out of the 1.0 build
[ -f "$work/src-1.0/router/Makefile" ] ||
	awk -v RS= -v ORS='\n\n' '!/^Package: postgresql-PGVERSION-booking-router/' debian/control.in \
		>"$work/src-1.0/debian/control.in"
if out=$(bash scripts/deb.sh "$work/src-1.0" "$work/old" 2>&1); then
	pass "the 1.0 package builds from $BOOKING_1_0"
else
	fail "the 1.0 package does not build from $BOOKING_1_0:"$'\n'"$out"
	exit 1
fi
old=$(ls "$work"/old/${PKG}_1.0-*.deb | head -n 1)

# --- only the package's files ---------------------------------------------------
make -s PG_CONFIG="$PG_CONFIG" uninstall >/dev/null
[ -z "$router" ] || make -s -C router PG_CONFIG="$PG_CONFIG" uninstall >/dev/null
check "make uninstall leaves no booking file in the server" \
	"$(ls "$SHARE"/booking* "$LIB"/booking* 2>/dev/null | xargs)" ""

pkg_install "$old"
check "the 1.0 package is installed" "$(pkg_version)" "1.0-1"
check "the 1.0 package installs 1.0's files" "$(booking_files)" "booking--1.0.sql booking.control booking.so"

cluster_start booking_regress
export PGDATABASE=postgres
createdb pkg_upgrade
q -d pkg_upgrade -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking CASCADE'
check "CREATE EXTENSION booking from the 1.0 package gives 1.0" \
	"$(q -d pkg_upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")" 1.0

day=$(date -u -d '+3 days' +%F)
token() { q -d pkg_upgrade -c "SELECT booking_propose('pkg-$1', 'pkg-client', 'pkg-conv-$1', '$day $2') ->> 'token'"; }
t1=$(token 1 10:00) t2=$(token 2 11:00) t3=$(token 3 12:00)
check "1.0 confirms a hold" \
	"$(q -d pkg_upgrade -c "SELECT booking_confirm('$t1', 'pkg-client') ->> 'status'")" confirmed
# the rows, by the columns 1.0 has (1.1 may add columns to its tables)
columns() {
	q -d pkg_upgrade -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	                     WHERE attrelid = '$1'::regclass AND attnum > 0 AND NOT attisdropped"
}
pending_columns=$(columns booking.pending_bookings) consultation_columns=$(columns booking.consultations)
snapshot() {
	q -d pkg_upgrade \
		-c "SELECT md5(string_agg(r::text, '|' ORDER BY r::text))
		    FROM (SELECT $pending_columns FROM booking.pending_bookings) r" \
		-c "SELECT md5(string_agg(r::text, '|' ORDER BY r::text))
		    FROM (SELECT $consultation_columns FROM booking.consultations) r"
}
before=$(snapshot)

# --- the new package over it ------------------------------------------------------
pkg_install "$new" $new_router
check "the new package replaces 1.0's" "$(pkg_version)" "$version"
check "the new package installs the install and update scripts" \
	"$(booking_files | tr ' ' '\n' | grep -v '^booking_' | xargs)" \
	"$(printf '%s\n' booking--1.0--1.1.sql booking--1.0.sql "booking--$ver.sql" booking.control booking.so | sort | xargs)"
if out=$(q -d pkg_upgrade -c 'ALTER EXTENSION booking UPDATE' 2>&1); then
	pass "ALTER EXTENSION booking UPDATE"
else
	fail "ALTER EXTENSION booking UPDATE fails: $out"
fi
check "the extension is at $ver" \
	"$(q -d pkg_upgrade -c "SELECT extversion FROM pg_extension WHERE extname = 'booking'")" "$ver"
check "the rows written under 1.0 are kept as they were" "$(snapshot)" "$before"
check "a hold made under 1.0 is confirmed after the update" \
	"$(q -d pkg_upgrade -c "SELECT booking_confirm('$t2', 'pkg-client') ->> 'status'")" confirmed
check "a hold made under 1.0 is the conversation's pending booking" \
	"$(q -d pkg_upgrade -c "SELECT booking_pending_state('pkg-conv-3', 'pkg-client') ->> 'token'")" "$t3"
check "the consultation booked under 1.0 still holds its slot" \
	"$(q -d pkg_upgrade -c "SELECT booking_propose('pkg-1', 'pkg-client-2', 'pkg-conv-9', '$day 10:00') ->> 'error'")" SLOT_TAKEN
createdb pkg_fresh
q -d pkg_fresh -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking CASCADE'
shape() { q -d "$1" -v ext=booking -f test/ops/extension-shape.sql; }
if d=$(diff <(shape pkg_fresh) <(shape pkg_upgrade)); then
	pass "the updated extension has the objects of a fresh $ver install"
else
	fail "the updated extension differs from a fresh $ver install (< fresh, > updated):"$'\n'"$d"
fi

if [ -n "$router" ]; then
	q -d pkg_fresh -c 'CREATE EXTENSION booking_shard'
	check "CREATE EXTENSION booking_shard beside booking, from the package" \
		"$(q -d pkg_fresh -c "SELECT extversion FROM pg_extension WHERE extname = 'booking_shard'")" "$ver"
	createdb pkg_router
	q -d pkg_router -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION booking_router CASCADE'
	check "CREATE EXTENSION booking_router CASCADE (PL/Proxy) from the router's package" \
		"$(q -d pkg_router -c "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname)
		                       FROM pg_extension WHERE extname IN ('booking_router', 'plproxy')" | sed 's/plproxy [0-9.]*/plproxy/')" \
		"booking_router $ver, plproxy"
	check "booking_router offers booking_propose" \
		"$(q -d pkg_router -c "SELECT count(*) > 0 FROM pg_proc WHERE proname = 'booking_propose'")" t
fi

# --- the suites against the package -------------------------------------------------
export PGDATABASE=booking_regress
if out=$(make -s installcheck TEST_DB=booking_regress PG_CONFIG="$PG_CONFIG" 2>&1); then
	pass "the regression and isolation suites pass against the package"
else
	fail "the regression or isolation suite fails against the package:"$'\n'"$out"
	for f in regression.diffs output_iso/regression.diffs; do [ -f "$f" ] && cat "$f"; done
fi
q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS pgtap'
if out=$(pg_prove --ext .sql -d booking_regress test/pgtap/ 2>&1); then
	pass "the pgTAP suite passes against the package"
else
	fail "the pgTAP suite fails against the package:"$'\n'"$out"
fi
