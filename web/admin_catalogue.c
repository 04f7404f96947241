/*
 * admin_catalogue.c: the office's structure for admins (lib/structure.h)
 * — organisational units, services with their own rules, rooms, desks and
 * the services each serves — as pages and as the API:
 *
 *   GET|POST /api/v1/admin/units        GET|PUT /api/v1/admin/units/{id}
 *   GET|POST /api/v1/admin/services     GET|PUT /api/v1/admin/services/{id}
 *   GET|POST /api/v1/admin/rooms        GET|PUT /api/v1/admin/rooms/{id}
 *   GET|POST /api/v1/admin/desks        GET|PUT /api/v1/admin/desks/{id}
 *
 * POST creates (201 the object), PUT changes any subset of the fields
 * (200 the object); 422 names the bad field (and lists every problem in
 * "errors"). A change that would strand bookings (a service retired, a
 * desk retired or no longer serving a service) answers 409
 * "bookings_stranded" until "resolutions" choose for each; "preview":
 * true shows what it would do (lib/calendar.h).
 *
 *   /admin/units, /admin/services, /admin/desks (rooms and desks) and the
 *   forms of each; the same rules, every problem in the error summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "api.h"
#include "page.h"
#include "staff.h"
#include "structure.h"

static void
span_json(json_t *obj, const char *name, int64_t seconds)
{
	char text[32];

	if (seconds <= 0) {
		json_object_set_new(obj, name, json_null());
		return;
	}
	config_format_duration(seconds, text, sizeof text);
	json_object_set_new(obj, name, json_string(text));
}

static json_t *
ids_json(const int64_t *ids, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_integer(ids[i]));
	return list;
}

static json_t *
service_json(struct store *s, const struct service *sv)
{
	int64_t *desks = NULL;
	size_t n = 0;
	json_t *v = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I,"
	                      " s:I, s:b, s:b, s:b}",
	    "id", (json_int_t)sv->id, "unit_id", (json_int_t)sv->unit_id,
	    "unit", sv->unit, "name", sv->name, "name_en", sv->name_en,
	    "description", sv->description, "description_en",
	    sv->description_en, "duration_minutes",
	    (json_int_t)sv->duration_minutes, "capacity",
	    (json_int_t)sv->capacity, "max_open_per_person",
	    (json_int_t)sv->max_open_per_person, "staff_only", sv->staff_only,
	    "active", sv->active, "waitlist", sv->waitlist);

	span_json(v, "lead_time", sv->lead_time);
	span_json(v, "horizon", sv->horizon);
	span_json(v, "confirm_within", sv->confirm_within);
	if (store_service_desks(s, sv->id, &desks, &n, NULL) != 0)
		n = 0;
	json_object_set_new(v, "desks", ids_json(desks, n));
	free(desks);
	return v;
}

static json_t *
desk_json(struct store *s, const struct desk *d)
{
	int64_t *services = NULL;
	size_t n = 0;
	json_t *v = json_pack("{s:I, s:I, s:s, s:s, s:I, s:b}", "id",
	    (json_int_t)d->id, "room_id", (json_int_t)d->room_id, "room",
	    d->room, "name", d->name, "capacity", (json_int_t)d->capacity,
	    "retired", d->retired);

	if (store_desk_services(s, d->id, &services, &n, NULL) != 0)
		n = 0;
	json_object_set_new(v, "services", ids_json(services, n));
	free(services);
	return v;
}

static bool
api_path_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (http_parse_id(rq->captures[0], id))
		return true;
	http_json_error(rs, 404, "not_found", "No such resource.", NULL);
	return false;
}

/* not_found: a missing object of the path is a 404 with its code */
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

/* ---- reading a service or a desk ---------------------------------------- */

static const char *const service_members[] = {"unit_id", "name", "name_en",
    "description", "description_en", "duration_minutes", "capacity",
    "max_open_per_person", "lead_time", "horizon", "confirm_within",
    "staff_only", "active", "waitlist", "preview", "preview_days",
    "resolutions", NULL};

/* service_read: the given fields into a patch */
static void
service_read(struct admin_input *in, struct service_patch *p)
{
	struct service *v = &p->v;

	memset(p, 0, sizeof *p);
#define TEXT(field, bit)                                                       \
	if (admin_has(in, #field)) {                                           \
		const char *t = admin_text(in, #field);                        \
		p->set |= bit;                                                 \
		if (strlen(t) >= sizeof v->field)                              \
			error_set_code(error_list_next(&in->errors),           \
			    ERROR_INVALID, "too_long", #field,                 \
			    "%s is too long.", #field);                        \
		snprintf(v->field, sizeof v->field, "%s", t);                  \
	}
	TEXT(name, SERVICE_NAME)
	TEXT(name_en, SERVICE_NAME_EN)
	TEXT(description, SERVICE_DESCRIPTION)
	TEXT(description_en, SERVICE_DESCRIPTION_EN)
#undef TEXT
	if (admin_has(in, "unit_id")) {
		p->set |= SERVICE_UNIT;
		v->unit_id = admin_id(in, "unit_id");
		if (v->unit_id == 0 && in->errors.n == 0)
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "required", "unit_id",
			    "Choose the unit.");
	}
	if (admin_has(in, "duration_minutes")) {
		p->set |= SERVICE_DURATION;
		v->duration_minutes = (unsigned)admin_count(
		    in, "duration_minutes", 1, SERVICE_DURATION_MAX);
	}
	if (admin_has(in, "capacity")) {
		p->set |= SERVICE_CAPACITY;
		v->capacity = (unsigned)admin_count(
		    in, "capacity", 0, SERVICE_CAPACITY_MAX);
	}
	if (admin_has(in, "max_open_per_person")) {
		p->set |= SERVICE_MAX_OPEN;
		v->max_open_per_person = (unsigned)admin_count(
		    in, "max_open_per_person", 0, SERVICE_MAX_OPEN_MAX);
	}
	if (admin_has(in, "lead_time")) {
		p->set |= SERVICE_LEAD_TIME;
		v->lead_time = admin_span(in, "lead_time");
	}
	if (admin_has(in, "horizon")) {
		p->set |= SERVICE_HORIZON;
		v->horizon = admin_span(in, "horizon");
	}
	if (admin_has(in, "confirm_within")) {
		p->set |= SERVICE_CONFIRM_WITHIN;
		v->confirm_within = admin_span(in, "confirm_within");
	}
	if (admin_has(in, "staff_only")) {
		p->set |= SERVICE_STAFF_ONLY;
		v->staff_only = admin_flag(in, "staff_only");
	}
	if (admin_has(in, "active")) {
		p->set |= SERVICE_ACTIVE;
		v->active = admin_flag(in, "active");
	}
	if (admin_has(in, "waitlist")) {
		p->set |= SERVICE_WAITLIST;
		v->waitlist = admin_flag(in, "waitlist");
	}
}

static const char *const desk_members[] = {"room_id", "name", "capacity",
    "retired", "services", "preview", "preview_days", "resolutions", NULL};

static int
id_order(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* desk_services_read: the JSON array, or the form's service_<id> boxes */
static void
desk_services_read(struct admin_input *in, struct desk_patch *p)
{
	p->nservices = 0;
	if (in->json != NULL) {
		json_t *list = json_object_get(in->json, "services"), *v;
		size_t i;

		if (!json_is_array(list) ||
		    json_array_size(list) > DESK_SERVICES_MAX)
			goto bad;
		json_array_foreach(list, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				goto bad;
			p->services[p->nservices++] = json_integer_value(v);
		}
	} else {
		const char *key;
		json_t *v;
		int64_t id;

		http_form(in->rq, "csrf"); /* parsed */
		json_object_foreach(in->rq->form, key, v)
		{
			(void)v;
			if (strncmp(key, "service_", 8) == 0 &&
			    http_parse_id(key + 8, &id) &&
			    p->nservices < DESK_SERVICES_MAX)
				p->services[p->nservices++] = id;
		}
	}
	qsort(p->services, p->nservices, sizeof *p->services, id_order);
	return;
bad:
	error_set_code(error_list_next(&in->errors), ERROR_INVALID,
	    "id_invalid", "services",
	    "services is an array of service ids (at most 64).");
}

static void
desk_read(struct admin_input *in, struct desk_patch *p)
{
	memset(p, 0, sizeof *p);
	if (admin_has(in, "room_id")) {
		p->set |= DESK_ROOM;
		p->v.room_id = admin_id(in, "room_id");
	}
	if (admin_has(in, "name")) {
		const char *t = admin_text(in, "name");

		p->set |= DESK_NAME;
		if (strlen(t) >= sizeof p->v.name)
			error_set_code(error_list_next(&in->errors),
			    ERROR_INVALID, "too_long", "name",
			    "The name is too long.");
		snprintf(p->v.name, sizeof p->v.name, "%s", t);
	}
	if (admin_has(in, "capacity")) {
		p->set |= DESK_CAPACITY;
		p->v.capacity =
		    (unsigned)admin_count(in, "capacity", 1, DESK_CAPACITY_MAX);
	}
	if (admin_has(in, "retired")) {
		p->set |= DESK_RETIRED;
		p->v.retired = admin_flag(in, "retired");
	}
	if (admin_has(in, "services")) {
		p->set |= DESK_SERVICES;
		desk_services_read(in, p);
	}
}

/* ---- the API: units and rooms (a name, retired) ------------------------- */

static json_t *
named_json(const struct named *n)
{
	return json_pack("{s:I, s:s, s:b}", "id", (json_int_t)n->id, "name",
	    n->name, "retired", n->retired);
}

static void
named_list(struct request *rq, struct response *rs, enum named_kind kind)
{
	struct named *list = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	json_t *out;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (structure_named_list(s, kind, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, named_json(&list[i]));
	free(list);
	http_json(rs, 200, out);
}

static const char *const named_members[] = {"name", "retired", NULL};

static void
named_add(struct request *rq, struct response *rs, enum named_kind kind)
{
	struct admin_input in;
	struct named n;
	struct store *s;
	struct error err;
	const char *name;

	if (!admin_input_api(&in, rq, rs, named_members))
		return;
	name = admin_text(&in, "name");
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (structure_named_add(
	        s, kind, name, &rq->actor, rq->now, &n.id, &err) != 0 ||
	    structure_named_get(s, kind, n.id, &n, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 201, named_json(&n));
out:
	admin_input_free(&in);
}

static void
named_get(struct request *rq, struct response *rs, enum named_kind kind)
{
	struct named n;
	struct store *s;
	struct error err;
	int64_t id;

	if (!api_path_id(rq, rs, &id) || (s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (structure_named_get(s, kind, id, &n, &err) != 0) {
		answer_error(rs, &err, NULL);
		return;
	}
	http_json(rs, 200, named_json(&n));
}

static void
named_put(struct request *rq, struct response *rs, enum named_kind kind)
{
	struct admin_input in;
	struct named n;
	struct store *s;
	struct error err;
	const char *name = NULL;
	int retired = -1;
	int64_t id;

	if (!api_path_id(rq, rs, &id) ||
	    !admin_input_api(&in, rq, rs, named_members))
		return;
	if (admin_has(&in, "name"))
		name = admin_text(&in, "name");
	if (admin_has(&in, "retired"))
		retired = admin_flag(&in, "retired");
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (structure_named_update(s, kind, id, name, retired, &rq->actor,
	        rq->now, &n, &err) != 0) {
		answer_error(rs, &err, NULL);
		goto out;
	}
	http_json(rs, 200, named_json(&n));
out:
	admin_input_free(&in);
}

#define NAMED_HANDLERS(prefix, kind)                                           \
	static void prefix##_list(struct request *rq, struct response *rs)     \
	{                                                                      \
		named_list(rq, rs, kind);                                      \
	}                                                                      \
	static void prefix##_add(struct request *rq, struct response *rs)      \
	{                                                                      \
		named_add(rq, rs, kind);                                       \
	}                                                                      \
	static void prefix##_get(struct request *rq, struct response *rs)      \
	{                                                                      \
		named_get(rq, rs, kind);                                       \
	}                                                                      \
	static void prefix##_put(struct request *rq, struct response *rs)      \
	{                                                                      \
		named_put(rq, rs, kind);                                       \
	}
NAMED_HANDLERS(api_units, NAMED_UNIT)
NAMED_HANDLERS(api_rooms, NAMED_ROOM)

/* ---- the API: services and desks ---------------------------------------- */

static void
api_services(struct request *rq, struct response *rs)
{
	struct service *list = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	json_t *out;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_services_list(s, false, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, service_json(s, &list[i]));
	free(list);
	http_json(rs, 200, out);
}

static void
api_service_add(struct request *rq, struct response *rs)
{
	struct admin_input in;
	struct service_patch p;
	struct service sv;
	struct store *s;
	struct error err;
	int64_t id;

	if (!admin_input_api(&in, rq, rs, service_members))
		return;
	service_read(&in, &p);
	if (admin_has(&in, "preview") || admin_has(&in, "resolutions"))
		error_set_code(error_list_next(&in.errors), ERROR_INVALID,
		    "unknown_field", "preview",
		    "A new service strands nothing: no preview or "
		    "resolutions.");
	if (!(p.set & SERVICE_UNIT))
		error_set_code(error_list_next(&in.errors), ERROR_INVALID,
		    "required", "unit_id", "Choose the unit.");
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	/* what the call leaves out: the defaults of a new service */
	structure_service_defaults(&sv);
	p.v.active = (p.set & SERVICE_ACTIVE) ? p.v.active : true;
	p.v.waitlist = (p.set & SERVICE_WAITLIST) ? p.v.waitlist : true;
	if (!(p.set & SERVICE_DURATION))
		p.v.duration_minutes = sv.duration_minutes;
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (structure_service_add(s, &p.v, &rq->actor, rq->now, &id, &err) !=
	        0 ||
	    store_service_get(s, id, &sv, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 201, service_json(s, &sv));
out:
	admin_input_free(&in);
}

static void
api_service_get(struct request *rq, struct response *rs)
{
	struct service sv;
	struct store *s;
	struct error err;
	int64_t id;

	if (!api_path_id(rq, rs, &id) || (s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_service_get(s, id, &sv, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND)
			http_json_error(rs, 404, "unknown_service",
			    "No such service.", NULL);
		else
			api_error(rs, &err);
		return;
	}
	http_json(rs, 200, service_json(s, &sv));
}

static void
api_service_put(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct service_patch p;
	struct service sv;
	struct store *s;
	struct error err;
	int64_t id;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	if (!api_path_id(rq, rs, &id) ||
	    !admin_input_api(&in, rq, rs, service_members))
		return;
	service_read(&in, &p);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (structure_service_update(s, rq->web->config, id, &p, &ar.req,
	        &rq->actor, rq->now, &sv, &res, &err) != 0) {
		answer_error(rs, &err, &res);
		goto out;
	}
	admin_api_changed(rs, 200, service_json(s, &sv), &ar, &res);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

static void
api_admin_desks(struct request *rq, struct response *rs)
{
	struct desk *list = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	json_t *out;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_desks_list_all(s, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, desk_json(s, &list[i]));
	free(list);
	http_json(rs, 200, out);
}

static void
api_admin_desk_add(struct request *rq, struct response *rs)
{
	struct admin_input in;
	struct desk_patch p;
	struct desk d;
	struct store *s;
	struct error err;
	int64_t id;

	if (!admin_input_api(&in, rq, rs, desk_members))
		return;
	desk_read(&in, &p);
	if (!(p.set & DESK_CAPACITY))
		p.v.capacity = 1;
	if (admin_has(&in, "preview") || admin_has(&in, "resolutions"))
		error_set_code(error_list_next(&in.errors), ERROR_INVALID,
		    "unknown_field", "preview",
		    "A new desk strands nothing: no preview or resolutions.");
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (structure_desk_add(s, &p, &rq->actor, rq->now, &id, &err) != 0 ||
	    store_desk_get(s, id, &d, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 201, desk_json(s, &d));
out:
	admin_input_free(&in);
}

static void
api_admin_desk_get(struct request *rq, struct response *rs)
{
	struct desk d;
	struct store *s;
	struct error err;
	int64_t id;

	if (!api_path_id(rq, rs, &id) || (s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_desk_get(s, id, &d, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND)
			http_json_error(
			    rs, 404, "unknown_desk", "No such desk.", NULL);
		else
			api_error(rs, &err);
		return;
	}
	http_json(rs, 200, desk_json(s, &d));
}

static void
api_admin_desk_put(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct desk_patch p;
	struct desk d;
	struct store *s;
	struct error err;
	int64_t id;

	memset(&res, 0, sizeof res);
	memset(&ar, 0, sizeof ar);
	if (!api_path_id(rq, rs, &id) ||
	    !admin_input_api(&in, rq, rs, desk_members))
		return;
	desk_read(&in, &p);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (structure_desk_update(s, rq->web->config, id, &p, &ar.req,
	        &rq->actor, rq->now, &d, &res, &err) != 0) {
		answer_error(rs, &err, &res);
		goto out;
	}
	admin_api_changed(rs, 200, desk_json(s, &d), &ar, &res);
out:
	calendar_result_free(&res);
	admin_request_free(&ar);
	admin_input_free(&in);
}

/* ---- pages -------------------------------------------------------------- */

static bool
page_id(struct request *rq, struct response *rs, int64_t *id)
{
	if (http_parse_id(rq->captures[0], id))
		return true;
	staff_message(rq, rs, 404, "err_notfound_title", "err_notfound_text");
	return false;
}

static bool
posted(struct request *rq)
{
	return strcmp(rq->method, "POST") == 0;
}

/* value: the posted value after a refused POST, else the stored one */
static const char *
value(struct request *rq, const char *name, const char *stored)
{
	return posted(rq) ? http_form(rq, name) : stored;
}

static json_t *
form_context(struct request *rq, const char *heading, const char *action,
    const char *back, const char *back_key, const char *submit_key)
{
	json_t *ctx = staff_context(rq, "/admin");

	json_object_set_new(ctx, "title", json_string(heading));
	json_object_set_new(ctx, "heading", json_string(heading));
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "back", json_string(back));
	json_object_set_new(
	    ctx, "back_label", json_string(page_t(rq, back_key)));
	json_object_set_new(ctx, "submit", json_string(page_t(rq, submit_key)));
	return ctx;
}

/* form_failed: a refused form: 422 with its errors, 409 for a conflict,
 * the resolve page for stranded bookings, 503 for the database */
static bool
form_failed(struct request *rq, struct response *rs, const struct error *err,
    const struct calendar_result *res, const char *back)
{
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

static unsigned
form_status(const struct error *err)
{
	return err->kind == ERROR_CONFLICT    ? 409
	       : err->kind == ERROR_FORBIDDEN ? 403
	                                      : 422;
}

/* -- a unit's or a room's own page: its name, retired -- */

static const struct {
	const char *path, *edit_key, *name_key, *retired_key, *hint_key, *back,
	    *back_key;
} named_pages[] = {
    [NAMED_UNIT] = {"/admin/units/", "unit_edit", "unit_name", "unit_retired",
        "unit_retired_hint", "/admin/units", "units_title"},
    [NAMED_ROOM] = {"/admin/rooms/", "room_edit", "room_name", "room_retired",
        "room_retired_hint", "/admin/desks", "desks_title"},
};

static void
named_render(struct request *rq, struct response *rs, unsigned status,
    enum named_kind kind, int64_t id, const struct error *err)
{
	char action[48], heading[192];
	struct named n;
	struct store *s;
	struct error e;
	json_t *ctx, *fields = json_array();

	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    structure_named_get(s, kind, id, &n, &e) != 0) {
		json_decref(fields);
		if (e.kind == ERROR_NOT_FOUND)
			staff_message(rq, rs, 404, "err_notfound_title",
			    "err_notfound_text");
		else
			admin_db_error(rq, rs, &e);
		return;
	}
	snprintf(action, sizeof action, "%s%lld", named_pages[kind].path,
	    (long long)id);
	snprintf(heading, sizeof heading, "%s: %s",
	    page_t(rq, named_pages[kind].edit_key), n.name);
	ctx = form_context(rq, heading, action, named_pages[kind].back,
	    named_pages[kind].back_key, "admin_save");
	json_array_append_new(
	    fields, admin_field(rq, "name", "text", named_pages[kind].name_key,
	                NULL, value(rq, "name", n.name), true, NULL));
	json_array_append_new(fields,
	    admin_field(rq, "retired", "checkbox",
	        named_pages[kind].retired_key, named_pages[kind].hint_key,
	        value(rq, "retired", n.retired ? "yes" : ""), false, NULL));
	json_object_set_new(ctx, "fields", fields);
	admin_notice(rq, ctx);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aform", ctx);
}

static void
named_page(struct request *rq, struct response *rs, enum named_kind kind)
{
	int64_t id;

	if (page_id(rq, rs, &id))
		named_render(rq, rs, 200, kind, id, NULL);
}

static void
named_post(struct request *rq, struct response *rs, enum named_kind kind)
{
	struct store *s;
	struct error err;
	int64_t id;

	if (!page_id(rq, rs, &id))
		return;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (structure_named_update(s, kind, id, http_form(rq, "name"),
	        http_form(rq, "retired")[0] != '\0', &rq->actor, rq->now, NULL,
	        &err) != 0) {
		if (!form_failed(rq, rs, &err, NULL, named_pages[kind].back))
			named_render(rq, rs, form_status(&err), kind, id, &err);
		return;
	}
	admin_done(rs, named_pages[kind].back, "saved");
}

static void
unit_page(struct request *rq, struct response *rs)
{
	named_page(rq, rs, NAMED_UNIT);
}

static void
unit_post(struct request *rq, struct response *rs)
{
	named_post(rq, rs, NAMED_UNIT);
}

static void
room_page(struct request *rq, struct response *rs)
{
	named_page(rq, rs, NAMED_ROOM);
}

static void
room_post(struct request *rq, struct response *rs)
{
	named_post(rq, rs, NAMED_ROOM);
}

/* -- units -- */

static void
units_render(struct request *rq, struct response *rs, unsigned status,
    const struct error *err)
{
	struct unit *list = NULL;
	struct store *s;
	struct error e;
	json_t *ctx, *rows = json_array(), *fields = json_array();
	size_t n = 0, i;

	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    store_units_list(s, &list, &n, &e) != 0) {
		json_decref(rows);
		json_decref(fields);
		admin_db_error(rq, rs, &e);
		return;
	}
	for (i = 0; i < n; i++) {
		char href[48];
		unsigned services = 0;

		snprintf(href, sizeof href, "/admin/units/%lld",
		    (long long)list[i].id);
		store_unit_services(s, list[i].id, &services, NULL);
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:b, s:i}", "href", href,
		              "name", list[i].name, "retired", list[i].retired,
		              "services", (int)services));
	}
	free(list);
	json_array_append_new(
	    fields, admin_field(rq, "name", "text", "unit_name", NULL,
	                value(rq, "name", ""), true, NULL));
	ctx = staff_context(rq, "/admin");
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "units_title")));
	json_object_set_new(ctx, "units", rows);
	json_object_set_new(ctx, "fields", fields);
	admin_notice(rq, ctx);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aunits", ctx);
}

static void
units_page(struct request *rq, struct response *rs)
{
	units_render(rq, rs, 200, NULL);
}

static void desks_render(
    struct request *, struct response *, unsigned, const struct error *);

/* named_add_post: the add form of the units' page or the rooms' one (on
 * the desks' page) */
static void
named_add_post(struct request *rq, struct response *rs, enum named_kind kind)
{
	const char *back = kind == NAMED_UNIT ? "/admin/units" : "/admin/desks";
	struct store *s;
	struct error err;
	int64_t id;

	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (structure_named_add(s, kind, http_form(rq, "name"), &rq->actor,
	        rq->now, &id, &err) != 0) {
		if (form_failed(rq, rs, &err, NULL, back))
			return;
		if (kind == NAMED_UNIT)
			units_render(rq, rs, form_status(&err), &err);
		else
			desks_render(rq, rs, form_status(&err), &err);
		return;
	}
	admin_done(rs, back, kind == NAMED_UNIT ? "added" : "room_added");
}

static void
units_post(struct request *rq, struct response *rs)
{
	named_add_post(rq, rs, NAMED_UNIT);
}

static void
rooms_post(struct request *rq, struct response *rs)
{
	named_add_post(rq, rs, NAMED_ROOM);
}

/* -- services -- */

static void
services_page(struct request *rq, struct response *rs)
{
	struct service *list = NULL;
	struct store *s;
	struct error e;
	json_t *ctx, *rows = json_array();
	size_t n = 0, i;

	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    store_services_list(s, false, &list, &n, &e) != 0) {
		json_decref(rows);
		admin_db_error(rq, rs, &e);
		return;
	}
	for (i = 0; i < n; i++) {
		char href[48], minutes[48], capacity[48];

		snprintf(href, sizeof href, "/admin/services/%lld",
		    (long long)list[i].id);
		page_minutes(
		    rq, list[i].duration_minutes, minutes, sizeof minutes);
		if (list[i].capacity > 0)
			snprintf(
			    capacity, sizeof capacity, "%u", list[i].capacity);
		else
			snprintf(capacity, sizeof capacity, "%s",
			    page_t(rq, "svc_capacity_desk"));
		json_array_append_new(rows,
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "href",
		        href, "unit", list[i].unit, "name", list[i].name,
		        "duration", minutes, "capacity", capacity, "staff_only",
		        list[i].staff_only, "retired", !list[i].active));
	}
	free(list);
	ctx = staff_context(rq, "/admin");
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "services_title")));
	json_object_set_new(ctx, "services", rows);
	admin_notice(rq, ctx);
	staff_render(rq, rs, 200, "aservices", ctx);
}

static void
hint_default(
    json_t *field, struct request *rq, const char *key, int64_t seconds)
{
	char span[32];
	struct buf b = BUF_INIT;
	const char *text = page_t(rq, key), *at = strstr(text, "{default}");

	config_format_duration(seconds, span, sizeof span);
	if (at == NULL)
		buf_puts(&b, text);
	else {
		buf_append(&b, text, (size_t)(at - text));
		buf_puts(&b, span);
		buf_puts(&b, at + 9);
	}
	json_object_set_new(field, "hint", json_string(buf_cstr(&b)));
	buf_free(&b);
}

static void
span_text(int64_t seconds, char *out, size_t size)
{
	if (seconds <= 0)
		out[0] = '\0';
	else
		config_format_duration(seconds, out, size);
}

static void
service_render(struct request *rq, struct response *rs, unsigned status,
    int64_t id, const struct error_list *errors, const struct error *err)
{
	const struct config *c = rq->web->config;
	struct unit *units = NULL;
	struct service sv;
	struct store *s;
	struct error e;
	json_t *ctx, *fields = json_array(), *options = json_array(), *f,
	             *facts = json_array();
	char action[48], heading[192], num[3][24], span[3][32], unit_id[24];
	int64_t *desks = NULL;
	size_t nunits = 0, ndesks = 0, i;

	error_clear(&e);
	structure_service_defaults(&sv);
	if ((s = http_store(rq)) == NULL ||
	    (id > 0 && store_service_get(s, id, &sv, &e) != 0) ||
	    store_units_list(s, &units, &nunits, &e) != 0 ||
	    (id > 0 && store_service_desks(s, id, &desks, &ndesks, &e) != 0)) {
		json_decref(fields);
		json_decref(options);
		json_decref(facts);
		free(units);
		if (e.kind == ERROR_NOT_FOUND)
			staff_message(rq, rs, 404, "err_notfound_title",
			    "err_notfound_text");
		else
			admin_db_error(rq, rs, &e);
		return;
	}
	snprintf(unit_id, sizeof unit_id, "%lld", (long long)sv.unit_id);
	for (i = 0; i < nunits; i++) {
		char uid[24];

		if (units[i].retired && units[i].id != sv.unit_id)
			continue;
		snprintf(uid, sizeof uid, "%lld", (long long)units[i].id);
		json_array_append_new(options,
		    admin_option(uid, units[i].name,
		        strcmp(value(rq, "unit_id", unit_id), uid) == 0));
	}
	free(units);
	for (i = 0; i < ndesks; i++) {
		struct desk d;
		char href[48];

		if (store_desk_get(s, desks[i], &d, NULL) != 0)
			continue;
		snprintf(
		    href, sizeof href, "/admin/desks/%lld", (long long)d.id);
		json_array_append_new(facts,
		    json_pack("{s:s, s:s}", "href", href, "label", d.name));
	}
	free(desks);
	snprintf(num[0], sizeof num[0], "%u", sv.duration_minutes);
	snprintf(num[1], sizeof num[1], "%u", sv.capacity);
	snprintf(num[2], sizeof num[2], "%u", sv.max_open_per_person);
	span_text(sv.lead_time, span[0], sizeof span[0]);
	span_text(sv.horizon, span[1], sizeof span[1]);
	span_text(sv.confirm_within, span[2], sizeof span[2]);
	json_array_append_new(
	    fields, admin_field(rq, "unit_id", "select", "svc_unit", NULL, NULL,
	                true, options));
	json_array_append_new(
	    fields, admin_field(rq, "name", "text", "svc_name", NULL,
	                value(rq, "name", sv.name), true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "name_en", "text", "svc_name_en", NULL,
	                value(rq, "name_en", sv.name_en), false, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "description", "textarea",
	                "svc_description", "svc_description_hint",
	                value(rq, "description", sv.description), false, NULL));
	json_array_append_new(fields,
	    admin_field(rq, "description_en", "textarea", "svc_description_en",
	        NULL, value(rq, "description_en", sv.description_en), false,
	        NULL));
	json_array_append_new(
	    fields, admin_field(rq, "duration_minutes", "number",
	                "svc_duration", "svc_duration_hint",
	                value(rq, "duration_minutes", num[0]), true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "capacity", "number", "svc_capacity",
	                "svc_capacity_hint", value(rq, "capacity", num[1]),
	                true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "max_open_per_person", "number",
	                "svc_max_open", "svc_max_open_hint",
	                value(rq, "max_open_per_person", num[2]), true, NULL));
	f = admin_field(rq, "lead_time", "text", "svc_lead_time",
	    "svc_lead_time_hint", value(rq, "lead_time", span[0]), false, NULL);
	hint_default(f, rq, "svc_lead_time_hint", c->booking_lead_time);
	json_array_append_new(fields, f);
	f = admin_field(rq, "horizon", "text", "svc_horizon",
	    "svc_horizon_hint", value(rq, "horizon", span[1]), false, NULL);
	hint_default(f, rq, "svc_horizon_hint", c->booking_horizon);
	json_array_append_new(fields, f);
	f = admin_field(rq, "confirm_within", "text", "svc_confirm_within",
	    "svc_confirm_within_hint", value(rq, "confirm_within", span[2]),
	    false, NULL);
	hint_default(f, rq, "svc_confirm_within_hint", c->confirm_within);
	json_array_append_new(fields, f);
	json_array_append_new(
	    fields, admin_field(rq, "staff_only", "checkbox", "svc_staff_only",
	                "svc_staff_only_hint",
	                value(rq, "staff_only", sv.staff_only ? "yes" : ""),
	                false, NULL));
	json_array_append_new(fields,
	    admin_field(rq, "active", "checkbox", "svc_active",
	        "svc_active_hint", value(rq, "active", sv.active ? "yes" : ""),
	        false, NULL));
	json_array_append_new(fields,
	    admin_field(rq, "waitlist", "checkbox", "svc_waitlist",
	        "svc_waitlist_hint",
	        value(rq, "waitlist", sv.waitlist ? "yes" : ""), false, NULL));
	if (id > 0) {
		snprintf(action, sizeof action, "/admin/services/%lld",
		    (long long)id);
		snprintf(heading, sizeof heading, "%s", sv.name);
	} else {
		snprintf(action, sizeof action, "/admin/services");
		snprintf(heading, sizeof heading, "%s", page_t(rq, "svc_new"));
	}
	ctx = form_context(rq, heading, action, "/admin/services",
	    "services_title", id > 0 ? "admin_save" : "svc_add");
	json_object_set_new(ctx, "fields", fields);
	if (id > 0) {
		json_object_set_new(ctx, "facts", facts);
		json_object_set_new(
		    ctx, "facts_heading", json_string(page_t(rq, "svc_desks")));
	} else
		json_decref(facts);
	admin_notice(rq, ctx);
	if (errors != NULL)
		admin_form_errors(rq, ctx, errors);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aform", ctx);
}

static void
service_new_page(struct request *rq, struct response *rs)
{
	service_render(rq, rs, 200, 0, NULL, NULL);
}

static void
service_page(struct request *rq, struct response *rs)
{
	int64_t id;

	if (page_id(rq, rs, &id))
		service_render(rq, rs, 200, id, NULL, NULL);
}

static void
services_post(struct request *rq, struct response *rs)
{
	struct admin_input in;
	struct service_patch p;
	struct store *s;
	struct error err;
	char path[48];
	int64_t id;

	admin_input_form(&in, rq);
	service_read(&in, &p);
	structure_service_check(&p.v, &in.errors);
	if (in.errors.n > 0) {
		service_render(rq, rs, 422, 0, &in.errors, NULL);
		return;
	}
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (structure_service_add(s, &p.v, &rq->actor, rq->now, &id, &err) !=
	    0) {
		if (!form_failed(rq, rs, &err, NULL, "/admin/services"))
			service_render(
			    rq, rs, form_status(&err), 0, NULL, &err);
		return;
	}
	snprintf(path, sizeof path, "/admin/services/%lld", (long long)id);
	admin_done(rs, path, "added");
}

static void
service_post(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct service_patch p;
	struct store *s;
	struct error err;
	char path[48];
	int64_t id;

	if (!page_id(rq, rs, &id))
		return;
	admin_input_form(&in, rq);
	service_read(&in, &p);
	admin_request_read(&in, &ar);
	structure_service_check(&p.v, &in.errors);
	if (in.errors.n > 0) {
		service_render(rq, rs, 422, id, &in.errors, NULL);
		goto out;
	}
	snprintf(path, sizeof path, "/admin/services/%lld", (long long)id);
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	error_clear(&err);
	if (structure_service_update(s, rq->web->config, id, &p, &ar.req,
	        &rq->actor, rq->now, NULL, &res, &err) != 0) {
		if (!form_failed(rq, rs, &err, &res, path))
			service_render(
			    rq, rs, form_status(&err), id, NULL, &err);
		calendar_result_free(&res);
		goto out;
	}
	if (ar.req.preview)
		admin_resolve_page(rq, rs, &res, NULL, path);
	else
		admin_done(rs, path, "saved");
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

/* -- rooms and desks -- */

static void
desks_render(struct request *rq, struct response *rs, unsigned status,
    const struct error *err)
{
	struct room *rooms = NULL;
	struct desk *desks = NULL;
	struct store *s;
	struct error e;
	json_t *ctx, *room_rows = json_array(), *desk_rows = json_array(),
	             *fields = json_array();
	size_t nrooms = 0, ndesks = 0, i, j;

	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    store_rooms_list(s, &rooms, &nrooms, &e) != 0 ||
	    store_desks_list_all(s, &desks, &ndesks, &e) != 0) {
		free(rooms);
		json_decref(room_rows);
		json_decref(desk_rows);
		json_decref(fields);
		admin_db_error(rq, rs, &e);
		return;
	}
	for (i = 0; i < nrooms; i++) {
		char href[48];

		snprintf(href, sizeof href, "/admin/rooms/%lld",
		    (long long)rooms[i].id);
		json_array_append_new(room_rows,
		    json_pack("{s:s, s:s, s:b}", "href", href, "name",
		        rooms[i].name, "retired", rooms[i].retired));
	}
	for (j = 0; j < ndesks; j++) {
		char href[48], hours[64];
		int64_t *ids = NULL;
		size_t n = 0, k;
		struct buf names = BUF_INIT;

		snprintf(href, sizeof href, "/admin/desks/%lld",
		    (long long)desks[j].id);
		snprintf(hours, sizeof hours, "/admin/desks/%lld/hours",
		    (long long)desks[j].id);
		store_desk_services(s, desks[j].id, &ids, &n, NULL);
		for (k = 0; k < n; k++) {
			struct service sv;

			if (store_service_get(s, ids[k], &sv, NULL) == 0)
				buf_printf(&names, "%s%s",
				    names.len ? ", " : "", sv.name);
		}
		free(ids);
		json_array_append_new(desk_rows,
		    json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:b}", "href",
		        href, "hours", hours, "name", desks[j].name, "room",
		        desks[j].room, "capacity", (int)desks[j].capacity,
		        "services", names.len ? buf_cstr(&names) : "—",
		        "retired", desks[j].retired));
		buf_free(&names);
	}
	free(rooms);
	free(desks);
	json_array_append_new(
	    fields, admin_field(rq, "name", "text", "room_name", NULL,
	                value(rq, "name", ""), true, NULL));
	ctx = staff_context(rq, "/admin");
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "desks_title")));
	json_object_set_new(ctx, "rooms", room_rows);
	json_object_set_new(ctx, "desks", desk_rows);
	json_object_set_new(ctx, "fields", fields);
	admin_notice(rq, ctx);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "adesks", ctx);
}

static void
desks_page(struct request *rq, struct response *rs)
{
	desks_render(rq, rs, 200, NULL);
}

static bool
has_id(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static void
desk_render(struct request *rq, struct response *rs, unsigned status,
    int64_t id, const struct error_list *errors, const struct error *err)
{
	struct room *rooms = NULL;
	struct service *services = NULL;
	int64_t *serves = NULL;
	struct desk d;
	struct store *s;
	struct error e;
	json_t *ctx, *fields = json_array(), *options = json_array(),
	             *boxes = json_array();
	char action[48], heading[128], room_id[24], capacity[24];
	size_t nrooms = 0, nservices = 0, nserves = 0, i;

	error_clear(&e);
	memset(&d, 0, sizeof d);
	d.capacity = 1;
	if ((s = http_store(rq)) == NULL ||
	    (id > 0 && store_desk_get(s, id, &d, &e) != 0) ||
	    store_rooms_list(s, &rooms, &nrooms, &e) != 0 ||
	    store_services_list(s, false, &services, &nservices, &e) != 0 ||
	    (id > 0 &&
	        store_desk_services(s, id, &serves, &nserves, &e) != 0)) {
		free(rooms);
		free(services);
		json_decref(fields);
		json_decref(options);
		json_decref(boxes);
		if (e.kind == ERROR_NOT_FOUND)
			staff_message(rq, rs, 404, "err_notfound_title",
			    "err_notfound_text");
		else
			admin_db_error(rq, rs, &e);
		return;
	}
	snprintf(room_id, sizeof room_id, "%lld", (long long)d.room_id);
	json_array_append_new(options,
	    admin_option("", page_t(rq, "desk_room_choose"), d.room_id == 0));
	for (i = 0; i < nrooms; i++) {
		char rid[24];

		if (rooms[i].retired && rooms[i].id != d.room_id)
			continue;
		snprintf(rid, sizeof rid, "%lld", (long long)rooms[i].id);
		json_array_append_new(options,
		    admin_option(rid, rooms[i].name,
		        strcmp(value(rq, "room_id", room_id), rid) == 0));
	}
	for (i = 0; i < nservices; i++) {
		char name[32];
		bool on;

		if (!services[i].active &&
		    !has_id(serves, nserves, services[i].id))
			continue;
		snprintf(name, sizeof name, "service_%lld",
		    (long long)services[i].id);
		on = posted(rq) ? http_form(rq, name)[0] != '\0'
		                : has_id(serves, nserves, services[i].id);
		json_array_append_new(
		    boxes, admin_field(rq, name, "checkbox", NULL, NULL,
		               on ? "yes" : "", false, NULL));
		json_object_set_new(
		    json_array_get(boxes, json_array_size(boxes) - 1), "label",
		    json_string(services[i].name));
	}
	free(rooms);
	free(services);
	free(serves);
	snprintf(capacity, sizeof capacity, "%u", d.capacity);
	json_array_append_new(
	    fields, admin_field(rq, "room_id", "select", "desk_room", NULL,
	                NULL, true, options));
	json_array_append_new(fields,
	    admin_field(rq, "name", "text", "desk_name", "desk_name_hint",
	        value(rq, "name", d.name), true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "capacity", "number", "desk_capacity",
	                "desk_capacity_hint", value(rq, "capacity", capacity),
	                true, NULL));
	if (id > 0)
		json_array_append_new(
		    fields, admin_field(rq, "retired", "checkbox",
		                "desk_retired", "desk_retired_hint",
		                value(rq, "retired", d.retired ? "yes" : ""),
		                false, NULL));
	if (id > 0) {
		snprintf(
		    action, sizeof action, "/admin/desks/%lld", (long long)id);
		snprintf(heading, sizeof heading, "%s", d.name);
	} else {
		snprintf(action, sizeof action, "/admin/desks");
		snprintf(heading, sizeof heading, "%s", page_t(rq, "desk_new"));
	}
	ctx = form_context(rq, heading, action, "/admin/desks", "desks_title",
	    id > 0 ? "admin_save" : "desk_add");
	json_object_set_new(ctx, "fields", fields);
	json_object_set_new(ctx, "groups",
	    json_pack("[{s:s, s:s, s:o}]", "legend",
	        page_t(rq, "desk_services"), "group_hint",
	        page_t(rq, "desk_services_hint"), "fields", boxes));
	if (id > 0) {
		char hours[64];

		snprintf(hours, sizeof hours, "/admin/desks/%lld/hours",
		    (long long)id);
		json_object_set_new(ctx, "facts",
		    json_pack("[{s:s, s:s}]", "href", hours, "label",
		        page_t(rq, "desk_hours_link")));
		json_object_set_new(ctx, "facts_heading",
		    json_string(page_t(rq, "desk_calendar")));
	}
	admin_notice(rq, ctx);
	if (errors != NULL)
		admin_form_errors(rq, ctx, errors);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aform", ctx);
}

static void
desk_new_page(struct request *rq, struct response *rs)
{
	desk_render(rq, rs, 200, 0, NULL, NULL);
}

static void
desk_page(struct request *rq, struct response *rs)
{
	int64_t id;

	if (page_id(rq, rs, &id))
		desk_render(rq, rs, 200, id, NULL, NULL);
}

static void
desk_form_read(struct admin_input *in, struct desk_patch *p, bool existing)
{
	desk_read(in, p);
	if (!existing)
		p->set &= ~(unsigned)DESK_RETIRED;
	structure_desk_check(&p->v, &in->errors);
}

static void
desks_post(struct request *rq, struct response *rs)
{
	struct admin_input in;
	struct desk_patch p;
	struct store *s;
	struct error err;
	char path[48];
	int64_t id;

	admin_input_form(&in, rq);
	desk_form_read(&in, &p, false);
	if (in.errors.n > 0) {
		desk_render(rq, rs, 422, 0, &in.errors, NULL);
		return;
	}
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (structure_desk_add(s, &p, &rq->actor, rq->now, &id, &err) != 0) {
		if (!form_failed(rq, rs, &err, NULL, "/admin/desks"))
			desk_render(rq, rs, form_status(&err), 0, NULL, &err);
		return;
	}
	snprintf(path, sizeof path, "/admin/desks/%lld", (long long)id);
	admin_done(rs, path, "added");
}

static void
desk_post(struct request *rq, struct response *rs)
{
	struct admin_request ar;
	struct admin_input in;
	struct calendar_result res;
	struct desk_patch p;
	struct store *s;
	struct error err;
	char path[48];
	int64_t id;

	if (!page_id(rq, rs, &id))
		return;
	admin_input_form(&in, rq);
	desk_form_read(&in, &p, true);
	admin_request_read(&in, &ar);
	if (in.errors.n > 0) {
		desk_render(rq, rs, 422, id, &in.errors, NULL);
		goto out;
	}
	snprintf(path, sizeof path, "/admin/desks/%lld", (long long)id);
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		goto out;
	}
	error_clear(&err);
	if (structure_desk_update(s, rq->web->config, id, &p, &ar.req,
	        &rq->actor, rq->now, NULL, &res, &err) != 0) {
		if (!form_failed(rq, rs, &err, &res, path))
			desk_render(rq, rs, form_status(&err), id, NULL, &err);
		calendar_result_free(&res);
		goto out;
	}
	if (ar.req.preview)
		admin_resolve_page(rq, rs, &res, NULL, path);
	else
		admin_done(rs, path, "saved");
	calendar_result_free(&res);
out:
	admin_request_free(&ar);
}

const struct route catalogue_routes[] = {
    {"GET", "/api/v1/admin/units", api_units_list, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/units", api_units_add, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/units/{}", api_units_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/units/{}", api_units_put, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/services", api_services, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/services", api_service_add, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/services/{}", api_service_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/services/{}", api_service_put, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/rooms", api_rooms_list, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/rooms", api_rooms_add, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/rooms/{}", api_rooms_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/rooms/{}", api_rooms_put, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/desks", api_admin_desks, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/desks", api_admin_desk_add, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/desks/{}", api_admin_desk_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/desks/{}", api_admin_desk_put, ROLE_ADMIN, 0},
    {"GET", "/admin/units", units_page, ROLE_ADMIN, 0},
    {"POST", "/admin/units", units_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/units/{}", unit_page, ROLE_ADMIN, 0},
    {"POST", "/admin/units/{}", unit_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/services", services_page, ROLE_ADMIN, 0},
    {"POST", "/admin/services", services_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/services/new", service_new_page, ROLE_ADMIN, 0},
    {"GET", "/admin/services/{}", service_page, ROLE_ADMIN, 0},
    {"POST", "/admin/services/{}", service_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/desks", desks_page, ROLE_ADMIN, 0},
    {"POST", "/admin/desks", desks_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/desks/new", desk_new_page, ROLE_ADMIN, 0},
    {"GET", "/admin/desks/{}", desk_page, ROLE_ADMIN, 0},
    {"POST", "/admin/desks/{}", desk_post, ROLE_ADMIN, ROUTE_FORM},
    {"POST", "/admin/rooms", rooms_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/rooms/{}", room_page, ROLE_ADMIN, 0},
    {"POST", "/admin/rooms/{}", room_post, ROLE_ADMIN, ROUTE_FORM},
    {0},
};
