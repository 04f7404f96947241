# tests/unit/lib.mk: unit tests of lib/ (config, time, slots, store, domain)
if HAVE_CMOCKA
LIB_UNIT_TESTS = \
	tests/unit/test_config \
	tests/unit/test_office_time \
	tests/unit/test_slot \
	tests/unit/test_booking_state \
	tests/unit/test_token \
	tests/unit/test_plural \
	tests/unit/test_store \
	tests/unit/test_booking \
	tests/unit/test_notify \
	tests/unit/test_auth \
	tests/unit/test_register \
	tests/unit/test_admin \
	tests/unit/test_reception tests/unit/test_report tests/unit/test_csv \
	tests/unit/test_board \
	tests/unit/test_settings \
	tests/unit/test_delay \
	tests/unit/test_concurrency \
	tests/unit/test_waitlist
check_PROGRAMS += $(LIB_UNIT_TESTS)
TESTS += $(LIB_UNIT_TESTS)
tests_unit_test_config_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_config_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_office_time_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_office_time_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_slot_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_slot_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_booking_state_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_booking_state_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_token_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_token_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_plural_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_plural_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_store_SOURCES = tests/unit/test_store.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_store_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_store_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_booking_SOURCES = tests/unit/test_booking.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_booking_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_booking_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_notify_SOURCES = tests/unit/test_notify.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_notify_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_notify_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_auth_SOURCES = tests/unit/test_auth.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_auth_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_auth_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_register_SOURCES = tests/unit/test_register.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_register_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_register_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_admin_SOURCES = tests/unit/test_admin.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_admin_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_admin_LDADD = $(WIZYTA_TEST_LIBS)
# reception and reports: an office's day driven through the domain
tests_unit_test_reception_SOURCES = tests/unit/test_reception.c tests/unit/testday.c \
	tests/unit/testday.h tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_reception_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_reception_LDADD = $(WIZYTA_TEST_LIBS) -lpthread
tests_unit_test_report_SOURCES = tests/unit/test_report.c tests/unit/testday.c \
	tests/unit/testday.h tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_report_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_report_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_csv_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_csv_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_board_SOURCES = tests/unit/test_board.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_board_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_board_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_settings_SOURCES = tests/unit/test_settings.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_settings_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_settings_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_delay_SOURCES = tests/unit/test_delay.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_delay_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_delay_LDADD = $(WIZYTA_TEST_LIBS)
tests_unit_test_waitlist_SOURCES = tests/unit/test_waitlist.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_waitlist_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_waitlist_LDADD = $(WIZYTA_TEST_LIBS) -lpthread
endif
# every fixture, including the refuse_*.conf cases test_config finds itself
EXTRA_DIST += tests/fixtures/config

# issue 9: UTF-8 checks, log cleaning and folding, connection limits
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_hardening
TESTS += tests/unit/test_hardening
tests_unit_test_hardening_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_hardening_LDADD = $(WIZYTA_TEST_LIBS)
# several connections writing at once, on either backend (issue 15)
tests_unit_test_concurrency_SOURCES = tests/unit/test_concurrency.c \
	tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_concurrency_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_concurrency_LDADD = $(WIZYTA_TEST_LIBS) -lpthread
endif

# issue 14: /metrics' database figures and /healthz, on either backend
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_metrics
TESTS += tests/unit/test_metrics
tests_unit_test_metrics_SOURCES = tests/unit/test_metrics.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_metrics_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_metrics_LDADD = $(WIZYTA_TEST_LIBS)
endif

# issue 14: personal data erased at an injected clock, exported, erased
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_retention
TESTS += tests/unit/test_retention
tests_unit_test_retention_SOURCES = tests/unit/test_retention.c tests/unit/testdb.c tests/unit/testdb.h
tests_unit_test_retention_CFLAGS = $(WIZYTA_TEST_CFLAGS)
tests_unit_test_retention_LDADD = $(WIZYTA_TEST_LIBS)
endif
