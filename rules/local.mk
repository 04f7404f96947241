# rules/: reading citizens' replies (MIME, quotes, charsets) and the PCRE2
# rule table that classifies them. Only rules/ includes libetpan's MIME API.
noinst_LIBRARIES += libwizyta_rules.a
libwizyta_rules_a_CFLAGS = $(AM_CFLAGS) $(ETPAN_CFLAGS) $(PCRE2_CFLAGS)
libwizyta_rules_a_SOURCES = rules/reply.h
