# bench/: benchmarks (not tests): bounded, on loopback, each reporting a
# ratio against a baseline measured in the same run. `make bench` runs them.
noinst_PROGRAMS += bench/outbox_fill
bench_outbox_fill_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_outbox_fill_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
# reception and the visits report against plain SQLite (bench/README.md)
noinst_PROGRAMS += bench/report_bench
bench_report_bench_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_report_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
EXTRA_DIST += bench/bench_sms_kannel.py bench/bench_mail.py bench/README.md
bench_scripts = bench/bench_sms_kannel.py bench/web_bench.py bench/bench_mail.py

bench: all
	./bench/report_bench
	@for b in $(bench_scripts); do \
		top_builddir='$(abs_top_builddir)' /usr/bin/python3 $(top_srcdir)/$$b || exit 1; \
	done
.PHONY: bench
