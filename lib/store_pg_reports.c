/*
 * store_pg_reports.c: the visits report's scan (store.h, lib/report.h), the
 * twin of store_sqlite_reports.c: one GROUP BY over the bookings of the
 * range through the covering index bookings_report. The hour of the
 * visit's start is the office's local hour: the process's zone (TZ, set by
 * otime_init) names it to the server.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store_pg_internal.h"

#define REPORT_FIGURES                                                         \
	" count(*) FILTER (WHERE status <> 'expired'),"                        \
	" count(*) FILTER (WHERE status IN ('booked', 'waiting', 'called',"    \
	"   'in_service', 'done', 'no_show')),"                                \
	" count(*) FILTER (WHERE status = 'pending'),"                         \
	" count(*) FILTER (WHERE status IN ('booked', 'waiting', 'called',"    \
	"   'in_service')),"                                                   \
	" count(*) FILTER (WHERE status = 'done'),"                            \
	" count(*) FILTER (WHERE status = 'no_show'),"                         \
	" count(*) FILTER (WHERE status = 'cancelled'),"                       \
	" count(*) FILTER (WHERE status = 'expired'),"                         \
	" COALESCE(sum(called_at - checked_in_at) FILTER (WHERE"               \
	"   checked_in_at > 0 AND called_at >= checked_in_at), 0),"            \
	" count(*) FILTER (WHERE checked_in_at > 0 AND"                        \
	"   called_at >= checked_in_at),"                                      \
	" COALESCE(sum(ended_at - started_at) FILTER (WHERE status = 'done'"   \
	"   AND started_at > 0 AND ended_at >= started_at), 0),"               \
	" count(*) FILTER (WHERE status = 'done' AND started_at > 0 AND"       \
	"   ended_at >= started_at),"                                          \
	" count(*) FILTER (WHERE offer_taken)"
/* a waitlist's offer is no visit until taken (report.h) */
#define REPORT_WHERE                                                           \
	" FROM bookings WHERE day BETWEEN $1 AND $2"                           \
	" AND ($3::bigint = 0 OR service_id = $3::bigint)"                     \
	" AND ($4::bigint = 0 OR desk_id = $4::bigint)"                        \
	" AND (source <> 'waitlist' OR offer_taken)"

static const char PG_REPORT_CELLS[] =
    "SELECT day, service_id, desk_id, -1," REPORT_FIGURES REPORT_WHERE
    " GROUP BY day, service_id, desk_id";
static const char PG_REPORT_CELLS_BY_HOUR[] =
    "SELECT day, service_id, desk_id, extract(hour FROM"
    " to_timestamp(start_at) AT TIME ZONE $5)::integer," REPORT_FIGURES
        REPORT_WHERE " GROUP BY day, service_id, desk_id, 4";

static void
cell_read(const PGresult *res, int row, void *out)
{
	struct report_cell *c = out;
	struct report_figures *f = &c->f;

	memset(c, 0, sizeof *c);
	c->day = pq_date(res, row, 0);
	c->service_id = pq_int(res, row, 1);
	c->desk_id = pq_int(res, row, 2);
	c->hour = (int)pq_int(res, row, 3);
	f->planned = (unsigned)pq_int(res, row, 4);
	f->confirmed = (unsigned)pq_int(res, row, 5);
	f->pending = (unsigned)pq_int(res, row, 6);
	f->open = (unsigned)pq_int(res, row, 7);
	f->done = (unsigned)pq_int(res, row, 8);
	f->no_show = (unsigned)pq_int(res, row, 9);
	f->cancelled = (unsigned)pq_int(res, row, 10);
	f->expired = (unsigned)pq_int(res, row, 11);
	f->wait_seconds = pq_int(res, row, 12);
	f->waits = (unsigned)pq_int(res, row, 13);
	f->service_seconds = pq_int(res, row, 14);
	f->services = (unsigned)pq_int(res, row, 15);
	f->refilled = (unsigned)pq_int(res, row, 16);
}

int
pgsql_report_cells(struct store *s, struct date from, struct date to,
    int64_t service_id, int64_t desk_id, bool by_hour, struct report_cell **out,
    size_t *n, struct error *err)
{
	const char *zone = getenv("TZ");
	char a[DATE_LEN], b[DATE_LEN];

	date_format(from, a);
	date_format(to, b);
	if (zone == NULL || zone[0] == '\0')
		zone = "UTC";
	else if (zone[0] == ':')
		zone++;
	return pq_rows(
	    by_hour ? pq_query(s, err, PG_REPORT_CELLS_BY_HOUR, PQ_TEXT(a),
	                  PQ_TEXT(b), PQ_INT(service_id), PQ_INT(desk_id),
	                  PQ_TEXT(zone))
	            : pq_query(s, err, PG_REPORT_CELLS, PQ_TEXT(a), PQ_TEXT(b),
	                  PQ_INT(service_id), PQ_INT(desk_id)),
	    sizeof **out, cell_read, (void **)out, n, err);
}
