# bench/: benchmarks (not tests): bounded, on loopback, each reporting a
# ratio against a baseline measured in the same run. `make bench` runs them.
# The C ones share the clock and the median (bench/bench_util.c).
bench_util = bench/bench_util.c bench/bench_util.h
noinst_PROGRAMS += bench/outbox_fill bench/smtp_blast bench/tx_baseline \
	bench/reply_bench
bench_smtp_blast_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_smtp_blast_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
bench_tx_baseline_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_tx_baseline_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
# the CPU cost of reading one reply (SMS and e-mail), against one plain
# PCRE2 match of the same inputs
bench_reply_bench_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
bench_reply_bench_SOURCES = bench/reply_bench.c $(bench_util)
bench_reply_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
bench_outbox_fill_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_outbox_fill_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
# reception and the visits report against plain SQLite (bench/README.md)
noinst_PROGRAMS += bench/report_bench
bench_report_bench_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_report_bench_SOURCES = bench/report_bench.c $(bench_util)
bench_report_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
EXTRA_DIST += bench/bench_sms_kannel.py bench/bench_mail.py bench/README.md \
	bench/sse_bench.py
bench_scripts = bench/bench_sms_kannel.py bench/web_bench.py bench/bench_mail.py \
	bench/sse_bench.py

# every script runs; the target fails when any figure missed its target
bench: all
	@status=0; ./bench/report_bench$(EXEEXT) || status=1; \
	top_srcdir='$(abs_top_srcdir)' ./bench/reply_bench$(EXEEXT) || status=1; \
	for b in $(bench_scripts); do \
		top_builddir='$(abs_top_builddir)' /usr/bin/python3 $(top_srcdir)/$$b || status=1; \
	done; exit $$status
.PHONY: bench
# call-next through the domain vs a bare SQLite transaction of its shape
noinst_PROGRAMS += bench/call_next_bench
bench_call_next_bench_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_call_next_bench_SOURCES = bench/call_next_bench.c $(bench_util)
bench_call_next_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
bench-call-next: bench/call_next_bench
	./bench/call_next_bench
	./bench/call_next_bench -d /dev/shm -n 3000 -t 0.12
bench: bench-call-next
.PHONY: bench-call-next
# the register's search at 100k bookings vs the plain indexed SQLite query
noinst_PROGRAMS += bench/register_bench
bench_register_bench_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_register_bench_SOURCES = bench/register_bench.c $(bench_util)
bench_register_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
bench-register: bench/register_bench
	./bench/register_bench
bench: bench-register
.PHONY: bench-register
# PostgreSQL: bookings/s and slots/s through wizyta-web against plain libpq
# transactions of the same shape, with one and two web processes
noinst_PROGRAMS += bench/pg_baseline
bench_pg_baseline_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS)
bench_pg_baseline_LDADD = $(PQ_LIBS)
EXTRA_DIST += bench/pg_bench.py
bench-pg: bench/pg_baseline all
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	    /usr/bin/python3 $(top_srcdir)/bench/pg_bench.py
bench: bench-pg
.PHONY: bench-pg
