/*
 * store_pg_reception.c: the building's door (store.h, lib/reception.h),
 * the twin of store_sqlite_reception.c — who is inside, who waits outside.
 *
 * The door's rule (at most [reception] max_inside inside) counts, then
 * checks in: with several receptionists and processes at once that is a
 * race. Inside the door's transaction, store_reception_room first takes an
 * advisory lock on the day's door and only then counts, in a statement of
 * its own: two check-ins of one day run one after the other, each seeing
 * the other's, as SQLite's single writer gave. The queue's next place is
 * taken under the same lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"

#define INSIDE_SQL "('waiting', 'called', 'in_service')"

/* door_lock: the day's door, to the end of the transaction */
static int
door_lock(struct store *s, struct date today, struct error *err)
{
	char name[32], day[DATE_LEN];

	date_format(today, day);
	snprintf(name, sizeof name, "door:%s", day);
	return pq_lock_name(s, name, err);
}

/* $1 today, $2 the visit's day, $3 since (today's midnight), $4 the
 * booking; a queued person's place is their queue_seq */
static const char PG_RECEPTION_ROOM[] =
    "WITH me AS (SELECT CASE WHEN queued_at >= $3 THEN queued_at ELSE 0 END"
    "   AS at, queue_seq AS seq FROM bookings WHERE id = $4)"
    " SELECT (SELECT count(*) FROM bookings WHERE day IN ($1, $2)"
    "   AND status IN " INSIDE_SQL "),"
    " (SELECT count(*) FROM bookings q, me WHERE q.queued_at >= $3"
    "   AND q.queued_at > 0 AND q.status = 'booked' AND q.id <> $4"
    "   AND (me.at = 0 OR q.queue_seq < me.seq)),"
    " COALESCE((SELECT at FROM me), 0)";

static void
room_read(const PGresult *res, int row, void *out)
{
	struct reception_room *r = out;

	r->inside = (unsigned)pq_int(res, row, 0);
	r->ahead = (unsigned)pq_int(res, row, 1);
	r->queued_at = pq_int(res, row, 2);
}

int
pgsql_reception_room(struct store *s, int64_t booking_id, struct date today,
    struct date visit_day, time_t since, struct reception_room *room,
    struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];

	date_format(today, a);
	date_format(visit_day, b);
	memset(room, 0, sizeof *room);
	if (door_lock(s, today, err) != 0)
		return -1;
	return pq_one(pq_query(s, err, PG_RECEPTION_ROOM, PQ_TEXT(a),
	                  PQ_TEXT(b), PQ_INT(since), PQ_INT(booking_id)),
	    room_read, room, err, "room");
}

static const char PG_RECEPTION_INSIDE[] =
    "SELECT count(*) FROM bookings WHERE day = $1 AND status IN " INSIDE_SQL;

int
pgsql_reception_inside(
    struct store *s, struct date today, unsigned *inside, struct error *err)
{
	char text[DATE_LEN];

	date_format(today, text);
	if (door_lock(s, today, err) != 0)
		return -1;
	return pq_one(pq_query(s, err, PG_RECEPTION_INSIDE, PQ_TEXT(text)),
	    pq_read_count, inside, err, "count");
}

/* the next place of today's queue: under the door's lock (taken by
 * store_reception_room in the same transaction), so no two people get the
 * same one */
static const char PG_QUEUE_MARK[] =
    "UPDATE bookings SET queued_at = $2, queue_seq = (SELECT"
    " COALESCE(max(queue_seq), 0) + 1 FROM bookings WHERE queued_at >= $3"
    " AND queued_at > 0) WHERE id = $1 AND queued_at < $3";
static const char PG_QUEUE_CLEAR[] =
    "UPDATE bookings SET queued_at = 0 WHERE id = $1";

int
pgsql_booking_queue_mark(
    struct store *s, int64_t id, time_t at, time_t since, struct error *err)
{
	return pq_exec(
	    s, err, PG_QUEUE_MARK, PQ_INT(id), PQ_INT(at), PQ_INT(since));
}

int
pgsql_booking_queue_clear(struct store *s, int64_t id, struct error *err)
{
	return pq_exec(s, err, PG_QUEUE_CLEAR, PQ_INT(id));
}

static const char PG_RECEPTION_QUEUE[] =
    "SELECT id, queued_at FROM bookings WHERE queued_at >= $1"
    " AND queued_at > 0 AND status = 'booked' ORDER BY queue_seq, id";

static void
queue_read(const PGresult *res, int row, void *out)
{
	struct queue_entry *e = out;

	e->booking_id = pq_int(res, row, 0);
	e->queued_at = pq_int(res, row, 1);
}

int
pgsql_reception_queue(struct store *s, time_t since, struct queue_entry **out,
    size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_RECEPTION_QUEUE, PQ_INT(since)),
	    sizeof **out, queue_read, (void **)out, n, err);
}
