/*
 * pages_day_list.c: the printed day list (*wokanda*) — the confirmed
 * visits of a day, for one desk or the whole office, in the order of
 * their time, on A4 with the print stylesheet (static/staff.css @media
 * print: the frame, the menu and the form stay off the paper).
 *
 *   GET /staff/day-list?date=YYYY-MM-DD&desk=ID     (reception and up)
 *
 * Columns: time, access code, service, the desk (whole office only), the
 * status now, and the person's name only when the office chooses so
 * ([reception] day_list_names = yes; default no: a list on a hall's wall
 * or a desk should not carry names). Listed: booked, waiting, called,
 * in_service, done and no_show — the visits that were or are on the plan
 * with a code; pending, cancelled and expired ones are not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fill.h"
#include "page.h"
#include "staff.h"

static bool
listed(enum booking_status s)
{
	return s == BOOKING_BOOKED || s == BOOKING_WAITING ||
	       s == BOOKING_CALLED || s == BOOKING_IN_SERVICE ||
	       s == BOOKING_DONE || s == BOOKING_NO_SHOW;
}

/* desks_json: the desks for the form's select; chosen's name into name
 * ("" when it is none of them) */
static json_t *
desks_json(struct store *s, int64_t chosen, char *name, size_t size)
{
	struct desk *desks = NULL;
	struct error err;
	size_t n = 0, i;
	json_t *list = json_array();

	name[0] = '\0';
	error_clear(&err);
	if (store_desks_list(s, &desks, &n, &err) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:b}", "id",
		              (json_int_t)desks[i].id, "name", desks[i].name,
		              "selected", desks[i].id == chosen));
		if (desks[i].id == chosen)
			snprintf(name, size, "%s", desks[i].name);
	}
	free(desks);
	return list;
}

static void
day_list_page(struct request *rq, struct response *rs)
{
	const char *date_text = http_query(rq, "date"),
	           *desk_text = http_query(rq, "desk");
	const struct config *c = rq->web->config;
	json_t *ctx = staff_context(rq, "/staff/reception"), *rows, *desks;
	struct booking_filter filter;
	struct booking *list = NULL;
	struct buf when = BUF_INIT;
	struct store *s;
	struct error err;
	struct date day = date_of(rq->now);
	char text[DATE_LEN], printed[OTIME_LOCAL_LEN], count[16], desk_name[96];
	time_t noon;
	unsigned status = 200, shown = 0;
	int64_t desk = 0;
	bool en = strcmp(rq->lang, "en") == 0;
	size_t n = 0, i;

	json_object_set_new(ctx, "title", json_string(page_t(rq, "dl_title")));
	if ((date_text != NULL && date_text[0] != '\0' &&
	        date_parse(date_text, &day) != 0) ||
	    (desk_text != NULL && desk_text[0] != '\0' &&
	        !http_parse_id(desk_text, &desk))) {
		json_object_set_new(
		    ctx, "error", json_string(page_t(rq, "dl_bad_date")));
		status = 400;
		day = date_of(rq->now);
		desk = 0;
	}
	if ((s = http_store(rq)) == NULL) {
		json_decref(ctx);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	desks = desks_json(s, desk, desk_name, sizeof desk_name);
	memset(&filter, 0, sizeof filter);
	filter.from = filter.to = day;
	filter.desk_id = desk;
	filter.status = -1;
	filter.limit = 5000;
	error_clear(&err);
	if (store_bookings_search(s, &filter, &list, &n, &err) != 0) {
		json_decref(ctx);
		json_decref(desks);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	rows = json_array();
	for (i = 0; i < n; i++) {
		const struct booking *b = &list[i];
		char at[8];
		unsigned m;
		json_t *row;

		if (!listed(b->status))
			continue;
		m = (unsigned)otime_minute_of_day(b->start) % 1440;
		snprintf(at, sizeof at, "%02u:%02u", m / 60, m % 60);
		row = json_pack("{s:s, s:s, s:s, s:s, s:s}", "time", at, "code",
		    b->access_code, "service",
		    en && b->service_name_en[0] ? b->service_name_en
		                                : b->service_name,
		    "desk", b->desk_name, "status",
		    en ? booking_status_label_en(b->status)
		       : booking_status_label_pl(b->status));
		if (c->reception_day_list_names) {
			char name[160];

			snprintf(name, sizeof name, "%s %s", b->first_name,
			    b->last_name);
			json_object_set_new(row, "name", json_string(name));
		}
		json_array_append_new(rows, row);
		shown++;
	}
	free(list);
	date_format(day, text);
	/* the day's name: page_when's "…, HH:MM" without the time */
	if (otime_make(day, 12 * 60, &noon) != 0)
		noon = rq->now;
	page_when(rq, noon, &when);
	if (when.len > 7)
		when.data[when.len - 7] = '\0';
	otime_format(rq->now, printed);
	printed[10] = ' ';
	snprintf(count, sizeof count, "%u", shown);
	json_object_set_new(ctx, "date", json_string(text));
	json_object_set_new(ctx, "desk_id", json_integer(desk));
	json_object_set_new(ctx, "desks", desks);
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(
	    ctx, "names", json_boolean(c->reception_day_list_names));
	json_object_set_new(ctx, "whole_office", json_boolean(desk == 0));
	json_object_set_new(ctx, "desk_name",
	    json_string(desk_name[0] ? desk_name : page_t(rq, "dl_all_desks")));
	page_fill_set(ctx, "count_text", rq, "dl_count", "count", count,
	    (const char *)NULL);
	page_fill_set(ctx, "printed_text", rq, "dl_printed", "at", printed,
	    "who",
	    rq->account->display_name[0] ? rq->account->display_name
	                                 : rq->account->login,
	    (const char *)NULL);
	json_object_set_new(ctx, "day_name", json_string(buf_cstr(&when)));
	buf_free(&when);
	staff_render(rq, rs, status, "day_list", ctx);
}

const struct route day_list_routes[] = {
    {"GET", "/staff/day-list", day_list_page, ROLE_RECEPTION, 0},
    {0},
};
