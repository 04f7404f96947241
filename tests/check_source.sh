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
