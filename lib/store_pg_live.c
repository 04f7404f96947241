/*
 * store_pg_live.c: what the live pages and the daemons' watchers read
 * (store.h), the twin of store_sqlite_live.c: waiting for changes with
 * LISTEN/NOTIFY, and the day's marks and queues.
 *
 * Triggers NOTIFY the channel "wizyta" after every statement that writes
 * booking_events, outbox or inbox (store_pg_schema.h), with "schema.table"
 * as payload. NOTIFY reaches every listener of the database, so a
 * connection counts only its own schema's notices: offices kept as
 * schemas of one database do not wake each other. A connection LISTENs
 * from its first wait on, and then sleeps on its socket: a change wakes
 * it at once, with no polling. Only the connections that wait listen — a
 * listening connection that never read its socket would hold back every
 * other listener's queue.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_pg_internal.h"

static const char PG_LISTEN[] = "LISTEN wizyta";
static const char PG_SCHEMA[] = "SELECT current_schema()";

static void
schema_read(const PGresult *res, int row, void *out)
{
	struct pgsql_store *q = out;

	pq_text(res, row, 0, q->schema, sizeof q->schema);
}

static int
listen_start(struct pgsql_store *q, struct error *err)
{
	if (q->listening)
		return 0;
	if (pq_one(pq_query0(&q->base, err, PG_SCHEMA), schema_read, q, err,
	        "schema") != 0 ||
	    pq_exec0(&q->base, err, PG_LISTEN) != 0)
		return -1;
	q->listening = true;
	return 0;
}

/* notice_table: the table a notice of ours is about, NULL when it came
 * from another schema of the database. A bare table name is a trigger of
 * before migration 11: ours, as the database then held one office. */
static const char *
notice_table(const struct pgsql_store *q, const char *payload)
{
	const char *dot = strchr(payload, '.');
	size_t len;

	if (dot == NULL)
		return payload;
	len = (size_t)(dot - payload);
	if (len != strlen(q->schema) || memcmp(payload, q->schema, len) != 0)
		return NULL;
	return dot + 1;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* drain: the notifications that arrived; *events counts those about
 * what the change token is made of (booking_events, settings_generation).
 * -1 when the connection broke. */
static int
drain(struct pgsql_store *q, unsigned *all, unsigned *events)
{
	PGnotify *n;

	if (PQconsumeInput(q->conn) == 0)
		return -1;
	while ((n = PQnotifies(q->conn)) != NULL) {
		const char *table = notice_table(q, n->extra);

		if (table != NULL) {
			(*all)++;
			if (strcmp(table, "booking_events") == 0 ||
			    strcmp(table, "settings_generation") == 0)
				(*events)++;
		}
		PQfreemem(n);
	}
	return 0;
}

/* await: sleep on the socket until something arrives or the deadline;
 * 1 when notifications of the wanted kind came (any kind when
 * !only_events), 0 at the deadline, -1 when the connection broke. */
static int
await(
    struct pgsql_store *q, int timeout_ms, bool only_events, struct error *err)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		unsigned all = 0, events = 0;
		struct pollfd p;
		int64_t left;

		if (drain(q, &all, &events) != 0)
			break;
		if (only_events ? events > 0 : all > 0) {
			q->notified += all;
			return 1;
		}
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		p.fd = PQsocket(q->conn);
		p.events = POLLIN;
		p.revents = 0;
		if (p.fd < 0)
			break;
		if (poll(&p, 1, (int)(left > 1000 ? 1000 : left)) < 0 &&
		    errno != EINTR)
			break;
	}
	/* the server went away: the next statement connects again and
	 * listens anew; say "changed" so the caller looks */
	q->listening = false;
	if (PQstatus(q->conn) != CONNECTION_OK) {
		error_set_code(err, ERROR_IO, "unavailable", NULL,
		    "database: the server is unreachable: %s",
		    PQerrorMessage(q->conn));
		return -1;
	}
	return 1;
}

int
pgsql_wait(struct store *s, int timeout_ms, struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);

	if (!q->listening) {
		/* the first look: answer "changed" so the caller looks once */
		return listen_start(q, err) != 0 ? -1 : 1;
	}
	return await(q, timeout_ms, false, err);
}

/* The token is the newest booking event and the settings generation:
 * every change of a booking writes a booking event in its transaction,
 * every change of the settings bumps the generation in its own
 * (store_sqlite_live.c); the NOTIFY of their triggers says when to read it
 * again. */
static const char PG_CHANGE_TOKEN[] =
    "SELECT (SELECT COALESCE(max(id), 0) FROM booking_events),"
    " (SELECT COALESCE(max(generation), 0) FROM settings_generation)";

static void
token_read(const PGresult *res, int row, void *out)
{
	struct store_token *t = out;

	t->bookings = pq_int(res, row, 0);
	t->settings = pq_int(res, row, 1);
}

int
pgsql_changes_wait(struct store *s, struct store_token *token, int timeout_ms,
    struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	/* listen before reading the token: a change committed between the
	 * two is then both in the token or notified, never lost */
	if (listen_start(q, err) != 0)
		return -1;
	for (;;) {
		struct store_token now;
		int64_t left;
		int rc, changed;

		if (pq_one(pq_query0(s, err, PG_CHANGE_TOKEN), token_read, &now,
		        err, "change token") != 0)
			return -1;
		if ((changed = store_token_moved(token, now)) != 0)
			return changed;
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		if ((rc = await(q, (int)left, true, err)) <= 0)
			return rc;
	}
}

static const char PG_DAY_MARKS[] =
    "SELECT e.booking_id, max(e.at) FROM booking_events e"
    " JOIN bookings b ON b.id = e.booking_id"
    " WHERE b.day = $1 AND e.action = $2 GROUP BY e.booking_id"
    " ORDER BY e.booking_id";

static void
mark_read(const PGresult *res, int row, void *out)
{
	struct booking_mark *m = out;

	m->booking_id = pq_int(res, row, 0);
	m->at = (time_t)pq_int(res, row, 1);
}

int
pgsql_day_marks(struct store *s, struct date day, const char *action,
    struct booking_mark **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_rows(
	    pq_query(s, err, PG_DAY_MARKS, PQ_TEXT(text), PQ_TEXT(action)),
	    sizeof **out, mark_read, (void **)out, n, err);
}

static const char PG_DESK_WAITING[] =
    "SELECT count(*) FROM bookings b WHERE b.day = $2"
    " AND b.status = 'waiting' AND (b.desk_id = $1 OR b.service_id IN"
    " (SELECT ds.service_id FROM desk_services ds WHERE ds.desk_id = $1))";

int
pgsql_desk_waiting(struct store *s, int64_t desk_id, struct date day,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_one(
	    pq_query(s, err, PG_DESK_WAITING, PQ_INT(desk_id), PQ_TEXT(text)),
	    pq_read_count, count, err, "count");
}
