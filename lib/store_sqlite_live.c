/*
 * store_sqlite_live.c: what the live pages (desk panel, boards) read from
 * the SQLite store: the change token and the latest staff-facing event of
 * each booking of a day (store.h).
 *
 * The change token moves when a booking or the settings change; SQLite's PRAGMA
 * data_version (it moves when another connection commits) is polled,
 * cheaply, by one connection in one thread (wizyta-web's notifier) to know
 * when to look. Nobody outside the store sees a SQLite counter, so a
 * PostgreSQL store can implement store_changes_wait with LISTEN/NOTIFY (a
 * trigger on booking_events and on settings_generation NOTIFYs) and the
 * callers stay as they are.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_sqlite_internal.h"

/* how often data_version is read while waiting: the latency it adds is
 * at most this, and a PRAGMA costs microseconds */
#define CHANGE_POLL_MS 20

/* The token is the newest booking event and the settings generation:
 * every change of a booking (the domain's transitions, call-next, notes,
 * moves, replies read) writes a booking event in its transaction, every
 * change of the settings bumps the generation in its own. data_version
 * says cheaply that someone committed something; only then is the token
 * read, so the sessions' and the outbox's writes wake nobody. */
static const char SQL_CHANGE_TOKEN[] =
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM booking_events),"
    " (SELECT COALESCE(MAX(generation), 0) FROM settings_generation)";

static void
token_read(sqlite3_stmt *st, void *row)
{
	struct store_token *t = row;

	t->bookings = sqlite3_column_int64(st, 0);
	t->settings = sqlite3_column_int64(st, 1);
}

static int
change_token(struct store *s, struct store_token *token, struct error *err)
{
	sqlite3_stmt *st = sq_query_args(s, err, SQL_CHANGE_TOKEN, NULL, 0);

	if (st == NULL)
		return -1;
	return sq_one(s, st, token_read, token, err, "change token");
}

int
store_changes_wait(struct store *s, struct store_token *token, int timeout_ms,
    struct error *err)
{
	struct store_token now;
	struct timespec pause;
	int64_t version, seen;
	int waited = 0, changed;

	if ((seen = store_data_version(s)) < 0)
		return store_fail(s, err, "data version");
	for (;;) {
		if (change_token(s, &now, err) != 0)
			return -1;
		changed =
		    (now.bookings != token->bookings ? STORE_CHANGED_BOOKINGS
		                                     : 0) |
		    (now.settings != token->settings ? STORE_CHANGED_SETTINGS
		                                     : 0);
		if (changed != 0) {
			*token = now;
			return changed;
		}
		do {
			if (waited >= timeout_ms)
				return 0;
			pause.tv_sec = 0;
			pause.tv_nsec = CHANGE_POLL_MS * 1000000L;
			while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
				;
			waited += CHANGE_POLL_MS;
			if ((version = store_data_version(s)) < 0)
				return store_fail(s, err, "data version");
		} while (version == seen);
		seen = version;
	}
}

static const char SQL_DAY_MARKS[] =
    "SELECT e.booking_id, MAX(e.at) FROM booking_events e"
    " JOIN bookings b ON b.id = e.booking_id"
    " WHERE b.day = ?1 AND e.action = ?2 GROUP BY e.booking_id"
    " ORDER BY e.booking_id";

static void
mark_read(sqlite3_stmt *st, void *row)
{
	struct booking_mark *m = row;

	m->booking_id = sqlite3_column_int64(st, 0);
	m->at = (time_t)sqlite3_column_int64(st, 1);
}

int
store_day_marks(struct store *s, struct date day, const char *action,
    struct booking_mark **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];
	sqlite3_stmt *st;

	date_format(day, text);
	if ((st = sq_query(s, err, SQL_DAY_MARKS, SQ_TEXT(text),
	         SQ_TEXT(action))) == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, mark_read, NULL, (void **)out, n, err);
}

static const char SQL_DESK_WAITING[] =
    "SELECT COUNT(*) FROM bookings b WHERE b.day = ?2"
    " AND b.status = 'waiting' AND (b.desk_id = ?1 OR b.service_id IN"
    " (SELECT ds.service_id FROM desk_services ds WHERE ds.desk_id = ?1))";

static void
count_read(sqlite3_stmt *st, void *row)
{
	*(unsigned *)row = (unsigned)sqlite3_column_int64(st, 0);
}

int
store_desk_waiting(struct store *s, int64_t desk_id, struct date day,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];
	sqlite3_stmt *st;

	date_format(day, text);
	if ((st = sq_query(s, err, SQL_DESK_WAITING, SQ_INT(desk_id),
	         SQ_TEXT(text))) == NULL)
		return -1;
	return sq_one(s, st, count_read, count, err, "count");
}
