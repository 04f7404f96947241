/*
 * pages_reception.c: *Recepcja* — the building's door (lib/reception.h) as
 * a page and as the API of CONTRACT.md:
 *
 *   GET  /staff/reception                 the code field, who is inside,
 *                                         who waits outside
 *   POST /staff/reception  code=…         check in (a form: a QR scanner
 *                          [action=dequeue] types the code and Enter);
 *                                         the answer is the same page with
 *                                         the verdict and the field empty
 *                                         and focused again
 *   GET  /api/v1/reception                {"inside","max_inside","free",
 *                                          "queue":[…]}
 *   POST /api/v1/reception/check-in {"code"}  200 the booking, waiting;
 *                                         404 unknown_code; 409 full (with
 *                                         "position"), too_early (with
 *                                         "entry_from"), too_late,
 *                                         already_checked_in; 422
 *                                         code_invalid
 *   POST /api/v1/reception/dequeue  {"code"}  200; 404 not_queued
 *
 * The page works without JavaScript: every action is a form POST whose
 * answer is the whole page. A verdict says plainly what to tell the person
 * and what reception may do (README "Reception").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fill.h"
#include "page.h"
#include "reception.h"
#include "staff.h"

static void
hhmm(time_t t, char out[8])
{
	unsigned m = (unsigned)otime_minute_of_day(t) % 1440;

	snprintf(out, 8, "%02u:%02u", m / 60, m % 60);
}

static const char *
service_name(struct request *rq, const struct booking *b)
{
	return strcmp(rq->lang, "en") == 0 && b->service_name_en[0]
	           ? b->service_name_en
	           : b->service_name;
}

/* visit_json: what reception tells the person: time, service, room, desk */
static json_t *
visit_json(struct request *rq, const struct booking *b)
{
	char at[8];
	struct buf when = BUF_INIT;
	json_t *v;

	hhmm(b->start, at);
	page_when(rq, b->start, &when);
	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "code", b->access_code,
	    "time", at, "when", buf_cstr(&when), "service", service_name(rq, b),
	    "room", b->room, "desk", b->desk_name);
	buf_free(&when);
	return v;
}

/* verdict: the result of a check-in for the page: kind (a CSS modifier),
 * headline, text and advice, and the HTTP status */
static json_t *
verdict(struct request *rq, const struct reception_visit *v, int rc,
    const struct error *err, const char *typed, unsigned *status)
{
	json_t *r = json_object();
	char at[8], from[8], until[8], late[16], inside[16], max[16], pos[16];
	const char *code = err->code;

	hhmm(v->booking.start, at);
	hhmm(v->entry_from, from);
	hhmm(v->entry_until, until);
	snprintf(late, sizeof late, "%ld", v->late_minutes);
	snprintf(inside, sizeof inside, "%u", v->inside);
	snprintf(max, sizeof max, "%u", v->max_inside);
	snprintf(pos, sizeof pos, "%u", v->position);
	if (v->found)
		json_object_set_new(r, "visit", visit_json(rq, &v->booking));
	*status = 200;
	if (rc == 0) {
		json_object_set_new(r, "kind", json_string("ok"));
		json_object_set_new(r, "role", json_string("status"));
		page_fill_set(r, "headline", rq, "rc_ok", "code",
		    v->booking.access_code, (const char *)NULL);
		page_fill_set(r, "text", rq, "rc_ok_text", "room",
		    v->booking.room, "desk", v->booking.desk_name,
		    (const char *)NULL);
		if (v->late_minutes > 0)
			page_fill_set(r, "advice", rq, "rc_ok_late", "late",
			    late, "until", until, (const char *)NULL);
		else if (v->late_minutes < 0)
			page_fill_set(r, "advice", rq, "rc_ok_early", "time",
			    at, (const char *)NULL);
		return r;
	}
	json_object_set_new(r, "kind", json_string("stop"));
	json_object_set_new(r, "role", json_string("alert"));
	*status = 409;
	if (strcmp(code, "full") == 0) {
		json_object_set_new(r, "kind", json_string("wait"));
		page_fill_set(r, "headline", rq, "rc_full", (const char *)NULL);
		page_fill_set(r, "text", rq, "rc_full_text", "inside", inside,
		    "max", max, "position", pos, (const char *)NULL);
		page_fill_set(
		    r, "advice", rq, "rc_full_advice", (const char *)NULL);
	} else if (strcmp(code, "too_early") == 0) {
		page_fill_set(r, "headline", rq, "rc_too_early", "time", at,
		    "from", from, (const char *)NULL);
		page_fill_set(r, "advice", rq, "rc_too_early_advice", "from",
		    from, (const char *)NULL);
	} else if (strcmp(code, "too_late") == 0) {
		page_fill_set(r, "headline", rq, "rc_too_late", "late", late,
		    "time", at, "until", until, (const char *)NULL);
		page_fill_set(
		    r, "advice", rq, "rc_too_late_advice", (const char *)NULL);
	} else if (strcmp(code, "already_checked_in") == 0) {
		char in[8];

		hhmm(v->booking.checked_in_at, in);
		page_fill_set(r, "headline", rq, "rc_already", "at", in,
		    (const char *)NULL);
		page_fill_set(r, "advice", rq, "rc_already_advice", "status",
		    strcmp(rq->lang, "en") == 0
		        ? booking_status_label_en(v->booking.status)
		        : booking_status_label_pl(v->booking.status),
		    (const char *)NULL);
	} else if (strcmp(code, "unknown_code") == 0) {
		char digits[8];

		*status = 404;
		if (reception_code_normalize(typed, digits, NULL) != 0)
			digits[0] = '\0';
		page_fill_set(r, "headline", rq, "rc_unknown", "code", digits,
		    (const char *)NULL);
		page_fill_set(
		    r, "advice", rq, "rc_unknown_advice", (const char *)NULL);
	} else if (strcmp(code, "code_invalid") == 0) {
		*status = 422;
		page_fill_set(
		    r, "headline", rq, "rc_invalid", (const char *)NULL);
		page_fill_set(
		    r, "advice", rq, "rc_invalid_advice", (const char *)NULL);
	} else {
		*status = err->kind == ERROR_CONFLICT ? 409 : 500;
		json_object_set_new(
		    r, "headline", json_string(page_error_text(rq, err)));
	}
	return r;
}

/* door_json: who is inside and who waits outside, for the page */
static int
door_context(struct request *rq, struct store *s, json_t *ctx)
{
	struct reception_status st;
	struct error err;
	json_t *queue = json_array();
	size_t i;

	error_clear(&err);
	if (reception_status(s, rq->web->config, rq->now, &st, &err) != 0) {
		json_decref(queue);
		return -1;
	}
	for (i = 0; i < st.nqueue; i++) {
		const struct reception_queued *q = &st.queue[i];
		char at[8], since[8];

		hhmm(q->booking.start, at);
		hhmm(q->queued_at, since);
		json_array_append_new(queue,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "position",
		        (json_int_t)(i + 1), "code", q->booking.access_code,
		        "time", at, "service", service_name(rq, &q->booking),
		        "since", since, "may_enter", q->may_enter));
	}
	json_object_set_new(ctx, "inside", json_integer(st.inside));
	json_object_set_new(ctx, "max_inside", json_integer(st.max_inside));
	json_object_set_new(ctx, "free", json_integer(st.free));
	json_object_set_new(ctx, "limit", json_boolean(st.max_inside > 0));
	json_object_set_new(
	    ctx, "full", json_boolean(st.max_inside > 0 && st.free == 0));
	json_object_set_new(ctx, "queue", queue);
	reception_status_free(&st);
	return 0;
}

/* rules: the door's rule in words, with this office's numbers */
static void
rules(struct request *rq, json_t *ctx)
{
	const struct config *c = rq->web->config;
	char early[32], late[32], max[16];

	page_minutes(
	    rq, (long)(c->reception_check_in_early / 60), early, sizeof early);
	page_minutes(
	    rq, (long)(c->reception_check_in_late / 60), late, sizeof late);
	snprintf(max, sizeof max, "%u", c->reception_max_inside);
	page_fill_set(ctx, "rule_window", rq, "rc_rule_window", "early", early,
	    "late", late, (const char *)NULL);
	page_fill_set(ctx, "rule_late", rq, "rc_rule_late", (const char *)NULL);
	page_fill_set(ctx, "rule_limit", rq,
	    c->reception_max_inside > 0 ? "rc_rule_limit" : "rc_rule_no_limit",
	    "max", max, (const char *)NULL);
}

static void
render(struct request *rq, struct response *rs, unsigned status, json_t *result)
{
	json_t *ctx = staff_context(rq, "/staff/reception");
	struct store *s = http_store(rq);
	char now[8];

	hhmm(rq->now, now);
	json_object_set_new(ctx, "title", json_string(page_t(rq, "rc_title")));
	json_object_set_new(ctx, "now", json_string(now));
	if (result != NULL)
		json_object_set_new(ctx, "result", result);
	rules(rq, ctx);
	if (s == NULL || door_context(rq, s, ctx) != 0) {
		json_decref(ctx);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	staff_render(rq, rs, status, "reception", ctx);
}

static void
reception_page(struct request *rq, struct response *rs)
{
	render(rq, rs, 200, NULL);
}

static void
reception_post(struct request *rq, struct response *rs)
{
	const char *code = http_form(rq, "code");
	struct reception_visit v;
	struct store *s;
	struct error err;
	unsigned status = 200;
	json_t *result;
	int rc;

	if ((s = http_store(rq)) == NULL) {
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	error_clear(&err);
	if (strcmp(http_form(rq, "action"), "dequeue") == 0) {
		if (reception_dequeue(s, rq->web->config, code, &rq->actor,
		        rq->now, &err) == 0) {
			result = json_object();
			json_object_set_new(result, "kind", json_string("ok"));
			json_object_set_new(
			    result, "role", json_string("status"));
			char digits[8];

			if (reception_code_normalize(code, digits, NULL) != 0)
				digits[0] = '\0';
			page_fill_set(result, "headline", rq, "rc_dequeued",
			    "code", digits, (const char *)NULL);
		} else {
			status = err.kind == ERROR_NOT_FOUND ? 404 : 409;
			result =
			    json_pack("{s:s, s:s, s:s}", "kind", "stop", "role",
			        "alert", "headline", page_error_text(rq, &err));
		}
		render(rq, rs, status, result);
		return;
	}
	rc = reception_check_in(
	    s, rq->web->config, code, &rq->actor, rq->now, &v, &err);
	if (rc != 0 && (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL ||
	                   err.kind == ERROR_TEMPORARY)) {
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	result = verdict(rq, &v, rc, &err, code, &status);
	render(rq, rs, status, result);
}

/* ---- the API --------------------------------------------------------- */

static json_t *
visit_api_json(const struct reception_visit *v)
{
	json_t *b = api_booking_json(&v->booking, true);

	json_object_set_new(b, "room", json_string(v->booking.room));
	json_object_set_new(b, "desk_id", json_integer(v->booking.desk_id));
	json_object_set_new(b, "late_minutes", json_integer(v->late_minutes));
	json_object_set_new(b, "inside", json_integer(v->inside));
	json_object_set_new(b, "max_inside", json_integer(v->max_inside));
	return b;
}

/* body_code: the body's "code", or NULL after answering */
static const char *
body_code(struct request *rq, struct response *rs, json_t **body)
{
	const char *code = NULL;

	if ((*body = api_body_json(rq, rs)) == NULL ||
	    !api_member_string(*body, "code", &code, rs))
		return NULL;
	if (code == NULL)
		http_json_error(
		    rs, 422, "code_invalid", "code is required.", "code");
	return code;
}

static void
api_check_in(struct request *rq, struct response *rs)
{
	struct reception_visit v;
	struct store *s;
	struct error err;
	const char *code;
	json_t *body = NULL, *out;
	char when[OTIME_LOCAL_LEN];

	if ((code = body_code(rq, rs, &body)) == NULL ||
	    (s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (reception_check_in(
	        s, rq->web->config, code, &rq->actor, rq->now, &v, &err) == 0) {
		http_json(rs, 200, visit_api_json(&v));
		goto out;
	}
	if (err.kind != ERROR_CONFLICT || !v.found) {
		api_error(rs, &err);
		goto out;
	}
	/* a refusal at the door carries what reception needs to say */
	out = json_pack("{s:s, s:s, s:s, s:s}", "error", err.code, "message",
	    err.msg, "reference", v.booking.reference, "status",
	    booking_status_name(v.booking.status));
	otime_format(v.booking.start, when);
	json_object_set_new(out, "start", json_string(when));
	otime_format(v.entry_from, when);
	json_object_set_new(out, "entry_from", json_string(when));
	otime_format(v.entry_until, when);
	json_object_set_new(out, "entry_until", json_string(when));
	json_object_set_new(out, "late_minutes", json_integer(v.late_minutes));
	json_object_set_new(out, "inside", json_integer(v.inside));
	json_object_set_new(out, "max_inside", json_integer(v.max_inside));
	if (v.position > 0)
		json_object_set_new(out, "position", json_integer(v.position));
	http_json(rs, 409, out);
out:
	json_decref(body);
}

static void
api_dequeue(struct request *rq, struct response *rs)
{
	struct store *s;
	struct error err;
	const char *code;
	json_t *body = NULL;

	if ((code = body_code(rq, rs, &body)) == NULL ||
	    (s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (reception_dequeue(
	        s, rq->web->config, code, &rq->actor, rq->now, &err) != 0)
		api_error(rs, &err);
	else
		http_json(rs, 200, json_pack("{s:s}", "code", code));
out:
	json_decref(body);
}

static void
api_door(struct request *rq, struct response *rs)
{
	struct reception_status st;
	struct store *s;
	struct error err;
	json_t *queue;
	size_t i;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (reception_status(s, rq->web->config, rq->now, &st, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	queue = json_array();
	for (i = 0; i < st.nqueue; i++) {
		char since[OTIME_LOCAL_LEN];
		json_t *q = api_booking_json(&st.queue[i].booking, true);

		otime_format(st.queue[i].queued_at, since);
		json_object_set_new(
		    q, "code", json_string(st.queue[i].booking.access_code));
		json_object_set_new(q, "queued_at", json_string(since));
		json_object_set_new(
		    q, "may_enter", json_boolean(st.queue[i].may_enter));
		json_array_append_new(queue, q);
	}
	http_json(rs, 200,
	    json_pack("{s:I, s:I, s:I, s:o}", "inside", (json_int_t)st.inside,
	        "max_inside", (json_int_t)st.max_inside, "free",
	        (json_int_t)st.free, "queue", queue));
	reception_status_free(&st);
}

const struct route reception_routes[] = {
    {"GET", "/staff/reception", reception_page, ROLE_RECEPTION, 0},
    {"POST", "/staff/reception", reception_post, ROLE_RECEPTION, ROUTE_FORM},
    {"GET", "/api/v1/reception", api_door, ROLE_RECEPTION, 0},
    {"POST", "/api/v1/reception/check-in", api_check_in, ROLE_RECEPTION, 0},
    {"POST", "/api/v1/reception/dequeue", api_dequeue, ROLE_RECEPTION, 0},
    {0},
};
