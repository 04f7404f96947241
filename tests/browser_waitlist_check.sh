#!/bin/sh
# browser_waitlist_check.sh: the waitlist in the browser (tests/browser/
# waitlist.js: headless Debian Chromium, axe-core on every new page) as one
# TAP test of `make check`.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node waitlist.js
