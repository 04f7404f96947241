/*
 * replies_waitlist.c: what a reply means for the waitlist
 * (replies_waitlist.h says the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notify.h"
#include "replies_waitlist.h"
#include "waitlist.h"

#define HELP_INTERVAL 3600

static bool
trouble(struct waitlist_reply *o, const struct error *err)
{
	if (err->kind != ERROR_IO && err->kind != ERROR_TEMPORARY &&
	    err->kind != ERROR_INTERNAL)
		return false;
	o->retry = true;
	snprintf(o->why, sizeof o->why, "%s", err->msg);
	return true;
}

/* remind: the joined message again (position, how to leave), at most once
 * an hour, on the channel the reply came by */
static void
remind(struct store *s, const struct config *c, const struct waitlist_entry *e,
    enum actor_channel via, const char *in_reply_to, time_t now,
    struct waitlist_reply *o)
{
	struct outbox_message *msgs = NULL;
	struct error err;
	size_t n = 0, i;

	error_clear(&err);
	if (store_begin(s, &err) != 0 ||
	    store_waitlist_messages(s, e->id, &msgs, &n, &err) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (strcmp(msgs[i].kind, "waitlist_joined") == 0 &&
		    msgs[i].created_at >= now - HELP_INTERVAL &&
		    strcmp(msgs[i].channel, via == VIA_SMS ? "sms" : "email") ==
		        0 &&
		    i > 0) {
			/* the first is the joining itself: answered already
			 * only by a later one */
			free(msgs);
			store_rollback(s);
			return;
		}
	free(msgs);
	msgs = NULL;
	if (notify_waitlist(s, c, e, NOTIFY_WAITLIST_JOINED,
	        via == VIA_SMS ? NOTIFY_SMS : NOTIFY_EMAIL, in_reply_to, now,
	        &err) != 0 ||
	    store_commit(s, &err) != 0)
		goto fail;
	return;
fail:
	free(msgs);
	store_rollback(s);
	if (!trouble(o, &err))
		log_warn("waitlist reminder not queued entry=%lld: %s",
		    (long long)e->id, err.msg);
}

void
replies_waitlist_entry(struct store *s, const struct config *c,
    const struct waitlist_entry *e, enum reply_verdict verdict,
    enum actor_channel via, const char *in_reply_to, time_t now,
    struct waitlist_reply *o)
{
	struct actor citizen = actor_citizen(via, NULL);
	struct booking offer;
	struct error err;

	error_clear(&err);
	o->status = "processed";
	o->offer_id = 0;
	switch (verdict) {
	case REPLY_CANCEL:
		if (waitlist_leave(
		        s, c, e->reference, &citizen, now, NULL, &err) == 0) {
			snprintf(o->note, sizeof o->note,
			    "waitlist %s: left by reply", e->reference);
			return;
		}
		if (trouble(o, &err))
			return;
		snprintf(o->note, sizeof o->note,
		    "waitlist %s: no change: %.120s", e->reference, err.msg);
		return;
	case REPLY_CONFIRM:
	case REPLY_LATE:
		/* a TAK to the joined message while an offer waits for it */
		if (e->status == WAITLIST_OFFERED && e->booking_id > 0) {
			if (store_booking_get(s, e->booking_id, &offer, &err) !=
			    0) {
				if (!trouble(o, &err))
					snprintf(o->note, sizeof o->note,
					    "waitlist %s: offer not found",
					    e->reference);
				return;
			}
			o->offer_id = offer.id;
			return;
		}
		break;
	case REPLY_AUTO:
		o->status = "ignored";
		snprintf(o->note, sizeof o->note, "auto-reply: ignored");
		return;
	case REPLY_STOP:
		snprintf(
		    o->note, sizeof o->note, "asks to stop: shown to staff");
		return;
	default: break;
	}
	if (!waitlist_status_active(e->status)) {
		snprintf(o->note, sizeof o->note,
		    "waitlist %s: no longer in line (%s)", e->reference,
		    waitlist_status_name(e->status));
		return;
	}
	snprintf(o->note, sizeof o->note,
	    "waitlist %s: still in line at %u: told again", e->reference,
	    e->position);
	remind(s, c, e, via, in_reply_to, now, o);
}

bool
replies_offer_gone(const struct booking *b, time_t now)
{
	if (strcmp(b->source, "waitlist") != 0)
		return false;
	return b->status == BOOKING_EXPIRED || b->status == BOOKING_CANCELLED ||
	       (b->status == BOOKING_PENDING && now > b->confirm_by);
}

int
replies_waitlist_sms(struct store *s, const char *phone, const char *reference,
    const struct booking *open, size_t n, time_t now, struct booking *offer,
    struct waitlist_entry *entry, struct error *err)
{
	struct waitlist_entry *entries = NULL;
	bool have_offer = false;
	time_t newest_booking = 0, newest_wait = 0;
	size_t m = 0, i;
	int pick = WAITLIST_PICK_NONE;

	if (store_waitlist_latest_offer(
	        s, phone, now - REPLIES_OFFER_WINDOW, offer, err) == 0)
		have_offer = true;
	else if (err->kind != ERROR_NOT_FOUND)
		return -1;
	error_clear(err);
	if (store_waitlist_active_by_phone(s, phone, &entries, &m, err) != 0)
		return -1;
	if (reference[0] != '\0') {
		/* exactly what the text names: a booking's is replies.c's */
		if (have_offer && strcmp(offer->reference, reference) == 0)
			pick = WAITLIST_PICK_OFFER;
		for (i = 0; i < m && pick == WAITLIST_PICK_NONE; i++)
			if (strcmp(entries[i].reference, reference) == 0) {
				*entry = entries[i];
				pick = WAITLIST_PICK_ENTRY;
			}
		free(entries);
		return pick;
	}
	for (i = 0; i < n; i++)
		if (!(have_offer && open[i].id == offer->id) &&
		    open[i].created_at > newest_booking)
			newest_booking = open[i].created_at;
	if (have_offer)
		newest_wait = offer->created_at;
	/* entries come newest first; one holding an offer is older than it */
	if (m > 0 && entries[0].created_at > newest_wait) {
		newest_wait = entries[0].created_at;
		*entry = entries[0];
		pick = WAITLIST_PICK_ENTRY;
	} else if (have_offer)
		pick = WAITLIST_PICK_OFFER;
	free(entries);
	/* the newest question wins; a tie goes to the bookings' rules */
	if (pick != WAITLIST_PICK_NONE && newest_wait <= newest_booking)
		pick = WAITLIST_PICK_NONE;
	return pick;
}
