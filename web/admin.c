/*
 * admin.c: the admin module's shared input, errors and calendar answers
 * (admin.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "api.h"
#include "log.h"
#include "page.h"
#include "staff.h"

/* ---- input -------------------------------------------------------------- */

static json_t *
member(struct admin_input *in, const char *name)
{
	return in->json != NULL ? json_object_get(in->json, name) : NULL;
}

bool
admin_input_api(struct admin_input *in, struct request *rq, struct response *rs,
    const char *const *allowed)
{
	const char *key;
	json_t *value;

	memset(in, 0, sizeof *in);
	in->rq = rq;
	if ((in->json = api_body_json(rq, rs)) == NULL)
		return false;
	json_object_foreach(in->json, key, value)
	{
		size_t i;
		bool known = false;

		(void)value;
		for (i = 0; allowed != NULL && allowed[i] != NULL; i++)
			if (strcmp(allowed[i], key) == 0)
				known = true;
		if (!known) {
			char msg[160];

			snprintf(msg, sizeof msg, "Unknown field %.64s.", key);
			http_json_error(rs, 422, "unknown_field", msg, key);
			admin_input_free(in);
			return false;
		}
	}
	return true;
}

void
admin_input_form(struct admin_input *in, struct request *rq)
{
	memset(in, 0, sizeof *in);
	in->rq = rq;
}

void
admin_input_free(struct admin_input *in)
{
	json_decref(in->json);
	in->json = NULL;
}

bool
admin_has(struct admin_input *in, const char *name)
{
	return in->json == NULL || json_object_get(in->json, name) != NULL;
}

static void
bad(struct admin_input *in, const char *code, const char *name,
    const char *what)
{
	error_set_code(error_list_next(&in->errors), ERROR_INVALID, code, name,
	    "%s must be %s.", name, what);
}

const char *
admin_text(struct admin_input *in, const char *name)
{
	json_t *v = member(in, name);
	const char *text;
	char *p;

	if (in->json == NULL) {
		text = http_form(in->rq, name);
		if (strpbrk(text, "\r\n\t") == NULL)
			return text;
		/* a textarea's line breaks: one line of text, kept in the
		 * form's own object so it lives as long as the request */
		if ((p = strdup(text)) == NULL)
			abort();
		for (char *q = p; *q != '\0'; q++)
			if (*q == '\r' || *q == '\n' || *q == '\t')
				*q = ' ';
		json_object_set_new(in->rq->form, name, json_string(p));
		free(p);
		return http_form(in->rq, name);
	}
	if (v == NULL || json_is_null(v))
		return "";
	if (!json_is_string(v)) {
		bad(in, "text_invalid", name, "a string");
		return "";
	}
	return json_string_value(v);
}

long long
admin_count(
    struct admin_input *in, const char *name, long long min, long long max)
{
	json_t *v = member(in, name);
	long long n;
	char *end;

	if (in->json != NULL) {
		if (v == NULL)
			return 0;
		if (!json_is_integer(v)) {
			bad(in, "number_invalid", name, "a whole number");
			return 0;
		}
		n = json_integer_value(v);
	} else {
		const char *text = http_form(in->rq, name);

		n = strtoll(text, &end, 10);
		if (text[0] == '\0' || *end != '\0') {
			bad(in, "number_invalid", name, "a whole number");
			return 0;
		}
	}
	if (n < min || n > max) {
		error_set_code(error_list_next(&in->errors), ERROR_INVALID,
		    "out_of_range", name, "%s must be from %lld to %lld.", name,
		    min, max);
		return 0;
	}
	return n;
}

bool
admin_flag(struct admin_input *in, const char *name)
{
	json_t *v = member(in, name);

	if (in->json == NULL)
		return http_form(in->rq, name)[0] != '\0';
	if (v == NULL)
		return false;
	if (!json_is_boolean(v)) {
		bad(in, "flag_invalid", name, "true or false");
		return false;
	}
	return json_is_true(v);
}

int64_t
admin_span(struct admin_input *in, const char *name)
{
	json_t *v = member(in, name);
	const char *text;
	int64_t seconds;

	if (in->json != NULL) {
		if (v == NULL || json_is_null(v))
			return 0;
		if (!json_is_string(v)) {
			bad(in, "duration_invalid", name,
			    "a duration such as \"30m\", \"2h\", \"3d\" or "
			    "null");
			return 0;
		}
		text = json_string_value(v);
	} else
		text = http_form(in->rq, name);
	if (text[0] == '\0')
		return 0;
	if (config_parse_duration(text, &seconds) != 0 || seconds < 0) {
		bad(in, "duration_invalid", name,
		    "a duration such as 30m, 2h or 3d");
		return 0;
	}
	return seconds;
}

int
admin_minutes(struct admin_input *in, const char *name)
{
	const char *text = admin_text(in, name);
	int minutes;

	if (strcmp(text, "24:00") == 0)
		return 24 * 60;
	if (otime_parse_hhmm(text, &minutes) != 0) {
		bad(in, "time_invalid", name, "a time HH:MM");
		return -1;
	}
	return minutes;
}

struct date
admin_day(struct admin_input *in, const char *name)
{
	const char *text = admin_text(in, name);
	struct date d = {0, 0, 0};

	if (date_parse(text, &d) != 0 || !date_valid(d)) {
		bad(in, "date_invalid", name, "a date YYYY-MM-DD");
		memset(&d, 0, sizeof d);
	}
	return d;
}

int64_t
admin_id(struct admin_input *in, const char *name)
{
	json_t *v = member(in, name);
	int64_t id;

	if (in->json != NULL) {
		if (v == NULL || json_is_null(v))
			return 0;
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			bad(in, "id_invalid", name, "a positive integer");
			return 0;
		}
		return json_integer_value(v);
	}
	if (http_form(in->rq, name)[0] == '\0')
		return 0;
	if (!http_parse_id(http_form(in->rq, name), &id)) {
		bad(in, "id_invalid", name, "a positive integer");
		return 0;
	}
	return id;
}

/* ---- API answers -------------------------------------------------------- */

static json_t *
error_json(const struct error *e)
{
	json_t *v = json_pack("{s:s, s:s}", "error",
	    e->code[0] ? e->code : "invalid", "message", e->msg);

	if (e->field[0] != '\0')
		json_object_set_new(v, "field", json_string(e->field));
	return v;
}

void
admin_api_errors(struct response *rs, const struct error_list *list)
{
	json_t *v = error_json(&list->item[0]), *all = json_array();
	size_t i;

	for (i = 0; i < list->n; i++)
		json_array_append_new(all, error_json(&list->item[i]));
	json_object_set_new(v, "errors", all);
	http_json(rs, 422, v);
}

void
admin_when(time_t t, char out[OTIME_LOCAL_LEN])
{
	otime_format(t, out);
	out[10] = ' ';
}

static json_t *
stranded_json(const struct calendar_stranded *st)
{
	const struct booking *b = &st->booking;
	char start[OTIME_LOCAL_LEN], end[OTIME_LOCAL_LEN];
	json_t *v, *proposals = json_array();
	size_t i;

	for (i = 0; i < st->nproposals; i++) {
		otime_format(st->proposal[i].start, start);
		json_array_append_new(proposals,
		    json_pack("{s:s, s:I, s:s}", "start", start, "desk_id",
		        (json_int_t)st->proposal[i].desk_id, "desk",
		        st->proposal[i].desk_name));
	}
	otime_format(b->start, start);
	otime_format(b->end, end);
	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s, s:s,"
	              " s:o}",
	    "reference", b->reference, "status", booking_status_name(b->status),
	    "start", start, "end", end, "desk", b->desk_name, "desk_id",
	    (json_int_t)b->desk_id, "service", b->service_name, "service_id",
	    (json_int_t)b->service_id, "first_name", b->first_name, "last_name",
	    b->last_name, "proposals", proposals);
	return v;
}

json_t *
admin_calendar_json(const struct calendar_result *res)
{
	json_t *stranded = json_array(), *days = json_array();
	size_t i;

	for (i = 0; res != NULL && i < res->nstranded; i++)
		json_array_append_new(
		    stranded, stranded_json(&res->stranded[i]));
	for (i = 0; res != NULL && i < res->ndays; i++) {
		const struct calendar_day *d = &res->days[i];
		char day[DATE_LEN];
		json_t *times = json_array();
		const char *p = d->times ? d->times : "";

		while (*p != '\0') {
			size_t n = strcspn(p, " ");

			json_array_append_new(times, json_stringn(p, n));
			p += n;
			while (*p == ' ')
				p++;
		}
		date_format(d->day, day);
		json_array_append_new(days,
		    json_pack("{s:s, s:I, s:s, s:I, s:I, s:o}", "date", day,
		        "service_id", (json_int_t)d->service_id, "service",
		        d->service, "before", (json_int_t)d->before, "after",
		        (json_int_t)d->after, "times", times));
	}
	return json_pack("{s:o, s:o}", "stranded", stranded, "days", days);
}

void
admin_api_error(struct response *rs, const struct error *err,
    const struct calendar_result *res)
{
	json_t *v;

	if (strcmp(err->code, "bookings_stranded") != 0) {
		api_error(rs, err);
		return;
	}
	v = admin_calendar_json(res);
	json_object_del(v, "days");
	json_object_set_new(v, "error", json_string(err->code));
	json_object_set_new(v, "message", json_string(err->msg));
	http_json(rs, 409, v);
}

void
admin_api_changed(struct response *rs, unsigned status, json_t *obj,
    const struct admin_request *ar, const struct calendar_result *res)
{
	json_t *v;

	if (ar != NULL && ar->req.preview) {
		json_decref(obj);
		v = admin_calendar_json(res);
		json_object_set_new(v, "preview", json_true());
		http_json(rs, 200, v);
		return;
	}
	if (res != NULL && res->moved + res->kept + res->cancelled > 0)
		json_object_set_new(obj, "resolved",
		    json_pack("{s:I, s:I, s:I}", "moved",
		        (json_int_t)res->moved, "kept", (json_int_t)res->kept,
		        "cancelled", (json_int_t)res->cancelled));
	http_json(rs, status, obj);
}

/* ---- the calendar request ----------------------------------------------- */

static bool
choice_parse(const char *text, struct calendar_resolution *r)
{
	if (strcmp(text, "keep") == 0)
		r->choice = CHOICE_KEEP;
	else if (strcmp(text, "cancel") == 0)
		r->choice = CHOICE_CANCEL;
	else if (strncmp(text, "move:", 5) == 0 && strlen(text) >= 5 + 16) {
		r->choice = CHOICE_MOVE;
		snprintf(r->start, sizeof r->start, "%.16s", text + 5);
		if (text[21] == ':' && !http_parse_id(text + 22, &r->desk_id))
			return false;
	} else
		return false;
	return true;
}

static bool
resolution_json(
    struct admin_input *in, json_t *v, struct calendar_resolution *r)
{
	json_t *ref = json_object_get(v, "reference"),
	       *action = json_object_get(v, "action"),
	       *start = json_object_get(v, "start"),
	       *desk = json_object_get(v, "desk_id"),
	       *reason = json_object_get(v, "reason");
	const char *a;

	if (!json_is_object(v) || !json_is_string(ref) ||
	    !json_is_string(action) ||
	    strlen(json_string_value(ref)) >= sizeof r->reference)
		goto bad;
	snprintf(
	    r->reference, sizeof r->reference, "%s", json_string_value(ref));
	a = json_string_value(action);
	if (strcmp(a, "keep") == 0)
		r->choice = CHOICE_KEEP;
	else if (strcmp(a, "cancel") == 0)
		r->choice = CHOICE_CANCEL;
	else if (strcmp(a, "move") == 0 && json_is_string(start) &&
	         strlen(json_string_value(start)) < sizeof r->start &&
	         (desk == NULL || json_is_null(desk) ||
	             (json_is_integer(desk) && json_integer_value(desk) > 0))) {
		r->choice = CHOICE_MOVE;
		snprintf(
		    r->start, sizeof r->start, "%s", json_string_value(start));
		r->desk_id =
		    json_is_integer(desk) ? json_integer_value(desk) : 0;
	} else
		goto bad;
	if (reason != NULL && !json_is_null(reason)) {
		if (!json_is_string(reason) ||
		    strlen(json_string_value(reason)) >= sizeof r->reason)
			goto bad;
		snprintf(r->reason, sizeof r->reason, "%s",
		    json_string_value(reason));
	}
	return true;
bad:
	error_set_code(error_list_next(&in->errors), ERROR_INVALID,
	    "resolution_invalid", "resolutions",
	    "Each resolution is {\"reference\", \"action\": \"move\" (with "
	    "\"start\", optional \"desk_id\"), \"keep\" or \"cancel\" "
	    "(optional \"reason\")}.");
	return false;
}

bool
admin_request_read(struct admin_input *in, struct admin_request *ar)
{
	memset(ar, 0, sizeof *ar);
	if (in->json != NULL) {
		json_t *list = json_object_get(in->json, "resolutions");
		size_t i, n;

		ar->req.preview = admin_flag(in, "preview");
		ar->req.preview_days = (unsigned)admin_count(
		    in, "preview_days", 0, CALENDAR_PREVIEW_MAX);
		if (list == NULL || json_is_null(list))
			return in->errors.n == 0;
		if (!json_is_array(list)) {
			bad(in, "resolution_invalid", "resolutions",
			    "an array");
			return false;
		}
		n = json_array_size(list);
		if ((ar->resolutions =
		            calloc(n + 1, sizeof *ar->resolutions)) == NULL)
			abort();
		for (i = 0; i < n; i++)
			if (!resolution_json(in, json_array_get(list, i),
			        &ar->resolutions[ar->req.nresolutions++]))
				return false;
	} else {
		const char *key, *days = http_form(in->rq, "days");
		json_t *value;
		size_t n = 0;

		ar->req.preview =
		    strcmp(http_form(in->rq, "action"), "preview") == 0;
		ar->req.preview_days = (unsigned)atoi(days);
		if (ar->req.preview_days > CALENDAR_PREVIEW_MAX)
			ar->req.preview_days = CALENDAR_PREVIEW_MAX;
		json_object_foreach(in->rq->form, key, value)
		{
			(void)value;
			n++;
		}
		if ((ar->resolutions =
		            calloc(n + 1, sizeof *ar->resolutions)) == NULL)
			abort();
		json_object_foreach(in->rq->form, key, value)
		{
			struct calendar_resolution *r =
			    &ar->resolutions[ar->req.nresolutions];
			char reason_key[32];

			if (strncmp(key, "choice_", 7) != 0 ||
			    strlen(key + 7) >= sizeof r->reference)
				continue;
			snprintf(
			    r->reference, sizeof r->reference, "%s", key + 7);
			if (!choice_parse(json_string_value(value), r))
				continue;
			snprintf(reason_key, sizeof reason_key, "reason_%s",
			    r->reference);
			snprintf(r->reason, sizeof r->reason, "%s",
			    http_form(in->rq, reason_key));
			ar->req.nresolutions++;
		}
	}
	ar->req.resolutions = ar->resolutions;
	return in->errors.n == 0;
}

void
admin_request_free(struct admin_request *ar)
{
	free(ar->resolutions);
	memset(ar, 0, sizeof *ar);
}

/* ---- pages -------------------------------------------------------------- */

json_t *
admin_option(const char *value, const char *label, bool selected)
{
	return json_pack("{s:s, s:s, s:b}", "value", value, "label", label,
	    "selected", selected);
}

json_t *
admin_field(struct request *rq, const char *name, const char *kind,
    const char *label_key, const char *hint_key, const char *value,
    bool required, json_t *options)
{
	json_t *f = json_pack("{s:s, s:s, s:s, s:b}", "name", name, "label",
	    label_key != NULL ? page_t(rq, label_key) : "", "value",
	    value ? value : "", "required", required);

	if (hint_key != NULL) {
		char id[64];

		json_object_set_new(
		    f, "hint", json_string(page_t(rq, hint_key)));
		snprintf(id, sizeof id, "f-%s-hint", name);
		json_object_set_new(f, "describe", json_string(id));
	}
	if (strcmp(kind, "checkbox") == 0) {
		json_object_set_new(f, "checkbox", json_true());
		json_object_set_new(f, "checked",
		    json_boolean(value != NULL && value[0] != '\0'));
	} else if (strcmp(kind, "select") == 0) {
		json_object_set_new(f, "select", json_true());
		json_object_set_new(
		    f, "options", options ? options : json_array());
		options = NULL;
	} else if (strcmp(kind, "textarea") == 0)
		json_object_set_new(f, "textarea", json_true());
	else {
		json_object_set_new(f, "input", json_string(kind));
		if (strcmp(kind, "password") == 0)
			json_object_set_new(
			    f, "autocomplete", json_string("new-password"));
		else if (strcmp(kind, "text") == 0)
			json_object_set_new(
			    f, "autocomplete", json_string("off"));
	}
	json_decref(options);
	return f;
}

/* form_name: a domain field as the form calls it ("hours.3.opens" is the
 * row field "h3_opens") */
static void
form_name(const char *field, char *out, size_t size)
{
	unsigned row;
	char rest[24];

	if (sscanf(field, "hours.%u.%23s", &row, rest) == 2)
		snprintf(out, size, "h%u_%s", row, rest);
	else
		snprintf(out, size, "%s", field);
}

static json_t *
find_field(json_t *list, const char *name)
{
	size_t i;
	json_t *f;

	json_array_foreach(list, i, f)
	{
		if (strcmp(json_string_value(json_object_get(f, "name")),
		        name) == 0)
			return f;
	}
	return NULL;
}

static json_t *
field_anywhere(json_t *ctx, const char *name)
{
	json_t *f = find_field(json_object_get(ctx, "fields"), name), *g;
	size_t i;

	json_array_foreach(json_object_get(ctx, "groups"), i, g)
	{
		if (f == NULL)
			f = find_field(json_object_get(g, "fields"), name);
	}
	json_array_foreach(json_object_get(ctx, "rows"), i, g)
	{
		if (f == NULL)
			f = find_field(json_object_get(g, "fields"), name);
	}
	return f;
}

void
admin_form_error(struct request *rq, json_t *ctx, const struct error *e)
{
	json_t *summary = json_object_get(ctx, "summary"), *f;
	const char *text = page_error_text(rq, e);
	char name[80]; /* a field (error.h) as the form names it */

	if (summary == NULL) {
		summary = json_array();
		json_object_set_new(ctx, "summary", summary);
	}
	form_name(e->field, name, sizeof name);
	f = name[0] != '\0' ? field_anywhere(ctx, name) : NULL;
	if (f != NULL && json_object_get(f, "error") == NULL) {
		const char *was =
		    json_string_value(json_object_get(f, "describe"));
		struct buf ids = BUF_INIT;

		json_object_set_new(f, "error", json_string(text));
		buf_printf(&ids, "%s%sf-%s-error", was ? was : "",
		    was ? " " : "", name);
		json_object_set_new(f, "describe", json_string(buf_cstr(&ids)));
		buf_free(&ids);
	}
	json_array_append_new(summary,
	    json_pack("{s:s, s:s, s:s}", "name",
	        f != NULL ? name
	                  : (strcmp(e->field, "resolutions") == 0 ? "stranded"
	                                                          : "main"),
	        "label",
	        f != NULL ? json_string_value(json_object_get(f, "label")) : "",
	        "error", text));
}

void
admin_form_errors(
    struct request *rq, json_t *ctx, const struct error_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		admin_form_error(rq, ctx, &list->item[i]);
}

void
admin_stranded_ctx(
    struct request *rq, json_t *ctx, const struct calendar_result *res)
{
	json_t *list = json_array();
	size_t i, j;

	for (i = 0; res != NULL && i < res->nstranded; i++) {
		const struct calendar_stranded *st = &res->stranded[i];
		const struct booking *b = &st->booking;
		char key[32], value[48], status[40], name[160];
		const char *chosen;
		struct buf when = BUF_INIT;
		json_t *proposals = json_array(), *item;

		snprintf(key, sizeof key, "choice_%s", b->reference);
		chosen =
		    strcmp(rq->method, "POST") == 0 ? http_form(rq, key) : "";
		for (j = 0; j < st->nproposals; j++) {
			char start[OTIME_LOCAL_LEN], id[48];
			struct buf label = BUF_INIT;

			otime_format(st->proposal[j].start, start);
			snprintf(value, sizeof value, "move:%s:%lld", start,
			    (long long)st->proposal[j].desk_id);
			page_when(rq, st->proposal[j].start, &label);
			buf_printf(&label, " — %s", st->proposal[j].desk_name);
			snprintf(id, sizeof id, "c-%s-%u", b->reference,
			    (unsigned)j);
			json_array_append_new(proposals,
			    json_pack("{s:s, s:s, s:s, s:s, s:b}", "id", id,
			        "reference", b->reference, "value", value,
			        "label", buf_cstr(&label), "checked",
			        strcmp(chosen, value) == 0));
			buf_free(&label);
		}
		page_when(rq, b->start, &when);
		snprintf(status, sizeof status, "admin_status_%s",
		    booking_status_name(b->status));
		snprintf(
		    name, sizeof name, "%s %s", b->first_name, b->last_name);
		snprintf(key, sizeof key, "reason_%s", b->reference);
		item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b, s:b,"
		                 " s:s}",
		    "reference", b->reference, "when", buf_cstr(&when),
		    "service",
		    strcmp(rq->lang, "en") == 0 && b->service_name_en[0]
		        ? b->service_name_en
		        : b->service_name,
		    "desk", b->desk_name, "status", page_t(rq, status), "name",
		    name, "proposals", proposals, "keep",
		    strcmp(chosen, "keep") == 0, "cancel",
		    strcmp(chosen, "cancel") == 0, "reason",
		    strcmp(rq->method, "POST") == 0 ? http_form(rq, key) : "");
		json_object_set_new(
		    item, "no_proposals", json_boolean(st->nproposals == 0));
		json_array_append_new(list, item);
		buf_free(&when);
	}
	json_object_set_new(ctx, "stranded", list);
}

void
admin_preview_ctx(
    struct request *rq, json_t *ctx, const struct calendar_result *res)
{
	json_t *days = json_array();
	size_t i;

	for (i = 0; res != NULL && i < res->ndays; i++) {
		const struct calendar_day *d = &res->days[i];
		char day[DATE_LEN];
		struct buf when = BUF_INIT;

		date_format(d->day, day);
		json_array_append_new(
		    days, json_pack("{s:s, s:s, s:i, s:i, s:s, s:b}", "day",
		              day, "service", d->service, "before",
		              (int)d->before, "after", (int)d->after, "times",
		              d->times && d->times[0] ? d->times : "—",
		              "changed", d->before != d->after));
		buf_free(&when);
	}
	json_object_set_new(ctx, "preview",
	    json_pack("{s:o, s:b}", "days", days, "unchanged",
	        json_array_size(days) == 0));
	(void)rq;
}

void
admin_resolve_page(struct request *rq, struct response *rs,
    const struct calendar_result *res, const struct error *err,
    const char *back)
{
	json_t *ctx = staff_context(rq, "/admin"), *hidden = json_array(),
	       *value;
	const char *key;
	bool preview = strcmp(http_form(rq, "action"), "preview") == 0;

	json_object_foreach(rq->form, key, value)
	{
		if (strcmp(key, "csrf") == 0 || strcmp(key, "action") == 0 ||
		    strncmp(key, "choice_", 7) == 0 ||
		    strncmp(key, "reason_", 7) == 0)
			continue;
		json_array_append_new(
		    hidden, json_pack("{s:s, s:s}", "name", key, "value",
		                json_string_value(value)));
	}
	json_object_set_new(ctx, "hidden", hidden);
	json_object_set_new(ctx, "action", json_string(rq->path));
	json_object_set_new(ctx, "back", json_string(back));
	json_object_set_new(ctx, "title",
	    json_string(page_t(
	        rq, preview ? "resolve_preview_title" : "resolve_title")));
	json_object_set_new(ctx, "is_preview", json_boolean(preview));
	admin_stranded_ctx(rq, ctx, res);
	if (preview)
		admin_preview_ctx(rq, ctx, res);
	if (err != NULL && strcmp(err->code, "bookings_stranded") != 0)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, err != NULL ? 409 : 200, "aresolve", ctx);
}

void
admin_done(struct response *rs, const char *path, const char *key)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%sdone=%s", path, strchr(path, '?') ? "&" : "?", key);
	http_redirect(rs, buf_cstr(&b));
	buf_free(&b);
}

void
admin_notice(struct request *rq, json_t *ctx)
{
	const char *done = http_query(rq, "done");
	char key[48];
	size_t i;

	if (done == NULL || strlen(done) > 24)
		return;
	for (i = 0; done[i] != '\0'; i++)
		if (!((done[i] >= 'a' && done[i] <= 'z') || done[i] == '_'))
			return;
	snprintf(key, sizeof key, "adone_%s", done);
	if (page_t(rq, key)[0] != '\0')
		json_object_set_new(
		    ctx, "notice", json_string(page_t(rq, key)));
}

void
admin_db_error(struct request *rq, struct response *rs, const struct error *err)
{
	log_error("admin: %s", err != NULL ? err->msg : "database unavailable");
	staff_message(rq, rs, 503, "err_db_title", "err_db_text");
}
