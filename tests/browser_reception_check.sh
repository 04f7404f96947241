#!/bin/sh
# browser_reception_check.sh: reception, reports and the printed day list
# in the browser (tests/browser/reception.js: headless Debian Chromium at a
# chosen clock, axe-core on every page, zbarimg reading the ticket's QR
# code, pdftoppm/pdftotext looking at the printed day list) as one TAP test
# of `make check`.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top/tests/browser" || exit 1
if [ ! -d node_modules ]; then
	echo "1..0 # SKIP node modules not installed: run dev/setup check (npm ci in tests/browser)"
	exit 0
fi
exec node reception.js
