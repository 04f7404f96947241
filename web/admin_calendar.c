/*
 * admin_calendar.c: when the office serves, for admins (lib/calendar.h):
 * weekly hours per desk (and service), dated exceptions, holidays as the
 * office keeps them, and the bookings a change would strand — as pages
 * and as the API:
 *
 *   GET|PUT /api/v1/admin/desks/{id}/hours    {"hours": [{weekday, opens,
 *           closes, service_id|null}]} — the desk's whole week
 *   GET     /api/v1/admin/exceptions?from=&to=
 *   POST    /api/v1/admin/exceptions         {desk_id|null, day,
 *           opens|null (closed), closes, reason}
 *   DELETE  /api/v1/admin/exceptions/{id}
 *   GET     /api/v1/admin/holidays?year=
 *   PUT     /api/v1/admin/holidays/{day}     {closed, name}
 *   DELETE  /api/v1/admin/holidays/{day}     back to the law's calendar
 *   GET     /api/v1/admin/stranded           bookings outside the hours
 *   POST    /api/v1/admin/stranded           {"resolutions": […]}
 *
 * Every change takes "preview" (200: what it would do, nothing written),
 * "preview_days" and "resolutions"; without a choice for each booking it
 * would strand it answers 409 "bookings_stranded" with them and free
 * slots to move them to.
 *
 *   /admin/calendar, /admin/desks/{id}/hours, /admin/holidays and their
 *   forms: the same, with a Preview button.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "api.h"
#include "booking.h"
#include "holiday.h"
#include "page.h"
#include "staff.h"

#define HOURS_MAX 64       /* windows of one desk's week */
#define HOURS_BLANK_ROWS 3 /* empty rows the form offers */

static json_t *
hours_json(const struct opening_hours *h, size_t n)
{
	json_t *list = json_array();
	char a[6], b[6];
	size_t i;

	for (i = 0; i < n; i++) {
		calendar_minutes_format(h[i].opens, a);
		calendar_minutes_format(h[i].closes, b);
		json_array_append_new(list,
		    json_pack("{s:i, s:s, s:s, s:o}", "weekday", h[i].weekday,
		        "opens", a, "closes", b, "service_id",
		        h[i].service_id > 0 ? json_integer(h[i].service_id)
		                            : json_null()));
	}
	return list;
}

static json_t *
exception_json(const struct calendar_exception *e)
{
	char day[DATE_LEN], a[6], b[6];

	date_format(e->day, day);
	calendar_minutes_format(e->opens < 0 ? 0 : e->opens, a);
	calendar_minutes_format(e->closes < 0 ? 0 : e->closes, b);
	return json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:s}", "id",
	    (json_int_t)e->id, "desk_id",
	    e->desk_id > 0 ? json_integer(e->desk_id) : json_null(), "desk",
	    e->desk_name, "day", day, "opens",
	    e->opens >= 0 ? json_string(a) : json_null(), "closes",
	    e->opens >= 0 ? json_string(b) : json_null(), "reason", e->reason);
}

static json_t *
holiday_json(const struct calendar_holiday *h)
{
	char day[DATE_LEN];

	date_format(h->day, day);
	return json_pack("{s:s, s:o, s:s, s:b, s:b}", "day", day, "statutory",
	    h->statutory ? json_string(h->statutory) : json_null(), "name",
	    h->name[0] ? h->name : (h->statutory ? h->statutory : ""), "closed",
	    h->closed, "own", h->own);
}

static void
answer_error(struct response *rs, const struct error *err,
    const struct calendar_result *res)
{
	if (err->kind == ERROR_NOT_FOUND && err->field[0] == '\0')
		http_json_error(rs, 404, err->code[0] ? err->code : "not_found",
		    err->msg, NULL);
	else
		admin_api_error(rs, err, res);
}

/* a DELETE may come without a body: then nothing but the defaults */
static bool
input_api(struct admin_input *in, struct request *rq, struct response *rs,
    const char *const *allowed)
{
	if (rq->body.len == 0 && strcmp(rq->method, "DELETE") == 0) {
		admin_input_form(in, rq);
		in->json = json_object();
		return true;
	}
	return admin_input_api(in, rq, rs, allowed);
}

/* ---- reading a week ----------------------------------------------------- */

static void
hours_read_json(struct admin_input *in, struct opening_hours *h, size_t *n)
{
	json_t *list = json_object_get(in->json, "hours"), *v;
	size_t i;

	*n = 0;
	if (!json_is_array(list) || json_array_size(list) > HOURS_MAX) {
		error_set_code(error_list_next(&in->errors), ERROR_INVALID,
		    "required", "hours",
		    "hours is an array of at most 64 windows.");
		return;
	}
	json_array_foreach(list, i, v)
	{
		json_t *wd = json_object_get(v, "weekday"),
		       *sid = json_object_get(v, "service_id");
		const char *a = json_string_value(json_object_get(v, "opens")),
		           *b = json_string_value(json_object_get(v, "closes"));
		struct opening_hours *o = &h[(*n)++];
		char field[32];

		memset(o, 0, sizeof *o);
		snprintf(field, sizeof field, "hours.%u.opens", (unsigned)i);
		o->weekday =
		    json_is_integer(wd) ? (int)json_integer_value(wd) : 0;
		if (sid != NULL && !json_is_null(sid)) {
			if (!json_is_integer(sid) ||
			    json_integer_value(sid) <= 0)
				error_set_code(error_list_next(&in->errors),
				    ERROR_INVALID, "id_invalid", "hours",
				    "service_id is a service's id or null.");
			else
				o->service_id = json_integer_value(sid);
		}
		if (a == NULL || (strcmp(a, "24:00") != 0 &&
		                     otime_parse_hhmm(a, &o->opens) != 0))
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "time_invalid", field,
			    "opens is a time HH:MM.");
		snprintf(field, sizeof field, "hours.%u.closes", (unsigned)i);
		if (b != NULL && strcmp(b, "24:00") == 0)
			o->closes = 24 * 60;
		else if (b == NULL || otime_parse_hhmm(b, &o->closes) != 0)
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "time_invalid", field,
			    "closes is a time HH:MM.");
	}
}

/* the form's rows h<i>_weekday, _opens, _closes, _service; a row with
 * neither time is empty and left out */
static void
hours_read_form(struct admin_input *in, struct opening_hours *h, size_t *n)
{
	unsigned rows = (unsigned)atoi(http_form(in->rq, "rows")), i;

	*n = 0;
	if (rows > HOURS_MAX)
		rows = HOURS_MAX;
	for (i = 0; i < rows; i++) {
		char key[32], field[32];
		const char *a, *b;
		struct opening_hours *o = &h[*n];
		int64_t sid = 0;

		snprintf(key, sizeof key, "h%u_opens", i);
		a = http_form(in->rq, key);
		snprintf(key, sizeof key, "h%u_closes", i);
		b = http_form(in->rq, key);
		if (a[0] == '\0' && b[0] == '\0')
			continue;
		memset(o, 0, sizeof *o);
		/* errors name the row as the domain does: hours.<i>.x */
		snprintf(key, sizeof key, "h%u_weekday", i);
		o->weekday = atoi(http_form(in->rq, key));
		snprintf(key, sizeof key, "h%u_service", i);
		if (http_form(in->rq, key)[0] != '\0' &&
		    !http_parse_id(http_form(in->rq, key), &sid)) {
			snprintf(field, sizeof field, "hours.%u.service", i);
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "id_invalid", field,
			    "Choose a service of the desk.");
		}
		o->service_id = sid;
		snprintf(field, sizeof field, "hours.%u.opens", i);
		if (strcmp(a, "24:00") != 0 &&
		    otime_parse_hhmm(a, &o->opens) != 0)
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "time_invalid", field,
			    "opens is a time HH:MM.");
		snprintf(field, sizeof field, "hours.%u.closes", i);
		if (strcmp(b, "24:00") == 0)
			o->closes = 24 * 60;
		else if (otime_parse_hhmm(b, &o->closes) != 0)
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "time_invalid", field,
			    "closes is a time HH:MM.");
		/* the domain's row numbers are the form's */
		o->id = i;
		(*n)++;
	}
}

/* form rows renumbered: the domain checks rows 0..n-1, the form shows the
 * errors on its own row numbers */
static void
rows_errors(struct error_list *list, const struct opening_hours *h, size_t n)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		unsigned row;
		char rest[24];

		if (sscanf(list->item[i].field, "hours.%u.%23s", &row, rest) ==
		        2 &&
		    row < n)
			snprintf(list->item[i].field,
			    sizeof list->item[i].field, "hours.%u.%s",
			    (unsigned)h[row].id, rest);
	}
}

/* ---- the API ------------------------------------------------------------ */

static bool
desk_of(
    struct request *rq, struct response *rs, struct store **s, struct desk *d)
{
	struct error err;
	int64_t id;

	if (!http_parse_id(rq->captures[0], &id)) {
		http_json_error(
		    rs, 404, "not_found", "No such resource.", NULL);
		return false;
	}
	if ((*s = api_store(rq, rs)) == NULL)
		return false;
	error_clear(&err);
	if (store_desk_get(*s, id, d, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND)
			http_json_error(
			    rs, 404, "unknown_desk", "No such desk.", NULL);
		else
			api_error(rs, &err);
		return false;
	}
	return true;
}

static void
api_hours_get(struct request *rq, struct response *rs)
{
	struct opening_hours *h = NULL;
	struct store *s;
	struct error err;
	struct desk d;
	size_t n;

	if (!desk_of(rq, rs, &s, &d))
		return;
	error_clear(&err);
	if (store_hours_list(s, d.id, &h, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200,
	    json_pack("{s:I, s:s, s:o}", "desk_id", (json_int_t)d.id, "desk",
	        d.name, "hours", hours_json(h, n)));
	free(h);
}

static void
api_hours_put(struct request *rq, struct response *rs)
{
	static const char *const allowed[] = {
	    "hours", "preview", "preview_days", "resolutions", NULL};
	struct opening_hours h[HOURS_MAX], *now = NULL;
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	struct desk d;
	size_t n = 0, nnow = 0;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	if (!desk_of(rq, rs, &s, &d) || !admin_input_api(&in, rq, rs, allowed))
		return;
	hours_read_json(&in, h, &n);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	error_clear(&err);
	if (calendar_hours_set(s, rq->web->config, d.id, h, n, &ar.req,
	        &rq->actor, rq->now, &res, &err) != 0) {
		answer_error(rs, &err, &res);
		goto out;
	}
	if (store_hours_list(s, d.id, &now, &nnow, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	admin_api_changed(rs, 200,
	    json_pack("{s:I, s:s, s:o}", "desk_id", (json_int_t)d.id, "desk",
	        d.name, "hours", hours_json(now, nnow)),
	    &ar, &res);
	free(now);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

static void
api_exceptions(struct request *rq, struct response *rs)
{
	struct calendar_exception *list = NULL;
	const char *from = http_query(rq, "from"), *to = http_query(rq, "to");
	struct date a = {0, 0, 0}, b = {0, 0, 0};
	struct store *s;
	struct error err;
	size_t n, i;
	json_t *out;

	if ((from != NULL && date_parse(from, &a) != 0) ||
	    (to != NULL && date_parse(to, &b) != 0)) {
		http_json_error(rs, 400, "malformed", "Dates are YYYY-MM-DD.",
		    from != NULL && date_parse(from, &a) != 0 ? "from" : "to");
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_exceptions_list(s, a, b, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, exception_json(&list[i]));
	free(list);
	http_json(rs, 200, out);
}

/* exception_read: desk_id, day, opens/closes (both empty or null:
 * closed), reason */
static void
exception_read(struct admin_input *in, struct calendar_exception *e)
{
	const char *reason;

	memset(e, 0, sizeof *e);
	e->desk_id = admin_id(in, "desk_id");
	e->day = admin_day(in, "day");
	e->opens = e->closes = -1;
	if (admin_text(in, "opens")[0] != '\0' ||
	    admin_text(in, "closes")[0] != '\0') {
		e->opens = admin_minutes(in, "opens");
		e->closes = admin_minutes(in, "closes");
		if (e->opens < 0)
			e->opens = 0; /* the error is in the list */
	}
	reason = admin_text(in, "reason");
	if (strlen(reason) >= sizeof e->reason)
		error_set_code(error_list_next(&in->errors), ERROR_INVALID,
		    "too_long", "reason", "The reason is too long.");
	snprintf(e->reason, sizeof e->reason, "%s", reason);
	calendar_exception_check(e, &in->errors);
}

static void
api_exception_add(struct request *rq, struct response *rs)
{
	static const char *const allowed[] = {"desk_id", "day", "opens",
	    "closes", "reason", "preview", "preview_days", "resolutions", NULL};
	struct calendar_exception e, saved;
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	int64_t id = 0;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	if (!admin_input_api(&in, rq, rs, allowed))
		return;
	exception_read(&in, &e);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (calendar_exception_add(s, rq->web->config, &e, &ar.req, &rq->actor,
	        rq->now, &id, &res, &err) != 0) {
		admin_api_error(rs, &err, &res);
		goto out;
	}
	if (ar.req.preview)
		saved = e;
	else if (store_exception_get(s, id, &saved, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	admin_api_changed(rs, 201, exception_json(&saved), &ar, &res);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

static const char *const resolve_members[] = {
    "preview", "preview_days", "resolutions", NULL};

static void
api_exception_delete(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	int64_t id;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	if (!http_parse_id(rq->captures[0], &id)) {
		http_json_error(
		    rs, 404, "not_found", "No such resource.", NULL);
		return;
	}
	if (!input_api(&in, rq, rs, resolve_members))
		return;
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (calendar_exception_delete(s, rq->web->config, id, &ar.req,
	        &rq->actor, rq->now, &res, &err) != 0) {
		answer_error(rs, &err, &res);
		goto out;
	}
	admin_api_changed(rs, 200,
	    json_pack("{s:I, s:b}", "id", (json_int_t)id, "deleted", 1), &ar,
	    &res);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

static int
year_of(struct request *rq)
{
	const char *y = http_query(rq, "year");
	int year = date_of(rq->now).year;

	if (y != NULL) {
		char *end;
		long v = strtol(y, &end, 10);

		if (*y == '\0' || *end != '\0' || v < 2000 || v > 2100)
			return -1;
		year = (int)v;
	}
	return year;
}

static void
api_holidays(struct request *rq, struct response *rs)
{
	struct calendar_holiday *list = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	int year = year_of(rq);
	json_t *out;

	if (year < 0) {
		http_json_error(rs, 400, "malformed",
		    "year is a year from 2000 to 2100.", "year");
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (calendar_holidays(s, year, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, holiday_json(&list[i]));
	free(list);
	http_json(rs, 200, out);
}

/* the day as the office now keeps it */
static json_t *
day_json(struct store *s, struct date day, struct error *err)
{
	struct calendar_holiday h;
	const char *statutory = NULL;
	bool closed;

	memset(&h, 0, sizeof h);
	h.day = day;
	if (booking_day_closed(
	        s, day, &closed, &statutory, h.name, sizeof h.name, err) != 0)
		return NULL;
	h.closed = closed;
	h.statutory = statutory;
	{
		struct holiday_override o;
		bool own;

		if (store_holiday_get(s, day, &o, &own, err) != 0)
			return NULL;
		h.own = own;
		if (own)
			holiday_pl(day, &h.statutory);
	}
	return holiday_json(&h);
}

static void
api_holiday_change(struct request *rq, struct response *rs, bool clear)
{
	static const char *const allowed[] = {
	    "closed", "name", "preview", "preview_days", "resolutions", NULL};
	struct holiday_override h;
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	json_t *out;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	memset(&h, 0, sizeof h);
	if (date_parse(rq->captures[0], &h.day) != 0 || !date_valid(h.day)) {
		http_json_error(rs, 404, "not_found",
		    "The address names a day: YYYY-MM-DD.", NULL);
		return;
	}
	if (!input_api(&in, rq, rs, clear ? resolve_members : allowed))
		return;
	if (!clear) {
		const char *name = admin_text(&in, "name");

		if (!admin_has(&in, "closed"))
			error_set_code(error_list_next(&in.errors),
			    ERROR_INVALID, "required", "closed",
			    "closed is true (a day off) or false (open).");
		h.closed = admin_flag(&in, "closed");
		if (strlen(name) >= sizeof h.name)
			error_set_code(error_list_next(&in.errors),
			    ERROR_INVALID, "too_long", "name",
			    "The name is too long.");
		snprintf(h.name, sizeof h.name, "%s", name);
	}
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if ((clear ? calendar_holiday_clear(s, rq->web->config, h.day, &ar.req,
	                 &rq->actor, rq->now, &res, &err)
	           : calendar_holiday_set(s, rq->web->config, &h, &ar.req,
	                 &rq->actor, rq->now, &res, &err)) != 0) {
		admin_api_error(rs, &err, &res);
		goto out;
	}
	if ((out = day_json(s, h.day, &err)) == NULL) {
		api_error(rs, &err);
		goto out;
	}
	admin_api_changed(rs, 200, out, &ar, &res);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

static void
api_holiday_put(struct request *rq, struct response *rs)
{
	api_holiday_change(rq, rs, false);
}

static void
api_holiday_delete(struct request *rq, struct response *rs)
{
	api_holiday_change(rq, rs, true);
}

static void
api_stranded(struct request *rq, struct response *rs)
{
	struct calendar_result res;
	struct store *s;
	struct error err;
	json_t *v;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (calendar_stranded_now(
	        s, rq->web->config, &rq->actor, rq->now, &res, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	v = admin_calendar_json(&res);
	http_json(rs, 200, json_incref(json_object_get(v, "stranded")));
	json_decref(v);
	calendar_result_free(&res);
}

static void
api_stranded_resolve(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	if (!admin_input_api(&in, rq, rs, resolve_members))
		return;
	admin_request_read(&in, &ar);
	ar.req.all_stranded = true;
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (calendar_change(s, rq->web->config, NULL, NULL, &ar.req, &rq->actor,
	        rq->now, &res, &err) != 0) {
		admin_api_error(rs, &err, &res);
		goto out;
	}
	admin_api_changed(rs, 200, json_object(), &ar, &res);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

/* ---- pages -------------------------------------------------------------- */

static const char *const weekday_keys[] = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void
hours_words(struct request *rq, const struct opening_hours *h, size_t n,
    struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char a[6], b[6], key[16];

		calendar_minutes_format(h[i].opens, a);
		calendar_minutes_format(h[i].closes, b);
		snprintf(key, sizeof key, "%s_short",
		    weekday_keys[(h[i].weekday - 1) % 7]);
		buf_printf(out, "%s%s %s–%s%s", out->len ? ", " : "",
		    page_t(rq, key), a, b, h[i].service_id > 0 ? "*" : "");
	}
}

static json_t *
desk_options(struct request *rq, struct store *s, int64_t chosen, bool all)
{
	struct desk *desks = NULL;
	json_t *options = json_array();
	size_t n = 0, i;

	if (all)
		json_array_append_new(
		    options, admin_option("", page_t(rq, "cal_every_desk"),
		                 chosen == 0));
	if (store_desks_list(s, &desks, &n, NULL) == 0)
		for (i = 0; i < n; i++) {
			char id[24];

			if (desks[i].retired)
				continue;
			snprintf(id, sizeof id, "%lld", (long long)desks[i].id);
			json_array_append_new(
			    options, admin_option(id, desks[i].name,
			                 desks[i].id == chosen));
		}
	free(desks);
	return options;
}

static void
calendar_render(struct request *rq, struct response *rs, unsigned status,
    const struct error_list *errors, const struct error *err)
{
	struct calendar_exception *ex = NULL;
	struct calendar_result stranded;
	struct desk *desks = NULL;
	struct store *s;
	struct error e;
	json_t *ctx, *desk_rows = json_array(), *ex_rows = json_array(),
	             *fields = json_array();
	size_t nex = 0, ndesks = 0, i;
	bool post = strcmp(rq->method, "POST") == 0;
	int64_t chosen = 0;

	error_clear(&e);
	memset(&stranded, 0, sizeof stranded);
	if ((s = http_store(rq)) == NULL ||
	    store_desks_list(s, &desks, &ndesks, &e) != 0 ||
	    store_exceptions_list(s, date_of(rq->now), (struct date){0, 0, 0},
	        &ex, &nex, &e) != 0 ||
	    calendar_stranded_now(
	        s, rq->web->config, &rq->actor, rq->now, &stranded, &e) != 0) {
		free(desks);
		free(ex);
		json_decref(desk_rows);
		json_decref(ex_rows);
		json_decref(fields);
		admin_db_error(rq, rs, &e);
		return;
	}
	for (i = 0; i < ndesks; i++) {
		struct opening_hours *h = NULL;
		struct buf words = BUF_INIT;
		size_t n = 0;
		char href[64];

		if (desks[i].retired)
			continue;
		store_hours_list(s, desks[i].id, &h, &n, NULL);
		hours_words(rq, h, n, &words);
		free(h);
		snprintf(href, sizeof href, "/admin/desks/%lld/hours",
		    (long long)desks[i].id);
		json_array_append_new(
		    desk_rows, json_pack("{s:s, s:s, s:s}", "href", href,
		                   "name", desks[i].name, "hours",
		                   words.len ? buf_cstr(&words)
		                             : page_t(rq, "cal_closed")));
		buf_free(&words);
	}
	free(desks);
	for (i = 0; i < nex; i++) {
		char day[DATE_LEN], a[6], b[6], hours[32], action[64];

		date_format(ex[i].day, day);
		if (ex[i].opens < 0)
			snprintf(hours, sizeof hours, "%s",
			    page_t(rq, "cal_closed"));
		else {
			calendar_minutes_format(ex[i].opens, a);
			calendar_minutes_format(ex[i].closes, b);
			snprintf(hours, sizeof hours, "%s–%s", a, b);
		}
		snprintf(action, sizeof action, "/admin/exceptions/%lld/delete",
		    (long long)ex[i].id);
		json_array_append_new(ex_rows,
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "day", day, "desk",
		        ex[i].desk_id > 0 ? ex[i].desk_name
		                          : page_t(rq, "cal_every_desk"),
		        "hours", hours, "reason", ex[i].reason, "action",
		        action));
	}
	free(ex);
	if (post)
		http_parse_id(http_form(rq, "desk_id"), &chosen);
	json_array_append_new(
	    fields, admin_field(rq, "desk_id", "select", "cal_desk", NULL, NULL,
	                false, desk_options(rq, s, chosen, true)));
	json_array_append_new(
	    fields, admin_field(rq, "day", "date", "cal_day", NULL,
	                post ? http_form(rq, "day") : "", true, NULL));
	json_array_append_new(fields,
	    admin_field(rq, "opens", "time", "cal_opens", "cal_opens_hint",
	        post ? http_form(rq, "opens") : "", false, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "closes", "time", "cal_closes", NULL,
	                post ? http_form(rq, "closes") : "", false, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "reason", "text", "cal_reason", NULL,
	                post ? http_form(rq, "reason") : "", false, NULL));
	ctx = staff_context(rq, "/admin");
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "calendar_title")));
	json_object_set_new(ctx, "desks", desk_rows);
	json_object_set_new(ctx, "exceptions", ex_rows);
	json_object_set_new(ctx, "fields", fields);
	admin_stranded_ctx(rq, ctx, &stranded);
	calendar_result_free(&stranded);
	admin_notice(rq, ctx);
	if (errors != NULL)
		admin_form_errors(rq, ctx, errors);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "acalendar", ctx);
}

static void
calendar_page(struct request *rq, struct response *rs)
{
	calendar_render(rq, rs, 200, NULL, NULL);
}

/* after a calendar change from a form: done, the preview, the choices,
 * or the form again with its error */
static bool
change_answer(struct request *rq, struct response *rs, int rc,
    const struct admin_request *ar, const struct calendar_result *res,
    const struct error *err, const char *back, const char *done)
{
	if (rc == 0 && ar->req.preview) {
		admin_resolve_page(rq, rs, res, NULL, back);
		return true;
	}
	if (rc == 0) {
		admin_done(rs, back, done);
		return true;
	}
	if (strcmp(err->code, "bookings_stranded") == 0 ||
	    strcmp(err->field, "resolutions") == 0) {
		admin_resolve_page(rq, rs, res, err, back);
		return true;
	}
	if (err->kind == ERROR_IO || err->kind == ERROR_INTERNAL ||
	    err->kind == ERROR_TEMPORARY) {
		admin_db_error(rq, rs, err);
		return true;
	}
	return false;
}

static void
exception_post(struct request *rq, struct response *rs)
{
	struct calendar_exception e;
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	int rc;

	memset(&res, 0, sizeof res);
	admin_input_form(&in, rq);
	exception_read(&in, &e);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		calendar_render(rq, rs, 422, &in.errors, NULL);
		goto out;
	}
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	error_clear(&err);
	rc = calendar_exception_add(s, rq->web->config, &e, &ar.req, &rq->actor,
	    rq->now, NULL, &res, &err);
	if (!change_answer(rq, rs, rc, &ar, &res, &err, "/admin/calendar",
	        "exception_added"))
		calendar_render(
		    rq, rs, err.kind == ERROR_CONFLICT ? 409 : 422, NULL, &err);
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

static void
exception_delete_post(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	int64_t id;
	int rc;

	memset(&res, 0, sizeof res);
	if (!http_parse_id(rq->captures[0], &id)) {
		staff_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	admin_input_form(&in, rq);
	admin_request_read(&in, &ar);
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	error_clear(&err);
	rc = calendar_exception_delete(
	    s, rq->web->config, id, &ar.req, &rq->actor, rq->now, &res, &err);
	if (!change_answer(rq, rs, rc, &ar, &res, &err, "/admin/calendar",
	        "exception_deleted"))
		calendar_render(rq, rs, err.kind == ERROR_NOT_FOUND ? 404 : 422,
		    NULL, &err);
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

static void
stranded_post(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	int rc;

	memset(&res, 0, sizeof res);
	admin_input_form(&in, rq);
	admin_request_read(&in, &ar);
	ar.req.all_stranded = true;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	error_clear(&err);
	rc = calendar_change(s, rq->web->config, NULL, NULL, &ar.req,
	    &rq->actor, rq->now, &res, &err);
	if (!change_answer(
	        rq, rs, rc, &ar, &res, &err, "/admin/calendar", "resolved"))
		calendar_render(rq, rs, 422, NULL, &err);
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

/* -- a desk's week -- */

static json_t *
hours_row(struct request *rq, unsigned i, const struct opening_hours *h,
    const int64_t *services, const char *const *names, size_t nservices)
{
	char name[4][24], wd[4], a[6] = "", b[6] = "", sid[24];
	json_t *days = json_array(), *svc = json_array(),
	       *fields = json_array();
	bool post = strcmp(rq->method, "POST") == 0;
	char legend[64];
	size_t k;
	int d;

	snprintf(name[0], sizeof name[0], "h%u_weekday", i);
	snprintf(name[1], sizeof name[1], "h%u_opens", i);
	snprintf(name[2], sizeof name[2], "h%u_closes", i);
	snprintf(name[3], sizeof name[3], "h%u_service", i);
	if (h != NULL) {
		calendar_minutes_format(h->opens, a);
		calendar_minutes_format(h->closes, b);
	}
	for (d = 1; d <= 7; d++) {
		char key[16];
		bool on;

		snprintf(wd, sizeof wd, "%d", d);
		snprintf(key, sizeof key, "%s", weekday_keys[d - 1]);
		on = post ? strcmp(http_form(rq, name[0]), wd) == 0
		          : (h != NULL ? h->weekday == d : d == 1);
		json_array_append_new(
		    days, admin_option(wd, page_t(rq, key), on));
	}
	json_array_append_new(
	    svc, admin_option("", page_t(rq, "hours_all_services"),
	             post ? http_form(rq, name[3])[0] == '\0'
	                  : h == NULL || h->service_id == 0));
	for (k = 0; k < nservices; k++) {
		snprintf(sid, sizeof sid, "%lld", (long long)services[k]);
		json_array_append_new(
		    svc, admin_option(sid, names[k],
		             post ? strcmp(http_form(rq, name[3]), sid) == 0
		                  : h != NULL && h->service_id == services[k]));
	}
	json_array_append_new(
	    fields, admin_field(rq, name[0], "select", "hours_weekday", NULL,
	                NULL, false, days));
	json_array_append_new(
	    fields, admin_field(rq, name[1], "time", "hours_opens", NULL,
	                post ? http_form(rq, name[1]) : a, false, NULL));
	json_array_append_new(
	    fields, admin_field(rq, name[2], "time", "hours_closes", NULL,
	                post ? http_form(rq, name[2]) : b, false, NULL));
	json_array_append_new(
	    fields, admin_field(rq, name[3], "select", "hours_service", NULL,
	                NULL, false, svc));
	snprintf(
	    legend, sizeof legend, "%s %u", page_t(rq, "hours_window"), i + 1);
	return json_pack("{s:s, s:o}", "legend", legend, "fields", fields);
}

static void
hours_render(struct request *rq, struct response *rs, unsigned status,
    int64_t id, const struct error_list *errors, const struct error *err,
    const struct calendar_result *res, bool preview)
{
	struct opening_hours *h = NULL;
	int64_t *services = NULL;
	const char **names = NULL;
	struct service *svs = NULL;
	struct desk d;
	struct store *s;
	struct error e;
	json_t *ctx, *rows = json_array();
	size_t n = 0, nservices = 0, i;
	unsigned nrows;
	char action[64], heading[160], count[16];

	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    store_desk_get(s, id, &d, &e) != 0 ||
	    store_hours_list(s, id, &h, &n, &e) != 0 ||
	    store_desk_services(s, id, &services, &nservices, &e) != 0) {
		free(h);
		json_decref(rows);
		if (e.kind == ERROR_NOT_FOUND)
			staff_message(rq, rs, 404, "err_notfound_title",
			    "err_notfound_text");
		else
			admin_db_error(rq, rs, &e);
		return;
	}
	if ((names = calloc(nservices + 1, sizeof *names)) == NULL ||
	    (svs = calloc(nservices + 1, sizeof *svs)) == NULL)
		abort();
	for (i = 0; i < nservices; i++) {
		if (store_service_get(s, services[i], &svs[i], NULL) != 0)
			snprintf(svs[i].name, sizeof svs[i].name, "#%lld",
			    (long long)services[i]);
		names[i] = svs[i].name;
	}
	if (strcmp(rq->method, "POST") == 0) {
		nrows = (unsigned)atoi(http_form(rq, "rows"));
		if (nrows > HOURS_MAX)
			nrows = HOURS_MAX;
	} else
		nrows = (unsigned)n + HOURS_BLANK_ROWS;
	for (i = 0; i < nrows; i++)
		json_array_append_new(rows,
		    hours_row(rq, (unsigned)i,
		        strcmp(rq->method, "POST") != 0 && i < n ? &h[i] : NULL,
		        services, names, nservices));
	free(h);
	free(services);
	free(names);
	free(svs);
	snprintf(
	    action, sizeof action, "/admin/desks/%lld/hours", (long long)id);
	snprintf(heading, sizeof heading, "%s: %s", page_t(rq, "hours_title"),
	    d.name);
	snprintf(count, sizeof count, "%u", nrows);
	ctx = staff_context(rq, "/admin");
	json_object_set_new(ctx, "title", json_string(heading));
	json_object_set_new(ctx, "heading", json_string(heading));
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "nrows", json_string(count));
	json_object_set_new(ctx, "days",
	    json_string(strcmp(rq->method, "POST") == 0 &&
	                        http_form(rq, "days")[0] != '\0'
	                    ? http_form(rq, "days")
	                    : "14"));
	if (res != NULL)
		admin_stranded_ctx(rq, ctx, res);
	if (preview)
		admin_preview_ctx(rq, ctx, res);
	admin_notice(rq, ctx);
	if (errors != NULL)
		admin_form_errors(rq, ctx, errors);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "ahours", ctx);
}

static void
hours_page(struct request *rq, struct response *rs)
{
	int64_t id;

	if (!http_parse_id(rq->captures[0], &id)) {
		staff_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	hours_render(rq, rs, 200, id, NULL, NULL, NULL, false);
}

static void
hours_post(struct request *rq, struct response *rs)
{
	struct opening_hours h[HOURS_MAX];
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	char path[64];
	size_t n;
	int64_t id;

	memset(&res, 0, sizeof res);
	if (!http_parse_id(rq->captures[0], &id)) {
		staff_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	admin_input_form(&in, rq);
	hours_read_form(&in, h, &n);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		hours_render(rq, rs, 422, id, &in.errors, NULL, NULL, false);
		goto out;
	}
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	error_clear(&err);
	{
		/* the domain numbers rows 0..n-1: give them back their form
		 * numbers (kept in id) */
		struct opening_hours rows[HOURS_MAX];
		size_t i;

		for (i = 0; i < n; i++) {
			rows[i] = h[i];
			rows[i].id = 0;
		}
		if (calendar_hours_set(s, rq->web->config, id, rows, n, &ar.req,
		        &rq->actor, rq->now, &res, &err) != 0) {
			struct error_list one;

			if (err.kind == ERROR_IO ||
			    err.kind == ERROR_INTERNAL ||
			    err.kind == ERROR_TEMPORARY) {
				admin_db_error(rq, rs, &err);
				goto done;
			}
			error_list_clear(&one);
			*error_list_next(&one) = err;
			rows_errors(&one, h, n);
			hours_render(rq, rs,
			    err.kind == ERROR_CONFLICT ? 409 : 422, id, &one,
			    NULL, &res, false);
			goto done;
		}
	}
	snprintf(path, sizeof path, "/admin/desks/%lld/hours", (long long)id);
	if (ar.req.preview)
		hours_render(rq, rs, 200, id, NULL, NULL, &res, true);
	else
		admin_done(rs, path, "saved");
done:
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

/* -- holidays -- */

static void
holidays_render(struct request *rq, struct response *rs, unsigned status,
    const struct error *err)
{
	struct calendar_holiday *list = NULL;
	struct store *s;
	struct error e;
	json_t *ctx, *rows = json_array(), *fields = json_array();
	size_t n = 0, i;
	int year = year_of(rq);
	bool post = strcmp(rq->method, "POST") == 0;
	char prev[48], next[48], title[96];

	if (year < 0)
		year = date_of(rq->now).year;
	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    calendar_holidays(s, year, &list, &n, &e) != 0) {
		json_decref(rows);
		json_decref(fields);
		admin_db_error(rq, rs, &e);
		return;
	}
	for (i = 0; i < n; i++) {
		char day[DATE_LEN], key[16];
		const char *state, *button = NULL, *name;

		date_format(list[i].day, day);
		snprintf(key, sizeof key, "%s",
		    weekday_keys[date_weekday(list[i].day) - 1]);
		name = list[i].name[0]     ? list[i].name
		       : list[i].statutory ? list[i].statutory
		                           : "";
		if (list[i].statutory != NULL && !list[i].own) {
			state = "open";
			button = "hol_open";
		} else if (list[i].statutory != NULL) {
			state = "law";
			button = list[i].closed ? "hol_law" : "hol_close_again";
		} else {
			state = "law";
			button = "hol_remove";
		}
		json_array_append_new(rows,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "day", day,
		        "weekday", page_t(rq, key), "name", name, "kind",
		        page_t(rq,
		            list[i].statutory ? "hol_statutory" : "hol_own"),
		        "state",
		        page_t(
		            rq, list[i].closed ? "hol_closed" : "hol_opened"),
		        "next", state, "button", page_t(rq, button)));
	}
	free(list);
	json_array_append_new(
	    fields, admin_field(rq, "day", "date", "hol_day", NULL,
	                post ? http_form(rq, "day") : "", true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "name", "text", "hol_name", "hol_name_hint",
	                post ? http_form(rq, "name") : "", true, NULL));
	ctx = staff_context(rq, "/admin");
	snprintf(
	    title, sizeof title, "%s %d", page_t(rq, "holidays_title"), year);
	snprintf(prev, sizeof prev, "/admin/holidays?year=%d", year - 1);
	snprintf(next, sizeof next, "/admin/holidays?year=%d", year + 1);
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "year", json_integer(year));
	json_object_set_new(ctx, "prev", json_string(prev));
	json_object_set_new(ctx, "next", json_string(next));
	json_object_set_new(ctx, "holidays", rows);
	json_object_set_new(ctx, "fields", fields);
	admin_notice(rq, ctx);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aholidays", ctx);
}

static void
holidays_page(struct request *rq, struct response *rs)
{
	holidays_render(rq, rs, 200, NULL);
}

/* POST /admin/holidays: day, state = closed (a day off, named), open (on
 * a statutory holiday) or law (back to the law's calendar) */
static void
holidays_post(struct request *rq, struct response *rs)
{
	const char *state = http_form(rq, "state");
	struct holiday_override h;
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct store *s;
	struct error err;
	char back[48];
	int rc;

	memset(&res, 0, sizeof res);
	memset(&h, 0, sizeof h);
	admin_input_form(&in, rq);
	admin_request_read(&in, &ar);
	error_clear(&err);
	if (date_parse(http_form(rq, "day"), &h.day) != 0 ||
	    !date_valid(h.day)) {
		error_set_code(&err, ERROR_INVALID, "date_invalid", "day",
		    "Give the day as YYYY-MM-DD.");
		holidays_render(rq, rs, 422, &err);
		goto out;
	}
	snprintf(back, sizeof back, "/admin/holidays?year=%d", h.day.year);
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	if (strcmp(state, "law") == 0)
		rc = calendar_holiday_clear(s, rq->web->config, h.day, &ar.req,
		    &rq->actor, rq->now, &res, &err);
	else {
		h.closed = strcmp(state, "open") != 0;
		snprintf(h.name, sizeof h.name, "%s", http_form(rq, "name"));
		rc = calendar_holiday_set(s, rq->web->config, &h, &ar.req,
		    &rq->actor, rq->now, &res, &err);
	}
	if (!change_answer(rq, rs, rc, &ar, &res, &err, back, "saved"))
		holidays_render(rq, rs, 422, &err);
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

const struct route calendar_routes[] = {
    {"GET", "/api/v1/admin/desks/{}/hours", api_hours_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/desks/{}/hours", api_hours_put, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/exceptions", api_exceptions, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/exceptions", api_exception_add, ROLE_ADMIN, 0},
    {"DELETE", "/api/v1/admin/exceptions/{}", api_exception_delete, ROLE_ADMIN,
        0},
    {"GET", "/api/v1/admin/holidays", api_holidays, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/holidays/{}", api_holiday_put, ROLE_ADMIN, 0},
    {"DELETE", "/api/v1/admin/holidays/{}", api_holiday_delete, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/stranded", api_stranded, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/stranded", api_stranded_resolve, ROLE_ADMIN, 0},
    {"GET", "/admin/calendar", calendar_page, ROLE_ADMIN, 0},
    {"POST", "/admin/exceptions", exception_post, ROLE_ADMIN, ROUTE_FORM},
    {"POST", "/admin/exceptions/{}/delete", exception_delete_post, ROLE_ADMIN,
        ROUTE_FORM},
    {"POST", "/admin/stranded", stranded_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/desks/{}/hours", hours_page, ROLE_ADMIN, 0},
    {"POST", "/admin/desks/{}/hours", hours_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/holidays", holidays_page, ROLE_ADMIN, 0},
    {"POST", "/admin/holidays", holidays_post, ROLE_ADMIN, ROUTE_FORM},
    {0},
};
