/*
 * outbox_worker.h: one delivery thread per channel kind (e-mail, SMS).
 * It claims due outbox rows, hands them to its channel in a batch, and
 * records each outcome: sent, retry later (exponential backoff with
 * jitter), or final (failed, dead letter after delivery.retry_max_age).
 */
#ifndef WIZYTA_OUTBOX_WORKER_H
#define WIZYTA_OUTBOX_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "channel.h"
#include "config.h"

struct outbox_worker {
	const struct config *config; /* as started: the channel's */
	/* the snapshot in force for this round (config_live.h), or config */
	const struct config *current;
	const struct channel_ops *ops;
	const char *channel_name;	/* "email" | "sms": the outbox column */
	const atomic_bool *running;     /* false: finish and return */
	pthread_t thread;
};

/* outbox_worker_start: open the channel in the new thread; -1 if the thread
 * cannot start. The worker keeps going whatever the server does. */
int outbox_worker_start(struct outbox_worker *, struct error *);
void outbox_worker_join(struct outbox_worker *);

/* outbox_backoff: seconds until attempt n+1 after n failures (pure, tested). */
long outbox_backoff(long initial, unsigned attempts, unsigned random);

#endif
