#!/bin/sh
# browser_register_check.sh: the booking register in the browser
# (tests/browser/register.js: search, pages, confirm, cancel with a reason,
# the booking's conversation, notes, moving a visit, Nowa rezerwacja; with
# and without JavaScript, at a desktop's and a phone's width; axe-core on
# every page) as one TAP test of `make check`.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node register.js
