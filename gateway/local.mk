# gateway/: wizytad, the daemon that delivers the outbox and reads replies.
bin_PROGRAMS += wizytad
wizytad_SOURCES = gateway/wizytad.c \
	gateway/outbox_worker.c gateway/outbox_worker.h \
	gateway/inbound_worker.c gateway/inbound_worker.h \
	gateway/intake.c gateway/intake.h \
	gateway/replies.c gateway/replies.h \
	gateway/replies_waitlist.c gateway/replies_waitlist.h \
	gateway/fallback.c gateway/fallback.h \
	gateway/sms_callbacks.c gateway/sms_callbacks.h \
	gateway/gateway_status.c gateway/gateway_status.h
wizytad_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
wizytad_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS) $(MHD_CFLAGS)
wizytad_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_gateway
TESTS += tests/unit/test_gateway
tests_unit_test_gateway_SOURCES = tests/unit/test_gateway.c \
	gateway/outbox_worker.c gateway/intake.c gateway/fallback.c
tests_unit_test_gateway_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
tests_unit_test_gateway_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_gateway_LDADD = $(WIZYTA_TEST_LIBS)
check_PROGRAMS += tests/unit/test_replies
TESTS += tests/unit/test_replies
tests_unit_test_replies_SOURCES = tests/unit/test_replies.c tests/unit/testdb.c \
	tests/unit/testdb.h gateway/replies.c gateway/replies_waitlist.c \
	gateway/fallback.c
tests_unit_test_replies_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
tests_unit_test_replies_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_replies_LDADD = $(WIZYTA_TEST_LIBS)
check_PROGRAMS += tests/unit/test_waitlist_replies
TESTS += tests/unit/test_waitlist_replies
tests_unit_test_waitlist_replies_SOURCES = tests/unit/test_waitlist_replies.c \
	tests/unit/testdb.c tests/unit/testdb.h gateway/replies.c \
	gateway/replies_waitlist.c gateway/fallback.c
tests_unit_test_waitlist_replies_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
tests_unit_test_waitlist_replies_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_waitlist_replies_LDADD = $(WIZYTA_TEST_LIBS)
endif
