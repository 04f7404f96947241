# tests/pg.mk: the suite's PostgreSQL run. Every unit and integration test
# that opens a database runs a second time, against a PostgreSQL server
# started once for the run (tests/pg_server.sh, Debian's postgresql, in
# tests/pg-server of the build tree; it stops when the run ends):
# tests/pg/unit/test_booking.pg runs tests/unit/test_booking with
# WIZYTA_TEST_BACKEND=postgresql (tests/pg_run.sh), its log in tests/pg/.
# Included last, after every TESTS +=, so a new test joins the run by itself.
TEST_EXTENSIONS += .pg
PG_LOG_DRIVER = $(LOG_DRIVER)
PG_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/pg_run.sh
# not run twice: tests that never open a database; what is SQLite's alone
# (a read-only file, a full disk; test_backup.py copies the file with
# `wizyta backup`, which PostgreSQL leaves to pg_dump -Fc: README
# "PostgreSQL"); the packaging (make install, the .deb: one backend is
# enough); the browser tests (one backend is enough for what a page looks
# like: bench and test_multi_process cover the rest)
PG_NOT_RUN = \
	tests/unit/test_config tests/unit/test_office_time tests/unit/test_slot \
	tests/unit/test_booking_state tests/unit/test_token tests/unit/test_plural \
	tests/unit/test_reply tests/unit/test_reply_classify \
	tests/unit/test_reply_corpus tests/unit/test_mail_compose \
	tests/unit/test_ics tests/unit/test_phone tests/unit/test_sms_text \
	tests/unit/test_sms_http tests/unit/test_hardening tests/unit/test_csv \
	tests/integration/test_channel_mail tests/integration/test_channel_sms_kannel \
	tests/integration/test_config_errors.py tests/integration/test_storage.py \
	tests/integration/test_slowloris.py tests/integration/test_multi_process.py \
	tests/integration/test_backup.py \
	tests/integration/test_install.py tests/integration/test_deb.py
# the list is made by make, not automake (which would try to read the
# functions as test names): tests/pg_tests.make
pg_tests_make = $(top_srcdir)/tests/pg_tests.make
-include $(pg_tests_make)
EXTRA_DIST += tests/pg.mk tests/pg_tests.make tests/pg_run.sh tests/pg_server.sh \
	tests/integration/test_multi_process.py \
	tests/integration/test_migrate_postgresql.py

# the .pg "tests" are names: pg_run.sh finds the real one
tests/pg/%.pg:
	@$(MKDIR_P) $(@D) && : >$@
# the server, once per run: it watches this make and stops after it
tests/pg-server/started:
	@$(SHELL) $(top_srcdir)/tests/pg_server.sh start \
	    $(abs_top_builddir)/tests/pg-server $$PPID >/dev/null
.PHONY: tests/pg-server/started
clean-local: clean-pg
clean-pg:
	-rm -rf tests/pg
	-$(SHELL) $(top_srcdir)/tests/pg_server.sh stop $(abs_top_builddir)/tests/pg-server
.PHONY: clean-pg
