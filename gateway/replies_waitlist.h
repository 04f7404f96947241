/*
 * replies_waitlist.h: what a reply means for the waitlist (lib/waitlist.h),
 * beside replies.c's bookings.
 *
 * An offer is a booking (pending, source "waitlist") with its own
 * reference: a reply to the offer's message is a reply to that booking and
 * replies.c handles it; a TAK that comes after the hold gets a kind
 * "already gone" answer. What is the waitlist's alone is the entry — the
 * joined message carries the entry's reference (Reply-To wizyta+REF@…):
 * NIE leaves the line, TAK while the entry holds an open offer takes the
 * offer, anything else gets the joined message again (the position and
 * how to leave), at most once an hour.
 *
 * An SMS carries no address: which question does a bare "TAK" answer? The
 * newest one we asked that number. When the number's newest offer (made
 * within the last day, open or not) or its newest entry in line is newer
 * than every other open booking of the number, the reply is about that
 * offer (or entry); otherwise replies.c's rules for bookings decide. A
 * reference in the text always picks exactly. So a NIE meant for an offer
 * never cancels an older booking, and a late TAK to an offer never
 * confirms another booking the person made before it.
 */
#ifndef WIZYTA_REPLIES_WAITLIST_H
#define WIZYTA_REPLIES_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "reply.h"
#include "store.h"

/* how long after an offer a bare SMS may still be about it */
#define REPLIES_OFFER_WINDOW 86400

struct waitlist_reply {
	const char *status; /* inbox status: processed | ignored */
	char note[200];     /* for staff: what happened */
	int64_t offer_id;   /* act on this open offer as a booking reply */
	bool retry;         /* the store failed: try the reply again */
	char why[256];
};

/* replies_waitlist_entry: a reply about entry e (see above) */
void replies_waitlist_entry(struct store *, const struct config *,
    const struct waitlist_entry *, enum reply_verdict, enum actor_channel,
    const char *in_reply_to, time_t now, struct waitlist_reply *);

enum waitlist_pick {
	WAITLIST_PICK_NONE,  /* the bookings' rules decide */
	WAITLIST_PICK_OFFER, /* *offer: the reply is about it */
	WAITLIST_PICK_ENTRY, /* *entry: the reply is about it */
};

/* replies_waitlist_sms: which waitlist question an SMS from phone answers,
 * if any, given its open bookings (the offer among them when open) and the
 * reference in its text (""); -1 when the store failed */
int replies_waitlist_sms(struct store *, const char *phone,
    const char *reference, const struct booking *open, size_t n, time_t now,
    struct booking *offer, struct waitlist_entry *entry, struct error *);

/* replies_offer_gone: is b an offer a TAK came too late for (expired,
 * passed on, or pending past its hold)? */
bool replies_offer_gone(const struct booking *, time_t now);

#endif
