/*
 * pages_reports.c: *Raporty i zestawienia* — the visits report
 * (lib/report.h) as a page with charts and as the API of CONTRACT.md:
 *
 *   GET /staff/reports?from=&to=&service_id=&desk_id=&group=
 *       the filters, the totals, three charts drawn as SVG on the server
 *       (chart.c), each with a table of its numbers beside it, the table of
 *       every figure, the definitions, CSV links; no JavaScript.
 *       Defaults: this month up to today, by day.
 *   GET /api/v1/reports/visits?from=YYYY-MM-DD&to=YYYY-MM-DD
 *       [&group=day_service|day|week|month|service|desk|hour]
 *       [&service_id=N][&desk_id=N][&format=json|csv]
 *       [&delimiter=comma|semicolon][&bom=0|1]
 *       200 a JSON array of rows (CONTRACT: per day and service — day,
 *       service, planned, confirmed, done, no_show, cancelled, expired,
 *       avg_wait_min, avg_service_min — then pending, open, waits,
 *       services, service_id), or the same as CSV (RFC 4180, UTF-8 with a
 *       BOM unless bom=0, formula injection escaped: lib/csv.h).
 *       delimiter=semicolon writes ';' and decimal commas, what a Polish
 *       Excel opens with a double click. 400 malformed, 422 range_invalid
 *       (more than REPORT_MAX_DAYS days, or to before from).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "chart.h"
#include "csv.h"
#include "fill.h"
#include "page.h"
#include "report.h"
#include "staff.h"

struct params {
	struct report_query q;
	bool csv;
	char sep;     /* CSV separator */
	char decimal; /* '.' or ',' */
	bool bom;
	const char *bad; /* the malformed parameter */
};

static const char *
arg(struct request *rq, const char *name)
{
	const char *v = http_query(rq, name);

	return v != NULL ? v : "";
}

/* parse: the query; api: from and to are required, group defaults to
 * day_service (else this month to today, by day) */
static int
parse(struct request *rq, bool api, struct params *p)
{
	const char *v;
	struct date today = date_of(rq->now);

	memset(p, 0, sizeof *p);
	p->sep = ',';
	p->decimal = '.';
	p->bom = true;
	p->q.group = api ? REPORT_BY_DAY_SERVICE : REPORT_BY_DAY;
	p->q.from = today;
	p->q.from.day = 1;
	p->q.to = today;
	if ((v = arg(rq, "from"))[0] != '\0' || api)
		if (date_parse(v, &p->q.from) != 0)
			return p->bad = "from", -1;
	if ((v = arg(rq, "to"))[0] != '\0' || api)
		if (date_parse(v, &p->q.to) != 0)
			return p->bad = "to", -1;
	if ((v = arg(rq, "group"))[0] != '\0' &&
	    report_group_parse(v, &p->q.group) != 0)
		return p->bad = "group", -1;
	if ((v = arg(rq, "service_id"))[0] != '\0' &&
	    !http_parse_id(v, &p->q.service_id))
		return p->bad = "service_id", -1;
	if ((v = arg(rq, "desk_id"))[0] != '\0' &&
	    !http_parse_id(v, &p->q.desk_id))
		return p->bad = "desk_id", -1;
	v = arg(rq, "format");
	if (v[0] != '\0' && strcmp(v, "json") != 0 && strcmp(v, "csv") != 0)
		return p->bad = "format", -1;
	p->csv = strcmp(v, "csv") == 0;
	v = arg(rq, "delimiter");
	if (strcmp(v, "semicolon") == 0) {
		p->sep = ';';
		p->decimal = ',';
	} else if (v[0] != '\0' && strcmp(v, "comma") != 0)
		return p->bad = "delimiter", -1;
	v = arg(rq, "bom");
	if (v[0] != '\0' && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return p->bad = "bom", -1;
	p->bom = strcmp(v, "0") != 0;
	return 0;
}

/* tenths: an average in minutes with one decimal, "" when none */
static void
tenths(int64_t seconds, unsigned n, char decimal, char out[32])
{
	long t = report_avg_tenths(seconds, n);

	if (t < 0)
		out[0] = '\0';
	else
		snprintf(out, 32, "%ld%c%ld", t / 10, decimal, t % 10);
}

/* ---- the API: JSON and CSV ------------------------------------------ */

/* the key columns of a group, in order (then the figures) */
static const char *const *
key_columns(enum report_group g)
{
	static const char *const day_service[] = {"day", "service", NULL};
	static const char *const day[] = {"day", NULL};
	static const char *const week[] = {"week", "from", NULL};
	static const char *const month[] = {"month", NULL};
	static const char *const service[] = {"service", NULL};
	static const char *const desk[] = {"desk", NULL};
	static const char *const hour[] = {"hour", NULL};

	switch (g) {
	case REPORT_BY_DAY: return day;
	case REPORT_BY_WEEK: return week;
	case REPORT_BY_MONTH: return month;
	case REPORT_BY_SERVICE: return service;
	case REPORT_BY_DESK: return desk;
	case REPORT_BY_HOUR: return hour;
	default: return day_service;
	}
}

/* key_value: a key column's text for a row */
static void
key_value(
    const struct report_row *row, const char *column, char *out, size_t size)
{
	if (strcmp(column, "service") == 0)
		snprintf(out, size, "%s", row->service);
	else if (strcmp(column, "desk") == 0)
		snprintf(out, size, "%s", row->desk);
	else if (strcmp(column, "hour") == 0)
		snprintf(out, size, "%d", row->hour);
	else if (strcmp(column, "from") == 0) {
		char d[DATE_LEN];

		date_format(row->day, d);
		snprintf(out, size, "%s", d);
	} else
		snprintf(out, size, "%s", row->key); /* day, week, month */
}

static const char *const figure_columns[] = {"planned", "confirmed", "done",
    "no_show", "cancelled", "expired", "avg_wait_min", "avg_service_min",
    "pending", "open", "waits", "services", "refilled", NULL};

static json_t *
row_json(const struct report *r, const struct report_row *row)
{
	const struct report_figures *f = &row->f;
	const char *const *k;
	json_t *v = json_object();
	long wait = report_avg_tenths(f->wait_seconds, f->waits),
	     svc = report_avg_tenths(f->service_seconds, f->services);
	char text[160];

	for (k = key_columns(r->query.group); *k != NULL; k++) {
		key_value(row, *k, text, sizeof text);
		json_object_set_new(v, *k,
		    strcmp(*k, "hour") == 0 ? json_integer(row->hour)
		                            : json_string(text));
	}
	json_object_set_new(v, "planned", json_integer(f->planned));
	json_object_set_new(v, "confirmed", json_integer(f->confirmed));
	json_object_set_new(v, "done", json_integer(f->done));
	json_object_set_new(v, "no_show", json_integer(f->no_show));
	json_object_set_new(v, "cancelled", json_integer(f->cancelled));
	json_object_set_new(v, "expired", json_integer(f->expired));
	json_object_set_new(v, "avg_wait_min",
	    wait < 0 ? json_null() : json_real((double)wait / 10));
	json_object_set_new(v, "avg_service_min",
	    svc < 0 ? json_null() : json_real((double)svc / 10));
	json_object_set_new(v, "pending", json_integer(f->pending));
	json_object_set_new(v, "open", json_integer(f->open));
	json_object_set_new(v, "waits", json_integer(f->waits));
	json_object_set_new(v, "services", json_integer(f->services));
	json_object_set_new(v, "refilled", json_integer(f->refilled));
	if (row->service_id > 0)
		json_object_set_new(
		    v, "service_id", json_integer(row->service_id));
	if (row->desk_id > 0)
		json_object_set_new(v, "desk_id", json_integer(row->desk_id));
	return v;
}

static void
csv_figures(struct csv *w, const struct report_figures *f, char decimal)
{
	const unsigned counts[] = {f->planned, f->confirmed, f->done,
	    f->no_show, f->cancelled, f->expired};
	char text[32];
	size_t i;

	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		snprintf(text, sizeof text, "%u", counts[i]);
		csv_raw(w, text);
	}
	tenths(f->wait_seconds, f->waits, decimal, text);
	csv_raw(w, text);
	tenths(f->service_seconds, f->services, decimal, text);
	csv_raw(w, text);
	snprintf(text, sizeof text, "%u", f->pending);
	csv_raw(w, text);
	snprintf(text, sizeof text, "%u", f->open);
	csv_raw(w, text);
	snprintf(text, sizeof text, "%u", f->waits);
	csv_raw(w, text);
	snprintf(text, sizeof text, "%u", f->services);
	csv_raw(w, text);
	snprintf(text, sizeof text, "%u", f->refilled);
	csv_raw(w, text);
}

/* the id columns of a group, last (what a program joins on) */
static bool
has_service_id(enum report_group g)
{
	return g == REPORT_BY_DAY_SERVICE || g == REPORT_BY_SERVICE;
}

static void
report_csv(const struct report *r, const struct params *p, struct buf *out)
{
	struct csv w = csv_begin(out, p->sep, p->bom);
	const char *const *k;
	char text[160];
	size_t i;

	for (k = key_columns(r->query.group); *k != NULL; k++)
		csv_text(&w, *k);
	for (k = figure_columns; *k != NULL; k++)
		csv_text(&w, *k);
	if (has_service_id(r->query.group))
		csv_text(&w, "service_id");
	if (r->query.group == REPORT_BY_DESK)
		csv_text(&w, "desk_id");
	csv_end_row(&w);
	for (i = 0; i < r->n; i++) {
		const struct report_row *row = &r->rows[i];

		for (k = key_columns(r->query.group); *k != NULL; k++) {
			key_value(row, *k, text, sizeof text);
			/* names are typed by admins: text, guarded */
			if (strcmp(*k, "service") == 0 ||
			    strcmp(*k, "desk") == 0)
				csv_text(&w, text);
			else
				csv_raw(&w, text);
		}
		csv_figures(&w, &row->f, p->decimal);
		if (has_service_id(r->query.group)) {
			snprintf(text, sizeof text, "%lld",
			    (long long)row->service_id);
			csv_raw(&w, text);
		}
		if (r->query.group == REPORT_BY_DESK) {
			snprintf(
			    text, sizeof text, "%lld", (long long)row->desk_id);
			csv_raw(&w, text);
		}
		csv_end_row(&w);
	}
}

static void
api_visits(struct request *rq, struct response *rs)
{
	struct params p;
	struct report r;
	struct store *s;
	struct error err;
	char msg[96], disposition[128], from[DATE_LEN], to[DATE_LEN];
	json_t *list;
	size_t i;

	if (parse(rq, true, &p) != 0) {
		snprintf(msg, sizeof msg,
		    "Bad or missing %s (dates are YYYY-MM-DD).", p.bad);
		http_json_error(rs, 400, "malformed", msg, p.bad);
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (report_build(s, &p.q, &r, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	if (p.csv) {
		buf_reset(&rs->body);
		report_csv(&r, &p, &rs->body);
		rs->status = 200;
		rs->content_type = "text/csv; charset=utf-8; header=present";
		date_format(p.q.from, from);
		date_format(p.q.to, to);
		snprintf(disposition, sizeof disposition,
		    "attachment; filename=\"wizyta-%s-%s-%s.csv\"",
		    report_group_name(p.q.group), from, to);
		http_header_add(rs, "Content-Disposition", disposition);
		report_free(&r);
		return;
	}
	list = json_array();
	for (i = 0; i < r.n; i++)
		json_array_append_new(list, row_json(&r, &r.rows[i]));
	report_free(&r);
	http_json(rs, 200, list);
}

/* ---- the page --------------------------------------------------------- */

/* label: a row's name on the page; brief for under a chart's bars */
static void
label(struct request *rq, const struct report *r, const struct report_row *row,
    bool brief, char *out, size_t size)
{
	bool en = strcmp(rq->lang, "en") == 0;
	const char *service = en ? row->service_en : row->service;

	switch (r->query.group) {
	case REPORT_BY_DAY:
		if (brief)
			snprintf(out, size, "%02d.%02d", row->day.day % 100,
			    row->day.month % 100);
		else
			snprintf(out, size, "%s", row->key);
		break;
	case REPORT_BY_WEEK:
		snprintf(out, size, "%s", brief ? row->key + 5 : row->key);
		break;
	case REPORT_BY_MONTH:
		snprintf(out, size, "%02d.%04d", row->day.month % 100,
		    row->day.year % 10000);
		break;
	case REPORT_BY_SERVICE: snprintf(out, size, "%s", service); break;
	case REPORT_BY_DESK: snprintf(out, size, "%s", row->desk); break;
	case REPORT_BY_HOUR:
		snprintf(out, size, "%02d:00", row->hour % 100);
		break;
	default:
		snprintf(out, size, "%02d.%02d %s", row->day.day % 100,
		    row->day.month % 100, service);
		break;
	}
}

/* avg_text: "12,4" / "12.4", or "—" */
static void
avg_text(struct request *rq, int64_t seconds, unsigned n, char out[32])
{
	tenths(seconds, n, strcmp(rq->lang, "en") == 0 ? '.' : ',', out);
	if (out[0] == '\0')
		snprintf(out, 32, "—");
}

/* one chart: its series are figures of every row (picked by pick) */
struct chart_spec {
	const char *id, *title_key, *desc_key, *unit_key;
	size_t nseries;
	const char *name_keys[4];
	const char *colours[4];
	int decimals;
	double (*pick)(const struct report_figures *, size_t series);
};

static double
pick_visits(const struct report_figures *f, size_t s)
{
	return s == 0 ? f->planned : s == 1 ? f->done : f->no_show;
}

static double
pick_lost(const struct report_figures *f, size_t s)
{
	return s == 0 ? f->cancelled : f->expired;
}

static double
pick_times(const struct report_figures *f, size_t s)
{
	long t = s == 0 ? report_avg_tenths(f->wait_seconds, f->waits)
	                : report_avg_tenths(f->service_seconds, f->services);

	return t < 0 ? -1 : (double)t / 10;
}

static const struct chart_spec charts[] = {
    {"chart-visits", "rp_chart_visits", "rp_chart_visits_desc",
        "rp_unit_visits", 3, {"rp_planned", "rp_done", "rp_no_show"},
        {CHART_BLUE, CHART_GREEN, CHART_ORANGE}, 0, pick_visits},
    {"chart-lost", "rp_chart_lost", "rp_chart_lost_desc", "rp_unit_visits", 2,
        {"rp_cancelled", "rp_expired"}, {CHART_RED, CHART_ORANGE}, 0,
        pick_lost},
    {"chart-times", "rp_chart_times", "rp_chart_times_desc", "rp_unit_minutes",
        2, {"rp_avg_wait", "rp_avg_service"}, {CHART_BLUE, CHART_GREEN}, 1,
        pick_times},
};

/* chart_json: the chart's SVG and the table of its numbers */
static json_t *
chart_json(
    struct request *rq, const struct report *r, const struct chart_spec *spec)
{
	struct chart_series series[4];
	const char **labels = calloc(r->n + 1, sizeof *labels);
	double *values = calloc(r->n * spec->nseries + 1, sizeof *values);
	char(*names)[160] = calloc(r->n + 1, sizeof *names);
	json_t *out, *columns = json_array(), *rows = json_array();
	struct buf svg = BUF_INIT;
	struct chart c;
	size_t i, s;

	if (labels == NULL || values == NULL || names == NULL)
		abort();
	for (s = 0; s < spec->nseries; s++) {
		series[s].name = page_t(rq, spec->name_keys[s]);
		series[s].values = values + s * r->n;
		series[s].colour = spec->colours[s];
		json_array_append_new(columns, json_string(series[s].name));
	}
	for (i = 0; i < r->n; i++) {
		json_t *cells = json_array();
		char full[160];

		label(rq, r, &r->rows[i], true, names[i], sizeof names[i]);
		labels[i] = names[i];
		label(rq, r, &r->rows[i], false, full, sizeof full);
		for (s = 0; s < spec->nseries; s++) {
			double v = spec->pick(&r->rows[i].f, s);
			char text[32];

			values[s * r->n + i] = v;
			if (v < 0)
				snprintf(text, sizeof text, "—");
			else if (spec->decimals > 0) {
				char *dot;

				snprintf(text, sizeof text, "%.1f", v);
				if (strcmp(rq->lang, "en") != 0 &&
				    (dot = strchr(text, '.')) != NULL)
					*dot = ',';
			} else
				snprintf(text, sizeof text, "%.0f", v);
			json_array_append_new(cells, json_string(text));
		}
		json_array_append_new(rows,
		    json_pack("{s:s, s:o}", "label", full, "cells", cells));
	}
	memset(&c, 0, sizeof c);
	c.id = spec->id;
	c.title = page_t(rq, spec->title_key);
	c.desc = page_t(rq, spec->desc_key);
	c.labels = labels;
	c.n = r->n;
	c.series = series;
	c.nseries = spec->nseries;
	c.unit = page_t(rq, spec->unit_key);
	c.decimals = spec->decimals;
	chart_bars_svg(&c, &svg);
	out = json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", spec->id, "title",
	    c.title, "svg", buf_cstr(&svg), "columns", columns, "rows", rows);
	/* the table's name differs from the section's: two landmarks */
	page_fill_set(out, "caption", rq, "rp_table_of", "title", c.title,
	    (const char *)NULL);
	buf_free(&svg);
	free(labels);
	free(values);
	free(names);
	return out;
}

static json_t *
figures_cells(struct request *rq, const struct report_figures *f)
{
	char wait[32], svc[32];

	avg_text(rq, f->wait_seconds, f->waits, wait);
	avg_text(rq, f->service_seconds, f->services, svc);
	return json_pack("[I, I, I, I, I, I, I, I, s, s, I]",
	    (json_int_t)f->planned, (json_int_t)f->confirmed,
	    (json_int_t)f->pending, (json_int_t)f->open, (json_int_t)f->done,
	    (json_int_t)f->no_show, (json_int_t)f->cancelled,
	    (json_int_t)f->expired, wait, svc, (json_int_t)f->refilled);
}

static json_t *
summary_json(struct request *rq, const struct report_figures *t)
{
	char wait[32], svc[32];

	avg_text(rq, t->wait_seconds, t->waits, wait);
	avg_text(rq, t->service_seconds, t->services, svc);
	return json_pack("[{s:I, s:s}, {s:I, s:s}, {s:I, s:s}, {s:I, s:s},"
	                 " {s:I, s:s}, {s:I, s:s}, {s:s, s:s}, {s:s, s:s},"
	                 " {s:I, s:s}]",
	    "value", (json_int_t)t->planned, "label", page_t(rq, "rp_planned"),
	    "value", (json_int_t)t->confirmed, "label",
	    page_t(rq, "rp_confirmed"), "value", (json_int_t)t->done, "label",
	    page_t(rq, "rp_done"), "value", (json_int_t)t->no_show, "label",
	    page_t(rq, "rp_no_show"), "value", (json_int_t)t->cancelled,
	    "label", page_t(rq, "rp_cancelled"), "value",
	    (json_int_t)t->expired, "label", page_t(rq, "rp_expired"), "value",
	    wait, "label", page_t(rq, "rp_avg_wait_min"), "value", svc, "label",
	    page_t(rq, "rp_avg_service_min"), "value", (json_int_t)t->refilled,
	    "label", page_t(rq, "rp_refilled"));
}

/* choices: the select's options, the chosen one marked */
static json_t *
choices(struct request *rq, struct store *s, bool services, int64_t chosen)
{
	json_t *list = json_array();
	struct error err;
	size_t n = 0, i;

	error_clear(&err);
	if (services) {
		struct service *sv = NULL;

		if (store_services_list(s, false, &sv, &n, &err) != 0)
			n = 0;
		for (i = 0; i < n; i++)
			json_array_append_new(list,
			    json_pack("{s:I, s:s, s:b}", "id",
			        (json_int_t)sv[i].id, "name",
			        strcmp(rq->lang, "en") == 0 && sv[i].name_en[0]
			            ? sv[i].name_en
			            : sv[i].name,
			        "selected", sv[i].id == chosen));
		free(sv);
	} else {
		struct desk *dk = NULL;

		if (store_desks_list_all(s, &dk, &n, &err) != 0)
			n = 0;
		for (i = 0; i < n; i++)
			json_array_append_new(
			    list, json_pack("{s:I, s:s, s:b}", "id",
			              (json_int_t)dk[i].id, "name", dk[i].name,
			              "selected", dk[i].id == chosen));
		free(dk);
	}
	return list;
}

static json_t *
groups_json(struct request *rq, enum report_group chosen)
{
	json_t *list = json_array();
	char key[32];
	int g;

	for (g = 0; g < REPORT_GROUP_COUNT; g++) {
		snprintf(key, sizeof key, "rp_group_%s",
		    report_group_name((enum report_group)g));
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:b}", "value",
		              report_group_name((enum report_group)g), "label",
		              page_t(rq, key), "selected", g == (int)chosen));
	}
	return list;
}

/* csv_link: the API's CSV of what the page shows */
static void
csv_link(const struct report_query *q, bool excel, struct buf *out)
{
	char from[DATE_LEN], to[DATE_LEN];

	date_format(q->from, from);
	date_format(q->to, to);
	buf_printf(out, "/api/v1/reports/visits?from=%s&to=%s&group=%s", from,
	    to, report_group_name(q->group));
	if (q->service_id > 0)
		buf_printf(out, "&service_id=%lld", (long long)q->service_id);
	if (q->desk_id > 0)
		buf_printf(out, "&desk_id=%lld", (long long)q->desk_id);
	buf_puts(out, "&format=csv");
	if (excel)
		buf_puts(out, "&delimiter=semicolon");
}

static void
reports_page(struct request *rq, struct response *rs)
{
	json_t *ctx = staff_context(rq, "/staff/reports"), *list, *rows;
	struct buf link = BUF_INIT;
	struct params p;
	struct report r;
	struct store *s;
	struct error err;
	char from[DATE_LEN], to[DATE_LEN], key[32];
	unsigned status = 200;
	size_t i;

	json_object_set_new(ctx, "title", json_string(page_t(rq, "rp_title")));
	if ((s = http_store(rq)) == NULL) {
		json_decref(ctx);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	memset(&r, 0, sizeof r);
	error_clear(&err);
	if (parse(rq, false, &p) != 0) {
		json_object_set_new(
		    ctx, "error", json_string(page_t(rq, "rp_bad_query")));
		status = 400;
	} else if (report_build(s, &p.q, &r, &err) != 0) {
		if (err.kind != ERROR_INVALID) {
			json_decref(ctx);
			page_message(
			    rq, rs, 503, "err_db_title", "err_db_text");
			return;
		}
		json_object_set_new(
		    ctx, "error", json_string(page_error_text(rq, &err)));
		status = 422;
	}
	date_format(p.q.from, from);
	date_format(p.q.to, to);
	json_object_set_new(ctx, "from", json_string(from));
	json_object_set_new(ctx, "to", json_string(to));
	json_object_set_new(
	    ctx, "services", choices(rq, s, true, p.q.service_id));
	json_object_set_new(ctx, "desks", choices(rq, s, false, p.q.desk_id));
	json_object_set_new(ctx, "groups", groups_json(rq, p.q.group));
	if (status != 200) {
		staff_render(rq, rs, status, "reports", ctx);
		return;
	}
	snprintf(key, sizeof key, "rp_column_%s", report_group_name(p.q.group));
	json_object_set_new(ctx, "group_label", json_string(page_t(rq, key)));
	json_object_set_new(ctx, "summary", summary_json(rq, &r.total));
	csv_link(&p.q, false, &link);
	json_object_set_new(ctx, "csv", json_string(buf_cstr(&link)));
	buf_reset(&link);
	csv_link(&p.q, true, &link);
	json_object_set_new(ctx, "csv_excel", json_string(buf_cstr(&link)));
	buf_free(&link);
	list = json_array();
	for (i = 0; i < sizeof charts / sizeof charts[0] && r.n > 0; i++) {
		json_t *c = chart_json(rq, &r, &charts[i]);

		json_object_set_new(
		    c, "group_label", json_string(page_t(rq, key)));
		json_array_append_new(list, c);
	}
	json_object_set_new(ctx, "charts", list);
	rows = json_array();
	for (i = 0; i < r.n; i++) {
		char name[160];

		label(rq, &r, &r.rows[i], false, name, sizeof name);
		json_array_append_new(
		    rows, json_pack("{s:s, s:o}", "label", name, "cells",
		              figures_cells(rq, &r.rows[i].f)));
	}
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "total", figures_cells(rq, &r.total));
	report_free(&r);
	staff_render(rq, rs, 200, "reports", ctx);
}

const struct route reports_routes[] = {
    {"GET", "/staff/reports", reports_page, ROLE_STAFF, 0},
    {"GET", "/api/v1/reports/visits", api_visits, ROLE_STAFF, 0},
    {0},
};
