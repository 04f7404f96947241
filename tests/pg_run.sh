#!/bin/sh
# tests/pg_run.sh: run one test of the suite against PostgreSQL (the log
# compiler of the .pg tests, tests/local.mk). tests/pg/unit/test_booking.pg
# runs tests/unit/test_booking, tests/pg/integration/test_api.pg runs
# tests/integration/test_api.py, with WIZYTA_TEST_BACKEND=postgresql and
# WIZYTA_TEST_PG the server's conninfo (tests/pg_server.sh, started once for
# the run): tests/unit/testdb.c and tests/integration/wizyta_harness.py
# read them to make each database on that server instead of an SQLite file.
set -eu
test=$1
name=${test##*tests/pg/}
name=${name%.pg}
builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
info=$builddir/tests/pg-server/conninfo
if [ -z "${WIZYTA_TEST_PG:-}" ]; then
	[ -f "$info" ] || {
		echo "Bail out! no PostgreSQL server for the run ($info)"
		exit 1
	}
	WIZYTA_TEST_PG=$(cat "$info")
fi
WIZYTA_TEST_BACKEND=postgresql
export WIZYTA_TEST_PG WIZYTA_TEST_BACKEND
# libpq's defaults: a locator may then be as short as
# "postgresql:options=-csearch_path=SCHEMA" (tests/unit/testdb.c)
for kv in $WIZYTA_TEST_PG; do
	case $kv in
	host=*) PGHOST=${kv#host=}; export PGHOST ;;
	port=*) PGPORT=${kv#port=}; export PGPORT ;;
	user=*) PGUSER=${kv#user=}; export PGUSER ;;
	dbname=*) PGDATABASE=${kv#dbname=}; export PGDATABASE ;;
	esac
done
if [ -x "$builddir/tests/$name" ]; then
	exec "$builddir/tests/$name"
elif [ -f "$srcdir/tests/$name.py" ]; then
	exec /usr/bin/python3 "$srcdir/tests/$name.py"
fi
echo "Bail out! pg_run.sh: no test tests/$name"
exit 1
