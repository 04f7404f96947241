# channels/sms.mk: the SMS side: phone numbers, SMS text costs, the
# Kannel / generic HTTP / spool channels, and their tests.
libwizyta_a_SOURCES += \
	lib/phone.c lib/phone.h \
	lib/sms_text.c lib/sms_text.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_phone tests/unit/test_sms_text
TESTS += tests/unit/test_phone tests/unit/test_sms_text
tests_unit_test_phone_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_phone_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_sms_text_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_sms_text_LDADD = $(WIZYTA_TEST_LIBS)
endif

libwizyta_channels_a_SOURCES += \
	channels/sms_curl.c channels/sms_curl.h \
	channels/channel_kannel.c \
	channels/channel_http_sms.c \
	channels/channel_spool.c

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_sms_http
TESTS += tests/unit/test_sms_http
tests_unit_test_sms_http_SOURCES = tests/unit/test_sms_http.c \
	gateway/sms_callbacks.c gateway/sms_callbacks.h
tests_unit_test_sms_http_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
tests_unit_test_sms_http_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_sms_http_LDADD = $(WIZYTA_TEST_LIBS)
endif

# Against a real Kannel (tests/peers/kannel_peers.py); skips without it.
if HAVE_CMOCKA
check_PROGRAMS += tests/integration/test_channel_sms_kannel
TESTS += tests/integration/test_channel_sms_kannel
tests_integration_test_channel_sms_kannel_SOURCES = \
	tests/integration/test_channel_sms_kannel.c \
	gateway/sms_callbacks.c gateway/sms_callbacks.h
tests_integration_test_channel_sms_kannel_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/gateway
tests_integration_test_channel_sms_kannel_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_integration_test_channel_sms_kannel_LDADD = $(WIZYTA_TEST_LIBS)
endif
EXTRA_DIST += tests/peers/kannel_peers.py
