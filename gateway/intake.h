/*
 * intake.h: where everything that arrives is recorded, once, before
 * anything acts on it: e-mail from an inbound source, SMS and delivery
 * reports from provider callbacks. The dedup key makes a message handed
 * over twice (a crash before \Seen, a provider retrying its callback) a
 * no-op the second time.
 */
#ifndef WIZYTA_INTAKE_H
#define WIZYTA_INTAKE_H

#include <pthread.h>

#include "config.h"
#include "inbound.h"
#include "sms_callbacks.h"
#include "store.h"

struct intake {
	const struct config *config;
	struct store *store;		/* used under lock: callbacks are threaded */
	pthread_mutex_t lock;
};

int intake_open(struct intake *, const struct config *, struct error *);
void intake_close(struct intake *);
void intake_mail_sink(struct intake *, struct inbound_sink *);
void intake_sms_sink(struct intake *, struct sms_sink *);

/* intake_mail_dedup_key: "mid:<Message-ID>" or "sha256:<hex of the bytes>". */
void intake_mail_dedup_key(const char *raw, size_t len, char *out, size_t size);

#endif
