/* conversation.c: a booking's messages, replies and events in time order
 * (conversation.h), read in one snapshot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conversation.h"

static const char *const direction_names[] = {"in", "staff", "event", "out"};

const char *
talk_direction_name(enum talk_direction d)
{
	return (unsigned)d < sizeof direction_names / sizeof direction_names[0]
	           ? direction_names[d]
	           : "event";
}

/* an operator's role before the login: "staff:anna", "admin:adam" */
static bool
by_operator(const char *actor)
{
	return strncmp(actor, "staff:", 6) == 0 ||
	       strncmp(actor, "admin:", 6) == 0 ||
	       strncmp(actor, "reception:", 10) == 0;
}

/* at the same second: a reply, then each event of the booking (staff's
 * and the others' share one table, so their ids say the order) followed by
 * the messages it queued */
static int
talk_rank(enum talk_direction d)
{
	return d == TALK_IN ? 0 : d == TALK_OUT ? 2 : 1;
}

static int
talk_order(const void *a, const void *b)
{
	const struct talk *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if ((x->direction == TALK_IN) != (y->direction == TALK_IN))
		return x->direction == TALK_IN ? -1 : 1;
	if (x->cause != y->cause)
		return x->cause < y->cause ? -1 : 1;
	if (talk_rank(x->direction) != talk_rank(y->direction))
		return talk_rank(x->direction) < talk_rank(y->direction) ? -1
		                                                         : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static char *
dup_text(const char *s)
{
	char *d = strdup(s != NULL ? s : "");

	if (d == NULL)
		abort();
	return d;
}

int
conversation_get(struct store *s, const char *reference, struct conversation *c,
    struct error *err)
{
	struct said *said = NULL;
	struct heard *heard = NULL;
	struct booking_event *events = NULL;
	size_t nsaid = 0, nheard = 0, nevents = 0, i, k = 0;
	int rc = -1;

	memset(c, 0, sizeof *c);
	if (store_read_begin(s, err) != 0)
		return -1;
	if (store_booking_by_reference(s, reference, &c->booking, err) != 0) {
		if (err == NULL || err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_NOT_FOUND, "unknown_booking",
			    NULL, "No such booking.");
		goto out;
	}
	if (store_conversation_said(s, c->booking.id, &said, &nsaid, err) !=
	        0 ||
	    store_conversation_heard(s, c->booking.id, &heard, &nheard, err) !=
	        0 ||
	    store_events_for_booking(
	        s, c->booking.id, &events, &nevents, err) != 0)
		goto out;
	c->n = nsaid + nheard + nevents;
	if ((c->talk = calloc(c->n > 0 ? c->n : 1, sizeof *c->talk)) == NULL)
		abort();
	for (i = 0; i < nsaid; i++, k++) {
		struct talk *t = &c->talk[k];

		t->direction = TALK_OUT;
		t->at = said[i].created_at;
		t->sent_at = said[i].sent_at;
		t->id = said[i].id;
		memcpy(t->channel, said[i].channel, sizeof t->channel);
		snprintf(t->kind, sizeof t->kind, "%s", said[i].kind);
		snprintf(t->status, sizeof t->status, "%s", said[i].status);
		snprintf(t->note, sizeof t->note, "%s", said[i].last_error);
		snprintf(
		    t->recipient, sizeof t->recipient, "%s", said[i].recipient);
		t->fallback_of = said[i].fallback_of;
		t->cause = said[i].after_event;
		t->text = said[i].text;
		said[i].text = NULL;
	}
	for (i = 0; i < nheard; i++, k++) {
		struct talk *t = &c->talk[k];

		t->direction = TALK_IN;
		t->at = heard[i].received_at;
		t->id = heard[i].id;
		memcpy(t->channel, heard[i].channel, sizeof t->channel);
		snprintf(t->kind, sizeof t->kind, "reply");
		snprintf(t->status, sizeof t->status, "%s", heard[i].status);
		snprintf(t->verdict, sizeof t->verdict, "%s", heard[i].verdict);
		snprintf(t->note, sizeof t->note, "%s", heard[i].note);
		t->text = heard[i].words;
		heard[i].words = NULL;
	}
	for (i = 0; i < nevents; i++, k++) {
		struct talk *t = &c->talk[k];

		t->direction =
		    by_operator(events[i].actor) ? TALK_STAFF : TALK_EVENT;
		t->at = events[i].at;
		t->id = events[i].id;
		t->cause = events[i].id;
		snprintf(t->kind, sizeof t->kind, "%s", events[i].action);
		snprintf(t->actor, sizeof t->actor, "%s", events[i].actor);
		t->text = dup_text(events[i].detail);
	}
	qsort(c->talk, c->n, sizeof *c->talk, talk_order);
	rc = 0;
out:
	store_read_end(s);
	said_list_free(said, nsaid);
	heard_list_free(heard, nheard);
	free(events);
	if (rc != 0)
		conversation_free(c);
	return rc;
}

void
conversation_free(struct conversation *c)
{
	size_t i;

	for (i = 0; c->talk != NULL && i < c->n; i++)
		free(c->talk[i].text);
	free(c->talk);
	c->talk = NULL;
	c->n = 0;
}
