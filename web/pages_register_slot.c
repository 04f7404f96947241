/*
 * pages_register_slot.c: the two register pages that pick a free time —
 * *Nowa rezerwacja* (staff book on a citizen's behalf, e.g. after a phone
 * call) and moving a visit to another time (and desk) — and the move's
 * API. Both list the free slots a citizen would see (booking_slots: the
 * same slot rules, the same lead time and horizon); staff bookings are
 * not held to the citizens' limits on unconfirmed bookings (booking.c).
 *
 *   GET  /staff/register/new?service_id=&date=    service, day, free times
 *   POST /staff/register/new                      book (confirmed=1: booked
 *                                                 at once, the access code
 *                                                 goes to the citizen)
 *   GET  /staff/register/{ref}/move?date=         free times of a day
 *   POST /staff/register/{ref}/move               slot=START@DESK
 *   POST /api/v1/bookings/{ref}/reschedule {"start", "desk_id"?}
 *        200 the booking; 409 slot_taken (with the nearest free times as
 *        "alternatives"), wrong_state, same_place; 422 a time that is no
 *        slot
 *
 * A slot travels as "YYYY-MM-DDTHH:MM@DESK_ID": one radio button per
 * free place, so a clerk picks the desk with the time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "booking.h"
#include "log.h"
#include "nearest.h"
#include "page.h"
#include "pages_register.h"
#include "staff.h"
#include "token.h"

/* slot_parse: "2026-12-08T10:30@3" into start text and desk */
static bool
slot_parse(const char *v, char start[OTIME_LOCAL_LEN], int64_t *desk)
{
	const char *at = strchr(v, '@');
	time_t t;

	if (at == NULL || (size_t)(at - v) != OTIME_LOCAL_LEN - 1)
		return false;
	memcpy(start, v, OTIME_LOCAL_LEN - 1);
	start[OTIME_LOCAL_LEN - 1] = '\0';
	return otime_parse(start, &t) == 0 && http_parse_id(at + 1, desk);
}

/* the free slots of a service on a day as radio choices; chosen is the
 * slot value to keep checked. 0, or -1 with err. */
static int
slot_choices(struct request *rq, struct store *s, int64_t service_id,
    struct date day, const char *chosen, const char *href, json_t *ctx,
    struct error *err)
{
	struct slot *slots = NULL;
	json_t *list = json_array();
	char value[OTIME_LOCAL_LEN + 24], at[8], date[DATE_LEN];
	size_t n = 0, i;

	/* as staff see them: staff-only services too (booking.h) */
	if (booking_slots_for(s, rq->web->config, service_id, day, &rq->actor,
	        rq->now, &slots, &n, err) != 0) {
		json_decref(list);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char start[OTIME_LOCAL_LEN];

		otime_format(slots[i].start, start);
		snprintf(value, sizeof value, "%s@%lld", start,
		    (long long)slots[i].desk_id);
		register_time_text(slots[i].start, at);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:I, s:b}", "value", value,
		              "time", at, "desk", slots[i].desk_name, "id",
		              (json_int_t)i, "checked",
		              chosen != NULL && strcmp(chosen, value) == 0));
	}
	free(slots);
	json_object_set_new(ctx, "slots", list);
	json_object_set_new(ctx, "has_slots", json_boolean(n > 0));
	json_object_set_new(ctx, "slots_href", json_string(href));
	date_format(day, date);
	json_object_set_new(ctx, "date", json_string(date));
	date_format(date_add_days(day, -1), date);
	json_object_set_new(ctx, "prev_day", json_string(date));
	date_format(date_add_days(day, 1), date);
	json_object_set_new(ctx, "next_day", json_string(date));
	{
		char text[16];
		time_t noon;

		if (otime_make(day, 12 * 60, &noon) == 0) {
			register_day_text(noon, text);
			json_object_set_new(ctx, "day_text", json_string(text));
		}
	}
	return 0;
}

/* ---- Nowa rezerwacja ----------------------------------------------------- */

struct new_form {
	int64_t service_id;
	struct date day;
	bool day_given;
	const char *slot, *first_name, *last_name, *email, *phone, *language;
	bool confirmed;
};

static const char *
field(struct request *rq, const char *name)
{
	const char *v = strcmp(rq->method, "POST") == 0 ? http_form(rq, name)
	                                                : http_query(rq, name);

	return v != NULL ? v : "";
}

static void
new_form_read(struct request *rq, struct new_form *f)
{
	memset(f, 0, sizeof *f);
	http_parse_id(field(rq, "service_id"), &f->service_id);
	f->day = date_of(rq->now);
	if (field(rq, "date")[0] != '\0')
		f->day_given = date_parse(field(rq, "date"), &f->day) == 0;
	f->slot = field(rq, "slot");
	f->first_name = field(rq, "first_name");
	f->last_name = field(rq, "last_name");
	f->email = field(rq, "email");
	f->phone = field(rq, "phone");
	f->language = field(rq, "language");
	f->confirmed = strcmp(field(rq, "confirmed"), "1") == 0;
}

static void
new_render(struct request *rq, struct response *rs, struct store *s,
    const struct new_form *f, unsigned status, const struct error *errs,
    size_t nerrs)
{
	json_t *ctx = staff_context(rq, "/staff/register"), *list, *problems;
	struct service *sv = NULL;
	struct error err;
	size_t n = 0, i;
	bool en = strcmp(rq->lang, "en") == 0;

	error_clear(&err);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "reg_new_title")));
	if (store_services_list(s, true, &sv, &n, &err) != 0)
		goto fail;
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list,
		    json_pack("{s:I, s:s, s:b}", "id", (json_int_t)sv[i].id,
		        "name",
		        en && sv[i].name_en[0] ? sv[i].name_en : sv[i].name,
		        "selected", sv[i].id == f->service_id));
	free(sv);
	json_object_set_new(ctx, "services", list);
	json_object_set_new(ctx, "f",
	    json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "first_name",
	        f->first_name, "last_name", f->last_name, "email", f->email,
	        "phone", f->phone, "en", strcmp(f->language, "en") == 0,
	        "confirmed", f->confirmed));
	if (f->service_id > 0) {
		char href[64];

		snprintf(href, sizeof href,
		    "/staff/register/new?service_id=%lld&",
		    (long long)f->service_id);
		error_clear(&err);
		if (slot_choices(rq, s, f->service_id, f->day, f->slot, href,
		        ctx, &err) == 0)
			json_object_set_new(ctx, "picked", json_true());
		else if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL)
			goto fail;
	} else {
		char date[DATE_LEN];

		date_format(f->day, date);
		json_object_set_new(ctx, "date", json_string(date));
	}
	problems = json_array();
	for (i = 0; i < nerrs; i++)
		json_array_append_new(
		    problems, json_pack("{s:s, s:s}", "field",
		                  errs[i].field[0] ? errs[i].field : "slot",
		                  "text", page_error_text(rq, &errs[i])));
	json_object_set_new(ctx, "problems", problems);
	staff_render(rq, rs, status, "register_new", ctx);
	return;
fail:
	log_error("register new: %s", err.msg);
	json_decref(ctx);
	staff_message(rq, rs, 503, "err_db_title", "err_db_text");
}

static void
new_page(struct request *rq, struct response *rs)
{
	struct store *s = http_store(rq);
	struct new_form f;

	if (s == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	new_form_read(rq, &f);
	new_render(rq, rs, s, &f, 200, NULL, 0);
}

#define NEW_ERRORS 8

static void
new_post(struct request *rq, struct response *rs)
{
	struct store *s = http_store(rq);
	struct error errs[NEW_ERRORS];
	struct booking_request br;
	struct new_form f;
	struct booking b;
	char start[OTIME_LOCAL_LEN], to[80];
	size_t n;

	if (s == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	new_form_read(rq, &f);
	memset(&br, 0, sizeof br);
	br.service_id = f.service_id;
	br.first_name = f.first_name;
	br.last_name = f.last_name;
	br.email = f.email;
	br.phone = f.phone;
	br.language = strcmp(f.language, "en") == 0 ? "en" : "pl";
	br.skip_confirmation = f.confirmed;
	/* every field's problem at once, as the citizen's form does */
	n = booking_request_errors(rq->web->config, &br, errs, NEW_ERRORS);
	if (n < NEW_ERRORS && !slot_parse(f.slot, start, &br.desk_id)) {
		error_clear(&errs[n]);
		error_set_code(&errs[n++], ERROR_INVALID, "slot_missing",
		    "slot", "Choose a free time.");
	}
	if (n > 0) {
		new_render(rq, rs, s, &f, 422, errs, n);
		return;
	}
	br.start = start;
	error_clear(&errs[0]);
	if (booking_create(s, rq->web->config, &br, &rq->actor, rq->now, &b,
	        &errs[0]) != 0) {
		if (errs[0].kind == ERROR_IO ||
		    errs[0].kind == ERROR_INTERNAL) {
			log_error("register new: %s", errs[0].msg);
			staff_message(
			    rq, rs, 503, "err_db_title", "err_db_text");
			return;
		}
		new_render(rq, rs, s, &f,
		    errs[0].kind == ERROR_CONFLICT ? 409 : 422, errs, 1);
		return;
	}
	snprintf(to, sizeof to, "/staff/register/%s?done=%s", b.reference,
	    f.confirmed ? "created_booked" : "created");
	http_redirect(rs, to);
}

/* ---- moving a visit ------------------------------------------------------ */

static void
move_render(struct request *rq, struct response *rs, struct store *s,
    const struct booking *b, struct date day, const char *chosen,
    unsigned status, const struct error *problem)
{
	json_t *ctx = staff_context(rq, "/staff/register");
	char when[16], at[8];
	struct error err;
	bool en = strcmp(rq->lang, "en") == 0;

	error_clear(&err);
	register_day_text(b->start, when);
	register_time_text(b->start, at);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "reg_move_title")));
	json_object_set_new(ctx, "b",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
	        "reference", b->reference, "day", when, "time", at,
	        "first_name", b->first_name, "last_name", b->last_name,
	        "service",
	        en && b->service_name_en[0] ? b->service_name_en
	                                    : b->service_name,
	        "desk", b->desk_name, "by_email", b->email[0] != '\0', "by_sms",
	        b->phone[0] != '\0'));
	json_object_set_new(
	    ctx, "movable", json_boolean(booking_status_open(b->status)));
	if (problem != NULL)
		json_object_set_new(
		    ctx, "error", json_string(page_error_text(rq, problem)));
	char href[64];

	snprintf(href, sizeof href, "/staff/register/%s/move?", b->reference);
	if (slot_choices(rq, s, b->service_id, day, chosen, href, ctx, &err) !=
	        0 &&
	    (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL)) {
		log_error("register move: %s", err.msg);
		json_decref(ctx);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	staff_render(rq, rs, status, "register_move", ctx);
}

static void
move_page(struct request *rq, struct response *rs)
{
	const char *d = http_query(rq, "date");
	struct booking b;
	struct store *s;
	struct date day;

	if (!register_path_booking(rq, rs, &s, &b))
		return;
	day = date_of(b.start);
	if (d != NULL && d[0] != '\0' && date_parse(d, &day) != 0) {
		struct error err;

		error_clear(&err);
		error_set_code(
		    &err, ERROR_INVALID, "date_invalid", "date", "-");
		move_render(rq, rs, s, &b, date_of(b.start), NULL, 400, &err);
		return;
	}
	move_render(rq, rs, s, &b, day, NULL, 200, NULL);
}

static void
move_post(struct request *rq, struct response *rs)
{
	const char *slot = http_form(rq, "slot");
	char start[OTIME_LOCAL_LEN], to[80];
	struct booking b;
	struct store *s;
	struct error err;
	struct date day;
	int64_t desk = 0;

	if (!register_path_booking(rq, rs, &s, &b))
		return;
	error_clear(&err);
	day = date_of(b.start);
	if (http_form(rq, "date")[0] != '\0')
		date_parse(http_form(rq, "date"), &day);
	if (!slot_parse(slot, start, &desk)) {
		error_set_code(
		    &err, ERROR_INVALID, "slot_missing", "slot", "-");
		move_render(rq, rs, s, &b, day, NULL, 422, &err);
		return;
	}
	if (booking_reschedule(s, rq->web->config, b.reference, start, desk,
	        &rq->actor, rq->now, &b, &err) != 0) {
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL) {
			log_error("register move: %s", err.msg);
			staff_message(
			    rq, rs, 503, "err_db_title", "err_db_text");
			return;
		}
		move_render(rq, rs, s, &b, day, slot,
		    err.kind == ERROR_CONFLICT ? 409 : 422, &err);
		return;
	}
	snprintf(to, sizeof to, "/staff/register/%s?done=moved", b.reference);
	http_redirect(rs, to);
}

static void
api_reschedule(struct request *rq, struct response *rs)
{
	const char *start;
	struct booking b;
	struct store *s;
	struct error err;
	json_t *body, *v;
	int64_t desk_id = 0;

	if (!token_reference_valid(rq->captures[0])) {
		http_json_error(rs, 404, "not_found", "No such booking.", NULL);
		return;
	}
	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	if (!api_member_string(body, "start", &start, rs))
		goto out;
	if (start == NULL) {
		http_json_error(
		    rs, 422, "invalid", "start is required.", "start");
		goto out;
	}
	if (!api_member_id(body, "desk_id", &desk_id, rs))
		goto out;
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (booking_reschedule(s, rq->web->config, rq->captures[0], start,
	        desk_id, &rq->actor, rq->now, &b, &err) != 0) {
		time_t wanted;

		if (err.kind == ERROR_CONFLICT &&
		    strcmp(err.code, "slot_taken") == 0 &&
		    store_booking_by_reference(s, rq->captures[0], &b, &err) ==
		        0 &&
		    otime_parse(start, &wanted) == 0) {
			v = json_pack("{s:s, s:s, s:s}", "error", "slot_taken",
			    "message", "This time is no longer free.", "field",
			    "start");
			json_object_set_new(v, "alternatives",
			    nearest_free(s, rq->web->config, b.service_id,
			        wanted, rq->now, 5));
			http_json(rs, 409, v);
		} else
			api_error(rs, &err);
		goto out;
	}
	v = register_booking_json(&b, -1);
	http_json(rs, 200, v);
out:
	json_decref(body);
}

const struct route register_slot_routes[] = {
    {"GET", "/staff/register/new", new_page, ROLE_STAFF, 0},
    {"POST", "/staff/register/new", new_post, ROLE_STAFF, ROUTE_FORM},
    {"GET", "/staff/register/{}/move", move_page, ROLE_STAFF, 0},
    {"POST", "/staff/register/{}/move", move_post, ROLE_STAFF, ROUTE_FORM},
    {"POST", "/api/v1/bookings/{}/reschedule", api_reschedule, ROLE_STAFF, 0},
    {0},
};
