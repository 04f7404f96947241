/*
 * pages_desk.c: Mój punkt obsługi — the clerk's desk panel and its API.
 *
 *   GET  /staff/desk[?date=YYYY-MM-DD][&change=1]  the day plan / the picker
 *   GET  /staff/desk/plan[?date=]                  the plan alone (desk.js)
 *   POST /staff/desk/select   desk_id              Zmień stanowisko
 *   POST /staff/desk/action   reference, action    Przywołaj, Rozpocznij,
 *                                                  Zakończ, Rezerwacja
 *                                                  niezrealizowana
 *   POST /staff/desk/next                          Wezwij następnego
 *   GET  /api/v1/desks                             the desks
 *   GET  /api/v1/desks/{id}/day?date=              a desk's day, with the
 *                                                  actions allowed now
 *   PUT  /api/v1/staff/me/desk {"desk_id"}         choose the desk
 *
 * The desk is the operator's (accounts.desk_id), not the browser
 * session's: a clerk who signs in again, or drives the API with a token,
 * is at the same desk; changing it is audited ("desk.select").
 *
 * The page offers only the actions booking_action_allowed() allows now;
 * the domain decides again when they come. Without JavaScript every
 * button is a form that POSTs and comes back (303) with what happened;
 * with it, desk.js listens to /staff/desk/events and reloads the plan
 * alone when something changed elsewhere (reception, another desk, a
 * citizen's "running late" reply).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "booking.h"
#include "log.h"
#include "page.h"
#include "staff.h"
#include "template.h"

static const struct {
	enum booking_action action;
	const char *name, *key;
} desk_actions[] = {
    {ACTION_CALL, "call", "desk_call"},
    {ACTION_START, "start", "desk_start"},
    {ACTION_FINISH, "finish", "desk_finish"},
    {ACTION_NO_SHOW, "no_show", "desk_no_show"},
};

#define NACTIONS (sizeof desk_actions / sizeof desk_actions[0])

int
api_desk_get(struct store *s, int64_t id, struct desk *out, struct error *err)
{
	struct desk *desks = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (store_desks_list(s, &desks, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (desks[i].id == id) {
			*out = desks[i];
			rc = 0;
		}
	free(desks);
	if (rc != 0)
		error_set_code(err, ERROR_NOT_FOUND, "unknown_desk", "desk_id",
		    "No such desk.");
	return rc;
}

/* the day's bookings at the desk, in time order, without the unconfirmed
 * and the expired (they never reach a desk) */
static int
desk_day(struct store *s, int64_t desk_id, struct date day,
    struct booking **out, size_t *n, struct error *err)
{
	struct booking_filter f;
	size_t i, kept = 0;

	memset(&f, 0, sizeof f);
	f.from = f.to = day;
	f.desk_id = desk_id;
	f.status = -1;
	f.limit = 2000;
	if (store_bookings_search(s, &f, out, n, err) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		if ((*out)[i].status != BOOKING_PENDING &&
		    (*out)[i].status != BOOKING_EXPIRED)
			(*out)[kept++] = (*out)[i];
	*n = kept;
	return 0;
}

static time_t
late_of(const struct booking_mark *m, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (m[i].booking_id == id)
			return m[i].at;
	return 0;
}

/* the date of ?date= (today when absent); false when it is not a date */
static bool
plan_date(struct request *rq, struct date *day)
{
	const char *v = http_query(rq, "date");

	*day = date_of(rq->now);
	return v == NULL || v[0] == '\0' || date_parse(v, day) == 0;
}

static void
hhmm(time_t t, char out[16])
{
	int m = otime_minute_of_day(t);

	snprintf(out, 16, "%02d:%02d", (m / 60) % 24, m % 60);
}

/* "wtorek, 8 grudnia 2026" */
static void
day_words(struct request *rq, struct date day, struct buf *out)
{
	time_t noon;
	char *comma;

	if (otime_make(day, 12 * 60, &noon) != 0)
		return;
	page_when(rq, noon, out);
	if ((comma = strrchr(out->data, ',')) != NULL) { /* ", 12:00" */
		*comma = '\0';
		out->len = (size_t)(comma - out->data);
	}
}

/* plan_context: the plan of the operator's desk on day, into ctx */
static int
plan_context(struct request *rq, struct store *s, const struct desk *desk,
    struct date day, json_t *ctx, struct error *err)
{
	struct booking *b = NULL;
	struct booking_mark *marks = NULL;
	size_t n = 0, nmarks = 0, i, k;
	unsigned waiting = 0;
	json_t *rows = json_array();
	char date[DATE_LEN], t[16];
	struct buf words = BUF_INIT;
	bool today = date_compare(day, date_of(rq->now)) == 0;

	if (desk_day(s, desk->id, day, &b, &n, err) != 0 ||
	    store_day_marks(s, day, "reply_late", &marks, &nmarks, err) != 0 ||
	    store_desk_waiting(s, desk->id, day, &waiting, err) != 0) {
		free(b);
		free(marks);
		json_decref(rows);
		return -1;
	}
	for (i = 0; i < n; i++) {
		json_t *row, *actions = json_array();
		time_t late = late_of(marks, nmarks, b[i].id);

		for (k = 0; k < NACTIONS; k++) {
			const char *key = desk_actions[k].key;

			if (!booking_action_allowed(rq->web->config, &b[i],
			        desk_actions[k].action, &rq->actor, rq->now))
				continue;
			if (desk_actions[k].action == ACTION_CALL &&
			    b[i].status == BOOKING_CALLED)
				key = "desk_recall";
			json_array_append_new(actions,
			    json_pack("{s:s, s:s, s:b}", "action",
			        desk_actions[k].name, "label", page_t(rq, key),
			        "quiet",
			        desk_actions[k].action == ACTION_NO_SHOW));
		}
		hhmm(b[i].start, t);
		row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
		    "reference", b[i].reference, "time", t, "code",
		    b[i].access_code, "first_name", b[i].first_name,
		    "last_name", b[i].last_name, "service",
		    strcmp(rq->lang, "en") == 0 && b[i].service_name_en[0]
		        ? b[i].service_name_en
		        : b[i].service_name,
		    "status", booking_status_name(b[i].status), "label",
		    strcmp(rq->lang, "en") == 0
		        ? booking_status_label_en(b[i].status)
		        : booking_status_label_pl(b[i].status),
		    "actions", actions);
		if (b[i].note[0] != '\0')
			json_object_set_new(
			    row, "note", json_string(b[i].note));
		if (late != 0) {
			hhmm(late, t);
			json_object_set_new(row, "late", json_string(t));
		}
		if (b[i].delay_notified > 0) /* lib/delay.h */
			json_object_set_new(row, "delay",
			    json_integer(b[i].delay_notified / 60));
		if (b[i].status == BOOKING_CALLED ||
		    b[i].status == BOOKING_IN_SERVICE)
			json_object_set_new(row, "current", json_true());
		json_array_append_new(rows, row);
	}
	free(b);
	free(marks);
	date_format(date_add_days(day, -1), date);
	json_object_set_new(ctx, "prev", json_string(date));
	date_format(date_add_days(day, 1), date);
	json_object_set_new(ctx, "next", json_string(date));
	date_format(day, date);
	day_words(rq, day, &words);
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "date", json_string(date));
	json_object_set_new(ctx, "day_words", json_string(buf_cstr(&words)));
	json_object_set_new(ctx, "desk",
	    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)desk->id, "name",
	        desk->name, "room", desk->room));
	json_object_set_new(ctx, "today", json_boolean(today));
	json_object_set_new(ctx, "waiting", json_integer(waiting));
	json_object_set_new(
	    ctx, "can_call_next", json_boolean(today && waiting > 0));
	buf_free(&words);
	return 0;
}

/* the flash of the last action: ?done=ACTION&code= or ?err=CODE */
static void
flash(struct request *rq, json_t *ctx)
{
	const char *done = http_query(rq, "done"),
	           *code = http_query(rq, "code");
	const char *e = http_query(rq, "err"), *p;
	char key[48];

	if (done != NULL) {
		snprintf(key, sizeof key, "desk_done_%s", done);
		for (p = done;
		     *p != '\0' && (islower((unsigned char)*p) || *p == '_');
		     p++)
			;
		if (*p == '\0' && strlen(done) < 20 &&
		    page_t(rq, key)[0] != '\0')
			json_object_set_new(ctx, "done",
			    json_pack("{s:s, s:s}", "text", page_t(rq, key),
			        "code", code != NULL ? code : ""));
	}
	if (e != NULL) {
		const char *text = "";

		for (p = e;
		     *p != '\0' && (islower((unsigned char)*p) || *p == '_');
		     p++)
			;
		if (*p == '\0' && strlen(e) < 32) {
			snprintf(key, sizeof key, "err_%s", e);
			text = page_t(rq, key);
		}
		json_object_set_new(ctx, "error",
		    json_string(text[0] ? text : page_t(rq, "err_generic")));
	}
}

/* the picker: every desk, the current one marked */
static int
picker_context(
    struct request *rq, struct store *s, json_t *ctx, struct error *err)
{
	struct desk *desks = NULL;
	json_t *list = json_array();
	size_t n = 0, i;

	if (store_desks_list(s, &desks, &n, err) != 0) {
		json_decref(list);
		return -1;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:b}", "id",
		              (json_int_t)desks[i].id, "name", desks[i].name,
		              "current", desks[i].id == rq->account->desk_id));
	free(desks);
	json_object_set_new(ctx, "desks", list);
	json_object_set_new(ctx, "picker", json_true());
	return 0;
}

static void
desk_page(struct request *rq, struct response *rs)
{
	json_t *ctx = staff_context(rq, "/staff/desk");
	struct store *s = http_store(rq);
	struct desk desk;
	struct date day;
	struct error err;
	bool change = http_query(rq, "change") != NULL;

	error_clear(&err);
	json_object_set_new(ctx, "title", json_string(page_t(rq, "menu_desk")));
	if (s == NULL) {
		json_decref(ctx);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	if (!plan_date(rq, &day)) {
		json_decref(ctx);
		staff_message(
		    rq, rs, 400, "desk_bad_date_title", "desk_bad_date");
		return;
	}
	flash(rq, ctx);
	if (change || rq->account->desk_id == 0 ||
	    api_desk_get(s, rq->account->desk_id, &desk, &err) != 0) {
		if (picker_context(rq, s, ctx, &err) != 0)
			goto fail;
		staff_render(rq, rs, 200, "desk", ctx);
		return;
	}
	if (plan_context(rq, s, &desk, day, ctx, &err) != 0)
		goto fail;
	rs->scripts = true;
	json_object_set_new(ctx, "script", json_string("desk.js"));
	staff_render(rq, rs, 200, "desk", ctx);
	return;
fail:
	log_error("desk page: %s", err.msg);
	json_decref(ctx);
	staff_message(rq, rs, 503, "err_db_title", "err_db_text");
}

/* the plan alone, for desk.js (no layout) */
static void
desk_plan(struct request *rq, struct response *rs)
{
	json_t *ctx = page_context(rq);
	struct store *s = http_store(rq);
	struct desk desk;
	struct date day;
	struct error err;

	error_clear(&err);
	if (s == NULL || !plan_date(rq, &day) || rq->account->desk_id == 0 ||
	    api_desk_get(s, rq->account->desk_id, &desk, &err) != 0 ||
	    plan_context(rq, s, &desk, day, ctx, &err) != 0 ||
	    template_render("desk_plan", ctx, &rs->body, &err) != 0) {
		json_decref(ctx);
		buf_reset(&rs->body);
		rs->status = 409; /* the page reloads whole */
		rs->content_type = "text/plain; charset=utf-8";
		buf_puts(&rs->body, "reload\n");
		return;
	}
	json_decref(ctx);
	rs->content_type = "text/html; charset=utf-8";
}

/* back to the plan of the form's date, with what happened */
static void
back(struct request *rq, struct response *rs, const char *done,
    const struct booking *b, const struct error *err)
{
	struct buf to = BUF_INIT;
	const char *date = http_form(rq, "date");
	struct date d;

	buf_puts(&to, "/staff/desk?");
	if (date[0] != '\0' && date_parse(date, &d) == 0)
		buf_printf(&to, "date=%s&", date);
	if (err != NULL)
		buf_printf(&to, "err=%s", err->code[0] ? err->code : "generic");
	else {
		buf_printf(&to, "done=%s", done);
		if (b != NULL && b->access_code[0] != '\0')
			buf_printf(&to, "&code=%s", b->access_code);
	}
	buf_puts(&to, "#plan");
	http_redirect(rs, buf_cstr(&to));
	buf_free(&to);
}

static int
select_desk(
    struct request *rq, int64_t desk_id, struct desk *desk, struct error *err)
{
	struct store *s = http_store(rq);
	char before[24], after[24];

	if (s == NULL)
		return error_set(err, ERROR_IO, "database unavailable");
	if (api_desk_get(s, desk_id, desk, err) != 0)
		return -1;
	snprintf(
	    before, sizeof before, "%lld", (long long)rq->account->desk_id);
	snprintf(after, sizeof after, "%lld", (long long)desk_id);
	if (store_begin(s, err) != 0)
		return -1;
	if (store_operator_set_desk(s, rq->account->id, desk_id, err) != 0 ||
	    audit_record(s, &rq->actor, "desk.select", 0, before, after,
	        desk->name, rq->now, err) != 0 ||
	    store_commit(s, err) != 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

static void
desk_select(struct request *rq, struct response *rs)
{
	struct desk desk;
	struct error err;
	int64_t id = 0;

	error_clear(&err);
	if (!http_parse_id(http_form(rq, "desk_id"), &id))
		error_set_code(&err, ERROR_INVALID, "desk_missing", "desk_id",
		    "Choose a desk.");
	else if (select_desk(rq, id, &desk, &err) == 0) {
		back(rq, rs, "select", NULL, NULL);
		return;
	}
	http_redirect(rs, err.code[0] && strcmp(err.code, "desk_missing") == 0
	                      ? "/staff/desk?change=1&err=desk_missing"
	                      : "/staff/desk?change=1&err=unknown_desk");
}

static void
desk_action(struct request *rq, struct response *rs)
{
	const char *name = http_form(rq, "action"),
	           *ref = http_form(rq, "reference");
	struct store *s = http_store(rq);
	struct booking b;
	struct error err;
	size_t k;

	error_clear(&err);
	for (k = 0; k < NACTIONS; k++)
		if (strcmp(name, desk_actions[k].name) == 0)
			break;
	if (k == NACTIONS)
		error_set_code(&err, ERROR_INVALID, "desk_action", "action",
		    "No such action.");
	else if (s == NULL)
		error_set(&err, ERROR_IO, "database unavailable");
	else if (booking_apply(s, rq->web->config, ref, desk_actions[k].action,
	             &rq->actor, rq->now, &b, &err) == 0) {
		back(rq, rs, name, &b, NULL);
		return;
	}
	back(rq, rs, NULL, NULL, &err);
}

static void
desk_next(struct request *rq, struct response *rs)
{
	struct store *s = http_store(rq);
	struct booking b;
	struct error err;

	error_clear(&err);
	if (rq->account->desk_id == 0)
		error_set_code(&err, ERROR_INVALID, "desk_missing", NULL,
		    "Choose a desk first.");
	else if (s == NULL)
		error_set(&err, ERROR_IO, "database unavailable");
	else if (booking_call_next(s, rq->web->config, rq->account->desk_id,
	             &rq->actor, rq->now, &b, &err) == 0) {
		back(rq, rs, "next", &b, NULL);
		return;
	}
	back(rq, rs, NULL, NULL, &err);
}

/* ---- the API ------------------------------------------------------------- */

static void
api_desks(struct request *rq, struct response *rs)
{
	struct desk *desks = NULL;
	struct store *s;
	struct error err;
	json_t *list;
	size_t n = 0, i;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_desks_list(s, &desks, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list,
		    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)desks[i].id,
		        "name", desks[i].name, "room", desks[i].room));
	free(desks);
	http_json(rs, 200, list);
}

static void
api_desk_day(struct request *rq, struct response *rs)
{
	struct booking *b = NULL;
	struct booking_mark *marks = NULL;
	size_t n = 0, nmarks = 0, i, k;
	struct store *s;
	struct desk desk;
	struct date day;
	struct error err;
	json_t *list;
	int64_t id;

	if (!http_parse_id(rq->captures[0], &id)) {
		http_json_error(rs, 404, "unknown_desk", "No such desk.", NULL);
		return;
	}
	if (!plan_date(rq, &day)) {
		http_json_error(
		    rs, 422, "invalid", "date must be YYYY-MM-DD.", "date");
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (api_desk_get(s, id, &desk, &err) != 0 ||
	    desk_day(s, id, day, &b, &n, &err) != 0 ||
	    store_day_marks(s, day, "reply_late", &marks, &nmarks, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND)
			http_json_error(
			    rs, 404, "unknown_desk", "No such desk.", NULL);
		else
			api_error(rs, &err);
		free(b);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		json_t *v = api_staff_booking_json(&b[i]),
		       *actions = json_array();
		time_t late = late_of(marks, nmarks, b[i].id);
		char at[OTIME_LOCAL_LEN];

		for (k = 0; k < NACTIONS; k++)
			if (booking_action_allowed(rq->web->config, &b[i],
			        desk_actions[k].action, &rq->actor, rq->now))
				json_array_append_new(
				    actions, json_string(desk_actions[k].name));
		json_object_set_new(v, "actions", actions);
		if (late != 0) {
			otime_format(late, at);
			json_object_set_new(
			    v, "running_late_at", json_string(at));
		} else
			json_object_set_new(v, "running_late_at", json_null());
		/* the delay the citizen was told of (lib/delay.h), minutes */
		json_object_set_new(v, "delay_notified_minutes",
		    json_integer(b[i].delay_notified / 60));
		json_array_append_new(list, v);
	}
	free(b);
	free(marks);
	http_json(rs, 200, list);
}

static void
api_my_desk(struct request *rq, struct response *rs)
{
	json_t *body = api_body_json(rq, rs), *v;
	struct desk desk;
	struct error err;

	if (body == NULL)
		return;
	v = json_object_get(body, "desk_id");
	error_clear(&err);
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		http_json_error(rs, 422, "invalid",
		    "desk_id must be a desk's id.", "desk_id");
	else if (select_desk(rq, json_integer_value(v), &desk, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND)
			http_json_error(rs, 422, "unknown_desk",
			    "No such desk.", "desk_id");
		else
			api_error(rs, &err);
	} else
		http_json(rs, 200,
		    json_pack("{s:I, s:s, s:s}", "desk_id", (json_int_t)desk.id,
		        "desk", desk.name, "room", desk.room));
	json_decref(body);
}

const struct route desk_routes[] = {
    {"GET", "/staff/desk", desk_page, ROLE_STAFF, 0},
    {"GET", "/staff/desk/plan", desk_plan, ROLE_STAFF, 0},
    {"POST", "/staff/desk/select", desk_select, ROLE_STAFF, ROUTE_FORM},
    {"POST", "/staff/desk/action", desk_action, ROLE_STAFF, ROUTE_FORM},
    {"POST", "/staff/desk/next", desk_next, ROLE_STAFF, ROUTE_FORM},
    {"GET", "/api/v1/desks", api_desks, ROLE_RECEPTION, 0},
    {"GET", "/api/v1/desks/{}/day", api_desk_day, ROLE_STAFF, 0},
    {"PUT", "/api/v1/staff/me/desk", api_my_desk, ROLE_STAFF, 0},
    {0},
};
