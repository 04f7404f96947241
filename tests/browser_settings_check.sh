#!/bin/sh
# browser_settings_check.sh: the settings pages in the browser (tests/browser/
# settings.js: headless Debian Chromium, axe-core on every page) as one TAP
# test of `make check`, beside browser_check.sh's citizen run.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node settings.js
