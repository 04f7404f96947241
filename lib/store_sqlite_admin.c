/*
 * store_sqlite_admin.c: the office's structure as admins edit it (store.h):
 * units, services, rooms, desks and the services each serves, weekly hours,
 * dated exceptions, holidays as the office keeps them, bookings kept
 * outside changed hours, operators' roles, one-time password links and API
 * tokens one by one. Nothing is deleted that history points to: units,
 * rooms, desks and services retire.
 *
 * The domain (lib/structure.c, lib/calendar.c, lib/accounts.c) owns the
 * transactions and writes the audit rows; these are single statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_internal.h"

/* ---- units and services ------------------------------------------------- */

static const char SQL_UNIT_GET[] =
    "SELECT id, name, retired FROM units WHERE id = ?";
static const char SQL_UNIT_UPDATE[] =
    "UPDATE units SET name = ?, retired = ? WHERE id = ?";
static const char SQL_UNIT_SERVICES[] =
    "SELECT count(*) FROM services WHERE unit_id = ? AND active";

static void
unit_row(sqlite3_stmt *st, void *row)
{
	struct unit *u = row;

	u->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, u->name, sizeof u->name);
	u->retired = sqlite3_column_int(st, 2) != 0;
}

static void
count_row(sqlite3_stmt *st, void *row)
{
	*(unsigned *)row = (unsigned)sqlite3_column_int64(st, 0);
}

int
sqlite_unit_get(struct store *s, int64_t id, struct unit *u, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_UNIT_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, unit_row, u, err, "unit");
}

/* changed_or_missing: an UPDATE of one row by id found it */
static int
found(struct store *s, struct error *err, const char *what)
{
	if (sq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such %s", what);
	return 0;
}

int
sqlite_unit_update(struct store *s, const struct unit *u, struct error *err)
{
	if (sq_exec(s, err, SQL_UNIT_UPDATE, SQ_TEXT(u->name),
	        SQ_INT(u->retired), SQ_INT(u->id)) != 0)
		return -1;
	return found(s, err, "unit");
}

int
sqlite_unit_services(
    struct store *s, int64_t unit_id, unsigned *count, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_UNIT_SERVICES, SQ_INT(unit_id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, count_row, count, err, "count");
}

static const char SQL_SERVICE_UPDATE[] =
    "UPDATE services SET unit_id = ?, name = ?, name_en = ?, description = ?,"
    " description_en = ?, duration_minutes = ?, active = ?, capacity = ?,"
    " max_open_per_person = ?, lead_time = ?, horizon = ?,"
    " confirm_within = ?, staff_only = ?, waitlist = ? WHERE id = ?";

#define SQ_SPAN(x) SQ_ID(x) /* 0: NULL, the office's */

int
sqlite_service_update(
    struct store *s, const struct service *sv, struct error *err)
{
	if (sq_exec(s, err, SQL_SERVICE_UPDATE, SQ_INT(sv->unit_id),
	        SQ_TEXT(sv->name), SQ_TEXT(sv->name_en),
	        SQ_TEXT(sv->description), SQ_TEXT(sv->description_en),
	        SQ_INT(sv->duration_minutes), SQ_INT(sv->active),
	        SQ_INT(sv->capacity), SQ_INT(sv->max_open_per_person),
	        SQ_SPAN(sv->lead_time), SQ_SPAN(sv->horizon),
	        SQ_SPAN(sv->confirm_within), SQ_INT(sv->staff_only),
	        SQ_INT(sv->waitlist), SQ_INT(sv->id)) != 0)
		return -1;
	return found(s, err, "service");
}

/* ---- rooms and desks ---------------------------------------------------- */

static const char SQL_ROOM_ADD[] = "INSERT INTO rooms (name) VALUES (?)";
static const char SQL_ROOM_GET[] =
    "SELECT id, name, retired FROM rooms WHERE id = ?";
static const char SQL_ROOMS[] =
    "SELECT id, name, retired FROM rooms ORDER BY retired, name";
static const char SQL_ROOM_UPDATE[] =
    "UPDATE rooms SET name = ?, retired = ? WHERE id = ?";
static const char SQL_ROOM_DESKS_RENAME[] =
    "UPDATE desks SET room = ? WHERE room_id = ?";
static const char SQL_ROOM_DESKS[] =
    "SELECT count(*) FROM desks WHERE room_id = ? AND retired = 0";

static void
room_row(sqlite3_stmt *st, void *row)
{
	struct room *r = row;

	r->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, r->name, sizeof r->name);
	r->retired = sqlite3_column_int(st, 2) != 0;
}

int
sqlite_room_add(
    struct store *s, const char *name, int64_t *id, struct error *err)
{
	if (sq_exec(s, err, SQL_ROOM_ADD, SQ_TEXT(name)) != 0)
		return -1;
	*id = sq_last_id(s);
	return 0;
}

int
sqlite_room_get(struct store *s, int64_t id, struct room *r, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_ROOM_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, room_row, r, err, "room");
}

int
sqlite_room_update(struct store *s, const struct room *r, struct error *err)
{
	if (sq_exec(s, err, SQL_ROOM_UPDATE, SQ_TEXT(r->name),
	        SQ_INT(r->retired), SQ_INT(r->id)) != 0 ||
	    found(s, err, "room") != 0)
		return -1;
	return sq_exec(
	    s, err, SQL_ROOM_DESKS_RENAME, SQ_TEXT(r->name), SQ_INT(r->id));
}

int
sqlite_rooms_list(
    struct store *s, struct room **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_ROOMS, err);

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, room_row, NULL, (void **)out, n, err);
}

int
sqlite_room_desks(
    struct store *s, int64_t room_id, unsigned *count, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_ROOM_DESKS, SQ_INT(room_id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, count_row, count, err, "count");
}

static const char SQL_DESK_UPDATE[] =
    "UPDATE desks SET room_id = ?1, name = ?2, capacity = ?3, retired = ?4,"
    " room = (SELECT r.name FROM rooms r WHERE r.id = ?1) WHERE id = ?5";

int
sqlite_desk_update(struct store *s, const struct desk *d, struct error *err)
{
	if (sq_exec(s, err, SQL_DESK_UPDATE, SQ_INT(d->room_id),
	        SQ_TEXT(d->name), SQ_INT(d->capacity), SQ_INT(d->retired),
	        SQ_INT(d->id)) != 0)
		return -1;
	return found(s, err, "desk");
}

static const char SQL_DESK_SERVICES[] =
    "SELECT service_id FROM desk_services WHERE desk_id = ?"
    " ORDER BY service_id";
static const char SQL_SERVICE_DESKS_IDS[] =
    "SELECT desk_id FROM desk_services WHERE service_id = ? ORDER BY desk_id";
static const char SQL_DESK_SERVICES_CLEAR[] =
    "DELETE FROM desk_services WHERE desk_id = ?";
static const char SQL_DESK_SERVICES_ADD[] =
    "INSERT OR IGNORE INTO desk_services (desk_id, service_id) VALUES (?, ?)";
/* hours for one service go with it */
static const char SQL_DESK_HOURS_ORPHANS[] =
    "DELETE FROM opening_hours WHERE desk_id = ?1 AND service_id IS NOT NULL"
    " AND service_id NOT IN (SELECT service_id FROM desk_services"
    " WHERE desk_id = ?1)";

static void
id_row(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(st, 0);
}

int
sqlite_desk_services(struct store *s, int64_t desk_id, int64_t **ids, size_t *n,
    struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_DESK_SERVICES, SQ_INT(desk_id));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **ids, id_row, NULL, (void **)ids, n, err);
}

int
sqlite_service_desks(struct store *s, int64_t service_id, int64_t **ids,
    size_t *n, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_SERVICE_DESKS_IDS, SQ_INT(service_id));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **ids, id_row, NULL, (void **)ids, n, err);
}

int
sqlite_desk_services_set(struct store *s, int64_t desk_id, const int64_t *ids,
    size_t n, struct error *err)
{
	size_t i;

	if (sq_exec(s, err, SQL_DESK_SERVICES_CLEAR, SQ_INT(desk_id)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (sq_exec(s, err, SQL_DESK_SERVICES_ADD, SQ_INT(desk_id),
		        SQ_INT(ids[i])) != 0)
			return -1;
	return sq_exec(s, err, SQL_DESK_HOURS_ORPHANS, SQ_INT(desk_id));
}

/* ---- weekly hours, exceptions, holidays --------------------------------- */

static const char SQL_HOURS_LIST[] =
    "SELECT id, desk_id, COALESCE(service_id, 0), weekday, opens, closes"
    " FROM opening_hours WHERE (?1 = 0 OR desk_id = ?1)"
    " ORDER BY desk_id, weekday, opens, service_id";
static const char SQL_HOURS_CLEAR[] =
    "DELETE FROM opening_hours WHERE desk_id = ?";
static const char SQL_HOURS_INSERT[] =
    "INSERT INTO opening_hours (desk_id, service_id, weekday, opens, closes)"
    " VALUES (?, ?, ?, ?, ?)";

static void
hours_row(sqlite3_stmt *st, void *row)
{
	struct opening_hours *h = row;

	h->id = sqlite3_column_int64(st, 0);
	h->desk_id = sqlite3_column_int64(st, 1);
	h->service_id = sqlite3_column_int64(st, 2);
	h->weekday = sqlite3_column_int(st, 3);
	h->opens = sqlite3_column_int(st, 4);
	h->closes = sqlite3_column_int(st, 5);
}

int
sqlite_hours_list(struct store *s, int64_t desk_id, struct opening_hours **out,
    size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_HOURS_LIST, SQ_INT(desk_id));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, hours_row, NULL, (void **)out, n, err);
}

int
sqlite_hours_set(struct store *s, int64_t desk_id,
    const struct opening_hours *h, size_t n, struct error *err)
{
	size_t i;

	if (sq_exec(s, err, SQL_HOURS_CLEAR, SQ_INT(desk_id)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (sq_exec(s, err, SQL_HOURS_INSERT, SQ_INT(desk_id),
		        SQ_ID(h[i].service_id), SQ_INT(h[i].weekday),
		        SQ_INT(h[i].opens), SQ_INT(h[i].closes)) != 0)
			return -1;
	return 0;
}

#define EXCEPTION_COLUMNS                                                      \
	"e.id, COALESCE(e.desk_id, 0), e.day, COALESCE(e.opens, -1),"          \
	" COALESCE(e.closes, -1), e.reason, COALESCE(d.name, '')"

static const char SQL_EXCEPTIONS_LIST[] =
    "SELECT " EXCEPTION_COLUMNS " FROM calendar_exceptions e"
    " LEFT JOIN desks d ON d.id = e.desk_id"
    " WHERE (?1 = '' OR e.day >= ?1) AND (?2 = '' OR e.day <= ?2)"
    " ORDER BY e.day, e.desk_id IS NOT NULL, d.name, e.id";
static const char SQL_EXCEPTION_GET[] =
    "SELECT " EXCEPTION_COLUMNS " FROM calendar_exceptions e"
    " LEFT JOIN desks d ON d.id = e.desk_id WHERE e.id = ?";
static const char SQL_EXCEPTION_DELETE[] =
    "DELETE FROM calendar_exceptions WHERE id = ?";

static void
exception_row(sqlite3_stmt *st, void *row)
{
	struct calendar_exception *e = row;
	char day[DATE_LEN];

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->desk_id = sqlite3_column_int64(st, 1);
	col_copy(st, 2, day, sizeof day);
	if (date_parse(day, &e->day) != 0)
		memset(&e->day, 0, sizeof e->day);
	e->opens = sqlite3_column_int(st, 3);
	e->closes = sqlite3_column_int(st, 4);
	col_copy(st, 5, e->reason, sizeof e->reason);
	col_copy(st, 6, e->desk_name, sizeof e->desk_name);
}

static void
day_text(struct date d, char out[DATE_LEN])
{
	if (d.year == 0)
		out[0] = '\0';
	else
		date_format(d, out);
}

int
sqlite_exceptions_list(struct store *s, struct date from, struct date to,
    struct calendar_exception **out, size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];
	sqlite3_stmt *st;

	day_text(from, a);
	day_text(to, b);
	if ((st = sq_query(
	         s, err, SQL_EXCEPTIONS_LIST, SQ_TEXT(a), SQ_TEXT(b))) == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, exception_row, NULL, (void **)out, n, err);
}

int
sqlite_exception_get(struct store *s, int64_t id, struct calendar_exception *e,
    struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_EXCEPTION_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, exception_row, e, err, "exception");
}

int
sqlite_exception_delete(struct store *s, int64_t id, struct error *err)
{
	if (sq_exec(s, err, SQL_EXCEPTION_DELETE, SQ_INT(id)) != 0)
		return -1;
	return found(s, err, "exception");
}

static const char SQL_HOLIDAYS_YEAR[] =
    "SELECT day, closed, name FROM holidays WHERE day >= ? AND day <= ?"
    " ORDER BY day";
static const char SQL_HOLIDAY_GET[] =
    "SELECT day, closed, name FROM holidays WHERE day = ?";
static const char SQL_HOLIDAY_SET[] =
    "INSERT INTO holidays (day, closed, name) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (day) DO UPDATE SET closed = ?2, name = ?3";
static const char SQL_HOLIDAY_CLEAR[] = "DELETE FROM holidays WHERE day = ?";

static void
holiday_row(sqlite3_stmt *st, void *row)
{
	struct holiday_override *h = row;
	char day[DATE_LEN];

	memset(h, 0, sizeof *h);
	col_copy(st, 0, day, sizeof day);
	if (date_parse(day, &h->day) != 0)
		memset(&h->day, 0, sizeof h->day);
	h->closed = sqlite3_column_int(st, 1) != 0;
	col_copy(st, 2, h->name, sizeof h->name);
}

int
sqlite_holidays_list(struct store *s, int year, struct holiday_override **out,
    size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];
	sqlite3_stmt *st;

	date_format((struct date){year, 1, 1}, a);
	date_format((struct date){year, 12, 31}, b);
	if ((st = sq_query(
	         s, err, SQL_HOLIDAYS_YEAR, SQ_TEXT(a), SQ_TEXT(b))) == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, holiday_row, NULL, (void **)out, n, err);
}

int
sqlite_holiday_get(struct store *s, struct date day, struct holiday_override *h,
    bool *is_set, struct error *err)
{
	char text[DATE_LEN];
	struct error e;
	sqlite3_stmt *st;

	*is_set = false;
	date_format(day, text);
	if ((st = sq_query(s, err, SQL_HOLIDAY_GET, SQ_TEXT(text))) == NULL)
		return -1;
	error_clear(&e);
	if (sq_one(s, st, holiday_row, h, &e, "holiday") == 0) {
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
sqlite_holiday_set(
    struct store *s, const struct holiday_override *h, struct error *err)
{
	char text[DATE_LEN];

	date_format(h->day, text);
	return sq_exec(s, err, SQL_HOLIDAY_SET, SQ_TEXT(text),
	    SQ_INT(h->closed), SQ_TEXT(h->name));
}

int
sqlite_holiday_clear(struct store *s, struct date day, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return sq_exec(s, err, SQL_HOLIDAY_CLEAR, SQ_TEXT(text));
}

/* ---- bookings the calendar must not strand ------------------------------ */

static const char SQL_BOOKINGS_UPCOMING[] =
    "SELECT id FROM bookings b WHERE b.start_at >= ?"
    " AND b.status IN ('pending', 'booked') AND NOT EXISTS (SELECT 1"
    " FROM bookings_kept k WHERE k.booking_id = b.id"
    " AND k.start_at = b.start_at) ORDER BY b.service_id, b.start_at, b.id";
static const char SQL_BOOKING_KEEP[] =
    "INSERT INTO bookings_kept (booking_id, start_at, at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (booking_id) DO UPDATE SET start_at = ?2, at = ?3";

int
sqlite_bookings_upcoming(struct store *s, time_t from, struct booking **out,
    size_t *n, struct error *err)
{
	int64_t *ids = NULL;
	size_t count = 0, i;
	sqlite3_stmt *st;

	*out = NULL;
	*n = 0;
	if ((st = sq_query(s, err, SQL_BOOKINGS_UPCOMING, SQ_INT(from))) ==
	        NULL ||
	    collect_rows(s, st, sizeof *ids, id_row, NULL, (void **)&ids,
	        &count, err) != 0)
		return -1;
	if (count == 0)
		return 0;
	if ((*out = calloc(count, sizeof **out)) == NULL)
		abort();
	for (i = 0; i < count; i++)
		if (store_booking_get(s, ids[i], &(*out)[i], err) != 0) {
			free(ids);
			free(*out);
			*out = NULL;
			return -1;
		}
	free(ids);
	*n = count;
	return 0;
}

int
sqlite_booking_keep(struct store *s, int64_t booking_id, time_t start,
    time_t now, struct error *err)
{
	return sq_exec(s, err, SQL_BOOKING_KEEP, SQ_INT(booking_id),
	    SQ_INT(start), SQ_INT(now));
}

static const char SQL_OPEN_FOR_SERVICE[] =
    "SELECT count(*) FROM bookings WHERE service_id = ?1 AND end_at > ?2"
    " AND status IN " BOOKING_OPEN_SQL " AND ((?3 <> '' AND email = ?3 COLLATE "
    "NOCASE) OR (?4 <> '' AND phone = ?4))";

int
sqlite_bookings_open_for_service(struct store *s, int64_t service_id,
    const char *email, const char *phone, time_t now, unsigned *count,
    struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_OPEN_FOR_SERVICE,
	    SQ_INT(service_id), SQ_INT(now), SQ_TEXT(email), SQ_TEXT(phone));

	if (st == NULL)
		return -1;
	return sq_one(s, st, count_row, count, err, "count");
}

/* ---- operators ---------------------------------------------------------- */

static const char SQL_OPERATOR_UPDATE[] =
    "UPDATE operators SET display_name = ?, role = ? WHERE id = ?";
static const char SQL_ADMINS_ACTIVE[] =
    "SELECT count(*) FROM operators WHERE role = 'admin' AND disabled = 0";

int
sqlite_operator_update(
    struct store *s, const struct account *a, struct error *err)
{
	if (sq_exec(s, err, SQL_OPERATOR_UPDATE, SQ_TEXT(a->display_name),
	        SQ_TEXT(role_name(a->role)), SQ_INT(a->id)) != 0)
		return -1;
	return found(s, err, "operator");
}

static const char SQL_OPERATOR_SESSIONS_DROP[] =
    "DELETE FROM sessions WHERE operator_id = ?";

int
sqlite_operator_sessions_end(
    struct store *s, int64_t operator_id, struct error *err)
{
	return sq_exec(s, err, SQL_OPERATOR_SESSIONS_DROP, SQ_INT(operator_id));
}

int
sqlite_admins_active(struct store *s, unsigned *count, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_ADMINS_ACTIVE, err);

	if (st == NULL)
		return -1;
	return sq_one(s, st, count_row, count, err, "count");
}

static const char SQL_PASSWORD_LINKS_CLEAR[] =
    "DELETE FROM password_links WHERE operator_id = ?";
static const char SQL_PASSWORD_LINK_ADD[] =
    "INSERT INTO password_links (token_hash, operator_id, created_at,"
    " expires_at) VALUES (?, ?, ?, ?)";
static const char SQL_PASSWORD_LINK_OPERATOR[] =
    "SELECT " SQ_ACCOUNT_COLUMNS " FROM password_links l JOIN operators o"
    " ON o.id = l.operator_id WHERE l.token_hash = ? AND l.expires_at > ?"
    " AND o.disabled = 0";

int
sqlite_password_links_clear(
    struct store *s, int64_t operator_id, struct error *err)
{
	return sq_exec(s, err, SQL_PASSWORD_LINKS_CLEAR, SQ_INT(operator_id));
}

int
sqlite_password_link_add(struct store *s, int64_t operator_id,
    const char *token_hash, time_t now, time_t expires, struct error *err)
{
	if (store_password_links_clear(s, operator_id, err) != 0)
		return -1;
	return sq_exec(s, err, SQL_PASSWORD_LINK_ADD, SQ_TEXT(token_hash),
	    SQ_INT(operator_id), SQ_INT(now), SQ_INT(expires));
}

int
sqlite_password_link_operator(struct store *s, const char *token_hash,
    time_t now, struct account *a, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_PASSWORD_LINK_OPERATOR,
	    SQ_TEXT(token_hash), SQ_INT(now));

	if (st == NULL)
		return -1;
	return sq_one(s, st, sq_read_account, a, err, "password link");
}

static const char SQL_API_TOKENS_LIST[] =
    "SELECT id, created_at, last_used_at, revoked_at FROM api_tokens"
    " WHERE operator_id = ? ORDER BY revoked_at <> 0, id DESC";
static const char SQL_API_TOKEN_REVOKE_ONE[] =
    "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND operator_id = ?"
    " AND revoked_at = 0";

static void
token_row(sqlite3_stmt *st, void *row)
{
	struct api_token_info *t = row;

	t->id = sqlite3_column_int64(st, 0);
	t->created_at = sqlite3_column_int64(st, 1);
	t->last_used_at = sqlite3_column_int64(st, 2);
	t->revoked_at = sqlite3_column_int64(st, 3);
}

int
sqlite_api_tokens_list(struct store *s, int64_t operator_id,
    struct api_token_info **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_API_TOKENS_LIST, SQ_INT(operator_id));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, token_row, NULL, (void **)out, n, err);
}

int
sqlite_api_token_revoke(struct store *s, int64_t operator_id, int64_t token_id,
    time_t now, struct error *err)
{
	if (sq_exec(s, err, SQL_API_TOKEN_REVOKE_ONE, SQ_INT(now),
	        SQ_INT(token_id), SQ_INT(operator_id)) != 0)
		return -1;
	return found(s, err, "live token");
}
