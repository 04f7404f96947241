# tests/: unit tests (cmocka, TAP) and integration tests against real
# servers (tests/integration, peers started once per suite by tests/peers).
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_TESTS_ENVIRONMENT = \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1; export ASAN_OPTIONS; \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; export UBSAN_OPTIONS;
WIZYTA_TEST_LIBS = $(WIZYTA_LIBS) $(CMOCKA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
WIZYTA_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)

# Integration tests are TAP programs; Python ones run on Debian's python3.
TEST_EXTENSIONS = .py
PY_LOG_DRIVER = $(LOG_DRIVER)
PY_LOG_COMPILER = /usr/bin/python3
TESTS += tests/integration/test_walking_skeleton.py
EXTRA_DIST += tests/integration/wizyta_harness.py tests/integration/test_walking_skeleton.py
TESTS += tests/check_source.sh
EXTRA_DIST += tests/check_source.sh
TESTS += tests/integration/test_sms_flow.py
EXTRA_DIST += tests/integration/test_sms_flow.py
TESTS += tests/integration/test_mail_flow.py
EXTRA_DIST += tests/integration/test_mail_flow.py
TESTS += tests/browser_check.sh
EXTRA_DIST += tests/browser_check.sh
TESTS += tests/integration/test_config_errors.py
EXTRA_DIST += tests/integration/test_config_errors.py
# the operator's side: usage and help of every program and command (against
# the manual pages), person export/erase of an operator, wizyta status
TESTS += tests/integration/test_cli.py
EXTRA_DIST += tests/integration/test_cli.py
TESTS += tests/integration/test_kill_burst.py
EXTRA_DIST += tests/integration/test_kill_burst.py
TESTS += tests/integration/test_abuse.py
EXTRA_DIST += tests/integration/test_abuse.py
# the staff side: sign-in, roles, CSRF, tokens, timeouts (libfaketime), the
# staff API and call-next at a chosen clock
TESTS += tests/integration/test_staff_auth.py tests/integration/test_staff_api.py
EXTRA_DIST += tests/integration/test_staff_auth.py tests/integration/test_staff_api.py
TESTS += tests/browser_staff_check.sh
EXTRA_DIST += tests/browser_staff_check.sh tests/browser/staff.js tests/browser/lib.js
# the live pages: the desk panel and call-next raced (test_desk), Server-Sent
# Events of the boards and the desk (test_board_events)
TESTS += tests/integration/test_desk.py tests/integration/test_board_events.py
EXTRA_DIST += tests/integration/test_desk.py tests/integration/test_board_events.py \
	tests/integration/sse_client.py
TESTS += tests/browser_desk_check.sh
EXTRA_DIST += tests/browser_desk_check.sh tests/browser/desk.js
# issue 9: slow clients on both listeners; a database that cannot be written
TESTS += tests/integration/test_slowloris.py tests/integration/test_storage.py
EXTRA_DIST += tests/integration/test_slowloris.py tests/integration/test_storage.py
# issue 11: the booking register, booking on behalf, moves and the
# conversation (API and pages at a chosen clock); a move reaching the
# citizen over real Dovecot and Kannel, answered NIE by e-mail and TAK by
# SMS, the old time's reminders withdrawn
TESTS += tests/integration/test_register.py tests/integration/test_register_peers.py
EXTRA_DIST += tests/integration/test_register.py tests/integration/test_register_peers.py
TESTS += tests/browser_register_check.sh
EXTRA_DIST += tests/browser_register_check.sh tests/browser/register.js
# issue 13: the rules admins tune at run time — the settings API and pages,
# a change in every process within 2 s, channel policies over real Kannel,
# templates in the next message, reply phrases guarded by the corpus,
# SIGHUP, confirm_within at a chosen clock
TESTS += tests/integration/test_settings.py
EXTRA_DIST += tests/integration/test_settings.py
# POST /api/v1/bookings at the desk the client chose (desk_id)
TESTS += tests/integration/test_book_desk.py
EXTRA_DIST += tests/integration/test_book_desk.py
# SMS quiet hours set at run time: held till morning by the running daemons
TESTS += tests/integration/test_quiet_hours.py
EXTRA_DIST += tests/integration/test_quiet_hours.py
TESTS += tests/browser_settings_check.sh
EXTRA_DIST += tests/browser_settings_check.sh tests/browser/settings.js
# the admin module's structure: operators, units, services, desks, calendars
TESTS += tests/integration/test_admin_api.py
EXTRA_DIST += tests/integration/test_admin_api.py
TESTS += tests/browser_admin_check.sh
EXTRA_DIST += tests/browser_admin_check.sh tests/browser/admin.js
# issue 12: live delay notices over real Kannel and SMTP + Dovecot, at a
# chosen clock (libfaketime)
TESTS += tests/integration/test_delay_notices.py
EXTRA_DIST += tests/integration/test_delay_notices.py
# reception (the occupancy limit, the queue outside, the clock's rule) and
# the visits report, against real wizyta-web and wizytad at chosen clocks;
# in the browser with the printed day list
TESTS += tests/integration/test_reception.py tests/integration/test_reports.py \
	tests/browser_reception_check.sh
EXTRA_DIST += tests/integration/test_reception.py tests/integration/test_reports.py \
	tests/browser_reception_check.sh tests/browser/reception.js
# issue 14: operations and personal data — retention at a chosen clock
# (the database, its WAL, a backup and the mail files scanned for the
# erased bytes), backup and restore under load
TESTS += tests/integration/test_retention.py tests/integration/test_backup.py \
	tests/integration/test_install.py tests/integration/test_metrics.py \
	tests/integration/test_proxy.py tests/integration/test_deb.py
EXTRA_DIST += tests/integration/test_retention.py tests/integration/test_backup.py \
	tests/integration/test_install.py tests/integration/test_metrics.py \
	tests/integration/test_proxy.py tests/integration/test_deb.py
# issue 16: the waitlist over real Kannel and SMTP + Dovecot at a chosen clock
TESTS += tests/integration/test_waitlist.py tests/integration/test_waitlist_api.py
EXTRA_DIST += tests/integration/test_waitlist.py tests/integration/test_waitlist_api.py
TESTS += tests/browser_waitlist_check.sh
EXTRA_DIST += tests/browser_waitlist_check.sh tests/browser/waitlist.js
# every public page at 320 CSS px without JavaScript, in Polish and English
TESTS += tests/browser_narrow_check.sh
EXTRA_DIST += tests/browser_narrow_check.sh tests/browser/narrow.js
# the staff and admin pages through the Nu Html Checker, errors and warnings
TESTS += tests/integration/test_html_staff.py
EXTRA_DIST += tests/integration/test_html_staff.py
