/*
 * store_sqlite_metrics.c: counts for monitoring (store.h "figures for
 * monitoring"). Each is one GROUP BY over an index the other queries keep
 * (bookings by status, inbox by status), read at every scrape.
 */
#include <string.h>

#include "store_sqlite_internal.h"

static const char SQL_COUNT_BOOKINGS[] =
    "SELECT status, '', count(*) FROM bookings GROUP BY status";
static const char SQL_COUNT_REPLIES[] =
    "SELECT channel, CASE WHEN verdict <> '' THEN verdict ELSE status END,"
    " count(*) FROM inbox GROUP BY 1, 2";

static void
count_read(sqlite3_stmt *st, void *row)
{
	struct store_count *c = row;

	memset(c, 0, sizeof *c);
	col_copy(st, 0, c->label, sizeof c->label);
	col_copy(st, 1, c->label2, sizeof c->label2);
	c->count = sqlite3_column_int64(st, 2);
}

int
sqlite_counts(struct store *s, enum store_count_kind kind,
    struct store_count **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s,
	    kind == STORE_COUNT_BOOKINGS ? SQL_COUNT_BOOKINGS
	                                 : SQL_COUNT_REPLIES,
	    err);

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, count_read, NULL, (void **)out, n, err);
}
