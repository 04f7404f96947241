# fuzz/: libFuzzer harnesses (tmux keeps its own in fuzz/ too).
#
# `make fuzz` builds fuzz/fuzz_reply with clang directly (libFuzzer needs
# clang's -fsanitize=fuzzer, whatever CC configure chose), seeds a scratch
# corpus from tests/fixtures/replies and fuzz/corpus, and runs for
# FUZZ_SECONDS. New inputs land in the scratch corpus (fuzz-work/); copy the
# few worth keeping (a crash once fixed, a new shape) into fuzz/corpus/,
# which tests/unit/test_reply_corpus replays under make check. Inputs are
# at most FUZZ_MAX_LEN bytes: larger ones only repeat what the limits in
# rules/ cut, at a high price per execution (README: "Fuzzed").
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_MAX_LEN = 16384
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-fsanitize-coverage-ignorelist=$(top_srcdir)/fuzz/coverage-ignore.txt
FUZZ_REPLY_FILES = $(top_srcdir)/fuzz/fuzz_reply.c \
	$(top_srcdir)/rules/reply_mail.c $(top_srcdir)/rules/reply_header.c \
	$(top_srcdir)/rules/reply_text.c $(top_srcdir)/rules/reply_html.c \
	$(top_srcdir)/rules/reply_quote.c $(top_srcdir)/rules/reply_rules.c \
	$(top_srcdir)/rules/reply_intent.c $(top_srcdir)/rules/reply_reference.c \
	rules/reply_rules_table.c \
	$(top_srcdir)/lib/buf.c $(top_srcdir)/lib/error.c \
	$(top_srcdir)/lib/utf8.c

fuzz/fuzz_reply$(EXEEXT): $(FUZZ_REPLY_FILES) $(top_srcdir)/rules/reply.h \
		$(top_srcdir)/rules/reply_internal.h \
		$(top_srcdir)/fuzz/coverage-ignore.txt
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_FLAGS) -std=gnu11 \
	    -include $(top_builddir)/autoconf.h -I$(top_srcdir)/lib \
	    -I$(top_srcdir)/rules $(ETPAN_CFLAGS) $(PCRE2_CFLAGS) \
	    -o $@ $(FUZZ_REPLY_FILES) $(ETPAN_LIBS) $(PCRE2_LIBS) -lpthread

fuzz: fuzz/fuzz_reply$(EXEEXT)
	@$(MKDIR_P) fuzz-work/corpus fuzz-work/artifacts
	cp $(top_srcdir)/tests/fixtures/replies/*.eml fuzz-work/corpus/
	cp $(top_srcdir)/fuzz/corpus/* fuzz-work/corpus/
	ASAN_OPTIONS=detect_leaks=1 ./fuzz/fuzz_reply$(EXEEXT) \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=fuzz-work/artifacts/ \
	    -dict=$(top_srcdir)/fuzz/reply.dict fuzz-work/corpus

.PHONY: fuzz
CLEANFILES += fuzz/fuzz_reply$(EXEEXT)
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz-work
.PHONY: clean-fuzz
EXTRA_DIST += fuzz/fuzz_reply.c fuzz/reply.dict fuzz/corpus \
	fuzz/coverage-ignore.txt
