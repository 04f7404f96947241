/*
 * fallback.h: when a message finally fails on one channel (5xx, bounce,
 * dead letter, undelivered SMS), send the same notice over the booking's
 * other contact, if it has one and that channel did not already carry it.
 */
#ifndef WIZYTA_FALLBACK_H
#define WIZYTA_FALLBACK_H

#include <time.h>

#include "config.h"
#include "store.h"

/* fallback_other_channel: runs its own transaction; failures are logged. */
void fallback_other_channel(struct store *, const struct config *,
    const struct outbox_message *failed, time_t now);

#endif
