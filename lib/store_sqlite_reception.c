/*
 * store_sqlite_reception.c: the building's door in the SQLite store
 * (store.h, lib/reception.h) — who is inside, who waits outside.
 *
 * "Inside" is counted from the bookings' statuses (waiting, called,
 * in_service) by the bookings_queue index (day, status, start_at); the
 * queue outside is bookings.queued_at (since when) and queue_seq (the
 * place), read through the partial index bookings_queued (only queued
 * rows are in it: "+status" keeps SQLite from preferring an index on
 * the status, under which it would walk every booked booking of the
 * calendar). The caller runs these
 * inside its write transaction: the count and the change that depends on
 * it are one atomic step (a PostgreSQL store must lock the day's inside
 * rows, or serialise check-ins with an advisory lock, for the same).
 */
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_internal.h"

#define INSIDE_SQL "('waiting', 'called', 'in_service')"

/* ?1 today, ?2 the visit's day, ?3 since (today's midnight), ?4 the
 * booking; a queued person's place is their queue_seq */
static const char SQL_RECEPTION_ROOM[] =
    "WITH me AS (SELECT CASE WHEN queued_at >= ?3 THEN queued_at ELSE 0 END"
    "   AS at, queue_seq AS seq FROM bookings WHERE id = ?4)"
    " SELECT (SELECT count(*) FROM bookings WHERE day IN (?1, ?2)"
    "   AND status IN " INSIDE_SQL "),"
    " (SELECT count(*) FROM bookings q, me WHERE q.queued_at >= ?3"
    "   AND q.queued_at > 0 AND +q.status = 'booked' AND q.id <> ?4"
    "   AND (me.at = 0 OR q.queue_seq < me.seq)),"
    " (SELECT at FROM me)";

static void
room_read(sqlite3_stmt *st, void *row)
{
	struct reception_room *r = row;

	r->inside = (unsigned)sqlite3_column_int(st, 0);
	r->ahead = (unsigned)sqlite3_column_int(st, 1);
	r->queued_at = sqlite3_column_int64(st, 2);
}

int
store_reception_room(struct store *s, int64_t booking_id, struct date today,
    struct date visit_day, time_t since, struct reception_room *room,
    struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];
	sqlite3_stmt *st;

	date_format(today, a);
	date_format(visit_day, b);
	memset(room, 0, sizeof *room);
	st = sq_query(s, err, SQL_RECEPTION_ROOM, SQ_TEXT(a), SQ_TEXT(b),
	    SQ_INT(since), SQ_INT(booking_id));
	if (st == NULL)
		return -1;
	return sq_one(s, st, room_read, room, err, "room");
}

static const char SQL_RECEPTION_INSIDE[] =
    "SELECT count(*) FROM bookings WHERE day = ? AND status IN " INSIDE_SQL;

static void
count_read(sqlite3_stmt *st, void *row)
{
	*(unsigned *)row = (unsigned)sqlite3_column_int(st, 0);
}

int
store_reception_inside(
    struct store *s, struct date today, unsigned *inside, struct error *err)
{
	char text[DATE_LEN];
	sqlite3_stmt *st;

	date_format(today, text);
	if ((st = sq_query(s, err, SQL_RECEPTION_INSIDE, SQ_TEXT(text))) ==
	    NULL)
		return -1;
	return sq_one(s, st, count_read, inside, err, "count");
}

/* the next place of today's queue: writers are serialised, so no two
 * people get the same one */
static const char SQL_QUEUE_MARK[] =
    "UPDATE bookings SET queued_at = ?2, queue_seq = (SELECT"
    " coalesce(max(queue_seq), 0) + 1 FROM bookings WHERE queued_at >= ?3"
    " AND queued_at > 0) WHERE id = ?1 AND queued_at < ?3";
static const char SQL_QUEUE_CLEAR[] =
    "UPDATE bookings SET queued_at = 0 WHERE id = ?";

int
store_booking_queue_mark(
    struct store *s, int64_t id, time_t at, time_t since, struct error *err)
{
	return sq_exec(
	    s, err, SQL_QUEUE_MARK, SQ_INT(id), SQ_INT(at), SQ_INT(since));
}

int
store_booking_queue_clear(struct store *s, int64_t id, struct error *err)
{
	return sq_exec(s, err, SQL_QUEUE_CLEAR, SQ_INT(id));
}

static const char SQL_RECEPTION_QUEUE[] =
    "SELECT id, queued_at FROM bookings WHERE queued_at >= ?1"
    " AND queued_at > 0 AND +status = 'booked' ORDER BY queue_seq, id";

static void
queue_read(sqlite3_stmt *st, void *row)
{
	struct queue_entry *e = row;

	e->booking_id = sqlite3_column_int64(st, 0);
	e->queued_at = sqlite3_column_int64(st, 1);
}

int
store_reception_queue(struct store *s, time_t since, struct queue_entry **out,
    size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_RECEPTION_QUEUE, SQ_INT(since));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, queue_read, NULL, (void **)out, n, err);
}
