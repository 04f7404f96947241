/*
 * conversation.h: one booking's whole conversation, as staff read it in
 * the register and GET /api/v1/bookings/{ref}/messages answers it — every
 * message sent (channel, kind, delivery status, the failure it fell back
 * from), every reply read (its verdict, what the gateway did, the
 * citizen's own words: the text after quotes and signatures were cut,
 * never the raw mail), every staff action and the booking's other events
 * (the citizen's clicks, expiry, withdrawn reminders), in time order.
 *
 * At the same second a reply comes before what it caused, and an action
 * before the messages it queued (a message remembers the newest event when
 * it was written: the action of its transaction).
 */
#ifndef WIZYTA_CONVERSATION_H
#define WIZYTA_CONVERSATION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "store.h"

enum talk_direction {
	TALK_IN,    /* a reply read */
	TALK_STAFF, /* an operator's action */
	TALK_EVENT, /* the booking's other events (citizen, system) */
	TALK_OUT,   /* a message sent (or queued, failed, suppressed) */
};

struct talk {
	enum talk_direction direction;
	time_t at;           /* queued, received, done */
	time_t sent_at;      /* out: accepted by the server, 0 until then */
	int64_t id;          /* the row's id in its own table */
	char channel[8];     /* "email" | "sms"; "" for staff and events */
	char kind[32];       /* out: the message kind; in: "reply"; staff and
	                        events: the action ("reschedule", "note", …) */
	char status[16];     /* out: delivery status; in: processed, ignored,
	                        new; "" for staff and events */
	char verdict[16];    /* in: confirm, cancel, unknown, … */
	char note[256];      /* in: what was done; out: the last error */
	char actor[64];      /* staff and events: "staff:anna", "system" … */
	char recipient[256]; /* out */
	int64_t fallback_of; /* out: the failed message this one replaces */
	int64_t cause;       /* staff, events: their id; out: the event that
	                        caused it (ordering within a second) */
	char *text;          /* owned: what was said (UTF-8) */
};

struct conversation {
	struct booking booking;
	struct talk *talk;
	size_t n;
};

/* conversation_get: the booking (by reference) and its conversation;
 * ERROR_NOT_FOUND unknown_booking */
int conversation_get(struct store *, const char *reference,
    struct conversation *, struct error *);
void conversation_free(struct conversation *);

/* "in", "staff", "event", "out" */
const char *talk_direction_name(enum talk_direction);

#endif
