/*
 * replies.c: what a reply means for a booking.
 *
 * E-mail: the booking is found by the plus address (wizyta+REF@…), then by
 * In-Reply-To/References against our own Message-IDs, then by a reference
 * in the subject — the last only when the sender is the booking's own
 * address, because a subject is easy to forge and a plus address or a
 * Message-ID is known only to whoever received our message.
 * SMS: by the sender's number; with several open bookings a reference in
 * the text picks one, otherwise the citizen is asked which.
 * What the reply says (rules/reply_intent.c) decides what happens:
 * confirm and cancel change the booking; "running late" goes to the
 * booking's history for staff (reply_late) and, since the citizen says
 * they are coming, confirms a booking still pending; "another time" goes
 * to the history (reply_reschedule) and the citizen gets the link to change
 * the time; autoresponders — known by their headers or only by their
 * words — never act and are never answered (an answer could start a loop);
 * STOP by SMS opts the number out. A question gets a note that staff have
 * it, an unclear reply the help message (one per booking per hour each);
 * both stay visible to staff (inbox verdict "question" / "unclear"), as
 * does a question asked beside an answer (reply_question).
 *
 * A store that fails while a reply is handled (disk, lock, I/O) is not an
 * answer about the reply: the message stays "new" and is read again on the
 * next round, never marked handled with a wrong verdict.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "email.h"
#include "fallback.h"
#include "log.h"
#include "notify.h"
#include "replies.h"
#include "replies_waitlist.h"
#include "reply.h"
#include "waitlist.h"

#define HELP_INTERVAL 3600

struct reply_outcome {
	const char *status;	/* inbox status: processed | ignored */
	int64_t booking_id;
	const char *verdict;
	char note[256];
	char rules[160]; /* the rules that decided (reply_decision) */
	bool retry;    /* the store failed: leave it "new", try again */
	char why[256]; /* for the log when retry */
	char *words;   /* the citizen's own words, for staff (owned) */
};

/* store_trouble: did a store call fail for a reason of its own (not "no
 * such row", not a refused transition)? Then the reply must wait. */
static bool
store_trouble(struct reply_outcome *o, const struct error *err)
{
	if (err->kind != ERROR_IO && err->kind != ERROR_TEMPORARY &&
	    err->kind != ERROR_INTERNAL)
		return false;
	o->retry = true;
	snprintf(o->why, sizeof o->why, "%s", err->msg);
	return true;
}

/* same_address: the same mailbox, however written (case, IDN forms) */
static bool
same_address(const char *a, const char *b)
{
	return a[0] != '\0' && email_same(a, b);
}

/* send_help: the one help reply per booking per hour. */
static void
send_help(struct store *s, const struct config *c, const struct booking *b,
    enum notify_kind kind, unsigned channel, const char *in_reply_to,
    time_t now, struct reply_outcome *o)
{
	struct error err;
	bool recent;

	error_clear(&err);
	if (store_begin(s, &err) != 0)
		goto fail;
	if (store_outbox_recent_kind(s, b->id, notify_kind_name(kind), now - HELP_INTERVAL,
	    &recent, &err) != 0)
		goto fail;
	if (recent) {
		store_rollback(s);
		return;
	}
	if (notify_booking(s, c, b, kind, channel, in_reply_to, now, &err) != 0 ||
	    store_commit(s, &err) != 0)
		goto fail;
	return;
fail:
	store_rollback(s);
	if (!store_trouble(o, &err))
		log_warn("help reply not queued booking=%lld: %s",
		    (long long)b->id, err.msg);
}

/* awaits_yes: a TAK has a question to answer here: the confirmation of a
 * pending booking, or whether a visit the office moved may stay there */
static bool
awaits_yes(const struct booking *b)
{
	return b->status == BOOKING_PENDING ||
	       (booking_status_open(b->status) &&
	           strcmp(b->move_answer, "asked") == 0);
}

/* act: confirm or cancel on the citizen's word. TAK answers the question
 * the booking is waiting on: after a move by the office it keeps the new
 * time (booked: recorded and acknowledged, in_reply_to threads the
 * e-mail; pending: confirmed, the access code is the answer). NIE cancels
 * either way (booking_apply records a move as declined). */
static void
act(struct store *s, const struct config *c, const struct booking *b,
    enum reply_verdict verdict, enum actor_channel channel,
    const char *in_reply_to, time_t now, struct reply_outcome *o)
{
	enum booking_action action =
	    verdict == REPLY_CONFIRM ? ACTION_CONFIRM : ACTION_CANCEL;
	struct actor citizen = actor_citizen(channel, NULL);
	struct error err;

	error_clear(&err);
	o->booking_id = b->id;
	o->verdict = reply_verdict_name(verdict);
	o->status = "processed";
	if (verdict == REPLY_CONFIRM && strcmp(b->move_answer, "asked") == 0 &&
	    booking_status_open(b->status)) {
		if (booking_keep_moved(s, c, b->reference, &citizen,
		        channel == VIA_SMS ? NOTIFY_SMS : NOTIFY_EMAIL,
		        in_reply_to, now, NULL, &err) == 0) {
			snprintf(o->note, sizeof o->note,
			    "kept the new time by reply%s",
			    b->status == BOOKING_PENDING ? " (confirmed)" : "");
			return;
		}
	} else if (booking_apply(s, c, b->reference, action, &citizen, now,
	               NULL, &err) == 0) {
		snprintf(o->note, sizeof o->note, "%s by reply",
		    booking_action_name(action));
		return;
	}
	if (store_trouble(o, &err))
		return;
	/* already confirmed, cancelled, expired: the reply changes nothing */
	snprintf(o->note, sizeof o->note, "no change: %.200s", err.msg);
	if (err.kind != ERROR_CONFLICT)
		log_warn("reply not applied booking=%lld: %s", (long long)b->id, err.msg);
	/* a TAK to a waitlist offer after its hold: it went to someone
	 * else, and the citizen is told so kindly (replies_waitlist.h) */
	else if (action == ACTION_CONFIRM && replies_offer_gone(b, now)) {
		snprintf(o->note, sizeof o->note,
		    "offer answered after its hold: told it is gone");
		send_help(s, c, b, NOTIFY_OFFER_GONE,
		    channel == VIA_SMS ? NOTIFY_SMS : NOTIFY_EMAIL, NULL, now,
		    o);
	}
}

/* tell_staff: a line in the booking's history (booking_events), which
 * staff read beside the inbox verdict; the rules that decided, never the
 * citizen's words (those stay in the inbox row) */
static void
tell_staff(struct store *s, const struct booking *b, const char *action,
    enum actor_channel via, const char *rules, time_t now,
    struct reply_outcome *o)
{
	struct actor citizen = actor_citizen(via, NULL);
	struct error err;
	char who[64];

	error_clear(&err);
	actor_describe(&citizen, who, sizeof who);
	if (store_event_add(s, b->id, now, who, action, rules, &err) != 0 &&
	    !store_trouble(o, &err))
		log_warn("reply event not recorded booking=%lld: %s",
		    (long long)b->id, err.msg);
}

/* note_question: an answer that also asks something: staff answer it */
static void
note_question(struct store *s, const struct booking *b, enum actor_channel via,
    const char *rules, time_t now, struct reply_outcome *o)
{
	size_t used = strlen(o->note);

	tell_staff(s, b, "reply_question", via, rules, now, o);
	snprintf(o->note + used, sizeof o->note - used,
	    "; asks a question: shown to staff");
}

/* on_late_or_other_time: the two requests that reach staff rather than the
 * state machine. Running late on a pending booking confirms it: the
 * citizen says they are coming. */
static void
on_late_or_other_time(struct store *s, const struct config *c,
    const struct booking *b, enum reply_verdict verdict, const char *rules,
    enum actor_channel via, const char *in_reply_to, time_t now,
    struct reply_outcome *o)
{
	unsigned channel = via == VIA_SMS ? NOTIFY_SMS : NOTIFY_EMAIL;

	o->booking_id = b->id;
	o->status = "processed";
	o->verdict = reply_verdict_name(verdict);
	if (verdict == REPLY_LATE) {
		tell_staff(s, b, "reply_late", via, rules, now, o);
		if (o->retry)
			return;
		if (b->status == BOOKING_PENDING) {
			/* the access code that follows is the answer */
			act(s, c, b, REPLY_CONFIRM, via, in_reply_to, now, o);
			o->verdict = reply_verdict_name(verdict);
			snprintf(o->note, sizeof o->note,
			    "running late: shown to staff; confirmed by reply");
			return;
		}
		snprintf(o->note, sizeof o->note, "running late: shown to staff");
		if (booking_status_live(b->status))
			send_help(s, c, b, NOTIFY_LATE_NOTED, channel, in_reply_to,
			    now, o);
		return;
	}
	tell_staff(s, b, "reply_reschedule", via, rules, now, o);
	if (o->retry)
		return;
	snprintf(
	    o->note, sizeof o->note, "asks for another time: shown to staff");
	if (b->status == BOOKING_PENDING || b->status == BOOKING_BOOKED) {
		send_help(s, c, b, NOTIFY_RESCHEDULE_HELP, channel, in_reply_to,
		    now, o);
		snprintf(o->note, sizeof o->note,
		    "asks for another time: shown to staff, link to change it "
		    "sent");
	}
}

/* find_by_message_id: 1 found, 0 not ours, -1 the store failed (o->retry) */
static int
find_by_message_id(
    struct store *s, const char *id, struct booking *b, struct reply_outcome *o)
{
	struct outbox_message m;
	struct error err;
	int rc = 0;

	if (id == NULL || id[0] == '\0')
		return 0;
	error_clear(&err);
	if (store_outbox_by_message_id(s, id, &m, &err) != 0)
		return store_trouble(o, &err) ? -1 : 0;
	if (m.booking_id > 0) {
		if (store_booking_get(s, m.booking_id, b, &err) == 0)
			rc = 1;
		else if (store_trouble(o, &err))
			rc = -1;
	}
	outbox_message_free(&m);
	return rc;
}

/* find_threaded: the booking of the message this one answers. */
static bool
find_threaded(struct store *s, const struct reply_reading *r, struct booking *b,
    struct reply_outcome *o)
{
	size_t i;
	int rc;

	if ((rc = find_by_message_id(s, r->in_reply_to, b, o)) != 0)
		return rc > 0;
	for (i = 0; r->references != NULL && r->references[i] != NULL; i++)
		if ((rc = find_by_message_id(s, r->references[i], b, o)) != 0)
			return rc > 0;
	return false;
}

static void
handle_bounce(struct store *s, const struct config *c, const struct reply_reading *r,
    time_t now, struct reply_outcome *o)
{
	struct outbox_message m;
	struct error err;

	o->verdict = "bounce";
	o->status = "processed";
	error_clear(&err);
	if (r->bounced_message_id[0] == '\0' ||
	    store_outbox_by_message_id(s, r->bounced_message_id, &m, &err) != 0) {
		if (!store_trouble(o, &err))
			snprintf(o->note, sizeof o->note,
			    "bounce for a message we do not know");
		return;
	}
	o->booking_id = m.booking_id;
	if (!r->bounce_permanent) {
		snprintf(o->note, sizeof o->note, "delivery delayed (temporary report)");
	} else if (store_outbox_mark_final(s, m.id, OUTBOX_FAILED, "bounced", &err) == 0) {
		snprintf(o->note, sizeof o->note, "message %lld bounced", (long long)m.id);
		log_warn("bounce message=%lld booking=%lld", (long long)m.id,
		    (long long)m.booking_id);
		fallback_other_channel(s, c, &m, now);
	} else
		store_trouble(o, &err);
	outbox_message_free(&m);
}

/* waitlist_outcome: a waitlist reply's result into the inbox row */
static void
waitlist_outcome(const struct waitlist_reply *w, struct reply_outcome *o)
{
	o->status = w->status;
	snprintf(o->note, sizeof o->note, "%s", w->note);
	if (w->retry) {
		o->retry = true;
		snprintf(o->why, sizeof o->why, "%s", w->why);
	}
}

/* mail_about_entry: the reference names a waitlist entry: handled (true),
 * or — a TAK while its offer is open — *b is the offer, o->booking_id
 * its id, for the caller to act on */
static bool
mail_about_entry(struct store *s, const struct config *c,
    const struct reply_reading *r, time_t now, struct booking *b,
    struct reply_outcome *o)
{
	struct waitlist_entry e;
	struct waitlist_reply w;
	struct error err;

	error_clear(&err);
	if (store_waitlist_by_reference(s, r->reference, &e, &err) != 0) {
		store_trouble(o, &err);
		return o->retry;
	}
	o->verdict = reply_verdict_name(r->verdict);
	o->status = "processed";
	if (!r->reference_from_address && !same_address(r->from, e.email)) {
		snprintf(o->note, sizeof o->note,
		    "waitlist %s: not acted on: sender is not the entry's"
		    " address",
		    e.reference);
		return true;
	}
	memset(&w, 0, sizeof w);
	replies_waitlist_entry(s, c, &e, r->verdict, VIA_EMAIL,
	    r->message_id[0] ? r->message_id : NULL, now, &w);
	waitlist_outcome(&w, o);
	if (w.offer_id > 0 && !o->retry) {
		if (store_booking_get(s, w.offer_id, b, &err) == 0)
			o->booking_id = b->id;
		else
			store_trouble(o, &err);
	}
	return true;
}

static void
process_mail(struct store *s, const struct config *c, const struct inbox_message *msg,
    time_t now, struct reply_outcome *o)
{
	struct reply_reading r;
	struct booking b;
	struct error err;
	char local[128], domain[128];
	bool found = false, trusted = false;

	error_clear(&err);
	if (config_reply_parts(c, local, sizeof local, domain, sizeof domain) != 0)
		snprintf(local, sizeof local, "wizyta");
	memset(&r, 0, sizeof r);
	if (reply_read_mail(msg->raw, msg->raw_len, local, &r, &err) != 0) {
		o->status = "ignored";
		o->verdict = "unreadable";
		snprintf(o->note, sizeof o->note, "%.240s", err.msg);
		return;
	}
	if (r.verdict == REPLY_BOUNCE) {
		handle_bounce(s, c, &r, now, o);
		goto out;
	}
	/* what staff read: the citizen's own words, not the quoted mail */
	if (r.text != NULL && (o->words = strdup(r.text)) == NULL)
		abort();
	snprintf(o->rules, sizeof o->rules, "%s", r.rules);
	/* who is it about: the reference (plus address or subject), then our
	 * Message-IDs. A reply can act when it proves it saw our message
	 * (plus address, threading) or comes from the booking's own address. */
	if (r.reference[0] != '\0') {
		if (store_booking_by_reference(s, r.reference, &b, &err) == 0) {
			found = true;
			trusted = r.reference_from_address ||
			          same_address(r.from, b.email);
		} else if (store_trouble(o, &err))
			goto out;
		else if (mail_about_entry(s, c, &r, now, &b, o)) {
			if (o->retry || o->booking_id == 0)
				goto out;
			/* a TAK to the joined message: the open offer */
			found = trusted = true;
		}
	}
	if (!trusted && find_threaded(s, &r, &b, o))
		found = trusted = true;
	if (o->retry)
		goto out;
	if (!found) {
		o->status = "ignored";
		o->verdict = reply_verdict_name(r.verdict);
		snprintf(o->note, sizeof o->note, "no booking found for this reply");
		goto out;
	}
	o->booking_id = b.id;
	o->verdict = reply_verdict_name(r.verdict);
	o->status = "processed";
	switch (r.verdict) {
	case REPLY_CONFIRM:
	case REPLY_CANCEL:
		if (!trusted) {
			snprintf(o->note, sizeof o->note, "not acted on: sender is not the"
			    " booking's address and the reply is not threaded");
			break;
		}
		act(s, c, &b, r.verdict, VIA_EMAIL,
		    r.message_id[0] ? r.message_id : NULL, now, o);
		if (r.asks && !o->retry)
			note_question(s, &b, VIA_EMAIL, r.rules, now, o);
		break;
	case REPLY_LATE:
	case REPLY_RESCHEDULE:
		if (!trusted) {
			snprintf(o->note, sizeof o->note, "not acted on: sender is not the"
			    " booking's address and the reply is not threaded");
			break;
		}
		on_late_or_other_time(s, c, &b, r.verdict, r.rules, VIA_EMAIL,
		    r.message_id[0] ? r.message_id : NULL, now, o);
		break;
	case REPLY_STOP:
		/* no help message to someone who asked us to stop */
		snprintf(o->note, sizeof o->note, "asks to stop: shown to staff");
		break;
	case REPLY_AUTO:
		snprintf(o->note, sizeof o->note, "auto-reply: ignored");
		o->status = "ignored";
		break;
	case REPLY_QUESTION:
		snprintf(o->note, sizeof o->note, "a question: shown to staff");
		if (trusted && booking_status_live(b.status))
			send_help(s, c, &b, NOTIFY_QUESTION_NOTED, NOTIFY_EMAIL,
			    r.message_id[0] ? r.message_id : NULL, now, o);
		break;
	case REPLY_UNCLEAR:
	case REPLY_BOUNCE:
		snprintf(o->note, sizeof o->note, "reply not understood: shown to staff");
		if (trusted && booking_status_live(b.status))
			send_help(s, c, &b, NOTIFY_REPLY_HELP, NOTIFY_EMAIL,
			    r.message_id[0] ? r.message_id : NULL, now, o);
		break;
	}
out:
	reply_reading_free(&r);
}

static void
process_sms(struct store *s, const struct config *c, const struct inbox_message *msg,
    time_t now, struct reply_outcome *o)
{
	struct booking *open = NULL, *pick = NULL, offer;
	struct waitlist_entry entry;
	struct waitlist_reply w;
	struct reply_decision d;
	enum reply_verdict verdict;
	const char *reference;
	struct error err;
	size_t n = 0, i, pending = 0;

	error_clear(&err);
	if ((o->words = strndup(msg->raw, msg->raw_len)) == NULL)
		abort();
	reply_decide(msg->raw, msg->raw_len, &d);
	snprintf(o->rules, sizeof o->rules, "%s", d.rules);
	verdict = d.verdict;
	reference = d.reference;
	o->verdict = reply_verdict_name(verdict);
	o->status = "processed";
	if (verdict == REPLY_AUTO) {
		/* an autoresponder on the phone (driving, "can't talk"):
		 * never answered */
		o->status = "ignored";
		snprintf(o->note, sizeof o->note, "auto-reply: ignored");
		return;
	}
	if (verdict == REPLY_STOP) {
		if (store_sms_optout_add(s, msg->sender, now, &err) != 0) {
			/* a STOP must never be lost: try again */
			o->retry = true;
			snprintf(o->why, sizeof o->why, "%s", err.msg);
			return;
		}
		snprintf(o->note, sizeof o->note, "number opted out of SMS");
		log_info("sms opt-out inbox=%lld", (long long)msg->id);
		return;
	}
	if (store_bookings_open_by_phone(s, msg->sender, &open, &n, &err) !=
	    0) {
		/* an I/O error is no answer to "which bookings": retry later */
		o->retry = true;
		snprintf(o->why, sizeof o->why, "%s", err.msg);
		return;
	}
	/* the waitlist's questions first when they are the newest asked
	 * (replies_waitlist.h) */
	switch (replies_waitlist_sms(
	    s, msg->sender, reference, open, n, now, &offer, &entry, &err)) {
	case WAITLIST_PICK_OFFER: pick = &offer; break;
	case WAITLIST_PICK_ENTRY:
		memset(&w, 0, sizeof w);
		replies_waitlist_entry(
		    s, c, &entry, verdict, VIA_SMS, NULL, now, &w);
		waitlist_outcome(&w, o);
		if (w.offer_id > 0 && !o->retry &&
		    store_booking_get(s, w.offer_id, &offer, &err) == 0)
			pick = &offer;
		else if (w.offer_id > 0 && !o->retry) {
			o->retry = true;
			snprintf(o->why, sizeof o->why, "%s", err.msg);
		}
		if (pick == NULL) {
			free(open);
			return;
		}
		break;
	case WAITLIST_PICK_NONE: break;
	default:
		o->retry = true;
		snprintf(o->why, sizeof o->why, "%s", err.msg);
		free(open);
		return;
	}
	if (pick != NULL)
		goto picked;
	if (n == 0) {
		o->status = "ignored";
		snprintf(o->note, sizeof o->note, "no open booking for this number");
		free(open);
		return;
	}
	for (i = 0; i < n; i++) {
		if (reference[0] != '\0' && strcmp(open[i].reference, reference) == 0)
			pick = &open[i];
		if (awaits_yes(&open[i]))
			pending++;
	}
	if (pick == NULL && reference[0] == '\0') {
		if (n == 1)
			pick = &open[0];
		else if (pending == 1 && verdict == REPLY_CONFIRM)
			/* TAK can only mean the one booking that awaits it
			 * (a confirmation, or the answer to a move) */
			for (i = 0; i < n; i++)
				if (awaits_yes(&open[i]))
					pick = &open[i];
	}
	if (pick == NULL) {
		o->booking_id = open[0].id;
		snprintf(o->note, sizeof o->note, "several bookings: asked which");
		send_help(s, c, &open[0], NOTIFY_WHICH_BOOKING, NOTIFY_SMS,
		    NULL, now, o);
		free(open);
		return;
	}
picked:
	o->booking_id = pick->id;
	if (verdict == REPLY_CONFIRM || verdict == REPLY_CANCEL) {
		act(s, c, pick, verdict, VIA_SMS, NULL, now, o);
		if (d.asks && !o->retry)
			note_question(s, pick, VIA_SMS, d.rules, now, o);
	} else if (verdict == REPLY_LATE || verdict == REPLY_RESCHEDULE)
		on_late_or_other_time(
		    s, c, pick, verdict, d.rules, VIA_SMS, NULL, now, o);
	else if (verdict == REPLY_QUESTION) {
		snprintf(o->note, sizeof o->note, "a question: shown to staff");
		send_help(
		    s, c, pick, NOTIFY_QUESTION_NOTED, NOTIFY_SMS, NULL, now, o);
	} else {
		snprintf(o->note, sizeof o->note, "reply not understood: shown to staff");
		send_help(
		    s, c, pick, NOTIFY_REPLY_HELP, NOTIFY_SMS, NULL, now, o);
	}
	free(open);
}

int
replies_process(struct store *s, const struct config *c, time_t now, unsigned *handled,
    struct error *err)
{
	*handled = 0;
	for (;;) {
		struct inbox_message msg;
		struct reply_outcome o;

		if (store_inbox_next(s, &msg, err) != 0)
			return err->kind == ERROR_NOT_FOUND ? 0 : -1;
		memset(&o, 0, sizeof o);
		o.status = "ignored";
		o.verdict = "";
		if (strcmp(msg.channel, "sms") == 0)
			process_sms(s, c, &msg, now, &o);
		else
			process_mail(s, c, &msg, now, &o);
		if (o.retry) {
			/* left "new": the next round reads it again (in order:
			 * later replies of the same citizen wait behind it) */
			error_set(err, ERROR_TEMPORARY,
			    "reply inbox=%lld not handled"
			    " yet, will retry: %.180s",
			    (long long)msg.id, o.why);
			inbox_message_free(&msg);
			free(o.words);
			return -1;
		}
		if (o.rules[0] != '\0') {
			/* staff see why: the rules, never the words */
			size_t used = strlen(o.note);

			snprintf(o.note + used, sizeof o.note - used, " [%s]",
			    o.rules);
		}
		/* the words and the verdict, together */
		if (store_begin(s, err) != 0 ||
		    (o.words != NULL &&
		        store_inbox_set_words(s, msg.id, o.words, err) != 0) ||
		    store_inbox_mark(s, msg.id, o.status, o.booking_id,
		        o.verdict, o.note, err) != 0 ||
		    store_commit(s, err) != 0) {
			store_rollback(s);
			inbox_message_free(&msg);
			free(o.words);
			return -1;
		}
		free(o.words);
		log_info("reply handled inbox=%lld channel=%s booking=%lld verdict=%s status=%s",
		    (long long)msg.id, msg.channel, (long long)o.booking_id, o.verdict,
		    o.status);
		inbox_message_free(&msg);
		(*handled)++;
	}
}
