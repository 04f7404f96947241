#!/bin/sh
# browser_check.sh: the browser run (tests/browser/run.js: headless Debian
# Chromium driven by playwright-core, axe-core on every page) as one TAP
# test of `make check`. dev/setup check installs its node modules.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	# e.g. make distcheck's read-only copy; dev/check installs them and
	# counts any skip as a failure
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node run.js
