# Shared by the scripts in this folder: installing what is missing, building
# the extension, and a throwaway PostgreSQL cluster run as the postgres user.
# Source it; it defines functions and sets nothing else.

PG_MAJOR=${PG_MAJOR:-15}
# PG_BIN may name another (relocated) copy of the server, so that several
# work trees can test side by side without installing over each other.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/$PG_MAJOR/bin}

log() { printf '\n== %s\n' "$*"; }

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "run this as root: it installs packages and starts PostgreSQL as the postgres user" >&2
		exit 1
	fi
}

# install_deps [PACKAGE...]: what building and testing need, and these.
install_deps() {
	install_packages postgresql-$PG_MAJOR postgresql-server-dev-$PG_MAJOR postgresql-$PG_MAJOR-cron \
		postgresql-$PG_MAJOR-pgtap libtap-parser-sourcehandler-pgtap-perl libsodium-dev \
		build-essential "$@"
	export PATH="$PG_BIN:$PATH"
}

# install_packages PACKAGE...: apt-get install of those not installed yet.
install_packages() {
	local missing="" p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		log "installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# The server package would create and start a cluster of its own;
		# the tests start theirs, so keep Debian's from being created.
		mkdir -p /etc/postgresql-common/createcluster.d
		echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/booking-no-main.conf
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
}

build_and_install() {
	log "building with -Wall -Wextra -Werror and installing"
	make -s clean >/dev/null
	make -s PG_CONFIG="$PG_BIN/pg_config" WERROR=1
	make -s PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
}

# cluster_start DBNAME [postgresql.conf lines...]: initdb a fresh cluster in a
# temporary directory, listening only on a unix socket there, with pg_cron
# preloaded and serving DBNAME, which it creates.
cluster_start() {
	local db=$1; shift
	CLUSTER_DIR=$(mktemp -d /tmp/booking-cluster.XXXXXX)
	chown postgres: "$CLUSTER_DIR"
	chmod 755 "$CLUSTER_DIR"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres \
		--auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/initdb.log" 2>&1 ||
		{ cat "$CLUSTER_DIR/initdb.log"; return 1; }
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$CLUSTER_DIR'"
		echo "port = 5432"
		echo "shared_preload_libraries = 'pg_cron'"
		echo "cron.database_name = '$db'"
		# pg_cron's jobs connect back over the same unix socket
		echo "cron.host = '$CLUSTER_DIR'"
		# settings under booking. are checked from a session's first statement
		echo "session_preload_libraries = 'booking'"
		echo "max_connections = 120"
		echo "max_locks_per_transaction = 128"
		echo "log_min_messages = warning"
		echo "timezone = 'UTC'"
		for line in "$@"; do echo "$line"; done
	} >>"$CLUSTER_DIR/data/postgresql.conf"
	cluster_up || return 1
	export PGHOST=$CLUSTER_DIR PGPORT=5432 PGUSER=postgres PGDATABASE=$db
	runuser -u postgres -- "$PG_BIN/createdb" -h "$CLUSTER_DIR" -U postgres "$db"
}

cluster_up() {
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -l "$CLUSTER_DIR/server.log" \
		-w -t 60 start >/dev/null || { tail -n 30 "$CLUSTER_DIR/server.log"; return 1; }
}

cluster_stop() {
	[ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR/data" ] || return 0
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	if [ -z "${KEEP_CLUSTER:-}" ]; then rm -rf "$CLUSTER_DIR"; fi
}
