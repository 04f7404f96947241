/*
 * store_pg_catalogue.c: units, services, desks, weekly hours, exceptions,
 * the opening windows of a day and what is busy in them (store.h), the
 * twin of the catalogue part of store_sqlite.c.
 *
 * store_busy_count is where a place is taken safely: inside a write
 * transaction it first locks the desk's day (store_pg.c tells why), then
 * counts in a statement of its own — read committed gives each statement
 * a fresh snapshot, so the count sees every booking of the desk committed
 * before the lock was granted, and none can be added until we commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"

/* ---- units and services ------------------------------------------------- */

static const char PG_UNIT_ADD[] =
    "INSERT INTO units (name) VALUES ($1) RETURNING id";
static const char PG_UNITS[] =
    "SELECT id, name, retired FROM units ORDER BY retired, name";

static void
unit_read(const PGresult *res, int row, void *out)
{
	struct unit *u = out;

	u->id = pq_int(res, row, 0);
	pq_text(res, row, 1, u->name, sizeof u->name);
	u->retired = pq_bool(res, row, 2);
}

int
pgsql_unit_add(
    struct store *s, const char *name, int64_t *id, struct error *err)
{
	return pq_one(pq_query(s, err, PG_UNIT_ADD, PQ_TEXT(name)), pq_read_id,
	    id, err, "unit");
}

int
pgsql_units_list(
    struct store *s, struct unit **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err, PG_UNITS), sizeof **out, unit_read,
	    (void **)out, n, err);
}

/* a per-service duration: NULL when it follows the office's (0) */
#define PQ_SPAN(x) PQ_ID(x)

static const char PG_SERVICE_ADD[] =
    "INSERT INTO services (unit_id, name, name_en, description,"
    " description_en, duration_minutes, active, capacity,"
    " max_open_per_person, lead_time, horizon, confirm_within, staff_only,"
    " waitlist)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    " RETURNING id";

int
pgsql_service_add(
    struct store *s, const struct service *sv, int64_t *id, struct error *err)
{
	return pq_one(pq_query(s, err, PG_SERVICE_ADD, PQ_INT(sv->unit_id),
	                  PQ_TEXT(sv->name), PQ_TEXT(sv->name_en),
	                  PQ_TEXT(sv->description), PQ_TEXT(sv->description_en),
	                  PQ_INT(sv->duration_minutes), PQ_BOOL(sv->active),
	                  PQ_INT(sv->capacity), PQ_INT(sv->max_open_per_person),
	                  PQ_SPAN(sv->lead_time), PQ_SPAN(sv->horizon),
	                  PQ_SPAN(sv->confirm_within), PQ_BOOL(sv->staff_only),
	                  PQ_BOOL(sv->waitlist)),
	    pq_read_id, id, err, "service");
}

#define SERVICE_COLUMNS                                                        \
	"s.id, s.unit_id, u.name, s.name, s.name_en, s.description,"           \
	" s.description_en, s.duration_minutes, s.active, s.capacity,"         \
	" s.max_open_per_person, COALESCE(s.lead_time, 0),"                    \
	" COALESCE(s.horizon, 0), COALESCE(s.confirm_within, 0),"              \
	" s.staff_only, s.waitlist"

void
pq_read_service(const PGresult *res, int row, void *out)
{
	struct service *sv = out;

	memset(sv, 0, sizeof *sv);
	sv->id = pq_int(res, row, 0);
	sv->unit_id = pq_int(res, row, 1);
	pq_text(res, row, 2, sv->unit, sizeof sv->unit);
	pq_text(res, row, 3, sv->name, sizeof sv->name);
	pq_text(res, row, 4, sv->name_en, sizeof sv->name_en);
	pq_text(res, row, 5, sv->description, sizeof sv->description);
	pq_text(res, row, 6, sv->description_en, sizeof sv->description_en);
	sv->duration_minutes = (unsigned)pq_int(res, row, 7);
	sv->active = pq_bool(res, row, 8);
	sv->capacity = (unsigned)pq_int(res, row, 9);
	sv->max_open_per_person = (unsigned)pq_int(res, row, 10);
	sv->lead_time = pq_int(res, row, 11);
	sv->horizon = pq_int(res, row, 12);
	sv->confirm_within = pq_int(res, row, 13);
	sv->staff_only = pq_bool(res, row, 14);
	sv->waitlist = pq_bool(res, row, 15);
}

static const char PG_SERVICE_GET[] =
    "SELECT " SERVICE_COLUMNS
    " FROM services s JOIN units u ON u.id = s.unit_id WHERE s.id = $1";
static const char PG_SERVICES_ALL[] =
    "SELECT " SERVICE_COLUMNS
    " FROM services s JOIN units u ON u.id = s.unit_id ORDER BY u.name, s.name";
static const char PG_SERVICES_ACTIVE[] =
    "SELECT " SERVICE_COLUMNS
    " FROM services s JOIN units u ON u.id = s.unit_id WHERE s.active"
    " ORDER BY u.name, s.name";

int
pgsql_service_get(
    struct store *s, int64_t id, struct service *sv, struct error *err)
{
	return pq_one(pq_query(s, err, PG_SERVICE_GET, PQ_INT(id)),
	    pq_read_service, sv, err, "service");
}

int
pgsql_services_list(struct store *s, bool active_only, struct service **out,
    size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err,
	                   active_only ? PG_SERVICES_ACTIVE : PG_SERVICES_ALL),
	    sizeof **out, pq_read_service, (void **)out, n, err);
}

/* ---- desks -------------------------------------------------------------- */

/* a desk added by room name (the demo, older callers) finds or makes its
 * room; desks.room is the room's name, kept in step with rooms.name */
static const char PG_ROOM_ENSURE[] =
    "INSERT INTO rooms (name) VALUES ($1) ON CONFLICT (name) DO NOTHING";
static const char PG_DESK_ADD[] =
    "INSERT INTO desks (room, name, capacity, room_id, retired)"
    " SELECT r.name, $2, $3, r.id, $4 FROM rooms r"
    " WHERE ($1 > 0 AND r.id = $1) OR ($1 = 0 AND r.name = $5)"
    " RETURNING id";

int
pgsql_desk_add(
    struct store *s, const struct desk *d, int64_t *id, struct error *err)
{
	struct error e;

	if (d->room_id == 0 &&
	    pq_exec(s, err, PG_ROOM_ENSURE, PQ_TEXT(d->room)) != 0)
		return -1;
	error_clear(&e);
	if (pq_one(pq_query(s, &e, PG_DESK_ADD, PQ_INT(d->room_id),
	               PQ_TEXT(d->name), PQ_INT(d->capacity ? d->capacity : 1),
	               PQ_BOOL(d->retired), PQ_TEXT(d->room)),
	        pq_read_id, id, &e, "room") == 0)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

#define DESK_COLUMNS "id, room, name, capacity, COALESCE(room_id, 0), retired"

static const char PG_DESKS[] =
    "SELECT " DESK_COLUMNS " FROM desks WHERE NOT retired ORDER BY name";
static const char PG_DESKS_ALL[] =
    "SELECT " DESK_COLUMNS " FROM desks ORDER BY retired, name";
static const char PG_DESK_GET[] =
    "SELECT " DESK_COLUMNS " FROM desks WHERE id = $1";

static void
desk_read(const PGresult *res, int row, void *out)
{
	struct desk *d = out;

	d->id = pq_int(res, row, 0);
	pq_text(res, row, 1, d->room, sizeof d->room);
	pq_text(res, row, 2, d->name, sizeof d->name);
	d->capacity = (unsigned)pq_int(res, row, 3);
	d->room_id = pq_int(res, row, 4);
	d->retired = pq_bool(res, row, 5);
}

int
pgsql_desks_list(
    struct store *s, struct desk **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err, PG_DESKS), sizeof **out, desk_read,
	    (void **)out, n, err);
}

int
pgsql_desks_list_all(
    struct store *s, struct desk **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err, PG_DESKS_ALL), sizeof **out, desk_read,
	    (void **)out, n, err);
}

int
pgsql_desk_get(struct store *s, int64_t id, struct desk *d, struct error *err)
{
	return pq_one(pq_query(s, err, PG_DESK_GET, PQ_INT(id)), desk_read, d,
	    err, "desk");
}

/* ---- hours and exceptions ----------------------------------------------- */

static const char PG_HOURS_ADD[] =
    "INSERT INTO opening_hours (desk_id, service_id, weekday, opens, closes)"
    " VALUES ($1, $2, $3, $4, $5)";
static const char PG_DESK_SERVICE_ADD[] =
    "INSERT INTO desk_services (desk_id, service_id) VALUES ($1, $2)"
    " ON CONFLICT DO NOTHING";

int
pgsql_hours_add(struct store *s, int64_t desk_id, int64_t service_id,
    int weekday, int opens, int closes, struct error *err)
{
	/* hours for a service mean the desk serves it */
	if (service_id > 0 && pq_exec(s, err, PG_DESK_SERVICE_ADD,
	                          PQ_INT(desk_id), PQ_INT(service_id)) != 0)
		return -1;
	return pq_exec(s, err, PG_HOURS_ADD, PQ_INT(desk_id), PQ_ID(service_id),
	    PQ_INT(weekday), PQ_INT(opens), PQ_INT(closes));
}

static const char PG_EXCEPTION_ADD[] =
    "INSERT INTO calendar_exceptions (desk_id, day, opens, closes, reason)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id";

int
pgsql_exception_insert(struct store *s, const struct calendar_exception *e,
    int64_t *id, struct error *err)
{
	char text[DATE_LEN];
	int64_t made;

	date_format(e->day, text);
	if (pq_one(
	        pq_query(s, err, PG_EXCEPTION_ADD, PQ_ID(e->desk_id),
	            PQ_TEXT(text), e->opens >= 0 ? PQ_INT(e->opens) : PQ_NULL,
	            e->opens >= 0 ? PQ_INT(e->closes) : PQ_NULL,
	            PQ_TEXT(e->reason)),
	        pq_read_id, &made, err, "exception") != 0)
		return -1;
	if (id != NULL)
		*id = made;
	return 0;
}

int
pgsql_exception_add(struct store *s, int64_t desk_id, struct date day,
    int opens, int closes, const char *reason, struct error *err)
{
	struct calendar_exception e;

	memset(&e, 0, sizeof e);
	e.desk_id = desk_id;
	e.day = day;
	e.opens = opens;
	e.closes = closes;
	snprintf(e.reason, sizeof e.reason, "%s", reason ? reason : "");
	return pgsql_exception_insert(s, &e, NULL, err);
}

/* ---- the windows of a day ----------------------------------------------- */

/* A desk's hours for one service: the rows naming the service, or, when
 * that weekday has none, the desk's rows for all its services. Only desks
 * in service that serve it (desk_services). */
static const char PG_WINDOWS_WEEKLY[] =
    "SELECT h.desk_id, d.name, d.capacity, h.opens, h.closes"
    " FROM opening_hours h"
    " JOIN desks d ON d.id = h.desk_id AND NOT d.retired"
    " JOIN desk_services ds ON ds.desk_id = h.desk_id AND ds.service_id = $1"
    " WHERE h.weekday = $2 AND (h.service_id = $1 OR (h.service_id IS NULL"
    "  AND NOT EXISTS (SELECT 1 FROM opening_hours x"
    "  WHERE x.desk_id = h.desk_id AND x.weekday = h.weekday"
    "  AND x.service_id = $1)))"
    " ORDER BY h.desk_id, h.opens";
static const char PG_SERVICE_DESKS[] =
    "SELECT d.id, d.name, d.capacity, 0, 0 FROM desk_services ds"
    " JOIN desks d ON d.id = ds.desk_id AND NOT d.retired"
    " WHERE ds.service_id = $1 ORDER BY d.id";
/* NULL opens: closed; NULLS LAST keeps SQLite's order (every-desk ones
 * first, NULL desk_id sorting as false) */
static const char PG_EXCEPTIONS_DAY[] =
    "SELECT COALESCE(desk_id, 0), opens, closes, opens IS NULL"
    " FROM calendar_exceptions WHERE day = $1"
    " ORDER BY desk_id IS NOT NULL, id";

static void
window_read(const PGresult *res, int row, void *out)
{
	struct slot_window *w = out;

	memset(w, 0, sizeof *w);
	w->desk_id = pq_int(res, row, 0);
	pq_text(res, row, 1, w->desk_name, sizeof w->desk_name);
	w->capacity = (unsigned)pq_int(res, row, 2);
	w->opens = (int)pq_int(res, row, 3);
	w->closes = (int)pq_int(res, row, 4);
}

static void
window_push(struct slot_window **list, size_t *n, const struct slot_window *d,
    int opens, int closes)
{
	struct slot_window *w;

	if ((*list = realloc(*list, (*n + 1) * sizeof **list)) == NULL)
		abort();
	w = &(*list)[(*n)++];
	*w = *d;
	w->opens = opens;
	w->closes = closes;
}

/* Exceptions: one for every desk (desk 0) replaces or closes the whole day;
 * a desk's own exception then replaces or closes that desk alone. */
int
pgsql_windows_for_day(struct store *s, int64_t service_id, struct date day,
    struct slot_window **out, size_t *n, bool *open_on_holiday,
    struct error *err)
{
	struct slot_window *list = NULL, *desks = NULL;
	size_t count = 0, ndesks = 0, i, j;
	bool desks_loaded = false;
	char text[DATE_LEN];
	PGresult *res;
	int row, rows;

	*open_on_holiday = false;
	if (pq_rows(pq_query(s, err, PG_WINDOWS_WEEKLY, PQ_INT(service_id),
	                PQ_INT(date_weekday(day))),
	        sizeof *list, window_read, (void **)&list, &count, err) != 0)
		return -1;
	date_format(day, text);
	if ((res = pq_query(s, err, PG_EXCEPTIONS_DAY, PQ_TEXT(text))) == NULL)
		goto fail;
	rows = PQntuples(res);
	for (row = 0; row < rows; row++) {
		int64_t desk = pq_int(res, row, 0);
		bool closed = pq_bool(res, row, 3);
		int opens = (int)pq_int(res, row, 1),
		    closes = (int)pq_int(res, row, 2);
		size_t kept = 0;

		/* the service's desks are read only for an exception that
		 * opens some (most days have none: one query saved) */
		if (!desks_loaded && !closed) {
			if (pq_rows(pq_query(s, err, PG_SERVICE_DESKS,
			                PQ_INT(service_id)),
			        sizeof *desks, window_read, (void **)&desks,
			        &ndesks, err) != 0) {
				PQclear(res);
				goto fail;
			}
			desks_loaded = true;
		}
		/* drop the windows this exception replaces */
		for (i = 0; i < count; i++)
			if (desk != 0 && list[i].desk_id != desk)
				list[kept++] = list[i];
		count = kept;
		if (closed)
			continue;
		*open_on_holiday = true;
		for (j = 0; j < ndesks; j++)
			if (desk == 0 || desks[j].desk_id == desk)
				window_push(
				    &list, &count, &desks[j], opens, closes);
	}
	PQclear(res);
	free(desks);
	*out = list;
	*n = count;
	return 0;
fail:
	free(list);
	free(desks);
	return -1;
}

/* ---- what is busy ------------------------------------------------------- */

/* start_at bounded from below too, so the bookings_time index reads only
 * the day (no visit is longer than a day: services last at most 480
 * minutes) */
static const char PG_BUSY_BETWEEN[] =
    "SELECT desk_id, start_at, end_at FROM bookings WHERE start_at < $1 AND"
    " start_at >= $2::bigint - 86400 AND end_at > $2 AND status "
    "IN " BOOKING_LIVE_SQL;

static void
busy_read(const PGresult *res, int row, void *out)
{
	struct slot_busy *b = out;

	b->desk_id = pq_int(res, row, 0);
	b->start = pq_int(res, row, 1);
	b->end = pq_int(res, row, 2);
}

int
pgsql_busy_between(struct store *s, time_t from, time_t to,
    struct slot_busy **out, size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_BUSY_BETWEEN, PQ_INT(to), PQ_INT(from)),
	    sizeof **out, busy_read, (void **)out, n, err);
}

static const char PG_BUSY_COUNT[] =
    "SELECT count(*) FROM bookings WHERE desk_id = $1 AND start_at < $2 AND"
    " end_at > $3 AND id <> $4 AND status IN " BOOKING_LIVE_SQL;

int
pgsql_busy_count(struct store *s, int64_t desk_id, time_t start, time_t end,
    int64_t except_booking_id, unsigned *count, struct error *err)
{
	/* the lock first, the count in a statement of its own (see top) */
	if (pq_lock_desk_days(s, desk_id, start, end, err) != 0)
		return -1;
	return pq_one(
	    pq_query(s, err, PG_BUSY_COUNT, PQ_INT(desk_id), PQ_INT(end),
	        PQ_INT(start), PQ_INT(except_booking_id)),
	    pq_read_count, count, err, "count");
}
