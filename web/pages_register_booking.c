/*
 * pages_register_booking.c: one booking in the register — its details,
 * what staff may do with it, its annotation, and its whole conversation
 * (lib/conversation.h): every message sent with its delivery status and
 * the failure it fell back from, every reply read with its verdict and
 * the citizen's own words, every staff action, in time order.
 *
 *   GET /staff/register/{ref}                  the page (one click from a
 *                                              register row)
 *   GET /api/v1/bookings/{ref}/messages        the conversation as JSON
 *
 * The API answers CONTRACT's [{"direction", "channel", "kind", "status",
 * "at", "text"}]: direction "out" (a message sent) or "in" (a reply read),
 * and beside them "staff" (an operator's action) and "event" (the
 * citizen's clicks, expiry, withdrawn messages); each entry also has id,
 * unix (the time in seconds), and as they apply sent_at, recipient,
 * fallback_of (out), verdict, note (in), actor (staff, event).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "booking.h"
#include "conversation.h"
#include "page.h"
#include "pages_register.h"
#include "staff.h"
#include "token.h"

/* the conversation's words for staff: "Wysłano", "Odebrano", … */
static const char *
direction_label(struct request *rq, enum talk_direction d)
{
	char key[40];

	snprintf(key, sizeof key, "reg_talk_%s", talk_direction_name(d));
	return page_t(rq, key);
}

/* a catalog word for a value if the catalog has one, else the value */
static const char *
word_for(struct request *rq, const char *prefix, const char *value)
{
	char key[64];
	const char *t;

	if (value[0] == '\0')
		return "";
	snprintf(key, sizeof key, "%s%s", prefix, value);
	t = page_t(rq, key);
	return t[0] != '\0' ? t : value;
}

static json_t *
talk_page_json(struct request *rq, const struct talk *t)
{
	char day[16], at[8], when[32];
	const char *text = t->text != NULL ? t->text : "";
	const char *nl = strchr(text, '\n');
	json_t *v;

	register_day_text(t->at, day);
	register_time_text(t->at, at);
	snprintf(when, sizeof when, "%s %s", day, at);
	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "when", when,
	    "direction", talk_direction_name(t->direction), "label",
	    direction_label(rq, t->direction), "channel",
	    word_for(rq, "reg_channel_", t->channel), "kind",
	    word_for(rq, t->direction == TALK_OUT ? "reg_kind_" : "reg_action_",
	        t->kind),
	    "text", text);
	/* a long text shows its first line and opens on demand */
	if (nl != NULL) {
		json_object_set_new(
		    v, "summary", json_stringn(text, (size_t)(nl - text)));
		json_object_set_new(v, "long", json_true());
	}
	if (t->direction == TALK_OUT)
		json_object_set_new(v, "state",
		    json_string(word_for(rq, "reg_out_", t->status)));
	if (t->direction == TALK_IN) {
		json_object_set_new(v, "state",
		    json_string(word_for(rq, "reg_verdict_", t->verdict)));
		json_object_set_new(v, "verdict", json_string(t->verdict));
	}
	if (t->note[0] != '\0')
		json_object_set_new(v, "note", json_string(t->note));
	if (t->actor[0] != '\0')
		json_object_set_new(v, "actor", json_string(t->actor));
	if (t->fallback_of > 0)
		json_object_set_new(v, "fallback", json_true());
	return v;
}

static void
booking_page(struct request *rq, struct response *rs)
{
	json_t *ctx = staff_context(rq, "/staff/register"), *talk, *b;
	struct conversation c;
	struct store *s = http_store(rq);
	struct error err;
	char day[16], at[8], back[64];
	size_t i;
	bool en = strcmp(rq->lang, "en") == 0, fits;

	error_clear(&err);
	if (s == NULL) {
		json_decref(ctx);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	if (!token_reference_valid(rq->captures[0]) ||
	    conversation_get(s, rq->captures[0], &c, &err) != 0) {
		json_decref(ctx);
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL)
			staff_message(
			    rq, rs, 503, "err_db_title", "err_db_text");
		else
			staff_message(rq, rs, 404, "reg_unknown_title",
			    "reg_unknown_text");
		return;
	}
	register_day_text(c.booking.start, day);
	register_time_text(c.booking.start, at);
	b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	              " s:s, s:s}",
	    "reference", c.booking.reference, "day", day, "time", at,
	    "first_name", c.booking.first_name, "last_name",
	    c.booking.last_name, "email", c.booking.email, "phone",
	    c.booking.phone, "code", c.booking.access_code, "service",
	    en && c.booking.service_name_en[0] ? c.booking.service_name_en
	                                       : c.booking.service_name,
	    "desk", c.booking.desk_name, "status",
	    booking_status_name(c.booking.status), "label",
	    register_status_label(rq, c.booking.status), "source",
	    word_for(rq, "reg_source_", c.booking.source));
	json_object_set_new(b, "note", json_string(c.booking.note));
	if (c.booking.move_answer[0] != '\0') {
		char key[40];

		snprintf(key, sizeof key, "reg_move_%s", c.booking.move_answer);
		json_object_set_new(b, "move", json_string(page_t(rq, key)));
	}
	if (register_booking_fits(s, &c.booking, &fits, &err) == 0)
		json_object_set_new(b, "fits", json_boolean(fits));
	json_object_set_new(b, "confirmable",
	    json_boolean(c.booking.status == BOOKING_PENDING));
	json_object_set_new(b, "cancellable",
	    json_boolean(
	        booking_action_legal(c.booking.status, ACTION_CANCEL)));
	json_object_set_new(
	    b, "movable", json_boolean(booking_status_open(c.booking.status)));
	talk = json_array();
	for (i = 0; i < c.n; i++)
		json_array_append_new(talk, talk_page_json(rq, &c.talk[i]));
	json_object_set_new(ctx, "b", b);
	/* a boolean, not {{#talk.0}}: a section on the first entry would
	 * lend its members to the entries that lack them */
	json_object_set_new(ctx, "has_talk", json_boolean(c.n > 0));
	json_object_set_new(ctx, "talk", talk);
	snprintf(back, sizeof back, "/staff/register/%s", c.booking.reference);
	json_object_set_new(ctx, "back", json_string(back));
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "reg_booking_title")));
	register_flash(rq, ctx);
	conversation_free(&c);
	staff_render(rq, rs, 200, "register_booking", ctx);
}

static json_t *
talk_json(const struct talk *t)
{
	char at[OTIME_LOCAL_LEN];
	json_t *v;

	otime_format(t->at, at);
	v = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "direction",
	    talk_direction_name(t->direction), "kind", t->kind, "status",
	    t->status, "at", at, "unix", (json_int_t)t->at, "text",
	    t->text != NULL ? t->text : "");
	json_object_set_new(v, "id", json_integer(t->id));
	json_object_set_new(v, "channel",
	    t->channel[0] != '\0' ? json_string(t->channel) : json_null());
	switch (t->direction) {
	case TALK_OUT:
		json_object_set_new(v, "recipient", json_string(t->recipient));
		if (t->sent_at != 0) {
			otime_format(t->sent_at, at);
			json_object_set_new(v, "sent_at", json_string(at));
		} else
			json_object_set_new(v, "sent_at", json_null());
		json_object_set_new(v, "fallback_of",
		    t->fallback_of > 0 ? json_integer(t->fallback_of)
		                       : json_null());
		json_object_set_new(v, "note", json_string(t->note));
		break;
	case TALK_IN:
		json_object_set_new(v, "verdict", json_string(t->verdict));
		json_object_set_new(v, "note", json_string(t->note));
		break;
	default: json_object_set_new(v, "actor", json_string(t->actor)); break;
	}
	return v;
}

static void
api_messages(struct request *rq, struct response *rs)
{
	struct conversation c;
	struct store *s;
	struct error err;
	json_t *list;
	size_t i;

	if (!token_reference_valid(rq->captures[0])) {
		http_json_error(rs, 404, "not_found", "No such booking.", NULL);
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (conversation_get(s, rq->captures[0], &c, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	list = json_array();
	for (i = 0; i < c.n; i++)
		json_array_append_new(list, talk_json(&c.talk[i]));
	conversation_free(&c);
	http_json(rs, 200, list);
}

const struct route register_booking_routes[] = {
    {"GET", "/staff/register/{}", booking_page, ROLE_STAFF, 0},
    {"GET", "/api/v1/bookings/{}/messages", api_messages, ROLE_STAFF, 0},
    {0},
};
