/*
 * report.c: the visits report (report.h): the store's cells of (day,
 * service, desk[, hour]) rolled up into the asked grouping, with names,
 * in the group's order, and the total.
 *
 * The store does the counting in one scan; here only a few hundred cells
 * are added up (a month of a busy office is days × services × desks), so
 * the roll-up costs nothing next to the scan (bench/report_bench.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const group_names[REPORT_GROUP_COUNT] = {
    "day_service",
    "day",
    "week",
    "month",
    "service",
    "desk",
    "hour",
};

const char *
report_group_name(enum report_group g)
{
	return g < REPORT_GROUP_COUNT ? group_names[g] : "?";
}

int
report_group_parse(const char *name, enum report_group *out)
{
	int i;

	for (i = 0; i < REPORT_GROUP_COUNT; i++)
		if (name != NULL && strcmp(name, group_names[i]) == 0) {
			*out = (enum report_group)i;
			return 0;
		}
	return -1;
}

int
report_query_check(const struct report_query *q, struct error *err)
{
	long days;

	if (!date_valid(q->from) || !date_valid(q->to))
		return error_set_code(err, ERROR_INVALID, "range_invalid",
		    "from", "Dates are YYYY-MM-DD.");
	days = date_to_days(q->to) - date_to_days(q->from) + 1;
	if (days < 1)
		return error_set_code(err, ERROR_INVALID, "range_invalid", "to",
		    "The range ends before it starts.");
	if (days > REPORT_MAX_DAYS)
		return error_set_code(err, ERROR_INVALID, "range_invalid", "to",
		    "A report covers at most %d days.", REPORT_MAX_DAYS);
	if ((unsigned)q->group >= REPORT_GROUP_COUNT)
		return error_set_code(err, ERROR_INVALID, "group_invalid",
		    "group", "No such grouping.");
	return 0;
}

void
report_add(struct report_figures *a, const struct report_figures *b)
{
	a->planned += b->planned;
	a->confirmed += b->confirmed;
	a->pending += b->pending;
	a->open += b->open;
	a->done += b->done;
	a->no_show += b->no_show;
	a->cancelled += b->cancelled;
	a->expired += b->expired;
	a->refilled += b->refilled;
	a->wait_seconds += b->wait_seconds;
	a->waits += b->waits;
	a->service_seconds += b->service_seconds;
	a->services += b->services;
}

long
report_avg_tenths(int64_t seconds, unsigned n)
{
	if (n == 0)
		return -1;
	/* tenths of a minute = seconds / 6, rounded half up */
	return (long)((seconds * 2 + 6 * (int64_t)n) / (12 * (int64_t)n));
}

void
report_iso_week(struct date d, int *year, int *week, struct date *monday)
{
	struct date mon = date_add_days(d, 1 - date_weekday(d));
	struct date thursday = date_add_days(mon, 3), jan1;

	jan1.year = thursday.year;
	jan1.month = 1;
	jan1.day = 1;
	*year = thursday.year;
	*week = (int)((date_to_days(thursday) - date_to_days(jan1)) / 7) + 1;
	if (monday != NULL)
		*monday = mon;
}

static long
month_index(struct date d)
{
	return (long)d.year * 12 + d.month - 1;
}

/* the growing list of rows */
struct rows {
	struct report_row *v;
	size_t n, size;
};

static struct report_row *
rows_add(struct rows *r, struct error *err)
{
	if (r->n == r->size) {
		size_t size = r->size ? r->size * 2 : 32;
		struct report_row *v = realloc(r->v, size * sizeof *v);

		if (v == NULL) {
			error_set(err, ERROR_INTERNAL, "out of memory");
			return NULL;
		}
		r->v = v;
		r->size = size;
	}
	memset(&r->v[r->n], 0, sizeof r->v[r->n]);
	r->v[r->n].hour = -1;
	return &r->v[r->n++];
}

/* prefill: every day, week or month of the range, in order, with zeros */
static int
prefill(struct rows *r, const struct report_query *q, struct error *err)
{
	struct date d = q->from;
	struct report_row *row;
	int year, week;

	while (date_compare(d, q->to) <= 0) {
		if ((row = rows_add(r, err)) == NULL)
			return -1;
		switch (q->group) {
		case REPORT_BY_DAY:
			row->day = d;
			date_format(d, row->key);
			d = date_add_days(d, 1);
			break;
		case REPORT_BY_WEEK:
			report_iso_week(d, &year, &week, &row->day);
			snprintf(row->key, sizeof row->key, "%04d-W%02d",
			    year % 10000, week % 100);
			d = date_add_days(row->day, 7);
			break;
		default: /* REPORT_BY_MONTH */
			row->day = d;
			row->day.day = 1;
			snprintf(row->key, sizeof row->key, "%04d-%02d",
			    d.year % 10000, d.month % 100);
			d = row->day;
			d.month++;
			if (d.month > 12) {
				d.month = 1;
				d.year++;
			}
			break;
		}
	}
	return 0;
}

/* time_row: the prefilled row of a cell's day */
static struct report_row *
time_row(struct rows *r, const struct report_query *q, struct date day)
{
	struct date a, b;
	long i;
	int year, week;

	switch (q->group) {
	case REPORT_BY_DAY:
		i = date_to_days(day) - date_to_days(q->from);
		break;
	case REPORT_BY_WEEK:
		report_iso_week(q->from, &year, &week, &a);
		report_iso_week(day, &year, &week, &b);
		i = (date_to_days(b) - date_to_days(a)) / 7;
		break;
	default: i = month_index(day) - month_index(q->from); break;
	}
	return i >= 0 && (size_t)i < r->n ? &r->v[i] : NULL;
}

static bool
same_key(const struct report_row *row, const struct report_cell *c,
    enum report_group g)
{
	switch (g) {
	case REPORT_BY_DAY_SERVICE:
		return date_compare(row->day, c->day) == 0 &&
		       row->service_id == c->service_id;
	case REPORT_BY_SERVICE: return row->service_id == c->service_id;
	case REPORT_BY_DESK: return row->desk_id == c->desk_id;
	default: return row->hour == c->hour;
	}
}

/* keyed_row: the row of a cell's service, desk, hour or day and service,
 * made when first seen (cells come in (day, service, desk) order, so the
 * last row used is the likely one) */
static struct report_row *
keyed_row(struct rows *r, const struct report_query *q,
    const struct report_cell *c, size_t *last, struct error *err)
{
	struct report_row *row;
	size_t i;

	if (*last < r->n && same_key(&r->v[*last], c, q->group))
		return &r->v[*last];
	for (i = 0; i < r->n; i++)
		if (same_key(&r->v[i], c, q->group)) {
			*last = i;
			return &r->v[i];
		}
	if ((row = rows_add(r, err)) == NULL)
		return NULL;
	*last = r->n - 1;
	switch (q->group) {
	case REPORT_BY_DAY_SERVICE:
		row->day = c->day;
		row->service_id = c->service_id;
		date_format(c->day, row->key);
		break;
	case REPORT_BY_SERVICE:
		row->service_id = c->service_id;
		snprintf(row->key, sizeof row->key, "%lld",
		    (long long)c->service_id);
		break;
	case REPORT_BY_DESK:
		row->desk_id = c->desk_id;
		snprintf(
		    row->key, sizeof row->key, "%lld", (long long)c->desk_id);
		break;
	default:
		row->hour = c->hour;
		snprintf(row->key, sizeof row->key, "%02d", c->hour % 100);
		break;
	}
	return row;
}

static int
by_hour(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;

	return x->hour - y->hour;
}

static int
by_service_name(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	int c = strcmp(x->service, y->service);

	return c != 0 ? c
	              : (x->service_id > y->service_id) -
	                    (x->service_id < y->service_id);
}

static int
by_desk_name(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	int c = strcmp(x->desk, y->desk);

	return c != 0 ? c
	              : (x->desk_id > y->desk_id) - (x->desk_id < y->desk_id);
}

static int
by_day_service(const void *a, const void *b)
{
	const struct report_row *x = a, *y = b;
	int c = date_compare(x->day, y->day);

	return c != 0 ? c : by_service_name(a, b);
}

/* name_rows: the rows' service and desk names (retired desks and inactive
 * services keep theirs; one that no longer exists shows its id) */
static int
name_rows(struct store *s, struct rows *r, struct error *err)
{
	struct service *sv = NULL;
	struct desk *dk = NULL;
	size_t nsv = 0, ndk = 0, i, j;

	if (store_services_list(s, false, &sv, &nsv, err) != 0 ||
	    store_desks_list_all(s, &dk, &ndk, err) != 0) {
		free(sv);
		return -1;
	}
	for (i = 0; i < r->n; i++) {
		struct report_row *row = &r->v[i];

		if (row->service_id > 0) {
			snprintf(row->service, sizeof row->service, "#%lld",
			    (long long)row->service_id);
			for (j = 0; j < nsv; j++)
				if (sv[j].id == row->service_id) {
					snprintf(row->service,
					    sizeof row->service, "%s",
					    sv[j].name);
					snprintf(row->service_en,
					    sizeof row->service_en, "%s",
					    sv[j].name_en[0] ? sv[j].name_en
					                     : sv[j].name);
				}
			if (row->service_en[0] == '\0')
				snprintf(row->service_en,
				    sizeof row->service_en, "%s", row->service);
		}
		if (row->desk_id > 0) {
			snprintf(row->desk, sizeof row->desk, "#%lld",
			    (long long)row->desk_id);
			for (j = 0; j < ndk; j++)
				if (dk[j].id == row->desk_id)
					snprintf(row->desk, sizeof row->desk,
					    "%s", dk[j].name);
		}
	}
	free(sv);
	free(dk);
	return 0;
}

int
report_build(struct store *s, const struct report_query *q, struct report *out,
    struct error *err)
{
	struct report_cell *cells = NULL;
	struct rows rows = {NULL, 0, 0};
	size_t n = 0, i, last = 0;
	bool timeline = q->group == REPORT_BY_DAY ||
	                q->group == REPORT_BY_WEEK ||
	                q->group == REPORT_BY_MONTH;

	memset(out, 0, sizeof *out);
	out->query = *q;
	if (report_query_check(q, err) != 0)
		return -1;
	if (store_report_cells(s, q->from, q->to, q->service_id, q->desk_id,
	        q->group == REPORT_BY_HOUR, &cells, &n, err) != 0)
		return -1;
	if (timeline && prefill(&rows, q, err) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct report_row *row =
		    timeline ? time_row(&rows, q, cells[i].day)
		             : keyed_row(&rows, q, &cells[i], &last, err);

		if (row == NULL) {
			if (!timeline)
				goto fail;
			continue; /* unreachable: the scan keeps to the range */
		}
		report_add(&row->f, &cells[i].f);
		report_add(&out->total, &cells[i].f);
	}
	if (name_rows(s, &rows, err) != 0)
		goto fail;
	switch (rows.n > 1 ? q->group : REPORT_BY_DAY) {
	case REPORT_BY_DAY_SERVICE:
		qsort(rows.v, rows.n, sizeof *rows.v, by_day_service);
		break;
	case REPORT_BY_SERVICE:
		qsort(rows.v, rows.n, sizeof *rows.v, by_service_name);
		break;
	case REPORT_BY_DESK:
		qsort(rows.v, rows.n, sizeof *rows.v, by_desk_name);
		break;
	case REPORT_BY_HOUR:
		qsort(rows.v, rows.n, sizeof *rows.v, by_hour);
		break;
	default: break;
	}
	free(cells);
	out->rows = rows.v;
	out->n = rows.n;
	return 0;
fail:
	free(cells);
	free(rows.v);
	memset(&out->total, 0, sizeof out->total);
	return -1;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}
