/*
 * replies.h: acting on what citizens sent. Takes recorded inbox rows one
 * by one, reads them (rules/), finds the booking, and confirms, cancels,
 * opts out of SMS, records a bounce, or answers with help — then marks the
 * row processed. Re-running a row after a crash is harmless: the booking
 * state machine refuses a second confirmation.
 */
#ifndef WIZYTA_REPLIES_H
#define WIZYTA_REPLIES_H

#include <time.h>

#include "config.h"
#include "store.h"

/* replies_process: handle every new inbox row; count of rows handled.
 * When the store fails under a row, that row stays "new" and the call
 * returns -1 (ERROR_TEMPORARY): the next round reads it again. */
int replies_process(struct store *, const struct config *, time_t now,
    unsigned *handled, struct error *);

#endif
