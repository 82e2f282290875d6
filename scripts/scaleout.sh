#!/usr/bin/env bash
# A scaled-out booking on this machine, as root on Debian 12: a router
# database (booking_router over PL/Proxy) and SHARDS shard databases (booking
# + booking_shard), each on its own throwaway server listening on a unix
# socket only, so that one shard's server can be stopped on its own.
#
#   scripts/scaleout.sh start          install, start, print export lines
#   scripts/scaleout.sh stop           stop every server, remove the files
#   scripts/scaleout.sh env            print the export lines again
#   scripts/scaleout.sh stop-shard K   stop shard K's server (connections refused)
#   scripts/scaleout.sh start-shard K  start it again
#   scripts/scaleout.sh pause-shard K  SIGSTOP its processes: a shard that never answers
#   scripts/scaleout.sh resume-shard K SIGCONT them
#
# Environment: PG_BIN (a relocated copy of the server, as for the other
# scripts), SCALEOUT_DIR (default /tmp/booking-scaleout), SHARDS (1, 2, 4, 8;
# default 4), ROUTER_STATEMENT_TIMEOUT (default 5s: PL/Proxy has no timeout
# of its own against a shard that never answers), SCALEOUT_BUILD=0 to skip
# building booking when the caller just installed it.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

SCALEOUT_DIR=${SCALEOUT_DIR:-/tmp/booking-scaleout}
SHARDS=${SHARDS:-4}
ROUTER_STATEMENT_TIMEOUT=${ROUTER_STATEMENT_TIMEOUT:-5s}
ROUTER_DB=booking_router

psql_in() { # DIR DB psql-args...
	local dir=$1 db=$2; shift 2
	psql -X -q -v ON_ERROR_STOP=1 -h "$dir" -p 5432 -U postgres -d "$db" "$@" >/dev/null
}

# A libpq URI: no spaces, so that BOOKING_SHARDS can list them space-separated.
conninfo() { # DIR DB
	echo "postgresql:///$2?host=$1&port=5432&user=postgres"
}

shard_dir() { echo "$SCALEOUT_DIR/shard$1"; }
shard_db() { echo "booking_shard_$1"; }

# server_init DIR DB: initdb, configure and start a server whose socket is
# in DIR, with pg_cron serving DB, and create DB.
server_init() {
	local dir=$1 db=$2
	mkdir -p "$dir"
	chown postgres: "$dir"
	chmod 755 "$dir"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres \
		--auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log"; return 1; }
	{
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$dir'"
		echo "port = 5432"
		echo "shared_buffers = 32MB"
		echo "max_connections = 80"
		echo "max_locks_per_transaction = 128"
		echo "shared_preload_libraries = 'pg_cron'"
		echo "cron.database_name = '$db'"
		echo "cron.host = '$dir'"
		echo "log_min_messages = warning"
		echo "timezone = 'UTC'"
		# settings under booking. are checked from a session's first statement
		[ "$db" = "$ROUTER_DB" ] || echo "session_preload_libraries = 'booking'"
	} >>"$dir/data/postgresql.conf"
	server_up "$dir"
	runuser -u postgres -- "$PG_BIN/createdb" -h "$dir" -p 5432 -U postgres "$db"
}

server_up() {
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start >/dev/null ||
		{ tail -n 30 "$1/server.log"; return 1; }
}

server_down() {
	[ -f "$1/data/postmaster.pid" ] || return 0
	signal_server "$1" CONT
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
		runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# signal_server DIR SIG: the postmaster and its children, by process id.
signal_server() {
	local pm
	pm=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null) || return 0
	[ -n "$pm" ] || return 0
	kill -s "$2" "$pm" $(pgrep -P "$pm" || true) 2>/dev/null || true
}

print_env() {
	local shards="" k
	for k in $(seq 0 $((SHARDS - 1))); do
		shards="$shards${shards:+ }$(conninfo "$(shard_dir "$k")" "$(shard_db "$k")")"
	done
	echo "export BOOKING_ROUTER='$(conninfo "$SCALEOUT_DIR/router" "$ROUTER_DB")'"
	echo "export BOOKING_SHARDS='$shards'"
	echo "export BOOKING_SCALEOUT_DIR='$SCALEOUT_DIR'"
}

start() {
	need_root
	case $SHARDS in 1 | 2 | 4 | 8) ;; *) echo "SHARDS must be 1, 2, 4 or 8" >&2; exit 1 ;; esac
	install_deps postgresql-$PG_MAJOR-plproxy procps
	if [ -e "$SCALEOUT_DIR" ]; then
		echo "$SCALEOUT_DIR exists: run '$0 stop' first" >&2
		exit 1
	fi
	if [ "${SCALEOUT_BUILD:-1}" != 0 ]; then
		build_and_install >&2
	fi
	make -s -C router PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
	mkdir -p "$SCALEOUT_DIR"
	chmod 755 "$SCALEOUT_DIR"
	# a step that fails leaves no server running
	trap 'echo "scaleout start failed: stopping what started" >&2; stop' ERR
	echo "$SHARDS" >"$SCALEOUT_DIR/shards"

	log "starting $SHARDS shard servers and the router's in $SCALEOUT_DIR" >&2
	local k pids=""
	for k in $(seq 0 $((SHARDS - 1))); do
		server_init "$(shard_dir "$k")" "$(shard_db "$k")" &
		pids="$pids $!"
	done
	server_init "$SCALEOUT_DIR/router" "$ROUTER_DB" &
	pids="$pids $!"
	local failed=0 p
	for p in $pids; do wait "$p" || failed=1; done
	[ "$failed" = 0 ] || { stop; exit 1; }

	for k in $(seq 0 $((SHARDS - 1))); do
		psql_in "$(shard_dir "$k")" "$(shard_db "$k")" <<-SQL
			SET client_min_messages = warning;
			CREATE EXTENSION booking CASCADE;
			CREATE EXTENSION pg_cron;
			CREATE EXTENSION booking_shard;
			SELECT booking_shard.configure($k, $SHARDS);
			SELECT cron.schedule('booking-shard-prune', '17 * * * *', 'SELECT booking_shard.prune_directory()');
		SQL
	done

	local options="" sep=""
	for k in $(seq 0 $((SHARDS - 1))); do
		options="$options$sep partition_$k '$(conninfo "$(shard_dir "$k")" "$(shard_db "$k")")'"
		sep=","
	done
	psql_in "$SCALEOUT_DIR/router" "$ROUTER_DB" <<-SQL
		SET client_min_messages = warning;
		CREATE EXTENSION plproxy;
		CREATE EXTENSION booking_router;
		CREATE EXTENSION pg_cron;
		CREATE SERVER booking_shards FOREIGN DATA WRAPPER plproxy OPTIONS ($options);
		CREATE USER MAPPING FOR PUBLIC SERVER booking_shards OPTIONS (user 'postgres');
		-- PL/Proxy waits for a shard that never answers: the statement
		-- timeout of the roles that call the router bounds every call.
		ALTER ROLE postgres IN DATABASE $ROUTER_DB SET statement_timeout = '$ROUTER_STATEMENT_TIMEOUT';
		CREATE ROLE booking_app LOGIN;
		ALTER ROLE booking_app IN DATABASE $ROUTER_DB SET statement_timeout = '$ROUTER_STATEMENT_TIMEOUT';
		GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO booking_app;
		GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA public TO booking_app;
		SELECT cron.schedule('booking-router-retry-supersedes', '* * * * *',
		                     'SELECT booking_router.retry_supersedes()');
		-- every shard sweeps its own stale holds
		SELECT booking_schedule_expiry();
	SQL
	print_env >"$SCALEOUT_DIR/env"
	cat "$SCALEOUT_DIR/env"
}

stop() {
	[ -d "$SCALEOUT_DIR" ] || return 0
	local d
	for d in "$SCALEOUT_DIR"/router "$SCALEOUT_DIR"/shard*; do
		[ -d "$d" ] && server_down "$d"
	done
	rm -rf "$SCALEOUT_DIR"
}

[ -f "$SCALEOUT_DIR/shards" ] && [ "${1:-}" != start ] && SHARDS=$(cat "$SCALEOUT_DIR/shards")
export PATH="$PG_BIN:$PATH"
case ${1:-} in
	start) start ;;
	stop) stop ;;
	env) print_env ;;
	stop-shard) server_down "$(shard_dir "$2")" ;;
	start-shard) server_up "$(shard_dir "$2")" ;;
	pause-shard) signal_server "$(shard_dir "$2")" STOP ;;
	resume-shard) signal_server "$(shard_dir "$2")" CONT ;;
	*) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
