# rules/: reading citizens' replies (MIME, quotes, charsets) and the PCRE2
# rule table that classifies them. Only rules/ includes libetpan's MIME API.
noinst_LIBRARIES += libwizyta_rules.a
libwizyta_rules_a_CFLAGS = $(AM_CFLAGS) $(ETPAN_CFLAGS) $(PCRE2_CFLAGS)
libwizyta_rules_a_SOURCES = rules/reply.h rules/reply_internal.h \
	rules/reply_mail.c rules/reply_header.c rules/reply_text.c \
	rules/reply_html.c rules/reply_quote.c rules/reply_rules.c \
	rules/reply_reference.c

# tests of rules/: the data-driven fixture harness (one .eml per case), the
# rule table on its own, and the fuzz corpus replayed as a regression test
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
endif
EXTRA_DIST += tests/fixtures/replies
