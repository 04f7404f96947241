/*
 * pages_waitlist.c: the waitlist for citizens (lib/waitlist.h), without
 * JavaScript, and its JSON API:
 *
 *   GET  /services/{id}/{date}/waitlist   the form (or why not: places
 *                                         are free, too late, closed)
 *   POST /services/{id}/{date}/waitlist   join → 303 /w/{ref}?t=…
 *   GET  /w/{ref}?t=                      the entry: place in line, its
 *                                         offer, the way out
 *   GET  /w/{ref}/leave?t=, POST          ask, then leave
 *   POST /api/v1/waitlist                 CONTRACT.md: 201 {"id",
 *                                         "position", …}, 409 places_free
 *   GET  /api/v1/waitlist/{ref}           status and position (no
 *                                         personal data)
 *   POST /api/v1/waitlist/{ref}/leave     {"contact"} like a booking's
 *                                         cancel
 *
 * The entry's pages need its token like a booking's (pages_ticket.c): the
 * reference alone shows nothing. The form is checked like the booking
 * form: rate limit, CSRF (the router), honeypot, signed display time,
 * every field problem at once, then the domain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "booking.h"
#include "log.h"
#include "notify.h"
#include "page.h"
#include "pages_book.h"
#include "plural.h"
#include "security.h"
#include "token.h"
#include "waitlist.h"

/* ---- what the pages share ----------------------------------------------- */

/* window_text: "10:00–12:00", or the catalog's "whole day" */
static void
window_text(struct request *rq, int from, int to, struct buf *out)
{
	char a[6], b[6];

	if (from <= 0 && to >= 24 * 60) {
		buf_puts(out, page_t(rq, "wl_whole_day"));
		return;
	}
	waitlist_format_time(from, a);
	waitlist_format_time(to, b);
	buf_printf(out, "%s–%s", a, b);
}

static void
entry_link(const struct waitlist_entry *e, const char *action,
    const char *extra, char *out, size_t size)
{
	snprintf(out, size, "/w/%s%s%s?t=%s%s", e->reference,
	    action[0] ? "/" : "", action, e->token, extra);
}

static const char *
entry_service(struct request *rq, const struct waitlist_entry *e)
{
	return strcmp(rq->lang, "en") == 0 && e->service_name_en[0]
	           ? e->service_name_en
	           : e->service_name;
}

static void
hold_text(struct request *rq, char *out, size_t size)
{
	plural_duration_case(rq->web->config->waitlist_hold, rq->lang,
	    PLURAL_ACCUSATIVE, out, size);
}

/* ---- the form -------------------------------------------------------------
 */

struct form_field {
	const char *name, *type, *autocomplete, *label_key, *hint_key;
	bool required;
};

static const struct form_field fields[] = {
    {"first_name", "text", "given-name", "f_first_name", NULL, true},
    {"last_name", "text", "family-name", "f_last_name", NULL, true},
    {"email", "email", "email", "f_email", "wl_email_hint", false},
    {"phone", "tel", "tel", "f_phone", "wl_phone_hint", false},
};

/* the day's possible starts, for the window's two lists */
static json_t *
window_options(struct request *rq, const struct service *sv, struct date day,
    const char *chosen, bool to, struct store *s)
{
	struct slot_window *w = NULL;
	struct error err;
	json_t *list = json_array();
	bool seen[24 * 60 + 1];
	size_t n = 0, i;
	int m;

	json_array_append_new(
	    list, json_pack("{s:s, s:s, s:b}", "value", "", "label",
	              page_t(rq, to ? "wl_to_any" : "wl_from_any"), "selected",
	              chosen[0] == '\0'));
	error_clear(&err);
	if (booking_day_windows(s, sv, day, &w, &n, &err) != 0)
		return list;
	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++)
		for (m = w[i].opens;
		     m + (int)sv->duration_minutes <= w[i].closes;
		     m += (int)sv->duration_minutes)
			seen[to ? m + (int)sv->duration_minutes : m] = true;
	free(w);
	for (m = 0; m <= 24 * 60; m++) {
		char text[6];

		if (!seen[m])
			continue;
		waitlist_format_time(m, text);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:b}", "value", text, "label",
		              text, "selected", strcmp(chosen, text) == 0));
	}
	return list;
}

/* the service and the day of the path, or an answer already filled */
static bool
load_service(struct request *rq, struct response *rs, struct store **s,
    struct service *sv, struct date *day)
{
	if (!page_public_service(rq, rs, s, rq->captures[0], sv))
		return false;
	if (date_parse(rq->captures[1], day) != 0) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return false;
	}
	return true;
}

/* form_render: the join form with the values sent, the field errors
 * (object name → text), a general problem, or why the day has no line */
static void
form_render(struct request *rq, struct response *rs, unsigned status,
    struct store *s, const struct service *sv, struct date day, json_t *errors,
    const char *general, const struct error *refused)
{
	bool post = strcmp(rq->method, "POST") == 0;
	char back[96], action[112], stamp[96], date_text[DATE_LEN], hold[48];
	struct buf label = BUF_INIT;
	json_t *ctx = page_context(rq), *list = json_array(),
	       *summary = json_array();
	const char *e;
	size_t i;

	date_format(day, date_text);
	snprintf(back, sizeof back, "/services/%lld/%s", (long long)sv->id,
	    date_text);
	snprintf(action, sizeof action, "%s/waitlist", back);
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const struct form_field *f = &fields[i];
		struct buf describedby = BUF_INIT;
		json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name",
		    f->name, "type", f->type, "autocomplete", f->autocomplete,
		    "label", page_t(rq, f->label_key), "value",
		    post ? http_form(rq, f->name) : "", "required",
		    f->required);

		if (f->hint_key != NULL) {
			json_object_set_new(
			    v, "hint", json_string(page_t(rq, f->hint_key)));
			buf_printf(&describedby, "f-%s-hint", f->name);
		}
		if ((e = json_string_value(json_object_get(errors, f->name))) !=
		    NULL) {
			json_object_set_new(v, "error", json_string(e));
			json_array_append_new(
			    summary, json_pack("{s:s, s:s}", "name", f->name,
			                 "error", e));
			buf_printf(&describedby, "%sf-%s-error",
			    describedby.len > 0 ? " " : "", f->name);
		}
		if (describedby.len > 0)
			json_object_set_new(v, "describedby",
			    json_string(buf_cstr(&describedby)));
		buf_free(&describedby);
		json_array_append_new(list, v);
	}
	for (i = 0; i < 3; i++) {
		static const char *const names[] = {"from", "to", "consent"};

		if ((e = json_string_value(
		         json_object_get(errors, names[i]))) == NULL)
			continue;
		json_object_set_new(ctx,
		    i == 0   ? "from_error"
		    : i == 1 ? "to_error"
		             : "consent_error",
		    json_string(e));
		json_array_append_new(summary,
		    json_pack("{s:s, s:s}", "name", names[i], "error", e));
	}
	json_object_set_new(ctx, "fields", list);
	if (json_array_size(summary) > 0)
		json_object_set_new(ctx, "summary", summary);
	else
		json_decref(summary);
	if (general != NULL)
		json_object_set_new(ctx, "general", json_string(general));
	if (refused != NULL) {
		json_object_set_new(
		    ctx, "refused", json_string(page_error_text(rq, refused)));
		json_object_set_new(ctx, "free",
		    json_boolean(strcmp(refused->code, "places_free") == 0));
	} else {
		json_object_set_new(ctx, "from_options",
		    window_options(rq, sv, day,
		        post ? http_form(rq, "from") : "", false, s));
		json_object_set_new(ctx, "to_options",
		    window_options(
		        rq, sv, day, post ? http_form(rq, "to") : "", true, s));
	}
	json_object_set_new(ctx, "service",
	    json_pack("{s:I, s:s}", "id", (json_int_t)sv->id, "name",
	        service_label(rq, sv)));
	notify_format_date(day, rq->lang, &label);
	json_object_set_new(ctx, "day", json_string(buf_cstr(&label)));
	buf_free(&label);
	hold_text(rq, hold, sizeof hold);
	json_object_set_new(ctx, "hold", json_string(hold));
	json_object_set_new(ctx, "back", json_string(back));
	json_object_set_new(ctx, "action", json_string(action));
	if (post && http_form(rq, "stamp")[0] != '\0' &&
	    strlen(http_form(rq, "stamp")) < sizeof stamp &&
	    stamp_check(rq->web, http_form(rq, "stamp"), rq->now) >= 0)
		snprintf(stamp, sizeof stamp, "%s", http_form(rq, "stamp"));
	else
		stamp_make(rq->web, rq->now, stamp, sizeof stamp);
	json_object_set_new(ctx, "stamp", json_string(stamp));
	json_object_set_new(ctx, "consent_checked",
	    json_boolean(post && http_form(rq, "consent")[0] != '\0'));
	json_object_set_new(ctx, "title",
	    json_string(
	        page_t(rq, json_object_size(errors) > 0 || general != NULL
	                       ? "wl_join_title_error"
	                       : "wl_join_title")));
	page_render(rq, rs, status, "waitlist_join", ctx);
}

static void
join_page(struct request *rq, struct response *rs)
{
	struct service sv;
	struct store *s;
	struct error err;
	struct date day;

	if (!load_service(rq, rs, &s, &sv, &day))
		return;
	error_clear(&err);
	/* a window may still wait where free places lie outside it: the
	 * form is shown then too, with the free places named */
	if (waitlist_day_check(s, rq->web->config, sv.id, day, 0, 24 * 60,
	        rq->now, &err) != 0 &&
	    strcmp(err.code, "places_free") != 0) {
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL) {
			page_db_error(rq, rs, &err);
			return;
		}
		form_render(rq, rs, 200, s, &sv, day, NULL, NULL, &err);
		return;
	}
	form_render(rq, rs, 200, s, &sv, day, NULL,
	    err.code[0] != '\0' ? page_t(rq, "wl_some_free") : NULL, NULL);
}

/* form_errors: every problem of the posted form at once: the person's
 * (as the booking form's) and the window's */
static json_t *
form_errors(struct request *rq, const struct waitlist_request *r)
{
	struct booking_request br;
	json_t *errors;
	int from, to;

	memset(&br, 0, sizeof br);
	br.first_name = r->first_name;
	br.last_name = r->last_name;
	br.email = r->email;
	br.phone = r->phone;
	errors =
	    page_person_errors(rq, &br, "wl_err_contact", "wl_err_consent");
	if (r->from[0] != '\0' && waitlist_parse_time(r->from, &from) != 0)
		json_object_set_new(errors, "from",
		    json_string(page_t(rq, "err_time_invalid")));
	if (r->to[0] != '\0' && waitlist_parse_time(r->to, &to) != 0)
		json_object_set_new(
		    errors, "to", json_string(page_t(rq, "err_time_invalid")));
	else if (r->from[0] != '\0' && r->to[0] != '\0' &&
	         waitlist_parse_time(r->from, &from) == 0 && from >= to)
		json_object_set_new(errors, "to",
		    json_string(page_t(rq, "err_window_invalid")));
	return errors;
}

static void
join_post(struct request *rq, struct response *rs)
{
	struct waitlist_request r;
	struct waitlist_entry e;
	struct actor citizen;
	struct service sv;
	struct store *s;
	struct error err;
	struct date day;
	char date_text[DATE_LEN], location[128];
	json_t *errors;
	int st;

	if (rate_limited(rq, rs, "book", false))
		return;
	if (!load_service(rq, rs, &s, &sv, &day))
		return;
	if (http_form(rq, "website")[0] != '\0') {
		log_info(
		    "web: waitlist form honeypot filled client=%s", rq->client);
		page_message(rq, rs, 400, "err_bot_title", "err_bot_text");
		return;
	}
	if ((st = stamp_check(rq->web, http_form(rq, "stamp"), rq->now)) != 0) {
		form_render(rq, rs, 400, s, &sv, day, NULL,
		    page_t(rq, st > 0 ? "err_too_fast" : "err_form_stale"),
		    NULL);
		return;
	}
	date_format(day, date_text);
	memset(&r, 0, sizeof r);
	r.service_id = sv.id;
	r.date = date_text;
	r.from = http_form(rq, "from");
	r.to = http_form(rq, "to");
	r.first_name = http_form(rq, "first_name");
	r.last_name = http_form(rq, "last_name");
	r.email = http_form(rq, "email");
	r.phone = http_form(rq, "phone");
	r.language = rq->lang;
	r.client = rq->client;
	errors = form_errors(rq, &r);
	if (json_object_size(errors) > 0) {
		form_render(rq, rs, 422, s, &sv, day, errors, NULL, NULL);
		json_decref(errors);
		return;
	}
	error_clear(&err);
	citizen = actor_citizen(VIA_WEB, rq->client);
	if (waitlist_join(
	        s, rq->web->config, &r, &citizen, rq->now, &e, &err) != 0) {
		switch (err.kind) {
		case ERROR_INVALID:
			if (strcmp(err.field, "from") == 0 ||
			    strcmp(err.field, "to") == 0 ||
			    strcmp(err.field, "first_name") == 0 ||
			    strcmp(err.field, "last_name") == 0 ||
			    strcmp(err.field, "email") == 0 ||
			    strcmp(err.field, "phone") == 0) {
				json_object_set_new(errors, err.field,
				    json_string(page_error_text(rq, &err)));
				form_render(rq, rs, 422, s, &sv, day, errors,
				    NULL, NULL);
			} else
				form_render(
				    rq, rs, 422, s, &sv, day, NULL, NULL, &err);
			break;
		case ERROR_CONFLICT:
		case ERROR_LIMIT:
			form_render(rq, rs,
			    err.kind == ERROR_LIMIT &&
			            strcmp(err.code, "too_many_waitlists") != 0
			        ? 429
			        : 409,
			    s, &sv, day, NULL, page_error_text(rq, &err), NULL);
			break;
		case ERROR_NOT_FOUND:
			page_message(rq, rs, 404, "err_service_title",
			    "err_service_text");
			break;
		default: page_db_error(rq, rs, &err); break;
		}
		json_decref(errors);
		return;
	}
	json_decref(errors);
	entry_link(&e, "", "&done=joined", location, sizeof location);
	http_redirect(rs, location);
}

/* ---- the entry ------------------------------------------------------------
 */

static bool
load_entry(struct request *rq, struct response *rs, struct store **s,
    struct waitlist_entry *e)
{
	const char *t = strcmp(rq->method, "POST") == 0 ? http_form(rq, "t")
	                                                : http_query(rq, "t");
	struct error err;

	if ((*s = http_store(rq)) == NULL) {
		page_db_error(rq, rs, NULL);
		return false;
	}
	error_clear(&err);
	if (t == NULL || t[0] == '\0' ||
	    waitlist_get(*s, rq->captures[0], e, &err) != 0 ||
	    !token_equal(t, e->token)) {
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL) {
			page_db_error(rq, rs, &err);
			return false;
		}
		page_message(rq, rs, 404, "err_link_title", "err_link_text");
		return false;
	}
	return true;
}

static json_t *
entry_context(
    struct request *rq, struct store *s, const struct waitlist_entry *e)
{
	char key[48], link[160], hold[48];
	struct buf day = BUF_INIT, window = BUF_INIT;
	json_t *ctx = page_context(rq);
	struct booking offer;

	notify_format_date(e->day, rq->lang, &day);
	window_text(rq, e->window_from, e->window_to, &window);
	json_object_set_new(ctx, "reference", json_string(e->reference));
	json_object_set_new(ctx, "token", json_string(e->token));
	json_object_set_new(ctx, "service", json_string(entry_service(rq, e)));
	json_object_set_new(ctx, "day", json_string(buf_cstr(&day)));
	json_object_set_new(ctx, "window", json_string(buf_cstr(&window)));
	snprintf(
	    key, sizeof key, "wl_status_%s", waitlist_status_name(e->status));
	json_object_set_new(ctx, "status", json_string(page_t(rq, key)));
	snprintf(key, sizeof key, "wl_status_%s_text",
	    waitlist_status_name(e->status));
	json_object_set_new(ctx, "status_text", json_string(page_t(rq, key)));
	json_object_set_new(
	    ctx, "active", json_boolean(waitlist_status_active(e->status)));
	if (e->status == WAITLIST_WAITING)
		json_object_set_new(ctx, "position", json_integer(e->position));
	if (e->email[0] != '\0')
		json_object_set_new(ctx, "email", json_string(e->email));
	if (e->phone[0] != '\0')
		json_object_set_new(ctx, "phone", json_string(e->phone));
	hold_text(rq, hold, sizeof hold);
	json_object_set_new(ctx, "hold", json_string(hold));
	/* an open offer: the way to it (its own page takes TAK and NIE) */
	if (e->status == WAITLIST_OFFERED && e->booking_id > 0 &&
	    store_booking_get(s, e->booking_id, &offer, NULL) == 0 &&
	    booking_is_offer(&offer)) {
		struct buf when = BUF_INIT;
		char until[6];

		page_when(rq, offer.start, &when);
		waitlist_format_time(
		    otime_minute_of_day(offer.confirm_by), until);
		page_booking_link(&offer, "", "", link, sizeof link);
		json_object_set_new(ctx, "offer",
		    json_pack("{s:s, s:s, s:s, s:s}", "when", buf_cstr(&when),
		        "desk", offer.desk_name, "until", until, "link", link));
		buf_free(&when);
	}
	entry_link(e, "leave", "", link, sizeof link);
	json_object_set_new(ctx, "leave_link", json_string(link));
	entry_link(e, "", "", link, sizeof link);
	json_object_set_new(ctx, "entry_link", json_string(link));
	buf_free(&day);
	buf_free(&window);
	return ctx;
}

static void
entry_page(struct request *rq, struct response *rs)
{
	const char *done = http_query(rq, "done");
	struct waitlist_entry e;
	struct store *s;
	json_t *ctx;

	if (!load_entry(rq, rs, &s, &e))
		return;
	ctx = entry_context(rq, s, &e);
	if (done != NULL &&
	    (strcmp(done, "joined") == 0 || strcmp(done, "left") == 0)) {
		char key[32];

		snprintf(key, sizeof key, "wl_done_%s", done);
		json_object_set_new(ctx, "done", json_string(page_t(rq, key)));
		json_object_set_new(
		    ctx, "joined", json_boolean(strcmp(done, "joined") == 0));
	}
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "wl_entry_title")));
	page_render(rq, rs, 200, "waitlist_entry", ctx);
}

static void
leave_page(struct request *rq, struct response *rs)
{
	struct waitlist_entry e;
	struct store *s;
	json_t *ctx;

	if (!load_entry(rq, rs, &s, &e))
		return;
	if (!waitlist_status_active(e.status)) {
		char link[160];

		entry_link(&e, "", "", link, sizeof link);
		http_redirect(rs, link);
		return;
	}
	ctx = entry_context(rq, s, &e);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "wl_leave_title")));
	page_render(rq, rs, 200, "waitlist_leave", ctx);
}

static void
leave_post(struct request *rq, struct response *rs)
{
	struct actor citizen = actor_citizen(VIA_WEB, rq->client);
	struct waitlist_entry e;
	struct store *s;
	struct error err;
	char link[160];

	if (rate_limited(rq, rs, "lookup", false))
		return;
	if (!load_entry(rq, rs, &s, &e))
		return;
	error_clear(&err);
	if (waitlist_leave(s, rq->web->config, e.reference, &citizen, rq->now,
	        &e, &err) != 0) {
		if (err.kind == ERROR_CONFLICT) {
			entry_link(&e, "", "", link, sizeof link);
			http_redirect(rs, link);
		} else
			page_db_error(rq, rs, &err);
		return;
	}
	entry_link(&e, "", "&done=left", link, sizeof link);
	http_redirect(rs, link);
}

/* ---- the API --------------------------------------------------------------
 */

static json_t *
entry_json(const struct waitlist_entry *e)
{
	char date[DATE_LEN], from[6], to[6];

	date_format(e->day, date);
	waitlist_format_time(e->window_from, from);
	waitlist_format_time(e->window_to, to);
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "id",
	    (json_int_t)e->id, "reference", e->reference, "status",
	    waitlist_status_name(e->status), "position",
	    (json_int_t)e->position, "service_id", (json_int_t)e->service_id,
	    "service", e->service_name, "date", date, "from", from, "to", to);
}

/* the waitlist's limits: per contact a state of it (409), per address one
 * that clears with time (429) */
static void
waitlist_api_error(struct response *rs, const struct error *err)
{
	if (err->kind == ERROR_LIMIT &&
	    strcmp(err->code, "too_many_waitlists") == 0)
		http_json_error(rs, 409, err->code, err->msg, NULL);
	else
		api_error(rs, err);
}

static void
api_join(struct request *rq, struct response *rs)
{
	struct waitlist_request r;
	struct waitlist_entry e;
	struct store *s;
	struct error err;
	json_t *body, *sid;

	if (rate_limited(rq, rs, "book", true))
		return;
	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	memset(&r, 0, sizeof r);
	sid = json_object_get(body, "service_id");
	if (!json_is_integer(sid) || json_integer_value(sid) <= 0) {
		http_json_error(rs, 422, "invalid",
		    "service_id must be a positive integer.", "service_id");
		goto out;
	}
	r.service_id = json_integer_value(sid);
	if (!api_member_string(body, "date", &r.date, rs) ||
	    !api_member_string(body, "first_name", &r.first_name, rs) ||
	    !api_member_string(body, "last_name", &r.last_name, rs) ||
	    !api_member_string(body, "email", &r.email, rs) ||
	    !api_member_string(body, "phone", &r.phone, rs) ||
	    !api_member_string(body, "from", &r.from, rs) ||
	    !api_member_string(body, "to", &r.to, rs) ||
	    !api_member_string(body, "language", &r.language, rs))
		goto out;
	r.client = rq->client;
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	/* with a staff token: on a citizen's behalf, without the limits */
	if (waitlist_join(
	        s, rq->web->config, &r, &rq->actor, rq->now, &e, &err) != 0) {
		waitlist_api_error(rs, &err);
		goto out;
	}
	http_json(rs, 201, entry_json(&e));
out:
	json_decref(body);
}

static bool
api_entry(struct request *rq, struct response *rs, struct store *s,
    struct waitlist_entry *e)
{
	struct error err;

	error_clear(&err);
	if (waitlist_get(s, rq->captures[0], e, &err) == 0)
		return true;
	if (err.kind == ERROR_NOT_FOUND)
		http_json_error(
		    rs, 404, "not_found", "No such waitlist entry.", NULL);
	else
		api_error(rs, &err);
	return false;
}

static void
api_get(struct request *rq, struct response *rs)
{
	struct waitlist_entry e;
	struct store *s;

	if (rate_limited(rq, rs, "lookup", true))
		return;
	if ((s = api_store(rq, rs)) == NULL || !api_entry(rq, rs, s, &e))
		return;
	http_json(rs, 200, entry_json(&e));
}

static void
api_leave(struct request *rq, struct response *rs)
{
	struct actor citizen = actor_citizen(VIA_API, rq->client);
	struct waitlist_entry e;
	const char *contact;
	struct store *s;
	struct error err;
	json_t *body;

	if (rate_limited(rq, rs, "lookup", true))
		return;
	if ((contact = api_contact_body(rq, rs, &body)) == NULL)
		goto out;
	if ((s = api_store(rq, rs)) == NULL || !api_entry(rq, rs, s, &e))
		goto out;
	/* a wrong contact is as unknown as a wrong reference */
	if (!waitlist_check_contact(&e, contact)) {
		http_json_error(
		    rs, 404, "not_found", "No such waitlist entry.", NULL);
		goto out;
	}
	error_clear(&err);
	if (waitlist_leave(s, rq->web->config, e.reference, &citizen, rq->now,
	        &e, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 200, entry_json(&e));
out:
	json_decref(body);
}

const struct route waitlist_routes[] = {
    {"GET", "/services/{}/{}/waitlist", join_page, ROLE_PUBLIC, 0},
    {"POST", "/services/{}/{}/waitlist", join_post, ROLE_PUBLIC, ROUTE_FORM},
    {"GET", "/w/{}", entry_page, ROLE_PUBLIC, 0},
    {"GET", "/w/{}/leave", leave_page, ROLE_PUBLIC, 0},
    {"POST", "/w/{}/leave", leave_post, ROLE_PUBLIC, ROUTE_FORM},
    {"POST", "/api/v1/waitlist", api_join, ROLE_PUBLIC, 0},
    {"GET", "/api/v1/waitlist/{}", api_get, ROLE_PUBLIC, 0},
    {"POST", "/api/v1/waitlist/{}/leave", api_leave, ROLE_PUBLIC, 0},
    {0},
};
