#!/bin/sh
# browser_check.sh: the browser run (tests/browser/run.js: headless Debian
# Chromium driven by playwright-core, axe-core on every page) as one TAP
# test of `make check`. dev/setup check installs its node modules.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "not ok 1 - node modules missing: run dev/setup check (npm ci in tests/browser)"
	echo "1..1"
	exit 1
fi
exec node run.js
