#!/bin/sh
# browser_desk_check.sh: the live pages in the browser (tests/browser/
# desk.js: the desk panel with and without JavaScript, the boards seeing
# calls and reconnecting after a restart; axe-core on every page) as one
# TAP test of `make check`.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node desk.js
