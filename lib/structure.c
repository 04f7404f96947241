/*
 * structure.c: units, services, rooms and desks as admins edit them
 * (structure.h). Validation first (all problems at once), then one
 * transaction: the change and an audit row per changed field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "structure.h"
#include "utf8.h"

static int
admin_only(const struct actor *actor, struct error *err)
{
	if (actor_at_least(actor, ROLE_ADMIN))
		return 0;
	return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
	    "Only admins change the office's structure.");
}

/* check_text: required or not, at most max bytes, printable UTF-8 */
static void
check_text(const char *value, const char *field, size_t max, bool required,
    struct error_list *list)
{
	size_t len = strlen(value);

	if (required && len == 0)
		error_set_code(error_list_next(list), ERROR_INVALID, "required",
		    field, "Fill in %s.", field);
	else if (len > max)
		error_set_code(error_list_next(list), ERROR_INVALID, "too_long",
		    field, "%s is too long (at most %zu bytes).", field, max);
	else if (!utf8_text_valid(value, len))
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "text_invalid", field,
		    "%s contains characters that are not allowed.", field);
}

static void
check_range(int64_t value, int64_t min, int64_t max, const char *field,
    struct error_list *list)
{
	if (value < min || value > max)
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "out_of_range", field, "%s must be from %lld to %lld.",
		    field, (long long)min, (long long)max);
}

/* a per-service span: 0 (the office's) or within [min, max] */
static void
check_span(int64_t value, int64_t min, int64_t max, const char *field,
    struct error_list *list)
{
	if (value != 0)
		check_range(value, min, max, field, list);
}

/* store_failed: a UNIQUE name (or a vanished row) in words a form shows */
static int
name_conflict(struct error *err, const char *field)
{
	if (err != NULL && err->kind == ERROR_CONFLICT)
		return error_set_code(err, ERROR_INVALID, "name_taken", field,
		    "That name is already taken.");
	return -1;
}

/* audit_change: a row when a value changed */
static int
audit_change(struct store *s, const struct actor *actor, const char *action,
    const char *before, const char *after, const char *detail, time_t now,
    struct error *err)
{
	if (strcmp(before, after) == 0)
		return 0;
	return audit_record(
	    s, actor, action, 0, before, after, detail, now, err);
}

/* ---- units and rooms: a name and whether retired ------------------------ */

static int
unit_get(struct store *s, int64_t id, struct named *n, struct error *err)
{
	struct unit u;

	if (store_unit_get(s, id, &u, err) != 0)
		return -1;
	n->id = u.id;
	snprintf(n->name, sizeof n->name, "%s", u.name);
	n->retired = u.retired;
	return 0;
}

static int
unit_update(struct store *s, const struct named *n, struct error *err)
{
	struct unit u;

	u.id = n->id;
	snprintf(u.name, sizeof u.name, "%s", n->name);
	u.retired = n->retired;
	return store_unit_update(s, &u, err);
}

static int
room_get(struct store *s, int64_t id, struct named *n, struct error *err)
{
	struct room r;

	if (store_room_get(s, id, &r, err) != 0)
		return -1;
	n->id = r.id;
	snprintf(n->name, sizeof n->name, "%s", r.name);
	n->retired = r.retired;
	return 0;
}

static int
room_update(struct store *s, const struct named *n, struct error *err)
{
	struct room r;

	r.id = n->id;
	snprintf(r.name, sizeof r.name, "%.47s", n->name); /* checked */
	r.retired = n->retired;
	return store_room_update(s, &r, err);
}

/* what differs between units and rooms */
static const struct {
	const char *what;
	size_t name_max;
	int (*add)(struct store *, const char *, int64_t *, struct error *);
	int (*get)(struct store *, int64_t, struct named *, struct error *);
	int (*update)(struct store *, const struct named *, struct error *);
	/* what keeps it from retiring: active services, desks in use */
	int (*in_use)(struct store *, int64_t, unsigned *, struct error *);
	const char *unknown;
	const char *field, *retired; /* a service's unit, a desk's room */
} kinds[] = {
    [NAMED_UNIT] = {"unit", sizeof((struct unit *)0)->name - 1, store_unit_add,
        unit_get, unit_update, store_unit_services, "unknown_unit", "unit_id",
        "unit_retired"},
    [NAMED_ROOM] = {"room", sizeof((struct room *)0)->name - 1, store_room_add,
        room_get, room_update, store_room_desks, "unknown_room", "room_id",
        "room_retired"},
};

/* named_usable: a service's unit or a desk's room exists and is in use */
static int
named_usable(
    struct store *s, enum named_kind kind, int64_t id, struct error *err)
{
	struct named n;
	struct error e;

	error_clear(&e);
	if (kinds[kind].get(s, id, &n, &e) != 0) {
		if (e.kind != ERROR_NOT_FOUND) {
			if (err != NULL)
				*err = e;
			return -1;
		}
		return error_set_code(err, ERROR_INVALID, kinds[kind].unknown,
		    kinds[kind].field, "No such %s.", kinds[kind].what);
	}
	if (n.retired)
		return error_set_code(err, ERROR_INVALID, kinds[kind].retired,
		    kinds[kind].field, "That %s is retired.", kinds[kind].what);
	return 0;
}

int
structure_named_list(struct store *s, enum named_kind kind, struct named **out,
    size_t *n, struct error *err)
{
	struct unit *units = NULL;
	struct room *rooms = NULL;
	size_t i;

	*out = NULL;
	if (kind == NAMED_UNIT ? store_units_list(s, &units, n, err)
	                       : store_rooms_list(s, &rooms, n, err))
		return -1;
	if ((*out = calloc(*n + 1, sizeof **out)) == NULL)
		abort();
	for (i = 0; i < *n; i++) {
		struct named *x = &(*out)[i];

		x->id = kind == NAMED_UNIT ? units[i].id : rooms[i].id;
		snprintf(x->name, sizeof x->name, "%s",
		    kind == NAMED_UNIT ? units[i].name : rooms[i].name);
		x->retired =
		    kind == NAMED_UNIT ? units[i].retired : rooms[i].retired;
	}
	free(units);
	free(rooms);
	return 0;
}

int
structure_named_get(struct store *s, enum named_kind kind, int64_t id,
    struct named *out, struct error *err)
{
	if (kinds[kind].get(s, id, out, err) == 0)
		return 0;
	if (err != NULL && err->kind == ERROR_NOT_FOUND)
		error_set_code(err, ERROR_NOT_FOUND, kinds[kind].unknown, NULL,
		    "No such %s.", kinds[kind].what);
	return -1;
}

int
structure_named_add(struct store *s, enum named_kind kind, const char *name,
    const struct actor *actor, time_t now, int64_t *id, struct error *err)
{
	struct error_list list;
	char action[32], detail[32];

	if (admin_only(actor, err) != 0)
		return -1;
	error_list_clear(&list);
	check_text(name, "name", kinds[kind].name_max, true, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (kinds[kind].add(s, name, id, err) != 0) {
		name_conflict(err, "name");
		goto fail;
	}
	snprintf(action, sizeof action, "%s.add", kinds[kind].what);
	snprintf(detail, sizeof detail, "#%lld", (long long)*id);
	if (audit_record(s, actor, action, 0, NULL, name, detail, now, err) !=
	        0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
structure_named_update(struct store *s, enum named_kind kind, int64_t id,
    const char *name, int retired, const struct actor *actor, time_t now,
    struct named *out, struct error *err)
{
	struct named before, after;
	struct error_list list;
	char action[32], detail[160];
	unsigned busy;

	if (admin_only(actor, err) != 0)
		return -1;
	error_list_clear(&list);
	if (name != NULL)
		check_text(name, "name", kinds[kind].name_max, true, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (structure_named_get(s, kind, id, &before, err) != 0)
		goto fail;
	after = before;
	if (name != NULL)
		snprintf(after.name, sizeof after.name, "%s", name);
	if (retired >= 0)
		after.retired = retired != 0;
	if (after.retired && !before.retired) {
		if (kinds[kind].in_use(s, id, &busy, err) != 0)
			goto fail;
		if (busy > 0 && kind == NAMED_UNIT) {
			error_set_code(err, ERROR_CONFLICT, "unit_has_services",
			    "retired",
			    "The unit still offers %u service(s): retire them "
			    "or"
			    " move them to another unit first.",
			    busy);
			goto fail;
		}
		if (busy > 0) {
			error_set_code(err, ERROR_CONFLICT, "room_has_desks",
			    "retired",
			    "The room still has %u desk(s) in service: retire "
			    "or"
			    " move them first.",
			    busy);
			goto fail;
		}
	}
	if (kinds[kind].update(s, &after, err) != 0) {
		name_conflict(err, "name");
		goto fail;
	}
	snprintf(action, sizeof action, "%s.update", kinds[kind].what);
	snprintf(detail, sizeof detail, "#%lld %s", (long long)id, after.name);
	if (audit_change(s, actor, action, before.name, after.name, detail, now,
	        err) != 0 ||
	    audit_change(s, actor, action,
	        before.retired ? "retired" : "active",
	        after.retired ? "retired" : "active", detail, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	if (out != NULL)
		*out = after;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* ---- services ----------------------------------------------------------- */

static const struct {
	enum service_field bit;
	const char *name;
} service_fields[] = {
    {SERVICE_UNIT, "unit_id"},
    {SERVICE_NAME, "name"},
    {SERVICE_NAME_EN, "name_en"},
    {SERVICE_DESCRIPTION, "description"},
    {SERVICE_DESCRIPTION_EN, "description_en"},
    {SERVICE_DURATION, "duration_minutes"},
    {SERVICE_CAPACITY, "capacity"},
    {SERVICE_MAX_OPEN, "max_open_per_person"},
    {SERVICE_LEAD_TIME, "lead_time"},
    {SERVICE_HORIZON, "horizon"},
    {SERVICE_CONFIRM_WITHIN, "confirm_within"},
    {SERVICE_STAFF_ONLY, "staff_only"},
    {SERVICE_ACTIVE, "active"},
    {SERVICE_WAITLIST, "waitlist"},
};

#define NSERVICE_FIELDS (sizeof service_fields / sizeof service_fields[0])

const char *
service_field_name(enum service_field bit)
{
	size_t i;

	for (i = 0; i < NSERVICE_FIELDS; i++)
		if (service_fields[i].bit == bit)
			return service_fields[i].name;
	return "";
}

void
structure_service_defaults(struct service *sv)
{
	memset(sv, 0, sizeof *sv);
	sv->duration_minutes = 15;
	sv->active = true;
	sv->waitlist = true;
}

void
structure_service_check(const struct service *sv, struct error_list *list)
{
	check_text(sv->name, "name", sizeof sv->name - 1, true, list);
	check_text(sv->name_en, "name_en", sizeof sv->name_en - 1, false, list);
	check_text(sv->description, "description", sizeof sv->description - 1,
	    false, list);
	check_text(sv->description_en, "description_en",
	    sizeof sv->description_en - 1, false, list);
	check_range(sv->duration_minutes, 1, SERVICE_DURATION_MAX,
	    "duration_minutes", list);
	check_range(sv->capacity, 0, SERVICE_CAPACITY_MAX, "capacity", list);
	check_range(sv->max_open_per_person, 0, SERVICE_MAX_OPEN_MAX,
	    "max_open_per_person", list);
	check_span(sv->lead_time, 1, SERVICE_LEAD_TIME_MAX, "lead_time", list);
	check_span(sv->horizon, SERVICE_HORIZON_MIN, SERVICE_HORIZON_MAX,
	    "horizon", list);
	check_span(sv->confirm_within, SERVICE_CONFIRM_MIN, SERVICE_CONFIRM_MAX,
	    "confirm_within", list);
}

static void
span_text(int64_t seconds, char *out, size_t size)
{
	if (seconds <= 0)
		snprintf(out, size, "default");
	else
		config_format_duration(seconds, out, size);
}

/* service_value: one field's value as the audit shows it */
static void
service_value(
    const struct service *sv, enum service_field bit, char *out, size_t size)
{
	switch (bit) {
	case SERVICE_UNIT:
		snprintf(out, size, "%lld", (long long)sv->unit_id);
		break;
	case SERVICE_NAME: snprintf(out, size, "%s", sv->name); break;
	case SERVICE_NAME_EN: snprintf(out, size, "%s", sv->name_en); break;
	case SERVICE_DESCRIPTION:
		snprintf(out, size, "%s", sv->description);
		break;
	case SERVICE_DESCRIPTION_EN:
		snprintf(out, size, "%s", sv->description_en);
		break;
	case SERVICE_DURATION:
		snprintf(out, size, "%u", sv->duration_minutes);
		break;
	case SERVICE_CAPACITY: snprintf(out, size, "%u", sv->capacity); break;
	case SERVICE_MAX_OPEN:
		snprintf(out, size, "%u", sv->max_open_per_person);
		break;
	case SERVICE_LEAD_TIME: span_text(sv->lead_time, out, size); break;
	case SERVICE_HORIZON: span_text(sv->horizon, out, size); break;
	case SERVICE_CONFIRM_WITHIN:
		span_text(sv->confirm_within, out, size);
		break;
	case SERVICE_STAFF_ONLY:
		snprintf(out, size, "%s", sv->staff_only ? "true" : "false");
		break;
	case SERVICE_ACTIVE:
		snprintf(out, size, "%s", sv->active ? "true" : "false");
		break;
	case SERVICE_WAITLIST:
		snprintf(out, size, "%s", sv->waitlist ? "true" : "false");
		break;
	}
}

int
structure_service_add(struct store *s, const struct service *sv,
    const struct actor *actor, time_t now, int64_t *id, struct error *err)
{
	struct error_list list;
	char detail[160];

	if (admin_only(actor, err) != 0)
		return -1;
	error_list_clear(&list);
	structure_service_check(sv, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (named_usable(s, NAMED_UNIT, sv->unit_id, err) != 0 ||
	    store_service_add(s, sv, id, err) != 0)
		goto fail;
	snprintf(detail, sizeof detail, "#%lld", (long long)*id);
	if (audit_record(s, actor, "service.add", 0, NULL, sv->name, detail,
	        now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

struct service_change {
	int64_t id;
	const struct service_patch *patch;
	struct service after;
};

static void
service_merge(struct service *sv, const struct service_patch *p)
{
	const struct service *v = &p->v;

	if (p->set & SERVICE_UNIT)
		sv->unit_id = v->unit_id;
	if (p->set & SERVICE_NAME)
		memcpy(sv->name, v->name, sizeof sv->name);
	if (p->set & SERVICE_NAME_EN)
		memcpy(sv->name_en, v->name_en, sizeof sv->name_en);
	if (p->set & SERVICE_DESCRIPTION)
		memcpy(sv->description, v->description, sizeof sv->description);
	if (p->set & SERVICE_DESCRIPTION_EN)
		memcpy(sv->description_en, v->description_en,
		    sizeof sv->description_en);
	if (p->set & SERVICE_DURATION)
		sv->duration_minutes = v->duration_minutes;
	if (p->set & SERVICE_CAPACITY)
		sv->capacity = v->capacity;
	if (p->set & SERVICE_MAX_OPEN)
		sv->max_open_per_person = v->max_open_per_person;
	if (p->set & SERVICE_LEAD_TIME)
		sv->lead_time = v->lead_time;
	if (p->set & SERVICE_HORIZON)
		sv->horizon = v->horizon;
	if (p->set & SERVICE_CONFIRM_WITHIN)
		sv->confirm_within = v->confirm_within;
	if (p->set & SERVICE_STAFF_ONLY)
		sv->staff_only = v->staff_only;
	if (p->set & SERVICE_ACTIVE)
		sv->active = v->active;
	if (p->set & SERVICE_WAITLIST)
		sv->waitlist = v->waitlist;
}

static int
apply_service(struct store *s, void *arg, const struct actor *actor, time_t now,
    struct error *err)
{
	struct service_change *sc = arg;
	struct service before;
	struct error_list list;
	size_t i;

	if (store_service_get(s, sc->id, &before, err) != 0) {
		if (err != NULL && err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_NOT_FOUND, "unknown_service",
			    NULL, "No such service.");
		return -1;
	}
	sc->after = before;
	service_merge(&sc->after, sc->patch);
	error_list_clear(&list);
	structure_service_check(&sc->after, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (sc->after.unit_id != before.unit_id &&
	    named_usable(s, NAMED_UNIT, sc->after.unit_id, err) != 0)
		return -1;
	if (store_service_update(s, &sc->after, err) != 0)
		return -1;
	for (i = 0; i < NSERVICE_FIELDS; i++) {
		char a[512], b[512], detail[160];

		service_value(&before, service_fields[i].bit, a, sizeof a);
		service_value(&sc->after, service_fields[i].bit, b, sizeof b);
		if (strcmp(a, b) == 0)
			continue;
		snprintf(detail, sizeof detail, "#%lld %s: %s",
		    (long long)sc->id, sc->after.name, service_fields[i].name);
		if (audit_record(s, actor, "service.update", 0, a, b, detail,
		        now, err) != 0)
			return -1;
	}
	/* the unit's name, as read */
	return store_service_get(s, sc->id, &sc->after, err);
}

int
structure_service_update(struct store *s, const struct config *c, int64_t id,
    const struct service_patch *p, const struct calendar_request *req,
    const struct actor *actor, time_t now, struct service *out,
    struct calendar_result *res, struct error *err)
{
	struct service_change sc;

	memset(&sc, 0, sizeof sc);
	sc.id = id;
	sc.patch = p;
	if (calendar_change(
	        s, c, apply_service, &sc, req, actor, now, res, err) != 0)
		return -1;
	if (out != NULL)
		*out = sc.after;
	return 0;
}

/* ---- desks -------------------------------------------------------------- */

void
structure_desk_check(const struct desk *d, struct error_list *list)
{
	check_text(d->name, "name", sizeof d->name - 1, true, list);
	check_range(d->capacity, 1, DESK_CAPACITY_MAX, "capacity", list);
	if (d->room_id <= 0)
		error_set_code(error_list_next(list), ERROR_INVALID, "required",
		    "room_id", "Choose the desk's room.");
}

/* services_usable: every id names a service */
static int
services_usable(
    struct store *s, const int64_t *ids, size_t n, struct error *err)
{
	struct service sv;
	size_t i;

	for (i = 0; i < n; i++)
		if (store_service_get(s, ids[i], &sv, NULL) != 0)
			return error_set_code(err, ERROR_INVALID,
			    "unknown_service", "services", "No service %lld.",
			    (long long)ids[i]);
	return 0;
}

static void
ids_text(const int64_t *ids, size_t n, char *out, size_t size)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	snprintf(out, size, "%s", b.len ? buf_cstr(&b) : "-");
	buf_free(&b);
}

int
structure_desk_add(struct store *s, const struct desk_patch *p,
    const struct actor *actor, time_t now, int64_t *id, struct error *err)
{
	struct error_list list;
	char detail[160], services[64];

	if (admin_only(actor, err) != 0)
		return -1;
	error_list_clear(&list);
	structure_desk_check(&p->v, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (named_usable(s, NAMED_ROOM, p->v.room_id, err) != 0 ||
	    services_usable(s, p->services, p->nservices, err) != 0)
		goto fail;
	if (store_desk_add(s, &p->v, id, err) != 0) {
		name_conflict(err, "name");
		goto fail;
	}
	ids_text(p->services, p->nservices, services, sizeof services);
	snprintf(detail, sizeof detail, "#%lld services %s", (long long)*id,
	    services);
	if (store_desk_services_set(s, *id, p->services, p->nservices, err) !=
	        0 ||
	    audit_record(s, actor, "desk.add", 0, NULL, p->v.name, detail, now,
	        err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

struct desk_change {
	int64_t id;
	const struct desk_patch *patch;
	struct desk after;
};

static int
apply_desk(struct store *s, void *arg, const struct actor *actor, time_t now,
    struct error *err)
{
	struct desk_change *dc = arg;
	const struct desk_patch *p = dc->patch;
	struct error_list list;
	struct desk before;
	int64_t *old = NULL;
	size_t nold = 0;
	char a[64], b[64], detail[160];
	int rc = -1;

	if (store_desk_get(s, dc->id, &before, err) != 0) {
		if (err != NULL && err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_NOT_FOUND, "unknown_desk",
			    NULL, "No such desk.");
		return -1;
	}
	dc->after = before;
	if (p->set & DESK_ROOM)
		dc->after.room_id = p->v.room_id;
	if (p->set & DESK_NAME)
		memcpy(dc->after.name, p->v.name, sizeof dc->after.name);
	if (p->set & DESK_CAPACITY)
		dc->after.capacity = p->v.capacity;
	if (p->set & DESK_RETIRED)
		dc->after.retired = p->v.retired;
	error_list_clear(&list);
	structure_desk_check(&dc->after, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (dc->after.room_id != before.room_id &&
	    named_usable(s, NAMED_ROOM, dc->after.room_id, err) != 0)
		return -1;
	if (store_desk_update(s, &dc->after, err) != 0) {
		name_conflict(err, "name");
		return -1;
	}
	if (store_desk_get(s, dc->id, &dc->after, err) != 0)
		return -1;
	snprintf(detail, sizeof detail, "#%lld %s", (long long)dc->id,
	    dc->after.name);
	snprintf(a, sizeof a, "%u", before.capacity);
	snprintf(b, sizeof b, "%u", dc->after.capacity);
	if (audit_change(s, actor, "desk.update", before.name, dc->after.name,
	        detail, now, err) != 0 ||
	    audit_change(s, actor, "desk.update", before.room, dc->after.room,
	        detail, now, err) != 0 ||
	    audit_change(s, actor, "desk.update", a, b, detail, now, err) !=
	        0 ||
	    audit_change(s, actor, "desk.update",
	        before.retired ? "retired" : "active",
	        dc->after.retired ? "retired" : "active", detail, now,
	        err) != 0)
		return -1;
	if (!(p->set & DESK_SERVICES))
		return 0;
	if (services_usable(s, p->services, p->nservices, err) != 0 ||
	    store_desk_services(s, dc->id, &old, &nold, err) != 0)
		goto out;
	ids_text(old, nold, a, sizeof a);
	ids_text(p->services, p->nservices, b, sizeof b);
	snprintf(detail, sizeof detail, "#%lld %s: services", (long long)dc->id,
	    dc->after.name);
	if (store_desk_services_set(
	        s, dc->id, p->services, p->nservices, err) != 0 ||
	    audit_change(s, actor, "desk.update", a, b, detail, now, err) != 0)
		goto out;
	rc = 0;
out:
	free(old);
	return rc;
}

int
structure_desk_update(struct store *s, const struct config *c, int64_t id,
    const struct desk_patch *p, const struct calendar_request *req,
    const struct actor *actor, time_t now, struct desk *out,
    struct calendar_result *res, struct error *err)
{
	struct desk_change dc;

	memset(&dc, 0, sizeof dc);
	dc.id = id;
	dc.patch = p;
	if (calendar_change(s, c, apply_desk, &dc, req, actor, now, res, err) !=
	    0)
		return -1;
	if (out != NULL)
		*out = dc.after;
	return 0;
}
