/*
 * inbound.h: where citizens' e-mail replies come from: inbound_imap.c
 * (IDLE or polling) and inbound_maildir.c (the embedded default).
 *
 * The rule that makes inbound lossless: a message is handed to the sink,
 * and only when the sink says it is durably stored (returns 0) does the
 * inbound mark it read / move it. Never delete mail. A crash in between
 * hands the same message over again; the sink is idempotent.
 */
#ifndef WIZYTA_INBOUND_H
#define WIZYTA_INBOUND_H

#include <stddef.h>

#include "config.h"
#include "error.h"

struct inbound_message {
	const char *raw;	/* the whole RFC 5322 message as received */
	size_t len;
	const char *source;	/* "imap", "maildir" */
	const char *source_id;	/* "imap:UIDVALIDITY:UID", maildir file name */
};

/* What the gateway gives an inbound: where to store messages and a small
 * key/value memory (e.g. "imap.uidvalidity", "imap.last_uid"). */
struct inbound_sink {
	void *ctx;
	/* store: 0 = durably stored (or already known), -1 = try again later */
	int (*store)(void *ctx, const struct inbound_message *, struct error *);
	int (*state_get)(void *ctx, const char *key, char *value, size_t size);
	int (*state_set)(void *ctx, const char *key, const char *value);
};

struct inbound;

struct inbound_ops {
	const char *name;
	int (*open)(struct inbound *, const struct config *, struct error *);
	/* poll: connect if needed, hand every new message to the sink, then
	 * wait up to timeout_ms for more (IMAP IDLE) before returning. Returns
	 * -1 with err when the server is unreachable; the caller backs off and
	 * calls again. Must return within about timeout_ms + the I/O timeout. */
	int (*poll)(struct inbound *, const struct inbound_sink *, int timeout_ms,
	    struct error *);
	void (*close)(struct inbound *);
};

struct inbound {
	const struct inbound_ops *ops;
	const struct config *config;
	void *state;
};

extern const struct inbound_ops inbound_imap_ops;
extern const struct inbound_ops inbound_maildir_ops;

const struct inbound_ops *inbound_find(const char *name);

#endif
