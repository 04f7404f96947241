/*
 * store_sqlite_reports.c: the visits report's scan (store.h, lib/report.h).
 *
 * One GROUP BY over the bookings of the range, read through the covering
 * index bookings_report (day, service_id, desk_id, status, start_at and the
 * four desk times: migration 4), so SQLite never touches the table rows
 * and needs no sort: the index is already in group order. Only columns
 * that are not personal data are read (report.h). The hour of the visit's
 * start is the office's local hour: the process runs in the office zone
 * (office_time.h), which SQLite's 'localtime' follows; a PostgreSQL store
 * takes extract(hour from to_timestamp(start_at) AT TIME ZONE <office>).
 *
 * Each figure's definition is report.h's; the SQL below is its one
 * transcription (the statuses are the state machine's names).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store_sqlite_internal.h"

#define REPORT_FIGURES                                                         \
	" sum(status <> 'expired'),"                                           \
	" sum(status IN ('booked', 'waiting', 'called', 'in_service', 'done'," \
	"   'no_show')),"                                                      \
	" sum(status = 'pending'),"                                            \
	" sum(status IN ('booked', 'waiting', 'called', 'in_service')),"       \
	" sum(status = 'done'), sum(status = 'no_show'),"                      \
	" sum(status = 'cancelled'), sum(status = 'expired'),"                 \
	" coalesce(sum(CASE WHEN checked_in_at > 0 AND called_at >="           \
	"   checked_in_at THEN called_at - checked_in_at END), 0),"            \
	" count(CASE WHEN checked_in_at > 0 AND called_at >= checked_in_at"    \
	"   THEN 1 END),"                                                      \
	" coalesce(sum(CASE WHEN status = 'done' AND started_at > 0 AND"       \
	"   ended_at >= started_at THEN ended_at - started_at END), 0),"       \
	" count(CASE WHEN status = 'done' AND started_at > 0 AND"              \
	"   ended_at >= started_at THEN 1 END),"                               \
	" sum(offer_taken)"
/* a waitlist's offer is no visit until taken (report.h) */
#define REPORT_WHERE                                                           \
	" FROM bookings WHERE day BETWEEN ?1 AND ?2"                           \
	" AND (?3 = 0 OR service_id = ?3) AND (?4 = 0 OR desk_id = ?4)"        \
	" AND (source <> 'waitlist' OR offer_taken = 1)"

static const char SQL_REPORT_CELLS[] =
    "SELECT day, service_id, desk_id, -1," REPORT_FIGURES REPORT_WHERE
    " GROUP BY day, service_id, desk_id";
static const char SQL_REPORT_CELLS_BY_HOUR[] =
    "SELECT day, service_id, desk_id,"
    " CAST(strftime('%H', start_at, 'unixepoch', 'localtime') AS "
    "INTEGER)," REPORT_FIGURES REPORT_WHERE
    " GROUP BY day, service_id, desk_id, 4";

static void
cell_read(sqlite3_stmt *st, void *row)
{
	struct report_cell *c = row;
	struct report_figures *f = &c->f;
	char day[DATE_LEN];

	memset(c, 0, sizeof *c);
	col_copy(st, 0, day, sizeof day);
	if (date_parse(day, &c->day) != 0)
		memset(
		    &c->day, 0, sizeof c->day); /* unreachable: written by us */
	c->service_id = sqlite3_column_int64(st, 1);
	c->desk_id = sqlite3_column_int64(st, 2);
	c->hour = sqlite3_column_int(st, 3);
	f->planned = (unsigned)sqlite3_column_int(st, 4);
	f->confirmed = (unsigned)sqlite3_column_int(st, 5);
	f->pending = (unsigned)sqlite3_column_int(st, 6);
	f->open = (unsigned)sqlite3_column_int(st, 7);
	f->done = (unsigned)sqlite3_column_int(st, 8);
	f->no_show = (unsigned)sqlite3_column_int(st, 9);
	f->cancelled = (unsigned)sqlite3_column_int(st, 10);
	f->expired = (unsigned)sqlite3_column_int(st, 11);
	f->wait_seconds = sqlite3_column_int64(st, 12);
	f->waits = (unsigned)sqlite3_column_int(st, 13);
	f->service_seconds = sqlite3_column_int64(st, 14);
	f->services = (unsigned)sqlite3_column_int(st, 15);
	f->refilled = (unsigned)sqlite3_column_int(st, 16);
}

int
store_report_cells(struct store *s, struct date from, struct date to,
    int64_t service_id, int64_t desk_id, bool by_hour, struct report_cell **out,
    size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];
	sqlite3_stmt *st;

	date_format(from, a);
	date_format(to, b);
	st = sq_query(s, err,
	    by_hour ? SQL_REPORT_CELLS_BY_HOUR : SQL_REPORT_CELLS, SQ_TEXT(a),
	    SQ_TEXT(b), SQ_INT(service_id), SQ_INT(desk_id));
	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, cell_read, NULL, (void **)out, n, err);
}
