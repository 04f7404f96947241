# lib/: config, logging, time and holidays, slots, the store (the only SQL),
# and the booking domain. Linked into all three programs.
noinst_LIBRARIES += libwizyta.a
libwizyta_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(PQ_CFLAGS) $(JANSSON_CFLAGS) $(ARGON2_CFLAGS) \
	$(MHD_CFLAGS) \
	$(IDN2_CFLAGS) $(GNUTLS_CFLAGS)
libwizyta_a_SOURCES = \
	lib/error.c lib/error.h \
	lib/buf.c lib/buf.h \
	lib/log.c lib/log.h \
	lib/config.c lib/config.h
libwizyta_a_SOURCES += \
	lib/office_time.c lib/office_time.h \
	lib/holiday.c lib/holiday.h \
	lib/slot.c lib/slot.h \
	lib/booking_state.c lib/booking_state.h \
	lib/token.c lib/token.h
# the store: store.c dispatches store.h's functions to a backend's table
# (store_backend.h, made from store_ops_list.h); SQLite and PostgreSQL
# each split by area, file for file
libwizyta_a_SOURCES += \
	lib/store.h lib/store.c lib/store_backend.h lib/store_ops_list.h \
	lib/store_schema.h lib/store_sqlite.c \
	lib/store_sqlite_internal.h lib/store_sqlite_staff.c \
	lib/store_sqlite_register.c lib/store_register.c lib/store_register.h \
	lib/fold.c lib/fold.h
libwizyta_a_SOURCES += \
	lib/store_pg_schema.h lib/store_pg.c lib/store_pg_internal.h \
	lib/store_pg_catalogue.c lib/store_pg_bookings.c lib/store_pg_outbox.c \
	lib/store_pg_staff.c lib/store_pg_admin.c lib/store_pg_live.c \
	lib/store_pg_delay.c lib/store_pg_reception.c lib/store_pg_reports.c \
	lib/store_pg_settings.c lib/store_pg_register.c lib/store_copy.c
libwizyta_a_SOURCES += lib/store_sqlite_live.c lib/board.c lib/board.h
libwizyta_a_SOURCES += lib/delay.c lib/delay.h lib/delay_notice.c \
	lib/delay_notice.h lib/store_sqlite_delay.c
libwizyta_a_SOURCES += \
	lib/plural.c lib/plural.h \
	lib/notify.c lib/notify.h lib/notify_text.h \
	lib/booking.c lib/booking.h lib/register.c lib/register.h \
	lib/conversation.c lib/conversation.h
libwizyta_a_SOURCES += lib/password.c lib/password.h
libwizyta_a_SOURCES += lib/actor.c lib/actor.h lib/audit.c lib/audit.h \
	lib/auth.c lib/auth.h
libwizyta_a_SOURCES += lib/mail_compose.c lib/mail_compose.h lib/ics.c lib/ics.h
libwizyta_a_SOURCES += lib/url.c lib/url.h
libwizyta_a_SOURCES += lib/utf8.c lib/utf8.h
libwizyta_a_SOURCES += lib/conn_guard.c lib/conn_guard.h \
	lib/conn_guard_mhd.c lib/conn_guard_mhd.h
libwizyta_a_SOURCES += lib/email.c lib/email.h
libwizyta_a_SOURCES += lib/client_addr.c lib/client_addr.h
# the rules admins tune at run time, and the snapshots daemons hold
libwizyta_a_SOURCES += lib/settings.c lib/settings.h \
	lib/config_live.c lib/config_live.h lib/store_sqlite_settings.c
libwizyta_a_SOURCES += lib/store_sqlite_admin.c lib/structure.c lib/structure.h \
	lib/calendar.c lib/calendar.h lib/accounts.c lib/accounts.h
libwizyta_a_SOURCES += lib/reception.c lib/reception.h \
	lib/store_sqlite_reception.c lib/report.c lib/report.h \
	lib/store_sqlite_reports.c lib/csv.c lib/csv.h
# issue 14: operations and personal data — readiness for systemd, figures
# for monitoring, backups, and the erasure of citizens' data
libwizyta_a_SOURCES += lib/systemd_notify.c lib/systemd_notify.h \
	lib/metrics.c lib/metrics.h lib/store_sqlite_metrics.c \
	lib/store_sqlite_ops.c lib/store_sqlite_privacy.c \
	lib/retention.c lib/retention.h lib/person.c lib/person.h \
	lib/store_pg_privacy.c
# issue 16: the waitlist of a full day
libwizyta_a_SOURCES += lib/waitlist.c lib/waitlist.h lib/store_sqlite_waitlist.c \
	lib/store_pg_waitlist.c
