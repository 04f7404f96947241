#!/bin/sh
# fuzz/replay.sh (a TAP test of make check): every fuzz target replays its
# whole corpus, fuzz/corpus/TARGET/ — once through the plain replay driver
# (fuzz/replay_TARGET, the configured compiler, ASan + UBSan in
# build-check), and once as the libFuzzer binary itself (fuzz/fuzz_TARGET
# -runs=0) when configure found clang's libFuzzer. With
# WIZYTA_REQUIRE_LIBFUZZER=1 (dev/check sets it: dev/setup installs clang)
# a missing libFuzzer binary is a failure, not a quiet pass.
top_srcdir=${top_srcdir:-.}
n=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in reply http sms_callbacks; do
	corpus="$top_srcdir/fuzz/corpus/$t"
	count=$(ls "$corpus" | wc -l)
	n=$((n + 1))
	if [ "$count" -ge 5 ] && ./fuzz/replay_$t "$corpus" >"$log" 2>&1; then
		echo "ok $n - replay_$t: $(tail -n 1 "$log") from fuzz/corpus/$t"
	else
		echo "not ok $n - replay_$t: the corpus ($count inputs) does not replay cleanly"
		tail -n 40 "$log" | sed 's/^/# /'
		failed=1
	fi
	n=$((n + 1))
	if [ -x ./fuzz/fuzz_$t ]; then
		if ASAN_OPTIONS=detect_leaks=1 ./fuzz/fuzz_$t -runs=0 -max_len=65536 \
		    -dict="$top_srcdir/fuzz/$t.dict" "$corpus" >"$log" 2>&1; then
			echo "ok $n - fuzz_$t (libFuzzer): $count inputs replayed"
		else
			echo "not ok $n - fuzz_$t (libFuzzer) fails on its corpus"
			tail -n 40 "$log" | sed 's/^/# /'
			failed=1
		fi
	elif [ "${WIZYTA_REQUIRE_LIBFUZZER:-0}" = 1 ]; then
		echo "not ok $n - fuzz_$t: no libFuzzer build (configure did not find clang's libFuzzer)"
		failed=1
	else
		echo "ok $n - fuzz_$t: libFuzzer not available here, the replay driver stands in"
	fi
done
echo "1..$n"
exit $failed
