#!/bin/sh
# browser_narrow_check.sh: every public page at 320 CSS px without
# JavaScript, in Polish and English (tests/browser/narrow.js: headless
# Debian Chromium, axe-core on every page) as one TAP test of `make check`.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node narrow.js
