/*
 * channel.h: an outgoing channel (one file per implementation, like
 * OpenSMTPD's queue backends): channel_smtp.c, channel_maildir.c,
 * channel_kannel.c, channel_http_sms.c, channel_spool.c.
 *
 * The outbox worker owns one channel per thread and never knows which
 * implementation it talks to. It hands over a batch; the channel fills one
 * struct send_status per message and must not exit the process or block
 * forever: every network call has a timeout.
 */
#ifndef WIZYTA_CHANNEL_H
#define WIZYTA_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"

enum channel_kind { CHANNEL_EMAIL, CHANNEL_SMS };

enum send_result {
	SEND_OK,		/* accepted by the server / provider / spool */
	SEND_TEMPORARY,		/* 4xx, refused, timeout: retry later */
	SEND_PERMANENT,		/* 5xx, invalid recipient: never retry */
};

struct outgoing {
	int64_t id;		/* outbox row id (logs, DLR URLs) */
	const char *recipient;	/* e-mail address or E.164 number "+48600700800" */
	const char *envelope_from; /* e-mail: MAIL FROM address; SMS: NULL */
	const char *payload;	/* e-mail: whole RFC 5322 message, CRLF line ends;
				   SMS: UTF-8 text */
	size_t payload_len;
};

struct send_status {
	enum send_result result;
	char detail[256];	/* server reply or error, for operators (no body) */
	char provider_id[128];	/* SMS provider's message id, or "" */
};

struct channel;

struct channel_ops {
	const char *name;	/* "smtp", "maildir", "kannel", "http", "spool" */
	enum channel_kind kind;
	/* open: allocate state from the config; no network I/O yet. */
	int (*open)(struct channel *, const struct config *, struct error *);
	/* send_batch: deliver n messages, reusing one connection where the
	 * transport allows; fill status[i] for each. Returns 0 when every
	 * status is filled (whatever their results). */
	int (*send_batch)(struct channel *, const struct outgoing *, size_t n,
	    struct send_status *status);
	void (*close)(struct channel *);
};

/* progress: set by the caller before send_batch. Every channel reports
 * each message's outcome as soon as it knows it (SMTP: the reply to its
 * DATA; the SMS providers and the spools: after each message), so a crash
 * later in the batch cannot send it again: at most the one message whose
 * acceptance is not yet recorded is sent twice after kill -9. The caller
 * then ignores that index in the final status array. */
typedef void (*channel_progress_fn)(void *ctx, size_t index, const struct send_status *);

struct channel {
	const struct channel_ops *ops;
	const struct config *config;
	void *state;		/* the implementation's own */
	channel_progress_fn progress;	/* may be NULL */
	void *progress_ctx;
};

/* channel_report: call the progress callback, if any. */
void channel_report(struct channel *, size_t index, const struct send_status *);

extern const struct channel_ops channel_smtp_ops;
extern const struct channel_ops channel_maildir_ops;
extern const struct channel_ops channel_spool_ops;
extern const struct channel_ops channel_kannel_ops;
extern const struct channel_ops channel_http_sms_ops;

/* channel_find: the ops for a config value ("smtp", "kannel", …) of a kind. */
const struct channel_ops *channel_find(enum channel_kind, const char *name);
int channel_open(struct channel *, const struct channel_ops *,
    const struct config *, struct error *);
void channel_close(struct channel *);

#endif
