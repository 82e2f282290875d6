#!/usr/bin/env bash
# Builds the Debian packages of booking the way Debian builds its own
# PostgreSQL extensions (debian/ with pg_buildext, dh --with pgxs_loop): one
# postgresql-<major>-booking per major that is both in debian/pgversions and
# supported by the machine's Debian (15 on Debian 12, 17 on Debian 13).
#
#   bash scripts/deb.sh [SOURCE-TREE [OUT-DIR]]
#
# SOURCE-TREE (default: this repository's working tree, committed or not,
# without what .gitignore ignores) is copied to a temporary directory and
# built there, so the tree stays clean; the .deb files land in OUT-DIR
# (default: the current directory). Installs the build dependencies when
# run as root on a machine that lacks them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$here}
out=$(cd "${2:-.}" && pwd)
. "$here/scripts/lib.sh"

build_deps="build-essential debhelper dpkg-dev fakeroot postgresql-server-dev-all libsodium-dev"
missing=$(for p in $build_deps; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || { echo "missing build dependencies:" $missing "(run as root to install them)" >&2; exit 1; }
	install_packages $build_deps
fi

work=$(mktemp -d /tmp/booking-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
tree=$work/booking-${version%-*}
mkdir "$tree"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
	[ "$(git -C "$src" rev-parse --show-toplevel)" = "$(cd "$src" && pwd -P)" ]; then
	# tracked and new files, not build products
	(cd "$src" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -xf - -C "$tree")
else
	cp -a "$src/." "$tree"
fi

log "building booking $version for PostgreSQL $(cd "$tree" && pg_buildext supported-versions | xargs)"
(cd "$tree" && pg_buildext updatecontrol && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
	{ tail -n 60 "$work/build.log"; echo "the package build failed" >&2; exit 1; }
for deb in "$work"/*.deb; do
	# the detached debug symbols stay out of the way of ./postgresql-*_*.deb
	[[ $deb == *-dbgsym_* ]] && continue
	cp "$deb" "$out/"
	echo "built $out/$(basename "$deb")"
done
