# channels/: one file per transport behind channel.h / inbound.h.
noinst_LIBRARIES += libwizyta_channels.a
libwizyta_channels_a_CFLAGS = $(AM_CFLAGS) $(ESMTP_CFLAGS) $(ETPAN_CFLAGS) $(PCRE2_CFLAGS) \
	$(CURL_CFLAGS) $(GNUTLS_CFLAGS) $(OPENSSL_CFLAGS)
libwizyta_channels_a_SOURCES = channels/channel.h channels/inbound.h
libwizyta_channels_a_SOURCES += \
	channels/channel.c \
	channels/maildir.c channels/maildir.h \
	channels/channel_maildir.c \
	channels/inbound_maildir.c
