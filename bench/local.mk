# bench/: benchmarks (not tests): bounded, on loopback, each reporting a
# ratio against a baseline measured in the same run. `make bench` runs them.
noinst_PROGRAMS += bench/outbox_fill
bench_outbox_fill_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_outbox_fill_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
EXTRA_DIST += bench/bench_sms_kannel.py bench/bench_mail.py bench/sse_bench.py
bench_scripts = bench/bench_sms_kannel.py bench/web_bench.py bench/bench_mail.py \
	bench/sse_bench.py

bench: all
	@for b in $(bench_scripts); do \
		top_builddir='$(abs_top_builddir)' /usr/bin/python3 $(top_srcdir)/$$b || exit 1; \
	done
.PHONY: bench
# call-next through the domain vs a bare SQLite transaction of its shape
noinst_PROGRAMS += bench/call_next_bench
bench_call_next_bench_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_call_next_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
bench-call-next: bench/call_next_bench
	./bench/call_next_bench
	./bench/call_next_bench -d /dev/shm -n 3000 -t 0.12
bench: bench-call-next
.PHONY: bench-call-next
