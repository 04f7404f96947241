/*
 * inbound_worker.h: the thread that keeps reading the reply mailbox (IMAP
 * IDLE, or the maildir) and records what arrives through the intake. A
 * server that is down is retried with backoff (1 s doubling to 60 s) and
 * reported once per change in `wizyta status`, never fatal.
 */
#ifndef WIZYTA_INBOUND_WORKER_H
#define WIZYTA_INBOUND_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "inbound.h"
#include "intake.h"

struct inbound_worker {
	const struct config *config;
	const struct inbound_ops *ops;
	struct intake *intake;
	const atomic_bool *running; /* false: finish and return */
	pthread_t thread;
};

int inbound_worker_start(struct inbound_worker *, struct error *);
void inbound_worker_join(struct inbound_worker *);

#endif
