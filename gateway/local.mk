# gateway/: wizytad, the daemon that delivers the outbox and reads replies.
bin_PROGRAMS += wizytad
wizytad_SOURCES = gateway/wizytad.c \
	gateway/outbox_worker.c gateway/outbox_worker.h \
	gateway/inbound_worker.c gateway/inbound_worker.h \
	gateway/intake.c gateway/intake.h \
	gateway/replies.c gateway/replies.h \
	gateway/fallback.c gateway/fallback.h \
	gateway/sms_callbacks.c gateway/sms_callbacks.h
wizytad_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/gateway
wizytad_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS) $(MHD_CFLAGS)
wizytad_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
