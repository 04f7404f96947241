/*
 * staff_waitlist.c: the waitlist for staff (lib/waitlist.h):
 *
 *   GET  /staff/waitlist?date=&service=     who waits for a day, per
 *        service, in line order: the place in line, the hours they can
 *        come, the offer they hold (until when), the messages sent about
 *        them; a way to take someone off; the figures of the last 30 days
 *        (how many freed places the waitlist re-filled)
 *   POST /staff/waitlist/leave               take someone off (a form)
 *   GET  /api/v1/staff/waitlist?date=&service_id=
 *   POST /api/v1/staff/waitlist/{ref}/leave
 *   GET  /api/v1/reports/waitlist?from=&to=  the figures per day and
 *        service: joined, offered, refilled, declined, lapsed, left
 *
 * The offers themselves are bookings (source "waitlist"): their messages
 * and the replies to them are in each booking's conversation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "log.h"
#include "notify.h"
#include "page.h"
#include "pages_book.h"
#include "plural.h"
#include "staff.h"
#include "waitlist.h"

#define FIGURES_DAYS 30

/* the day asked for (?date=), else today */
static struct date
day_asked(struct request *rq)
{
	const char *text = http_query(rq, "date");
	struct date d;

	if (text != NULL && date_parse(text, &d) == 0)
		return d;
	return date_of(rq->now);
}

static json_t *
entry_json(const struct waitlist_entry *e)
{
	char date[DATE_LEN], from[6], to[6], joined[OTIME_LOCAL_LEN],
	    until[OTIME_LOCAL_LEN];
	json_t *v;

	date_format(e->day, date);
	waitlist_format_time(e->window_from, from);
	waitlist_format_time(e->window_to, to);
	otime_format(e->created_at, joined);
	v = json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s,"
	              " s:s, s:s, s:s, s:s, s:I}",
	    "id", (json_int_t)e->id, "reference", e->reference, "status",
	    waitlist_status_name(e->status), "position",
	    (json_int_t)e->position, "service_id", (json_int_t)e->service_id,
	    "service", e->service_name, "date", date, "from", from, "to", to,
	    "first_name", e->first_name, "last_name", e->last_name, "email",
	    e->email, "phone", e->phone, "joined_at", joined, "source",
	    e->source, "offers", (json_int_t)e->offers);
	if (e->offer_reference[0] != '\0') {
		json_t *offer =
		    json_pack("{s:s}", "reference", e->offer_reference);

		if (e->offer_until > 0) {
			otime_format(e->offer_until, until);
			json_object_set_new(offer, "until", json_string(until));
		}
		json_object_set_new(v, "offer", offer);
	} else
		json_object_set_new(v, "offer", json_null());
	return v;
}

/* ---- the page -------------------------------------------------------------
 */

static json_t *
messages_json(struct request *rq, struct store *s, int64_t id)
{
	struct outbox_message *list = NULL;
	json_t *out = json_array();
	size_t n = 0, i;
	char key[48], status[48];

	if (store_waitlist_messages(s, id, &list, &n, NULL) != 0)
		return out;
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "wl_kind_%s", list[i].kind);
		snprintf(status, sizeof status, "wl_msg_%s",
		    outbox_status_name(list[i].status));
		json_array_append_new(out,
		    json_pack("{s:s, s:s, s:s}", "kind", page_t(rq, key),
		        "channel",
		        strcmp(list[i].channel, "sms") == 0 ? "SMS" : "e-mail",
		        "status", page_t(rq, status)));
	}
	free(list);
	return out;
}

static json_t *
figures_json(
    struct request *rq, struct store *s, struct date to, unsigned *refilled)
{
	struct waitlist_figures *f = NULL;
	struct date from = date_add_days(to, -(FIGURES_DAYS - 1));
	json_t *rows = json_array();
	size_t n = 0, i;

	(void)rq;
	*refilled = 0;
	if (store_waitlist_figures(s, from, to, &f, &n, NULL) != 0)
		return rows;
	for (i = 0; i < n; i++) {
		char day[DATE_LEN];

		date_format(f[i].day, day);
		*refilled += f[i].refilled;
		json_array_append_new(
		    rows, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i}",
		              "day", day, "service", f[i].service, "joined",
		              f[i].joined, "offered", f[i].offered, "refilled",
		              f[i].refilled, "declined", f[i].declined,
		              "lapsed", f[i].lapsed, "left", f[i].left));
	}
	free(f);
	return rows;
}

static void
waitlist_page(struct request *rq, struct response *rs)
{
	const char *done = http_query(rq, "done"),
	           *error = http_query(rq, "err");
	struct waitlist_entry *list = NULL;
	struct service *services = NULL;
	struct date day = day_asked(rq);
	struct store *s;
	struct error err;
	int64_t service = 0;
	json_t *ctx, *groups = json_array(), *options = json_array(),
	             *group = NULL, *rows = NULL;
	char date_text[DATE_LEN], hold[48];
	struct buf label = BUF_INIT;
	size_t n = 0, ns = 0, i;
	unsigned refilled;
	int64_t current = -1;

	if (http_query(rq, "service") != NULL)
		http_parse_id(http_query(rq, "service"), &service);
	error_clear(&err);
	if ((s = http_store(rq)) == NULL ||
	    store_services_list(s, true, &services, &ns, &err) != 0 ||
	    store_waitlist_of_day(s, service, day, &list, &n, &err) != 0) {
		json_decref(groups);
		json_decref(options);
		free(services);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	json_array_append_new(options,
	    json_pack("{s:s, s:s, s:b}", "value", "", "label",
	        page_t(rq, "wl_all_services"), "selected", service == 0));
	for (i = 0; i < ns; i++) {
		char id[24];

		snprintf(id, sizeof id, "%lld", (long long)services[i].id);
		json_array_append_new(
		    options, json_pack("{s:s, s:s, s:b}", "value", id, "label",
		                 service_label(rq, &services[i]), "selected",
		                 services[i].id == service));
	}
	free(services);
	for (i = 0; i < n; i++) {
		const struct waitlist_entry *e = &list[i];
		char from[6], to[6], joined[OTIME_LOCAL_LEN], status[48];
		json_t *row;

		if (e->service_id != current) {
			current = e->service_id;
			rows = json_array();
			group = json_pack("{s:s, s:o}", "service",
			    strcmp(rq->lang, "en") == 0 && e->service_name_en[0]
			        ? e->service_name_en
			        : e->service_name,
			    "rows", rows);
			json_array_append_new(groups, group);
		}
		waitlist_format_time(e->window_from, from);
		waitlist_format_time(e->window_to, to);
		otime_format(e->created_at, joined);
		snprintf(status, sizeof status, "wl_status_%s",
		    waitlist_status_name(e->status));
		row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b,"
		                " s:o}",
		    "reference", e->reference, "name", e->first_name, "surname",
		    e->last_name, "email", e->email, "phone", e->phone, "hours",
		    "", "joined", joined + 11, "status", page_t(rq, status),
		    "active", waitlist_status_active(e->status), "messages",
		    messages_json(rq, s, e->id));
		if (e->window_from > 0 || e->window_to < 24 * 60) {
			char hours[16];

			snprintf(hours, sizeof hours, "%s–%s", from, to);
			json_object_set_new(row, "hours", json_string(hours));
		} else
			json_object_set_new(row, "hours",
			    json_string(page_t(rq, "wl_whole_day")));
		if (e->position > 0)
			json_object_set_new(
			    row, "position", json_integer(e->position));
		if (e->offer_reference[0] != '\0') {
			char until[OTIME_LOCAL_LEN] = "";

			if (e->offer_until > 0)
				otime_format(e->offer_until, until);
			json_object_set_new(row, "offer",
			    json_pack("{s:s, s:s}", "reference",
			        e->offer_reference, "until",
			        until[0] ? until + 11 : ""));
		}
		json_array_append_new(rows, row);
	}
	free(list);
	ctx = staff_context(rq, "/staff/waitlist");
	date_format(day, date_text);
	json_object_set_new(ctx, "date", json_string(date_text));
	notify_format_date(day, rq->lang, &label);
	json_object_set_new(ctx, "day", json_string(buf_cstr(&label)));
	buf_free(&label);
	json_object_set_new(ctx, "groups", groups);
	json_object_set_new(ctx, "services", options);
	plural_duration_case(rq->web->config->waitlist_hold, rq->lang,
	    PLURAL_NOMINATIVE, hold, sizeof hold);
	json_object_set_new(ctx, "hold", json_string(hold));
	json_object_set_new(
	    ctx, "figures", figures_json(rq, s, day, &refilled));
	json_object_set_new(ctx, "refilled", json_integer(refilled));
	if (done != NULL && strcmp(done, "left") == 0)
		json_object_set_new(
		    ctx, "done", json_string(page_t(rq, "wl_staff_left")));
	if (error != NULL && error[0] != '\0') {
		struct error e;

		error_clear(&e);
		error_set_code(&e, ERROR_CONFLICT, error, NULL, "%s", error);
		json_object_set_new(
		    ctx, "error", json_string(page_error_text(rq, &e)));
	}
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "menu_waitlist")));
	staff_render(rq, rs, 200, "staff_waitlist", ctx);
}

static void
waitlist_leave_post(struct request *rq, struct response *rs)
{
	const char *reference = http_form(rq, "reference");
	struct waitlist_entry e;
	struct store *s;
	struct error err;
	struct buf back = BUF_INIT;
	const char *date = http_form(rq, "date"),
	           *service = http_form(rq, "service");

	error_clear(&err);
	if ((s = http_store(rq)) == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	/* back to the same list: only a date and an id go into the address */
	buf_puts(&back, "/staff/waitlist?");
	if (strspn(date, "0123456789-") == strlen(date) && strlen(date) <= 10)
		buf_printf(&back, "date=%s", date);
	if (strspn(service, "0123456789") == strlen(service) &&
	    strlen(service) <= 18 && service[0] != '\0')
		buf_printf(&back, "&service=%s", service);
	if (waitlist_leave(s, rq->web->config, reference, &rq->actor, rq->now,
	        &e, &err) != 0)
		buf_printf(&back, "&err=%s",
		    err.code[0] != '\0' ? err.code : "unavailable");
	else
		buf_puts(&back, "&done=left");
	http_redirect(rs, buf_cstr(&back));
	buf_free(&back);
}

/* ---- the API --------------------------------------------------------------
 */

static void
api_waitlist_day(struct request *rq, struct response *rs)
{
	const char *date = http_query(rq, "date"),
	           *service = http_query(rq, "service_id");
	struct waitlist_entry *list = NULL;
	struct store *s;
	struct error err;
	struct date day;
	int64_t service_id = 0;
	json_t *out;
	size_t n = 0, i;

	if (date == NULL || date_parse(date, &day) != 0) {
		http_json_error(rs, 400, "malformed",
		    "Query parameter date=YYYY-MM-DD is required.", "date");
		return;
	}
	if (service != NULL && !http_parse_id(service, &service_id)) {
		http_json_error(rs, 422, "invalid",
		    "service_id must be a positive integer.", "service_id");
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_waitlist_of_day(s, service_id, day, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, entry_json(&list[i]));
	free(list);
	http_json(rs, 200, out);
}

static void
api_waitlist_leave(struct request *rq, struct response *rs)
{
	struct waitlist_entry e;
	struct store *s;
	struct error err;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (waitlist_leave(s, rq->web->config, rq->captures[0], &rq->actor,
	        rq->now, &e, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200, entry_json(&e));
}

static void
api_waitlist_report(struct request *rq, struct response *rs)
{
	const char *from_text = http_query(rq, "from"),
	           *to_text = http_query(rq, "to");
	struct waitlist_figures *f = NULL, total;
	struct date from, to;
	struct store *s;
	struct error err;
	json_t *rows;
	size_t n = 0, i;

	if (from_text == NULL || to_text == NULL ||
	    date_parse(from_text, &from) != 0 ||
	    date_parse(to_text, &to) != 0) {
		http_json_error(rs, 400, "malformed",
		    "Query parameters from=YYYY-MM-DD and to=YYYY-MM-DD are"
		    " required.",
		    from_text == NULL || date_parse(from_text, &from) != 0
		        ? "from"
		        : "to");
		return;
	}
	if (date_compare(from, to) > 0 ||
	    date_to_days(to) - date_to_days(from) >= 366) {
		http_json_error(rs, 422, "range_invalid",
		    "from must not be after to, at most 366 days.", "to");
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_waitlist_figures(s, from, to, &f, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	memset(&total, 0, sizeof total);
	rows = json_array();
	for (i = 0; i < n; i++) {
		char day[DATE_LEN];

		date_format(f[i].day, day);
		total.joined += f[i].joined;
		total.offered += f[i].offered;
		total.refilled += f[i].refilled;
		total.declined += f[i].declined;
		total.lapsed += f[i].lapsed;
		total.left += f[i].left;
		json_array_append_new(rows,
		    json_pack("{s:s, s:I, s:s, s:i, s:i, s:i, s:i, s:i, s:i}",
		        "day", day, "service_id", (json_int_t)f[i].service_id,
		        "service", f[i].service, "joined", f[i].joined,
		        "offered", f[i].offered, "refilled", f[i].refilled,
		        "declined", f[i].declined, "lapsed", f[i].lapsed,
		        "left", f[i].left));
	}
	free(f);
	http_json(rs, 200,
	    json_pack("{s:s, s:s, s:o, s:{s:i, s:i, s:i, s:i, s:i, s:i}}",
	        "from", from_text, "to", to_text, "rows", rows, "total",
	        "joined", total.joined, "offered", total.offered, "refilled",
	        total.refilled, "declined", total.declined, "lapsed",
	        total.lapsed, "left", total.left));
}

const struct route staff_waitlist_routes[] = {
    {"GET", "/staff/waitlist", waitlist_page, ROLE_STAFF, 0},
    {"POST", "/staff/waitlist/leave", waitlist_leave_post, ROLE_STAFF,
        ROUTE_FORM},
    {"GET", "/api/v1/staff/waitlist", api_waitlist_day, ROLE_STAFF, 0},
    {"POST", "/api/v1/staff/waitlist/{}/leave", api_waitlist_leave, ROLE_STAFF,
        0},
    {"GET", "/api/v1/reports/waitlist", api_waitlist_report, ROLE_STAFF, 0},
    {0},
};
