#!/bin/sh
# check_source.sh: let the build say no (like curl's checksrc). Fails when
# a C file calls something banned — unbounded string copies and
# formatting, gets, strtok — or when SQL appears outside lib/store_*.
# Output is TAP.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1
n=0
fail=0
check() {
	n=$((n + 1))
	if [ -z "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "$2" | sed 's/^/# /'
		fail=1
	fi
}
files=$(find lib gateway web channels rules cli fuzz bench tests -name '*.c' 2>/dev/null)
for fn in strcpy strcat sprintf vsprintf gets strtok; do
	hits=$(grep -nE "(^|[^_a-z0-9])$fn[[:space:]]*\(" $files 2>/dev/null | grep -v '^\s*\*')
	check "no $fn()" "$hits"
done
sql=$(grep -lE '"(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE)[[:space:]]' $files 2>/dev/null |
	grep -v '^lib/store_' | grep -v '^tests/' | grep -v '^bench/')
check "SQL only behind lib/store.h" "$sql"
sqlite=$(grep -l 'include <sqlite3.h>' $files 2>/dev/null | grep -v '^lib/store_' | grep -v '^tests/' | grep -v '^bench/')
check "only the store includes sqlite3.h" "$sqlite"
libpq=$(grep -l 'include <libpq-fe.h>' $files 2>/dev/null | grep -v '^lib/store_' | grep -v '^tests/' | grep -v '^bench/')
check "only the store includes libpq-fe.h" "$libpq"
# every function of store.h reaches both backends through the ops table
# (lib/store_ops_list.h): one declared but missing from the list would be
# SQLite's alone, and crash on a PostgreSQL store
declared=$(grep -oE '^[a-z][a-z0-9_ *]*[ *](store_[a-z0-9_]+)\(' lib/store.h |
	grep -oE 'store_[a-z0-9_]+' | sort -u)
listed=$(grep -oE '^STORE_(OP\([a-z0-9_ *]+, |VOID\()[a-z0-9_]+,' lib/store_ops_list.h |
	sed -E 's/.*[(, ]([a-z0-9_]+),$/store_\1/' | sort -u)
# what store.c keeps for itself: no backend needed
own="store_open store_locator_is_postgresql store_locator_display store_backend
store_take_storage_failure store_retry_wanted store_schema_latest store_copy"
unlisted=""
for f in $declared; do
	echo " $own " | tr '\n' ' ' | grep -q " $f " && continue
	echo "$listed" | grep -qx "$f" || unlisted="$unlisted $f"
done
check "every store.h function is in lib/store_ops_list.h (both backends)" "$unlisted"
# and each backend defines its functions under its own name: a store_NAME
# in a backend's file would bypass the table
direct=$(grep -nE '^store_[a-z0-9_]+\(' lib/store_sqlite*.c lib/store_pg*.c 2>/dev/null |
	grep -vE ':store_(fail|schema_latest)\(')
check "backends define sqlite_NAME / pgsql_NAME, never store_NAME" "$direct"
esmtp=$(grep -l 'include <libesmtp.h>' $files 2>/dev/null | grep -v '^channels/channel_smtp' | grep -v '^tests/')
check "only the SMTP channel includes libesmtp" "$esmtp"
# every stable error code a user may see has its text in both catalogs
codes=$(cat lib/*.c gateway/*.c web/*.c | tr '\n' ' ' |
	grep -oE 'error_set_code\([^;"]*"[a-z_]+"' | grep -oE '"[a-z_]+"$' | tr -d '"' | sort -u)
missing=""
for code in $codes; do
	for lang in pl en; do
		# a language's catalog is LANG.json and every AREA.LANG.json
		cat "web/i18n/$lang.json" web/i18n/*."$lang".json |
			grep -q "\"err_$code\"" || missing="$missing err_$code($lang)"
	done
done
check "every error code has its text in the catalogs (web/i18n/[AREA.]pl|en.json)" "$missing"
echo "1..$n"
exit $fail
