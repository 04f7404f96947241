# bench/: benchmarks (not tests): bounded, on loopback, each reporting a
# ratio against a baseline measured in the same run. `make bench` runs them.
noinst_PROGRAMS += bench/outbox_fill bench/reply_bench
# the CPU cost of reading one reply (SMS and e-mail), against one plain
# PCRE2 match of the same inputs
bench_reply_bench_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
bench_reply_bench_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
bench_outbox_fill_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
bench_outbox_fill_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
EXTRA_DIST += bench/bench_sms_kannel.py bench/bench_mail.py
bench_scripts = bench/bench_sms_kannel.py bench/web_bench.py bench/bench_mail.py

bench: all
	top_srcdir='$(abs_top_srcdir)' ./bench/reply_bench$(EXEEXT)
	@for b in $(bench_scripts); do \
		top_builddir='$(abs_top_builddir)' /usr/bin/python3 $(top_srcdir)/$$b || exit 1; \
	done
.PHONY: bench
