/*
 * store_pg_admin.c: the office's structure as admins edit it (store.h), the
 * twin of store_sqlite_admin.c: units, services, rooms, desks and the
 * services each serves, weekly hours, dated exceptions, holidays, bookings
 * kept outside changed hours, operators' roles, one-time password links
 * and API tokens one by one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"

/* found: an UPDATE or DELETE of one row by id found it */
static int
found(struct store *s, struct error *err, const char *what)
{
	if (pq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such %s", what);
	return 0;
}

/* ---- units and services ------------------------------------------------- */

static const char PG_UNIT_GET[] =
    "SELECT id, name, retired FROM units WHERE id = $1";
static const char PG_UNIT_UPDATE[] =
    "UPDATE units SET name = $1, retired = $2 WHERE id = $3";
static const char PG_UNIT_SERVICES[] =
    "SELECT count(*) FROM services WHERE unit_id = $1 AND active";

static void
unit_row(const PGresult *res, int row, void *out)
{
	struct unit *u = out;

	u->id = pq_int(res, row, 0);
	pq_text(res, row, 1, u->name, sizeof u->name);
	u->retired = pq_bool(res, row, 2);
}

int
pgsql_unit_get(struct store *s, int64_t id, struct unit *u, struct error *err)
{
	return pq_one(pq_query(s, err, PG_UNIT_GET, PQ_INT(id)), unit_row, u,
	    err, "unit");
}

int
pgsql_unit_update(struct store *s, const struct unit *u, struct error *err)
{
	if (pq_exec(s, err, PG_UNIT_UPDATE, PQ_TEXT(u->name),
	        PQ_BOOL(u->retired), PQ_INT(u->id)) != 0)
		return -1;
	return found(s, err, "unit");
}

int
pgsql_unit_services(
    struct store *s, int64_t unit_id, unsigned *count, struct error *err)
{
	return pq_one(pq_query(s, err, PG_UNIT_SERVICES, PQ_INT(unit_id)),
	    pq_read_count, count, err, "count");
}

static const char PG_SERVICE_UPDATE[] =
    "UPDATE services SET unit_id = $1, name = $2, name_en = $3,"
    " description = $4, description_en = $5, duration_minutes = $6,"
    " active = $7, capacity = $8, max_open_per_person = $9, lead_time = $10,"
    " horizon = $11, confirm_within = $12, staff_only = $13, waitlist = $14"
    " WHERE id = $15";

#define PQ_SPAN(x) PQ_ID(x) /* 0: NULL, the office's */

int
pgsql_service_update(
    struct store *s, const struct service *sv, struct error *err)
{
	if (pq_exec(s, err, PG_SERVICE_UPDATE, PQ_INT(sv->unit_id),
	        PQ_TEXT(sv->name), PQ_TEXT(sv->name_en),
	        PQ_TEXT(sv->description), PQ_TEXT(sv->description_en),
	        PQ_INT(sv->duration_minutes), PQ_BOOL(sv->active),
	        PQ_INT(sv->capacity), PQ_INT(sv->max_open_per_person),
	        PQ_SPAN(sv->lead_time), PQ_SPAN(sv->horizon),
	        PQ_SPAN(sv->confirm_within), PQ_BOOL(sv->staff_only),
	        PQ_BOOL(sv->waitlist), PQ_INT(sv->id)) != 0)
		return -1;
	return found(s, err, "service");
}

/* ---- rooms and desks ---------------------------------------------------- */

static const char PG_ROOM_ADD[] =
    "INSERT INTO rooms (name) VALUES ($1) RETURNING id";
static const char PG_ROOM_GET[] =
    "SELECT id, name, retired FROM rooms WHERE id = $1";
static const char PG_ROOMS[] =
    "SELECT id, name, retired FROM rooms ORDER BY retired, name";
static const char PG_ROOM_UPDATE[] =
    "UPDATE rooms SET name = $1, retired = $2 WHERE id = $3";
static const char PG_ROOM_DESKS_RENAME[] =
    "UPDATE desks SET room = $1 WHERE room_id = $2";
static const char PG_ROOM_DESKS[] =
    "SELECT count(*) FROM desks WHERE room_id = $1 AND NOT retired";

static void
room_row(const PGresult *res, int row, void *out)
{
	struct room *r = out;

	r->id = pq_int(res, row, 0);
	pq_text(res, row, 1, r->name, sizeof r->name);
	r->retired = pq_bool(res, row, 2);
}

int
pgsql_room_add(
    struct store *s, const char *name, int64_t *id, struct error *err)
{
	return pq_one(pq_query(s, err, PG_ROOM_ADD, PQ_TEXT(name)), pq_read_id,
	    id, err, "room");
}

int
pgsql_room_get(struct store *s, int64_t id, struct room *r, struct error *err)
{
	return pq_one(pq_query(s, err, PG_ROOM_GET, PQ_INT(id)), room_row, r,
	    err, "room");
}

int
pgsql_room_update(struct store *s, const struct room *r, struct error *err)
{
	if (pq_exec(s, err, PG_ROOM_UPDATE, PQ_TEXT(r->name),
	        PQ_BOOL(r->retired), PQ_INT(r->id)) != 0 ||
	    found(s, err, "room") != 0)
		return -1;
	return pq_exec(
	    s, err, PG_ROOM_DESKS_RENAME, PQ_TEXT(r->name), PQ_INT(r->id));
}

int
pgsql_rooms_list(
    struct store *s, struct room **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err, PG_ROOMS), sizeof **out, room_row,
	    (void **)out, n, err);
}

int
pgsql_room_desks(
    struct store *s, int64_t room_id, unsigned *count, struct error *err)
{
	return pq_one(pq_query(s, err, PG_ROOM_DESKS, PQ_INT(room_id)),
	    pq_read_count, count, err, "count");
}

static const char PG_DESK_UPDATE[] =
    "UPDATE desks SET room_id = $1, name = $2, capacity = $3, retired = $4,"
    " room = (SELECT r.name FROM rooms r WHERE r.id = $1) WHERE id = $5";

int
pgsql_desk_update(struct store *s, const struct desk *d, struct error *err)
{
	if (pq_exec(s, err, PG_DESK_UPDATE, PQ_INT(d->room_id),
	        PQ_TEXT(d->name), PQ_INT(d->capacity), PQ_BOOL(d->retired),
	        PQ_INT(d->id)) != 0)
		return -1;
	return found(s, err, "desk");
}

static const char PG_DESK_SERVICES[] =
    "SELECT service_id FROM desk_services WHERE desk_id = $1"
    " ORDER BY service_id";
static const char PG_SERVICE_DESKS_IDS[] =
    "SELECT desk_id FROM desk_services WHERE service_id = $1"
    " ORDER BY desk_id";
static const char PG_DESK_SERVICES_CLEAR[] =
    "DELETE FROM desk_services WHERE desk_id = $1";
static const char PG_DESK_SERVICES_ADD[] =
    "INSERT INTO desk_services (desk_id, service_id) VALUES ($1, $2)"
    " ON CONFLICT DO NOTHING";
/* hours for one service go with it */
static const char PG_DESK_HOURS_ORPHANS[] =
    "DELETE FROM opening_hours WHERE desk_id = $1 AND service_id IS NOT NULL"
    " AND service_id NOT IN (SELECT service_id FROM desk_services"
    " WHERE desk_id = $1)";

int
pgsql_desk_services(struct store *s, int64_t desk_id, int64_t **ids, size_t *n,
    struct error *err)
{
	return pq_rows(pq_query(s, err, PG_DESK_SERVICES, PQ_INT(desk_id)),
	    sizeof **ids, pq_read_id, (void **)ids, n, err);
}

int
pgsql_service_desks(struct store *s, int64_t service_id, int64_t **ids,
    size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_SERVICE_DESKS_IDS, PQ_INT(service_id)),
	    sizeof **ids, pq_read_id, (void **)ids, n, err);
}

int
pgsql_desk_services_set(struct store *s, int64_t desk_id, const int64_t *ids,
    size_t n, struct error *err)
{
	size_t i;

	if (pq_exec(s, err, PG_DESK_SERVICES_CLEAR, PQ_INT(desk_id)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (pq_exec(s, err, PG_DESK_SERVICES_ADD, PQ_INT(desk_id),
		        PQ_INT(ids[i])) != 0)
			return -1;
	return pq_exec(s, err, PG_DESK_HOURS_ORPHANS, PQ_INT(desk_id));
}

/* ---- weekly hours, exceptions, holidays --------------------------------- */

/* NULLS FIRST: SQLite sorts a NULL service (every service) first */
static const char PG_HOURS_LIST[] =
    "SELECT id, desk_id, COALESCE(service_id, 0), weekday, opens, closes"
    " FROM opening_hours WHERE ($1::bigint = 0 OR desk_id = $1::bigint)"
    " ORDER BY desk_id, weekday, opens, service_id NULLS FIRST";
static const char PG_HOURS_CLEAR[] =
    "DELETE FROM opening_hours WHERE desk_id = $1";
static const char PG_HOURS_INSERT[] =
    "INSERT INTO opening_hours (desk_id, service_id, weekday, opens, closes)"
    " VALUES ($1, $2, $3, $4, $5)";

static void
hours_row(const PGresult *res, int row, void *out)
{
	struct opening_hours *h = out;

	h->id = pq_int(res, row, 0);
	h->desk_id = pq_int(res, row, 1);
	h->service_id = pq_int(res, row, 2);
	h->weekday = (int)pq_int(res, row, 3);
	h->opens = (int)pq_int(res, row, 4);
	h->closes = (int)pq_int(res, row, 5);
}

int
pgsql_hours_list(struct store *s, int64_t desk_id, struct opening_hours **out,
    size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_HOURS_LIST, PQ_INT(desk_id)),
	    sizeof **out, hours_row, (void **)out, n, err);
}

int
pgsql_hours_set(struct store *s, int64_t desk_id, const struct opening_hours *h,
    size_t n, struct error *err)
{
	size_t i;

	if (pq_exec(s, err, PG_HOURS_CLEAR, PQ_INT(desk_id)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (pq_exec(s, err, PG_HOURS_INSERT, PQ_INT(desk_id),
		        PQ_ID(h[i].service_id), PQ_INT(h[i].weekday),
		        PQ_INT(h[i].opens), PQ_INT(h[i].closes)) != 0)
			return -1;
	return 0;
}

#define EXCEPTION_COLUMNS                                                      \
	"e.id, COALESCE(e.desk_id, 0), e.day, COALESCE(e.opens, -1),"          \
	" COALESCE(e.closes, -1), e.reason, COALESCE(d.name, '')"

/* NULLS FIRST for d.name: the every-desk ones have none (SQLite's order) */
static const char PG_EXCEPTIONS_LIST[] =
    "SELECT " EXCEPTION_COLUMNS " FROM calendar_exceptions e"
    " LEFT JOIN desks d ON d.id = e.desk_id"
    " WHERE ($1::date IS NULL OR e.day >= $1::date)"
    " AND ($2::date IS NULL OR e.day <= $2::date)"
    " ORDER BY e.day, e.desk_id IS NOT NULL, d.name NULLS FIRST, e.id";
static const char PG_EXCEPTION_GET[] =
    "SELECT " EXCEPTION_COLUMNS " FROM calendar_exceptions e"
    " LEFT JOIN desks d ON d.id = e.desk_id WHERE e.id = $1";
static const char PG_EXCEPTION_DELETE[] =
    "DELETE FROM calendar_exceptions WHERE id = $1";

static void
exception_row(const PGresult *res, int row, void *out)
{
	struct calendar_exception *e = out;

	memset(e, 0, sizeof *e);
	e->id = pq_int(res, row, 0);
	e->desk_id = pq_int(res, row, 1);
	e->day = pq_date(res, row, 2);
	e->opens = (int)pq_int(res, row, 3);
	e->closes = (int)pq_int(res, row, 4);
	pq_text(res, row, 5, e->reason, sizeof e->reason);
	pq_text(res, row, 6, e->desk_name, sizeof e->desk_name);
}

int
pgsql_exceptions_list(struct store *s, struct date from, struct date to,
    struct calendar_exception **out, size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];

	pq_date_text(from, a);
	pq_date_text(to, b);
	return pq_rows(pq_query(s, err, PG_EXCEPTIONS_LIST,
	                   from.year != 0 ? PQ_TEXT(a) : PQ_NULL,
	                   to.year != 0 ? PQ_TEXT(b) : PQ_NULL),
	    sizeof **out, exception_row, (void **)out, n, err);
}

int
pgsql_exception_get(struct store *s, int64_t id, struct calendar_exception *e,
    struct error *err)
{
	return pq_one(pq_query(s, err, PG_EXCEPTION_GET, PQ_INT(id)),
	    exception_row, e, err, "exception");
}

int
pgsql_exception_delete(struct store *s, int64_t id, struct error *err)
{
	if (pq_exec(s, err, PG_EXCEPTION_DELETE, PQ_INT(id)) != 0)
		return -1;
	return found(s, err, "exception");
}

static const char PG_HOLIDAYS_YEAR[] =
    "SELECT day, closed, name FROM holidays WHERE day >= $1 AND day <= $2"
    " ORDER BY day";
static const char PG_HOLIDAY_GET[] =
    "SELECT day, closed, name FROM holidays WHERE day = $1";
static const char PG_HOLIDAY_SET[] =
    "INSERT INTO holidays (day, closed, name) VALUES ($1, $2, $3)"
    " ON CONFLICT (day) DO UPDATE SET closed = $2, name = $3";
static const char PG_HOLIDAY_CLEAR[] = "DELETE FROM holidays WHERE day = $1";

static void
holiday_row(const PGresult *res, int row, void *out)
{
	struct holiday_override *h = out;

	memset(h, 0, sizeof *h);
	h->day = pq_date(res, row, 0);
	h->closed = pq_bool(res, row, 1);
	pq_text(res, row, 2, h->name, sizeof h->name);
}

int
pgsql_holidays_list(struct store *s, int year, struct holiday_override **out,
    size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];

	date_format((struct date){year, 1, 1}, a);
	date_format((struct date){year, 12, 31}, b);
	return pq_rows(
	    pq_query(s, err, PG_HOLIDAYS_YEAR, PQ_TEXT(a), PQ_TEXT(b)),
	    sizeof **out, holiday_row, (void **)out, n, err);
}

int
pgsql_holiday_get(struct store *s, struct date day, struct holiday_override *h,
    bool *is_set, struct error *err)
{
	char text[DATE_LEN];
	struct error e;

	*is_set = false;
	date_format(day, text);
	error_clear(&e);
	if (pq_one(pq_query(s, &e, PG_HOLIDAY_GET, PQ_TEXT(text)), holiday_row,
	        h, &e, "holiday") == 0) {
		*is_set = true;
		return 0;
	}
	if (e.kind == ERROR_NOT_FOUND)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

int
pgsql_holiday_set(
    struct store *s, const struct holiday_override *h, struct error *err)
{
	char text[DATE_LEN];

	date_format(h->day, text);
	return pq_exec(s, err, PG_HOLIDAY_SET, PQ_TEXT(text),
	    PQ_BOOL(h->closed), PQ_TEXT(h->name));
}

int
pgsql_holiday_clear(struct store *s, struct date day, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_exec(s, err, PG_HOLIDAY_CLEAR, PQ_TEXT(text));
}

/* ---- bookings the calendar must not strand ------------------------------ */

static const char PG_BOOKINGS_UPCOMING[] =
    "SELECT " PG_BOOKING_COLUMNS PG_BOOKING_FROM
    " WHERE b.start_at >= $1 AND b.status IN ('pending', 'booked')"
    " AND NOT EXISTS (SELECT 1 FROM bookings_kept k"
    " WHERE k.booking_id = b.id AND k.start_at = b.start_at)"
    " ORDER BY b.service_id, b.start_at, b.id";
static const char PG_BOOKING_KEEP[] =
    "INSERT INTO bookings_kept (booking_id, start_at, at) VALUES ($1, $2, $3)"
    " ON CONFLICT (booking_id) DO UPDATE SET start_at = $2, at = $3";

int
pgsql_bookings_upcoming(struct store *s, time_t from, struct booking **out,
    size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_BOOKINGS_UPCOMING, PQ_INT(from)),
	    sizeof **out, pq_read_booking, (void **)out, n, err);
}

int
pgsql_booking_keep(struct store *s, int64_t booking_id, time_t start,
    time_t now, struct error *err)
{
	return pq_exec(s, err, PG_BOOKING_KEEP, PQ_INT(booking_id),
	    PQ_INT(start), PQ_INT(now));
}

static const char PG_OPEN_FOR_SERVICE[] =
    "SELECT count(*) FROM bookings WHERE service_id = $1 AND end_at > $2"
    " AND status IN " BOOKING_OPEN_SQL " AND (($3 <> '' AND lower(email) ="
    " lower($3)) OR ($4 <> '' AND phone = $4))";

int
pgsql_bookings_open_for_service(struct store *s, int64_t service_id,
    const char *email, const char *phone, time_t now, unsigned *count,
    struct error *err)
{
	return pq_one(pq_query(s, err, PG_OPEN_FOR_SERVICE, PQ_INT(service_id),
	                  PQ_INT(now), PQ_TEXT(email), PQ_TEXT(phone)),
	    pq_read_count, count, err, "count");
}

/* ---- operators ---------------------------------------------------------- */

static const char PG_OPERATOR_UPDATE[] =
    "UPDATE operators SET display_name = $1, role = $2 WHERE id = $3";
static const char PG_OPERATOR_SESSIONS_DROP[] =
    "DELETE FROM sessions WHERE operator_id = $1";
static const char PG_ADMINS_ACTIVE[] =
    "SELECT count(*) FROM operators WHERE role = 'admin' AND NOT disabled";

int
pgsql_operator_update(
    struct store *s, const struct account *a, struct error *err)
{
	if (pq_exec(s, err, PG_OPERATOR_UPDATE, PQ_TEXT(a->display_name),
	        PQ_TEXT(role_name(a->role)), PQ_INT(a->id)) != 0)
		return -1;
	return found(s, err, "operator");
}

int
pgsql_operator_sessions_end(
    struct store *s, int64_t operator_id, struct error *err)
{
	return pq_exec(s, err, PG_OPERATOR_SESSIONS_DROP, PQ_INT(operator_id));
}

int
pgsql_admins_active(struct store *s, unsigned *count, struct error *err)
{
	return pq_one(pq_query0(s, err, PG_ADMINS_ACTIVE), pq_read_count, count,
	    err, "count");
}

static const char PG_PASSWORD_LINKS_CLEAR[] =
    "DELETE FROM password_links WHERE operator_id = $1";
static const char PG_PASSWORD_LINK_ADD[] =
    "INSERT INTO password_links (token_hash, operator_id, created_at,"
    " expires_at) VALUES ($1, $2, $3, $4)";
static const char PG_PASSWORD_LINK_OPERATOR[] =
    "SELECT " PG_ACCOUNT_COLUMNS " FROM password_links l JOIN operators o"
    " ON o.id = l.operator_id WHERE l.token_hash = $1 AND l.expires_at > $2"
    " AND NOT o.disabled";

int
pgsql_password_links_clear(
    struct store *s, int64_t operator_id, struct error *err)
{
	return pq_exec(s, err, PG_PASSWORD_LINKS_CLEAR, PQ_INT(operator_id));
}

int
pgsql_password_link_add(struct store *s, int64_t operator_id,
    const char *token_hash, time_t now, time_t expires, struct error *err)
{
	if (pgsql_password_links_clear(s, operator_id, err) != 0)
		return -1;
	return pq_exec(s, err, PG_PASSWORD_LINK_ADD, PQ_TEXT(token_hash),
	    PQ_INT(operator_id), PQ_INT(now), PQ_INT(expires));
}

int
pgsql_password_link_operator(struct store *s, const char *token_hash,
    time_t now, struct account *a, struct error *err)
{
	return pq_one(pq_query(s, err, PG_PASSWORD_LINK_OPERATOR,
	                  PQ_TEXT(token_hash), PQ_INT(now)),
	    pq_read_account, a, err, "password link");
}

/* revoked ones last, newest first */
static const char PG_API_TOKENS_LIST[] =
    "SELECT id, created_at, last_used_at, revoked_at FROM api_tokens"
    " WHERE operator_id = $1 ORDER BY revoked_at <> 0, id DESC";
static const char PG_API_TOKEN_REVOKE_ONE[] =
    "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND operator_id = $3"
    " AND revoked_at = 0";

static void
token_row(const PGresult *res, int row, void *out)
{
	struct api_token_info *t = out;

	t->id = pq_int(res, row, 0);
	t->created_at = pq_int(res, row, 1);
	t->last_used_at = pq_int(res, row, 2);
	t->revoked_at = pq_int(res, row, 3);
}

int
pgsql_api_tokens_list(struct store *s, int64_t operator_id,
    struct api_token_info **out, size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_API_TOKENS_LIST, PQ_INT(operator_id)),
	    sizeof **out, token_row, (void **)out, n, err);
}

int
pgsql_api_token_revoke(struct store *s, int64_t operator_id, int64_t token_id,
    time_t now, struct error *err)
{
	if (pq_exec(s, err, PG_API_TOKEN_REVOKE_ONE, PQ_INT(now),
	        PQ_INT(token_id), PQ_INT(operator_id)) != 0)
		return -1;
	return found(s, err, "live token");
}
