# channels/mail.mk: the e-mail channel. lib/mail_compose.c and lib/ics.c are
# listed in lib/local.mk; here: SMTP out (libesmtp), IMAP in (libetpan),
# certificate checks (GnuTLS), their unit and integration tests, and the
# Dovecot + SMTP test peers.
libwizyta_channels_a_SOURCES += \
	channels/channel_smtp.c \
	channels/inbound_imap.c \
	channels/tls_verify.c channels/tls_verify.h

if HAVE_CMOCKA
MAIL_UNIT_TESTS = tests/unit/test_mail_compose tests/unit/test_ics
check_PROGRAMS += $(MAIL_UNIT_TESTS)
TESTS += $(MAIL_UNIT_TESTS)
tests_unit_test_mail_compose_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_mail_compose_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_ics_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_ics_LDADD = $(WIZYTA_TEST_LIBS)
endif

# Integration: real Dovecot + an aiosmtpd SMTP front, started once.
check_PROGRAMS += tests/integration/test_channel_mail
TESTS += tests/integration/test_channel_mail
tests_integration_test_channel_mail_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_integration_test_channel_mail_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
EXTRA_DIST += tests/peers/mail_peers.py tests/peers/ports.py
