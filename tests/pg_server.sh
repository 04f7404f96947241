#!/bin/sh
# tests/pg_server.sh: a throw-away PostgreSQL server for the test suite's
# PostgreSQL run (Debian's postgresql package), on a free loopback port
# with its socket in its own directory.
#
#   pg_server.sh start DIR [WATCH_PID]  start it (once: a second start finds
#                                        it running) and print its conninfo;
#                                        with WATCH_PID it stops by itself
#                                        when that process ends
#   pg_server.sh stop DIR               stop it and remove DIR
#
# The conninfo names the database "wizyta_tests" (the unit tests make a
# schema each in it; the integration tests a database each). Durability is
# off (fsync, synchronous_commit): the data lives as long as the run. As
# root, initdb and the server run as the postgres user, which owns DIR.
set -eu

bindir=${WIZYTA_PG_BINDIR:-}
if [ -z "$bindir" ]; then
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && bindir=$d
	done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "pg_server.sh: PostgreSQL's initdb not found (apt-get install postgresql)" >&2
	exit 1
fi

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
	echo "usage: pg_server.sh start|stop DIR [WATCH_PID]" >&2
	exit 2
}

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# the suite's free_port (tests/peers/ports.py: below the ephemeral range,
# reserved against the other tests' picks)
free_port() {
	/usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from ports import free_port; print(free_port())' \
		"$(cd "$(dirname "$0")" && pwd)/peers"
}

running() {
	[ -f "$dir/conninfo" ] && [ -f "$dir/data/postmaster.pid" ] &&
		as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

stop() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case $cmd in
start)
	mkdir -p "$(dirname "$dir")"
	# two callers at once: the second waits and finds the server up
	exec 9>"$dir.lock"
	flock 9
	if running; then
		cat "$dir/conninfo"
		exit 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_owner "$bindir/initdb" -N -D "$dir/data" -A trust -U wizyta -E UTF8 \
		--locale=C >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	port=$(free_port)
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c max_connections=400 \
-c shared_buffers=64MB" start >/dev/null || {
		cat "$dir/log" >&2
		exit 1
	}
	"$bindir/createdb" -h 127.0.0.1 -p "$port" -U wizyta wizyta_tests
	conninfo="host=127.0.0.1 port=$port user=wizyta dbname=wizyta_tests"
	echo "$conninfo" >"$dir/conninfo"
	watch=${3:-}
	if [ -n "$watch" ]; then
		# the run is over when the process that started us ends
		self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
		(
			exec 9>&-
			trap '' HUP INT
			while kill -0 "$watch" 2>/dev/null; do sleep 1; done
			"$self" stop "$dir"
		) </dev/null >/dev/null 2>&1 &
	fi
	echo "$conninfo"
	;;
stop)
	stop
	;;
*)
	echo "usage: pg_server.sh start|stop DIR [WATCH_PID]" >&2
	exit 2
	;;
esac
