/*
 * delay_notice.h: the live delay notices — wizytad's timer that tells
 * booked citizens of a desk running late (the rules: delay.h).
 */
#ifndef WIZYTA_DELAY_NOTICE_H
#define WIZYTA_DELAY_NOTICE_H

#include <time.h>

#include "config.h"
#include "error.h"
#include "store.h"

/* delay_notify_due: estimate today's desks at now and tell every citizen
 * a notice is due to (delay_notice_step), each in one transaction: the
 * outbox rows on the channels they booked with, the step they were told
 * of (store_booking_mark_delay) and a booking event "delay_notice" commit
 * together or not at all, so a gateway killed at any point neither loses
 * nor repeats a notice. *count: notices written. Nothing when [delay]
 * notice_after is 0. */
int delay_notify_due(struct store *, const struct config *, time_t now,
    unsigned *count, struct error *);

#endif
