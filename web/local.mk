# web/: wizyta-web, the citizen site and JSON API. Templates, catalogs,
# the stylesheet and the OpenAPI document are compiled into the binary by
# tools/embed.sh (web/assets.c is generated in the build tree).
# Everything but main() is libwizyta_web.a, which the HTTP fuzz target
# (fuzz/fuzz_http.c) links too.
bin_PROGRAMS += wizyta-web
noinst_LIBRARIES += libwizyta_web.a
libwizyta_web_a_SOURCES = \
	web/http.c web/http.h web/routes.c \
	web/security.c web/security.h \
	web/template.c web/template.h \
	web/page.c web/page.h web/assets.h web/static.c \
	web/nearest.c web/nearest.h \
	web/api.c web/pages_book.c web/pages_book.h web/pages_ticket.c \
	web/pages_find.c \
	web/qr.c web/qr.h web/dev_mailbox.c \
	web/session.c web/session.h web/pages_login.c \
	web/staff.c web/staff.h web/api.h web/api_staff.c web/admin_audit.c \
	web/admin.c web/admin.h web/admin_accounts.c web/admin_catalogue.c \
	web/admin_calendar.c \
	web/events.c web/events.h web/pages_board.c web/pages_desk.c \
	web/fill.c web/fill.h web/chart.c web/chart.h web/pages_reception.c \
	web/pages_day_list.c web/pages_reports.c \
	web/metrics.c web/pages_privacy.c \
	web/pages_register.c web/pages_register.h \
	web/pages_register_booking.c web/pages_register_slot.c
# the rules admins tune at run time (issue 13)
libwizyta_web_a_SOURCES += web/admin_settings.c web/admin_settings.h \
	web/admin_templates.c web/admin_replies.c
# the waitlist of a full day (issue 16)
libwizyta_web_a_SOURCES += web/pages_waitlist.c web/staff_waitlist.c
nodist_libwizyta_web_a_SOURCES = web/assets.c
libwizyta_web_a_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
wizyta_web_SOURCES = web/wizyta_web.c
wizyta_web_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
wizyta_web_LDADD = libwizyta_web.a $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS) -lpthread

web_assets = \
	web/templates/layout.html web/templates/message.html \
	web/templates/home.html web/templates/service.html \
	web/templates/day.html web/templates/form.html web/templates/sent.html \
	web/templates/ticket.html web/templates/action.html \
	web/templates/reschedule.html web/templates/find.html \
	web/templates/field.html \
	web/templates/mailbox.html web/templates/mailbox_message.html \
	web/templates/staff_layout.html web/templates/staff_message.html \
	web/templates/staff_home.html web/templates/login.html \
	web/templates/admin_home.html web/templates/audit.html \
	web/templates/board_layout.html web/templates/board.html \
	web/templates/board_desk.html web/templates/boards.html \
	web/templates/desk.html web/templates/desk_plan.html \
	web/i18n/desk.pl.json web/i18n/desk.en.json \
	web/templates/register.html web/templates/register_booking.html \
	web/templates/register_cancel.html web/templates/register_new.html \
	web/templates/register_move.html web/templates/register_slots.html \
	web/i18n/register.pl.json web/i18n/register.en.json \
	web/i18n/delay.pl.json web/i18n/delay.en.json \
	web/static/board.css web/static/board.js web/static/desk.js \
	web/i18n/pl.json web/i18n/en.json \
	web/i18n/staff.pl.json web/i18n/staff.en.json \
	web/templates/afield.html web/templates/asummary.html \
	web/templates/aform.html web/templates/astranded.html \
	web/templates/apreview.html web/templates/aresolve.html \
	web/templates/aoperators.html web/templates/aoperator.html \
	web/templates/asecret.html web/templates/password.html \
	web/templates/aunits.html web/templates/aservices.html \
	web/templates/adesks.html web/templates/acalendar.html \
	web/templates/ahours.html web/templates/aholidays.html \
	web/i18n/admin.pl.json web/i18n/admin.en.json \
	web/templates/reception.html web/templates/day_list.html \
	web/templates/reports.html web/templates/chart_table.html \
	web/i18n/reception.pl.json web/i18n/reception.en.json \
	web/i18n/reports.pl.json web/i18n/reports.en.json \
	web/i18n/store.pl.json web/i18n/store.en.json \
	web/static/style.css web/static/staff.css web/static/favicon.ico \
	web/templates/privacy.html web/i18n/privacy.pl.json \
	web/i18n/privacy.en.json \
	web/api/openapi.json
web_assets += web/templates/settings_rules.html web/templates/sfield.html \
	web/templates/settings_templates.html \
	web/templates/settings_template.html \
	web/templates/settings_replies.html web/static/templates.js \
	web/i18n/settings.pl.json web/i18n/settings.en.json
web_assets += \
	web/templates/waitlist_join.html web/templates/waitlist_entry.html \
	web/templates/waitlist_leave.html web/templates/staff_waitlist.html \
	web/i18n/waitlist.pl.json web/i18n/waitlist.en.json
EXTRA_DIST += $(web_assets) tools/embed.sh web/README.md
BUILT_SOURCES += web/assets.c
CLEANFILES += web/assets.c

web/assets.c: $(web_assets:%=$(top_srcdir)/%) $(top_srcdir)/tools/embed.sh
	$(AM_V_GEN)$(MKDIR_P) web && \
	$(SHELL) $(top_srcdir)/tools/embed.sh $@ $(top_srcdir)/web \
	    $(web_assets:%=$(top_srcdir)/%)

# the API against a real server (TAP, Debian's python3; see tests/local.mk)
TESTS += tests/integration/test_api.py tests/integration/test_api_pages.py \
	tests/integration/test_citizen.py tests/integration/test_openapi.py \
	tests/integration/test_web_hardening.py
EXTRA_DIST += tests/integration/test_api.py tests/integration/test_api_pages.py \
	tests/integration/test_citizen.py tests/integration/test_openapi.py \
	tests/browser/openapi.js tests/integration/test_web_hardening.py

# Real headless Chromium (Debian's /usr/bin/chromium) + axe-core: not part of
# `make check` (needs npm packages); screenshots land in tests/artifacts/.
EXTRA_DIST += tests/browser/package.json tests/browser/package-lock.json \
	tests/browser/run.js bench/web_bench.py
check-browser: wizyta wizytad wizyta-web
	cd $(top_srcdir)/tests/browser && \
	{ test -d node_modules || npm ci --no-audit --no-fund; } && \
	top_builddir='$(abs_top_builddir)' node run.js
bench-web: wizyta wizyta-web bench/tx_baseline
	top_builddir='$(abs_top_builddir)' /usr/bin/python3 $(top_srcdir)/bench/web_bench.py
.PHONY: check-browser bench-web
