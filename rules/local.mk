# rules/: reading citizens' replies (MIME, quotes, charsets) and the PCRE2
# rule table that reads them. Only rules/ includes libetpan's MIME API.
# The table (rules/reply_rules.table) is data: it is compiled into the
# library as bytes (rules/reply_rules_table.c, generated in the build tree).
noinst_LIBRARIES += libwizyta_rules.a
libwizyta_rules_a_CFLAGS = $(AM_CFLAGS) $(ETPAN_CFLAGS) $(PCRE2_CFLAGS)
libwizyta_rules_a_SOURCES = rules/reply.h rules/reply_internal.h \
	rules/reply_mail.c rules/reply_header.c rules/reply_text.c \
	rules/reply_html.c rules/reply_quote.c rules/reply_rules.c \
	rules/reply_intent.c rules/reply_reference.c rules/reply_phrases.c
nodist_libwizyta_rules_a_SOURCES = rules/reply_rules_table.c \
	rules/reply_corpus.c
BUILT_SOURCES += rules/reply_rules_table.c rules/reply_corpus.c
CLEANFILES += rules/reply_rules_table.c rules/reply_corpus.c
EXTRA_DIST += rules/reply_rules.table

rules/reply_rules_table.c: $(top_srcdir)/rules/reply_rules.table
	$(AM_V_GEN)$(MKDIR_P) rules && { \
	  echo '/* generated from rules/reply_rules.table: do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'extern const unsigned char reply_rules_builtin[];'; \
	  echo 'extern const size_t reply_rules_builtin_len;'; \
	  echo 'const unsigned char reply_rules_builtin[] = {'; \
	  od -An -v -tx1 $(top_srcdir)/rules/reply_rules.table | \
	    sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/	/'; \
	  echo '	0x00 };'; \
	  echo "const size_t reply_rules_builtin_len = $$(wc -c < $(top_srcdir)/rules/reply_rules.table);"; \
	} > $@.tmp && mv $@.tmp $@

# The labelled corpus guards an admin's reply phrases at run time
# (rules/reply_phrases.c): compiled in as bytes too, one array per file.
reply_corpus = $(sort $(wildcard $(top_srcdir)/tests/fixtures/reply-corpus/*.*))
rules/reply_corpus.c: $(reply_corpus)
	$(AM_V_GEN)$(MKDIR_P) rules && { \
	  echo '/* generated from tests/fixtures/reply-corpus: do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'struct reply_corpus_file { const char *name;'; \
	  echo '	const unsigned char *data; size_t len; };'; \
	  i=0; for f in $(reply_corpus); do \
	    echo "static const unsigned char corpus_$$i[] = {"; \
	    od -An -v -tx1 $$f | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/	/'; \
	    echo '	0x00 };'; i=$$((i + 1)); \
	  done; \
	  echo 'extern const struct reply_corpus_file reply_corpus_files[];'; \
	  echo 'const struct reply_corpus_file reply_corpus_files[] = {'; \
	  i=0; for f in $(reply_corpus); do \
	    echo "	{ \"$$(basename $$f)\", corpus_$$i, $$(wc -c < $$f) },"; \
	    i=$$((i + 1)); \
	  done; \
	  echo '	{ NULL, NULL, 0 } };'; \
	} > $@.tmp && mv $@.tmp $@

# tests of rules/: the data-driven fixture harness (one .eml per case), the
# rule table on its own, the fuzz corpus replayed as a regression test, and
# the labelled reply corpus read over both channels (precision and recall)
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_reply tests/unit/test_reply_classify \
	tests/unit/test_reply_corpus
TESTS += tests/unit/test_reply tests/unit/test_reply_classify \
	tests/unit/test_reply_corpus
tests_unit_test_reply_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_reply_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_reply_classify_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_reply_classify_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_reply_corpus_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_reply_corpus_LDADD = $(WIZYTA_TEST_LIBS)
# a TAP program of its own (figures as comments), linked like the unit
# tests for tests/unit/testdb.c
check_PROGRAMS += tests/unit/test_reply_eval
TESTS += tests/unit/test_reply_eval
tests_unit_test_reply_eval_SOURCES = tests/unit/test_reply_eval.c \
	tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_reply_eval_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_reply_eval_LDADD = $(WIZYTA_TEST_LIBS)
endif
EXTRA_DIST += tests/fixtures/reply-corpus

# `make reply-eval`: the evaluation with every case shown
reply-eval: tests/unit/test_reply_eval$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' ./tests/unit/test_reply_eval$(EXEEXT) -v
.PHONY: reply-eval
EXTRA_DIST += tests/fixtures/replies
