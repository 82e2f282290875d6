#!/usr/bin/env bash
# PostgreSQL 17, as Debian 13 (trixie) ships it, on a Debian 12 machine: a
# Debian 13 root made with debootstrap in a directory of this run's own, from
# the Debian mirror the machine's apt uses; this tree copied in; and inside
# it, as root, the README's test command with PG_MAJOR=17 and
# TEST_SUITES= (it installs postgresql-17, its server headers, pg_cron and
# pgTAP there, builds with -Werror, runs the unit, regression, isolation and
# pgTAP suites) and `make deb`, which must give postgresql-17-booking.
# The root, with its package cache, is removed at the end: nothing is kept
# from one run to the next.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
need_root

SUITE=${PG_NEXT_SUITE:-trixie}
MAJOR=${PG_NEXT_MAJOR:-17}
mirror=${DEBIAN_MIRROR:-$(grep -rhsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ |
	grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n 1 | tr -d ' ' || true)}
mirror=${mirror:-http://deb.debian.org/debian}
# debian-archive-keyring of Debian 12 carries the keys Debian 13 is signed with
install_packages debootstrap debian-archive-keyring

root=$(mktemp -d /tmp/booking-$SUITE.XXXXXX)
chmod 755 "$root"	# it becomes /, which the postgres user must traverse
cleanup() {
	local m
	# whatever the run left mounted, deepest first, then the root itself;
	# --one-file-system so that a mount that would not go is never emptied
	for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	rm -rf --one-file-system "$root"
}
trap cleanup EXIT

t0=$(date +%s)
log "Debian $SUITE root in $root from $mirror"
debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
	{ tail -n 30 "$root.debootstrap.log"; rm -f "$root.debootstrap.log"; exit 1; }
rm -f "$root.debootstrap.log"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
# no service starts inside the root: the tests start their own clusters
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
# Debian 13 moved the zone database's backward-compatible names (EST5EDT,
# US/Eastern, ...) to tzdata-legacy, and its PostgreSQL reads the system's
# zone database: without it booking refuses those names, as it must refuse
# any name the zone database lacks, and the regression tests use EST5EDT.
chroot "$root" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tzdata-legacy' \
	>"$root/tzdata.log" 2>&1 || { cat "$root/tzdata.log"; exit 1; }
echo "root ready in $(($(date +%s) - t0)) s"

mkdir -p "$root/build/booking"
git ls-files -z --cached --others --exclude-standard |
	xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf - | tar -xf - -C "$root/build/booking"

inside() {
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
		PG_MAJOR="$MAJOR" TEST_SUITES= bash -c "cd /build/booking && $1"
}
rc=0
t1=$(date +%s)
inside 'bash scripts/test-all.sh' || rc=1
echo "PostgreSQL $MAJOR suites in $(($(date +%s) - t1)) s"
t1=$(date +%s)
if inside "mkdir -p /build/out && make -s deb DEB_OUT=/build/out && ls /build/out" >"$root/deb.log" 2>&1 &&
	grep -q "^postgresql-$MAJOR-booking_.*\.deb$" "$root/deb.log"; then
	echo "make deb in Debian $SUITE gives $(grep "^postgresql-$MAJOR-booking_" "$root/deb.log")"
else
	cat "$root/deb.log"
	echo "make deb in Debian $SUITE gives no postgresql-$MAJOR-booking"
	rc=1
fi
echo "package built in $(($(date +%s) - t1)) s; $(($(date +%s) - t0)) s in all"
exit $rc
