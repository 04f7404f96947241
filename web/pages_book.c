/*
 * pages_book.c: the booking path for citizens, no JavaScript needed:
 *
 *   /                          units → services (duration, what to bring)
 *   /services/{id}?month=      a month calendar: days with free slots link
 *   /services/{id}/{date}      the free times of that day
 *   /book?service=&start=      the form (name, e-mail and/or phone, RODO)
 *   POST /book                 create → 303 /b/{ref}/sent?t=…
 *
 * The form POST is checked in this order: rate limit, CSRF, honeypot,
 * signed display time (not too fast, not stale), then our field checks
 * (all at once, so the citizen sees every problem), then booking_create.
 * A slot taken meanwhile answers with the nearest free times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "log.h"
#include "nearest.h"
#include "notify.h"
#include "page.h"
#include "url.h"
#include "pages_book.h"
#include "plural.h"
#include "security.h"
#include "waitlist.h"

const char *
service_label(struct request *rq, const struct service *sv)
{
	if (strcmp(rq->lang, "en") == 0 && sv->name_en[0] != '\0')
		return sv->name_en;
	return sv->name;
}

static const char *
service_bring(struct request *rq, const struct service *sv)
{
	if (strcmp(rq->lang, "en") == 0 && sv->description_en[0] != '\0')
		return sv->description_en;
	return sv->description;
}

void
page_db_error(struct request *rq, struct response *rs, const struct error *err)
{
	log_error("web: %s", err != NULL ? err->msg : "database unavailable");
	page_message(rq, rs, 503, "err_db_title", "err_db_text");
}

bool
page_public_service(struct request *rq, struct response *rs, struct store **s,
    const char *id_text, struct service *sv)
{
	struct error err;
	int64_t id;

	if ((*s = http_store(rq)) == NULL) {
		page_db_error(rq, rs, NULL);
		return false;
	}
	error_clear(&err);
	if (!http_parse_id(id_text, &id) ||
	    store_service_get(*s, id, sv, &err) != 0 || !sv->active ||
	    sv->staff_only) {
		if (err.kind == ERROR_IO) {
			page_db_error(rq, rs, &err);
			return false;
		}
		page_message(
		    rq, rs, 404, "err_service_title", "err_service_text");
		return false;
	}
	return true;
}

static json_t *
service_json(struct request *rq, const struct service *sv)
{
	char minutes[48];

	page_minutes(rq, sv->duration_minutes, minutes, sizeof minutes);
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)sv->id,
	    "name", service_label(rq, sv), "bring", service_bring(rq, sv),
	    "duration", minutes, "unit", sv->unit);
}

static void
home(struct request *rq, struct response *rs)
{
	struct service *sv = NULL;
	struct unit *units = NULL;
	struct store *s;
	struct error err;
	size_t nu, ns, i, j;
	json_t *ctx, *list;

	if ((s = http_store(rq)) == NULL) {
		page_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (store_units_list(s, &units, &nu, &err) != 0 ||
	    store_services_list(s, true, &sv, &ns, &err) != 0) {
		free(units);
		page_db_error(rq, rs, &err);
		return;
	}
	list = json_array();
	for (i = 0; i < nu; i++) {
		json_t *services = json_array();

		for (j = 0; j < ns; j++)
			if (sv[j].unit_id == units[i].id && !sv[j].staff_only)
				json_array_append_new(
				    services, service_json(rq, &sv[j]));
		if (json_array_size(services) > 0)
			json_array_append_new(
			    list, json_pack("{s:s, s:o}", "name", units[i].name,
			              "services", services));
		else
			json_decref(services);
	}
	free(units);
	free(sv);
	ctx = page_context(rq);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "home_title")));
	json_object_set_new(ctx, "units", list);
	page_render(rq, rs, 200, "home", ctx);
}

/* a month page's title: the nominative, capitalised ("Grudzień 2026") */
static const char *const month_titles_pl[] = {"Styczeń", "Luty", "Marzec",
    "Kwiecień", "Maj", "Czerwiec", "Lipiec", "Sierpień", "Wrzesień",
    "Październik", "Listopad", "Grudzień"};

static void
month_title(struct request *rq, int year, int month, char *out, size_t size)
{
	const char *name = strcmp(rq->lang, "en") == 0
	                       ? notify_month(month, "en")
	                       : month_titles_pl[(unsigned)(month - 1) % 12];

	snprintf(out, size, "%s %d", name, year);
}

static void
day_title(struct request *rq, struct date d, char *out, size_t size)
{
	snprintf(out, size, "%d %s %d", d.day, notify_month(d.month, rq->lang),
	    d.year);
}

static void
count_slots(struct request *rq, long n, char *out, size_t size)
{
	const char *word;

	if (strcmp(rq->lang, "en") == 0)
		word = n == 1 ? "free time" : "free times";
	else
		word = plural_pl(n, page_t(rq, "slot_one"),
		    page_t(rq, "slot_few"), page_t(rq, "slot_many"));
	snprintf(out, size, "%ld %s", n, word);
}

json_t *
times_of_day(struct request *rq, struct store *s, int64_t service_id,
    struct date day, time_t except_start)
{
	struct slot *slots = NULL;
	struct error err;
	json_t *list;
	size_t n, i;
	time_t last = 0;

	error_clear(&err);
	if (booking_slots(s, rq->web->config, service_id, day, rq->now, &slots,
	        &n, &err) != 0) {
		log_error("web: slots: %s", err.msg);
		return NULL;
	}
	list = json_array();
	for (i = 0; i < n; i++) {
		char start[OTIME_LOCAL_LEN];

		if (slots[i].start == last || slots[i].start == except_start)
			continue;
		last = slots[i].start;
		otime_format(slots[i].start, start);
		json_array_append_new(list, json_pack("{s:s, s:s}", "start",
		                                start, "time", start + 11));
	}
	free(slots);
	return list;
}

static void
service_page(struct request *rq, struct response *rs)
{
	const char *month_text = http_query(rq, "month");
	struct date today = date_of(rq->now), first, d, last_day;
	struct service sv;
	struct store *s;
	char title[64], label[96], count[96], link[96], date_text[DATE_LEN];
	json_t *ctx, *weeks, *week = NULL;
	int year = today.year, month = today.month, wd, any = 0, full = 0;

	if (!page_public_service(rq, rs, &s, rq->captures[0], &sv))
		return;
	if (month_text != NULL &&
	    sscanf(month_text, "%4d-%2d", &year, &month) == 2 && month >= 1 &&
	    month <= 12 && year >= today.year && year <= today.year + 2) {
		/* taken */
	} else {
		year = today.year;
		month = today.month;
	}
	first = (struct date){year, month, 1};
	if (date_compare(first, (struct date){today.year, today.month, 1}) < 0)
		first = (struct date){today.year, today.month, 1};
	last_day = date_of(rq->now + booking_horizon(rq->web->config, &sv));
	weeks = json_array();
	/* leading blanks up to the first day's weekday (Monday first) */
	wd = date_weekday(first);
	week = json_array();
	for (int i = 1; i < wd; i++)
		json_array_append_new(week, json_object());
	for (d = first; d.month == first.month; d = date_add_days(d, 1)) {
		json_t *cell = json_pack("{s:i}", "day", d.day);

		if (date_compare(d, today) >= 0 &&
		    date_compare(d, last_day) <= 0) {
			json_t *times = times_of_day(rq, s, sv.id, d, 0);
			size_t n = times != NULL ? json_array_size(times) : 0;

			json_decref(times);
			if (n == 0 && sv.waitlist &&
			    waitlist_day_check(s, rq->web->config, sv.id, d, 0,
			        24 * 60, rq->now, NULL) == 0) {
				/* full, but its waitlist takes people */
				snprintf(count, sizeof count, "%s",
				    page_t(rq, "wl_calendar_full"));
				json_object_set_new(cell, "full", json_true());
				full++;
				n = 1;
			} else if (n > 0)
				count_slots(rq, (long)n, count, sizeof count);
			if (n > 0) {
				day_title(rq, d, label, sizeof label);
				date_format(d, date_text);
				snprintf(link, sizeof link, "/services/%lld/%s",
				    (long long)sv.id, date_text);
				json_object_set_new(
				    cell, "href", json_string(link));
				json_object_set_new(
				    cell, "label", json_string(label));
				json_object_set_new(
				    cell, "count", json_string(count));
				any++;
			}
		}
		json_array_append_new(week, cell);
		if (date_weekday(d) == 7) {
			json_array_append_new(
			    weeks, json_pack("{s:o}", "days", week));
			week = json_array();
		}
	}
	if (json_array_size(week) > 0) {
		while (json_array_size(week) < 7)
			json_array_append_new(week, json_object());
		json_array_append_new(weeks, json_pack("{s:o}", "days", week));
	} else
		json_decref(week);

	ctx = page_context(rq);
	json_object_set_new(ctx, "service", service_json(rq, &sv));
	json_object_set_new(ctx, "title", json_string(service_label(rq, &sv)));
	month_title(rq, year, month, title, sizeof title);
	json_object_set_new(ctx, "month", json_string(title));
	json_object_set_new(ctx, "weeks", weeks);
	json_object_set_new(ctx, "none", json_boolean(any == full));
	json_object_set_new(ctx, "any_full", json_boolean(full > 0));
	if (date_compare(first, (struct date){today.year, today.month, 1}) >
	    0) {
		struct date prev = date_add_days(first, -1);

		snprintf(link, sizeof link, "/services/%lld?month=%04d-%02d",
		    (long long)sv.id, prev.year, prev.month);
		month_title(rq, prev.year, prev.month, title, sizeof title);
		json_object_set_new(ctx, "prev",
		    json_pack("{s:s, s:s}", "href", link, "label", title));
	}
	d = date_add_days(first, 31);
	d.day = 1;
	if (date_compare(d, last_day) <= 0) {
		snprintf(link, sizeof link, "/services/%lld?month=%04d-%02d",
		    (long long)sv.id, d.year, d.month);
		month_title(rq, d.year, d.month, title, sizeof title);
		json_object_set_new(ctx, "next",
		    json_pack("{s:s, s:s}", "href", link, "label", title));
	}
	page_render(rq, rs, 200, "service", ctx);
}

/* day_waitlist: a full day offers its waitlist (lib/waitlist.h); a day
 * with free times offers it for other hours, where it can work */
static void
day_waitlist(struct request *rq, struct store *s, const struct service *sv,
    struct date day, size_t free_times, json_t *ctx)
{
	struct error err;
	char href[96], text[DATE_LEN];

	if (!sv->waitlist)
		return;
	error_clear(&err);
	if (waitlist_day_check(s, rq->web->config, sv->id, day, 0, 24 * 60,
	        rq->now, &err) != 0 &&
	    (free_times == 0 || strcmp(err.code, "places_free") != 0))
		return;
	date_format(day, text);
	snprintf(href, sizeof href, "/services/%lld/%s/waitlist",
	    (long long)sv->id, text);
	json_object_set_new(ctx, "waitlist",
	    json_pack("{s:s, s:b}", "href", href, "full", free_times == 0));
}

static void
day_page(struct request *rq, struct response *rs)
{
	struct service sv;
	struct store *s;
	struct date day;
	char title[96], link[64];
	json_t *ctx, *times;
	size_t i;

	if (!page_public_service(rq, rs, &s, rq->captures[0], &sv))
		return;
	if (date_parse(rq->captures[1], &day) != 0) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	if ((times = times_of_day(rq, s, sv.id, day, 0)) == NULL) {
		page_db_error(rq, rs, NULL);
		return;
	}
	for (i = 0; i < json_array_size(times); i++) {
		json_t *t = json_array_get(times, i);
		struct buf href = BUF_INIT;

		buf_printf(
		    &href, "/book?service=%lld&start=", (long long)sv.id);
		url_encode(
		    &href, json_string_value(json_object_get(t, "start")));
		json_object_set_new(t, "href", json_string(buf_cstr(&href)));
		buf_free(&href);
	}
	ctx = page_context(rq);
	json_object_set_new(ctx, "service", service_json(rq, &sv));
	day_title(rq, day, title, sizeof title);
	json_object_set_new(ctx, "day", json_string(title));
	json_object_set_new(ctx, "title", json_string(title));
	json_object_set_new(ctx, "times", times);
	snprintf(link, sizeof link, "/services/%lld?month=%04d-%02d",
	    (long long)sv.id, day.year, day.month);
	json_object_set_new(ctx, "back", json_string(link));
	day_waitlist(rq, s, &sv, day, json_array_size(times), ctx);
	page_render(rq, rs, 200, "day", ctx);
}

/* ---- the form ---- */

struct form_field {
	const char *name, *type, *autocomplete, *label_key, *hint_key;
	bool required;
};

static const struct form_field form_fields[] = {
    {"first_name", "text", "given-name", "f_first_name", NULL, true},
    {"last_name", "text", "family-name", "f_last_name", NULL, true},
    {"email", "email", "email", "f_email", "f_email_hint", false},
    {"phone", "tel", "tel", "f_phone", "f_phone_hint", false},
};

/* the stamp to embed: the posted one while it is still valid (a citizen
 * who corrects a field or picks another time is not "too fast" or "stale"
 * again), else a new one */
static void
form_stamp(struct request *rq, char *out, size_t size)
{
	const char *posted =
	    strcmp(rq->method, "POST") == 0 ? http_form(rq, "stamp") : "";

	if (posted[0] != '\0' && strlen(posted) < size &&
	    stamp_check(rq->web, posted, rq->now) >= 0)
		snprintf(out, size, "%s", posted);
	else
		stamp_make(rq->web, rq->now, out, size);
}

/* alternatives (nearest_free's list) as the choices of a radio group: the
 * citizen picks one and sends the same form again, with everything typed
 * still in it (no personal data ever goes into a GET address) */
static json_t *
form_choices(struct request *rq, json_t *alternatives)
{
	size_t i;

	for (i = 0; i < json_array_size(alternatives); i++) {
		json_t *a = json_array_get(alternatives, i);
		const char *st = json_string_value(json_object_get(a, "start"));
		struct buf label = BUF_INIT;
		char id[32];
		time_t t;

		if (otime_parse(st, &t) == 0)
			page_when(rq, t, &label);
		snprintf(id, sizeof id, "f-start-%zu", i + 1);
		json_object_set_new(a, "id", json_string(id));
		json_object_set_new(a, "label", json_string(buf_cstr(&label)));
		buf_free(&label);
	}
	return alternatives;
}

/* render the form with values, field errors (object name → text), an
 * optional general error and optional alternative times to choose from */
static void
form_render(struct request *rq, struct response *rs, unsigned status,
    const struct service *sv, const char *start, json_t *errors,
    const char *general, json_t *alternatives)
{
	char stamp[96];
	time_t when;
	struct buf b = BUF_INIT;
	json_t *ctx, *fields, *summary;
	bool post = strcmp(rq->method, "POST") == 0;
	size_t i;

	ctx = page_context(rq);
	fields = json_array();
	summary = json_array();
	for (i = 0; i < sizeof form_fields / sizeof form_fields[0]; i++) {
		const struct form_field *f = &form_fields[i];
		const char *error =
		    json_string_value(json_object_get(errors, f->name));
		json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name",
		    f->name, "type", f->type, "autocomplete", f->autocomplete,
		    "label", page_t(rq, f->label_key), "value",
		    post ? http_form(rq, f->name) : "", "required",
		    f->required);
		struct buf describedby = BUF_INIT;

		if (f->hint_key != NULL) {
			json_object_set_new(
			    v, "hint", json_string(page_t(rq, f->hint_key)));
			buf_printf(&describedby, "f-%s-hint", f->name);
		}
		if (error != NULL) {
			json_object_set_new(v, "error", json_string(error));
			json_array_append_new(
			    summary, json_pack("{s:s, s:s}", "name", f->name,
			                 "error", error));
			buf_printf(&describedby, "%sf-%s-error",
			    describedby.len > 0 ? " " : "", f->name);
		}
		/* never an empty aria-describedby: it names nothing */
		if (describedby.len > 0)
			json_object_set_new(v, "describedby",
			    json_string(buf_cstr(&describedby)));
		buf_free(&describedby);
		json_array_append_new(fields, v);
	}
	{
		const char *consent_error =
		    json_string_value(json_object_get(errors, "consent"));
		const char *start_error =
		    json_string_value(json_object_get(errors, "start"));

		if (consent_error != NULL) {
			json_object_set_new(
			    ctx, "consent_error", json_string(consent_error));
			json_array_append_new(
			    summary, json_pack("{s:s, s:s}", "name", "consent",
			                 "error", consent_error));
		}
		if (start_error != NULL) {
			json_object_set_new(
			    ctx, "start_error", json_string(start_error));
			json_array_append_new(
			    summary, json_pack("{s:s, s:s}", "name", "start-1",
			                 "error", start_error));
		}
	}
	json_object_set_new(ctx, "fields", fields);
	if (json_array_size(summary) > 0)
		json_object_set_new(ctx, "summary", summary);
	else
		json_decref(summary);
	if (general != NULL)
		json_object_set_new(ctx, "general", json_string(general));
	if (alternatives != NULL && json_array_size(alternatives) > 0)
		json_object_set_new(
		    ctx, "alternatives", form_choices(rq, alternatives));
	else
		json_decref(alternatives);
	json_object_set_new(ctx, "service", service_json(rq, sv));
	json_object_set_new(ctx, "start", json_string(start));
	if (otime_parse(start, &when) == 0)
		page_when(rq, when, &b);
	json_object_set_new(ctx, "when", json_string(buf_cstr(&b)));
	buf_free(&b);
	form_stamp(rq, stamp, sizeof stamp);
	json_object_set_new(ctx, "stamp", json_string(stamp));
	json_object_set_new(ctx, "consent_checked",
	    json_boolean(post && http_form(rq, "consent")[0] != '\0'));
	json_object_set_new(ctx, "title",
	    json_string(
	        page_t(rq, json_object_size(errors) > 0 || general != NULL
	                       ? "form_title_error"
	                       : "form_title")));
	page_render(rq, rs, status, "form", ctx);
}

/* start_refused: the page for a time that cannot be booked (past, closed,
 * not a slot's start, taken): why, and the way back to that day's times.
 * The form itself is never shown for it. */
static void
start_refused(struct request *rq, struct response *rs, const struct service *sv,
    time_t t, const struct error *err)
{
	struct date day = date_of(t);
	char link[96];
	json_t *ctx = page_context(rq);

	snprintf(link, sizeof link, "/services/%lld/%04d-%02d-%02d",
	    (long long)sv->id, day.year, day.month, day.day);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "err_start_refused_title")));
	json_object_set_new(
	    ctx, "heading", json_string(page_t(rq, "err_start_refused_title")));
	json_object_set_new(ctx, "text", json_string(page_error_text(rq, err)));
	json_object_set_new(ctx, "back", json_string(link));
	json_object_set_new(
	    ctx, "back_label", json_string(page_t(rq, "back_day")));
	page_render(
	    rq, rs, err->kind == ERROR_CONFLICT ? 409 : 422, "message", ctx);
}

static void
form_page(struct request *rq, struct response *rs)
{
	const char *start = http_query(rq, "start");
	struct service sv;
	struct store *s;
	struct error err;
	time_t t;

	if (!page_public_service(rq, rs, &s, http_query(rq, "service"), &sv))
		return;
	error_clear(&err);
	if (booking_parse_start(start, &t, &err) != 0) {
		page_error_message(rq, rs, 400, "err_start_title", &err);
		return;
	}
	if (booking_check_start(
	        s, rq->web->config, sv.id, start, rq->now, &err) != 0) {
		if (err.kind == ERROR_INVALID || err.kind == ERROR_CONFLICT)
			start_refused(rq, rs, &sv, t, &err);
		else
			page_db_error(rq, rs, &err);
		return;
	}
	form_render(rq, rs, 200, &sv, start, NULL, NULL, NULL);
}

/* page_person_errors: every problem of the posted form at once: what is
 * missing (our own wording) and what the domain would refuse
 * (booking_request_errors: names, e-mail, phone, channels), one text per
 * field. */
json_t *
page_person_errors(struct request *rq, const struct booking_request *br,
    const char *contact_key, const char *consent_key)
{
	struct error errs[8];
	json_t *errors = json_object();
	size_t n, i;

	if (br->first_name[0] == '\0')
		json_object_set_new(errors, "first_name",
		    json_string(page_t(rq, "err_first_name")));
	if (br->last_name[0] == '\0')
		json_object_set_new(errors, "last_name",
		    json_string(page_t(rq, "err_last_name")));
	if (br->email[0] == '\0' && br->phone[0] == '\0')
		json_object_set_new(
		    errors, "email", json_string(page_t(rq, contact_key)));
	if (http_form(rq, "consent")[0] == '\0')
		json_object_set_new(
		    errors, "consent", json_string(page_t(rq, consent_key)));
	n = booking_request_errors(rq->web->config, br, errs, 8);
	for (i = 0; i < n; i++) {
		const char *field = errs[i].field[0] ? errs[i].field : "email";

		/* the first text for a field wins: "missing" before "invalid"
		 */
		if (json_object_get(errors, field) == NULL)
			json_object_set_new(errors, field,
			    json_string(page_error_text(rq, &errs[i])));
	}
	return errors;
}

static void
form_post(struct request *rq, struct response *rs)
{
	const char *start = http_form(rq, "start");
	const char *wanted_text = http_form(rq, "wanted");
	struct booking_request br;
	struct actor citizen;
	struct booking b;
	struct service sv;
	struct store *s;
	struct error err;
	json_t *errors;
	char location[128];
	int st;
	time_t t, wanted;

	if (rate_limited(rq, rs, "book", false))
		return;
	if (!page_public_service(rq, rs, &s, http_form(rq, "service"), &sv))
		return;
	error_clear(&err);
	if (booking_parse_start(start, &t, &err) != 0) {
		/* the "pick another time" form sent without a choice */
		if (otime_parse(wanted_text, &wanted) == 0) {
			errors = json_pack(
			    "{s:s}", "start", page_t(rq, "err_pick_time"));
			form_render(rq, rs, 422, &sv, wanted_text, errors, NULL,
			    nearest_free(
			        s, rq->web->config, sv.id, wanted, rq->now, 6));
			json_decref(errors);
			return;
		}
		page_error_message(rq, rs, 400, "err_start_title", &err);
		return;
	}
	if (http_form(rq, "website")[0] != '\0') {
		log_info(
		    "web: booking form honeypot filled client=%s", rq->client);
		page_message(rq, rs, 400, "err_bot_title", "err_bot_text");
		return;
	}
	if ((st = stamp_check(rq->web, http_form(rq, "stamp"), rq->now)) != 0) {
		form_render(rq, rs, 400, &sv, start, NULL,
		    page_t(rq, st > 0 ? "err_too_fast" : "err_form_stale"),
		    NULL);
		return;
	}

	memset(&br, 0, sizeof br);
	br.service_id = sv.id;
	br.start = start;
	br.first_name = http_form(rq, "first_name");
	br.last_name = http_form(rq, "last_name");
	br.email = http_form(rq, "email");
	br.phone = http_form(rq, "phone");
	br.language = rq->lang;
	br.client = rq->client;
	errors = page_person_errors(rq, &br, "err_contact", "err_consent");
	if (json_object_size(errors) > 0) {
		form_render(rq, rs, 422, &sv, start, errors, NULL, NULL);
		json_decref(errors);
		return;
	}
	error_clear(&err);
	/* the citizen's own form, whoever is signed in on this browser */
	citizen = actor_citizen(VIA_WEB, rq->client);
	if (booking_create(
	        s, rq->web->config, &br, &citizen, rq->now, &b, &err) != 0) {
		switch (err.kind) {
		case ERROR_INVALID:
			if (strcmp(err.field, "start") == 0) {
				/* the time itself (passed meanwhile, …) */
				json_decref(errors);
				start_refused(rq, rs, &sv, t, &err);
				return;
			}
			json_object_set_new(errors,
			    err.field[0] ? err.field : "email",
			    json_string(page_error_text(rq, &err)));
			form_render(
			    rq, rs, 422, &sv, start, errors, NULL, NULL);
			break;
		case ERROR_CONFLICT:
			form_render(rq, rs, 409, &sv, start, NULL,
			    page_t(rq, "err_taken"),
			    nearest_free(
			        s, rq->web->config, sv.id, t, rq->now, 6));
			break;
		case ERROR_LIMIT:
			form_render(rq, rs,
			    strcmp(err.code, "too_many_open_bookings") == 0
			        ? 409
			        : 429,
			    &sv, start, NULL, page_error_text(rq, &err), NULL);
			break;
		case ERROR_NOT_FOUND:
			json_decref(errors);
			page_message(rq, rs, 404, "err_service_title",
			    "err_service_text");
			return;
		default:
			json_decref(errors);
			page_db_error(rq, rs, &err);
			return;
		}
		json_decref(errors);
		return;
	}
	json_decref(errors);
	page_booking_link(&b, "sent", "", location, sizeof location);
	http_redirect(rs, location);
}

const struct route book_routes[] = {
    {"GET", "/", home, ROLE_PUBLIC, 0},
    {"GET", "/services/{}", service_page, ROLE_PUBLIC, 0},
    {"GET", "/services/{}/{}", day_page, ROLE_PUBLIC, 0},
    {"GET", "/book", form_page, ROLE_PUBLIC, 0},
    {"POST", "/book", form_post, ROLE_PUBLIC, ROUTE_FORM},
    {0},
};
