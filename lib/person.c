/*
 * person.c: one citizen's data, exported or erased on request (person.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "booking_state.h"
#include "buf.h"
#include "email.h"
#include "person.h"
#include "phone.h"
#include "utf8.h"
#include "waitlist.h"

int
person_contact_parse(
    const char *text, struct person_contact *p, struct error *err)
{
	struct error ignored;

	memset(p, 0, sizeof *p);
	error_clear(&ignored);
	if (strchr(text, '@') != NULL) {
		if (email_normalize(
		        text, p->email, sizeof p->email, &ignored) != 0 ||
		    email_ascii(p->email, p->email_ascii, sizeof p->email_ascii,
		        &ignored) != 0)
			return error_set_code(err, ERROR_INVALID,
			    "contact_invalid", "contact",
			    "not an e-mail address wizyta would have taken");
		return 0;
	}
	if (phone_normalize(text, p->phone, sizeof p->phone, &ignored) != 0)
		return error_set_code(err, ERROR_INVALID, "contact_invalid",
		    "contact", "neither an e-mail address nor a phone number");
	return 0;
}

/* local: "YYYY-MM-DDTHH:MM" office time, or null for 0 */
static json_t *
local(time_t t)
{
	char text[OTIME_LOCAL_LEN];

	if (t == 0)
		return json_null();
	otime_format(t, text);
	return json_string(text);
}

/* text: any stored bytes as a JSON string (invalid UTF-8 → U+FFFD) */
static json_t *
text(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	json_t *v;

	if ((v = json_stringn(s, len)) != NULL)
		return v;
	utf8_sanitize(&b, s, len);
	v = json_stringn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return v;
}

static json_t *
message_json(const struct outbox_message *m)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o}", "channel",
	    m->channel, "kind", m->kind, "status",
	    outbox_status_name(m->status), "recipient", m->recipient, "created",
	    local(m->created_at), "sent", local(m->sent_at), "server_answer",
	    m->last_error, "content", text(m->payload, m->payload_len));
}

static json_t *
reply_json(const struct inbox_message *m)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o}", "channel",
	    m->channel, "sender", m->sender, "received", local(m->received_at),
	    "status", m->status, "verdict", m->verdict, "content",
	    text(m->raw, m->raw_len));
}

/* booking_json: the booking with its history, messages and replies */
static int
booking_json(struct store *s, const struct person_booking *pb, json_t **out,
    struct error *err)
{
	struct outbox_message *msgs = NULL;
	struct inbox_message *replies = NULL;
	struct booking_event *events = NULL;
	size_t nmsgs = 0, nreplies = 0, nevents = 0, i;
	json_t *history, *sent, *received;
	struct booking b;

	if (store_booking_get(s, pb->id, &b, err) != 0 ||
	    store_events_for_booking(s, b.id, &events, &nevents, err) != 0)
		return -1;
	if (store_outbox_list(s, NULL, b.id, 1000, &msgs, &nmsgs, err) != 0 ||
	    store_inbox_for_booking(s, b.id, &replies, &nreplies, err) != 0) {
		free(events);
		outbox_list_free(msgs, nmsgs);
		return -1;
	}
	history = json_array();
	for (i = 0; i < nevents; i++)
		json_array_append_new(history,
		    json_pack("{s:o, s:s, s:s, s:s}", "at", local(events[i].at),
		        "actor", events[i].actor, "action", events[i].action,
		        "detail", events[i].detail));
	sent = json_array();
	for (i = 0; i < nmsgs; i++)
		json_array_append_new(sent, message_json(&msgs[i]));
	received = json_array();
	for (i = 0; i < nreplies; i++)
		json_array_append_new(received, reply_json(&replies[i]));
	*out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s,"
	                 " s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
	    "reference", b.reference, "status", booking_status_name(b.status),
	    "service", b.service_name, "desk", b.desk_name, "start",
	    local(b.start), "end", local(b.end), "first_name", b.first_name,
	    "last_name", b.last_name, "email", b.email, "phone", b.phone,
	    "language", b.language, "access_code", b.access_code, "source",
	    b.source, "note", b.note, "created", local(b.created_at), "erased",
	    local(pb->erased_at), "history", history, "messages", sent,
	    "replies", received);
	free(events);
	outbox_list_free(msgs, nmsgs);
	inbox_list_free(replies, nreplies);
	return 0;
}

/* loose_json: messages and replies tied to no booking */
static int
loose_json(struct store *s, const struct person_contact *p, json_t *sent,
    json_t *received, struct error *err)
{
	int64_t *out_ids = NULL, *in_ids = NULL;
	size_t nout = 0, nin = 0, i;
	int rc = 0;

	if (store_person_loose(s, p->email, p->email_ascii, p->phone, &out_ids,
	        &nout, &in_ids, &nin, err) != 0)
		return -1;
	for (i = 0; rc == 0 && i < nout; i++) {
		struct outbox_message m;

		if ((rc = store_outbox_get(s, out_ids[i], &m, err)) == 0) {
			json_array_append_new(sent, message_json(&m));
			outbox_message_free(&m);
		}
	}
	for (i = 0; rc == 0 && i < nin; i++) {
		struct inbox_message m;

		if ((rc = store_inbox_get(s, in_ids[i], &m, err)) == 0) {
			json_array_append_new(received, reply_json(&m));
			inbox_message_free(&m);
		}
	}
	free(out_ids);
	free(in_ids);
	return rc;
}

/* waitlist_json: the person's waitlist entries (their messages are among
 * the messages tied to no booking) as doc's "waitlist" */
static int
waitlist_json(struct store *s, const struct person_contact *p, json_t *doc,
    struct error *err)
{
	struct waitlist_entry *list = NULL;
	char day[DATE_LEN];
	json_t *entries;
	size_t n = 0, i;

	if (store_waitlist_of_contact(s, p->email, p->phone, &list, &n, err) !=
	    0)
		return -1;
	entries = json_array();
	for (i = 0; i < n; i++) {
		const struct waitlist_entry *w = &list[i];

		date_format(w->day, day);
		json_array_append_new(entries,
		    json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s,"
		              " s:s, s:s, s:s, s:i, s:o, s:o}",
		        "reference", w->reference, "service", w->service_name,
		        "day", day, "window_from", w->window_from, "window_to",
		        w->window_to, "status", waitlist_status_name(w->status),
		        "first_name", w->first_name, "last_name", w->last_name,
		        "email", w->email, "phone", w->phone, "language",
		        w->language, "offer", w->offer_reference, "offers",
		        (int)w->offers, "joined", local(w->created_at), "left",
		        local(w->ended_at)));
	}
	free(list);
	return json_object_set_new(doc, "waitlist", entries);
}

/* accounts_json: the operator accounts whose own contact this is, as
 * doc's "operator_accounts" (operators are people too); *n how many */
static int
accounts_json(struct store *s, const struct person_contact *p, json_t *doc,
    size_t *n, struct error *err)
{
	struct person_account *list = NULL;
	json_t *accounts;
	size_t i;

	if (store_person_accounts(s, p->email, p->phone, &list, n, err) != 0)
		return -1;
	accounts = json_array();
	for (i = 0; i < *n; i++) {
		const struct account *a = &list[i].account;

		json_array_append_new(accounts,
		    json_pack("{s:s, s:s, s:s, s:b, s:o, s:s, s:s}", "login",
		        a->login, "name", a->display_name, "role",
		        role_name(a->role), "disabled", a->disabled, "created",
		        local(a->created_at), "email", list[i].email, "phone",
		        list[i].phone));
	}
	free(list);
	return json_object_set_new(doc, "operator_accounts", accounts);
}

/* accounts_refuse: ERROR_CONFLICT "operator_account" while an operator
 * account holds the contact as its own: an erasure of a citizen's data
 * never silently changes or leaves a staff account */
static int
accounts_refuse(
    struct store *s, const struct person_contact *p, struct error *err)
{
	struct person_account *list = NULL;
	struct buf logins = BUF_INIT;
	size_t n = 0, i;

	if (store_person_accounts(s, p->email, p->phone, &list, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		buf_printf(
		    &logins, "%s%s", i ? ", " : "", list[i].account.login);
	free(list);
	if (n == 0)
		return 0;
	error_set_code(err, ERROR_CONFLICT, "operator_account", NULL,
	    "operator account%s %s %s this contact as %s own: clear it first"
	    " (wizyta operator contact %s --clear; the account and its audit"
	    " trail stay), then erase",
	    n == 1 ? "" : "s", buf_cstr(&logins), n == 1 ? "holds" : "hold",
	    n == 1 ? "its" : "their", n == 1 ? buf_cstr(&logins) : "LOGIN");
	buf_free(&logins);
	return -1;
}

int
person_export(struct store *s, const struct person_contact *p,
    const struct actor *actor, time_t now, json_t **out, struct error *err)
{
	struct person_booking *list = NULL;
	json_t *doc, *bookings, *sent, *received, *one;
	char detail[96];
	time_t optout = 0;
	size_t n = 0, i, accounts = 0;

	*out = NULL;
	/* reads and the audit row in one transaction: the row says what was
	 * handed out */
	if (store_begin(s, err) != 0)
		return -1;
	if (store_person_bookings(s, p->email, p->phone, &list, &n, err) != 0 ||
	    (p->phone[0] != '\0' &&
	        store_sms_optout_at(s, p->phone, &optout, err) != 0))
		goto fail;
	bookings = json_array();
	sent = json_array();
	received = json_array();
	doc = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "email",
	    p->email, "phone", p->phone, "exported", local(now), "bookings",
	    bookings, "other_messages", sent, "other_replies", received,
	    "sms_optout", local(optout));
	for (i = 0; i < n; i++) {
		if (booking_json(s, &list[i], &one, err) != 0) {
			json_decref(doc);
			goto fail;
		}
		json_array_append_new(bookings, one);
	}
	if (loose_json(s, p, sent, received, err) != 0 ||
	    waitlist_json(s, p, doc, err) != 0 ||
	    accounts_json(s, p, doc, &accounts, err) != 0) {
		json_decref(doc);
		goto fail;
	}
	snprintf(detail, sizeof detail,
	    "bookings=%zu messages=%zu replies=%zu waitlist=%zu accounts=%zu",
	    n, json_array_size(sent), json_array_size(received),
	    json_array_size(json_object_get(doc, "waitlist")), accounts);
	if (audit_record(s, actor, "person.export", 0, NULL, NULL, detail, now,
	        err) != 0 ||
	    store_commit(s, err) != 0) {
		json_decref(doc);
		goto fail;
	}
	free(list);
	*out = doc;
	return 0;
fail:
	store_rollback(s);
	free(list);
	return -1;
}

int
person_erase(struct store *s, const struct person_contact *p,
    const struct actor *actor, time_t now, struct retention_report *r,
    unsigned *found, struct error *err)
{
	struct purge_counts *counts = &r->erased;
	struct person_booking *list = NULL;
	struct buf live = BUF_INIT;
	struct error later;
	char detail[160];
	size_t n = 0, i;

	memset(r, 0, sizeof *r);
	*found = 0;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_person_bookings(s, p->email, p->phone, &list, &n, err) != 0)
		goto fail;
	*found = (unsigned)n;
	for (i = 0; i < n; i++) {
		struct booking b;

		if (store_booking_get(s, list[i].id, &b, err) != 0)
			goto fail;
		if (booking_status_live(b.status) && b.end > now)
			buf_printf(
			    &live, "%s%s", live.len ? ", " : "", b.reference);
	}
	if (live.len > 0) {
		error_set_code(err, ERROR_CONFLICT, "live_bookings", NULL,
		    "live bookings %s: cancel them first (the citizen is told"
		    " and the place freed), then erase",
		    buf_cstr(&live));
		goto fail;
	}
	if (accounts_refuse(s, p, err) != 0)
		goto fail;
	/* the bookings' data first (their messages are found by recipient),
	 * then the waitlist's entries: one still in line leaves it */
	if (store_purge_contact(
	        s, p->email, p->email_ascii, p->phone, now, counts, err) != 0 ||
	    store_waitlist_purge_contact(
	        s, p->email, p->phone, now, &counts->waitlist, err) != 0)
		goto fail;
	snprintf(detail, sizeof detail,
	    "bookings=%u outbox=%u inbox=%u events=%u optouts=%u waitlist=%u",
	    counts->bookings, counts->outbox, counts->inbox, counts->events,
	    counts->optouts, counts->waitlist);
	if (audit_record(s, actor, "person.erase", 0, NULL, NULL, detail, now,
	        err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	free(list);
	buf_free(&live);
	/* the erased bytes leave the files now, or at wizytad's next try */
	error_clear(&later);
	r->compacted = retention_compact(s, &later) == 0;
	return 0;
fail:
	store_rollback(s);
	free(list);
	buf_free(&live);
	return -1;
}
