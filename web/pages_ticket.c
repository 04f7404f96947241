/*
 * pages_ticket.c: the citizen's own booking, reached from the links in our
 * messages: /b/{reference}[/action]?t={token}.
 *
 * A reference alone is not enough: every page needs the booking's random
 * token (64 bits, compared in constant time), which only the citizen's
 * messages and the "find my booking" answer carry. GET only shows: mail
 * scanners fetch every link, so confirming and cancelling are buttons
 * that POST (with the CSRF field and the token in hidden fields).
 *
 *   /b/{ref}              the virtual ticket (kod dostępu, QR, .ics, actions)
 *   /b/{ref}/sent         "check your e-mail/SMS" right after booking
 *   /b/{ref}/confirm      GET asks, POST confirms
 *   /b/{ref}/cancel       GET asks, POST cancels
 *   /b/{ref}/reschedule   GET shows free times of a day, POST moves
 *   /b/{ref}/keep         POST: the time the office moved it to suits
 *   /b/{ref}/wizyta.ics   the visit for a calendar (RFC 5545)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "notify.h"
#include "log.h"
#include "page.h"
#include "pages_book.h"
#include "plural.h"
#include "qr.h"
#include "security.h"
#include "token.h"
#include "waitlist.h"

static const char *
token_of(struct request *rq)
{
	const char *t;

	if (strcmp(rq->method, "POST") == 0)
		return http_form(rq, "t");
	t = http_query(rq, "t");
	return t != NULL ? t : "";
}

/* the booking named by the path, if the token matches; else an answer */
static bool
load_booking(struct request *rq, struct response *rs, struct store **s,
    struct booking *b)
{
	const char *t = token_of(rq);
	struct error err;

	if ((*s = http_store(rq)) == NULL) {
		page_db_error(rq, rs, NULL);
		return false;
	}
	error_clear(&err);
	if (!token_reference_valid(rq->captures[0]) || t[0] == '\0' ||
	    store_booking_by_reference(*s, rq->captures[0], b, &err) != 0 ||
	    b->token[0] == '\0' || !token_equal(t, b->token)) {
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL) {
			page_db_error(rq, rs, &err);
			return false;
		}
		page_message(rq, rs, 404, "err_link_title", "err_link_text");
		return false;
	}
	return true;
}

/* the citizen may still change or cancel it (an offer from the waitlist
 * is taken or passed on instead: its own buttons) */
static bool
changeable(const struct booking *b)
{
	return booking_status_open(b->status) && !booking_is_offer(b);
}

/* ics_offered: a calendar entry is for a visit that will happen: confirmed
 * and still ahead of the citizen (not pending, not over) */
static bool
ics_offered(const struct booking *b)
{
	return b->status == BOOKING_BOOKED || b->status == BOOKING_WAITING ||
	       b->status == BOOKING_CALLED;
}

/* what every page about one booking shows */
static json_t *
booking_context(struct request *rq, const struct booking *b)
{
	bool en = strcmp(rq->lang, "en") == 0;
	char link[160], minutes[48], key[48];
	struct buf when = BUF_INIT;
	json_t *ctx = page_context(rq);

	page_when(rq, b->start, &when);
	page_minutes(
	    rq, (long)((b->end - b->start) / 60), minutes, sizeof minutes);
	json_object_set_new(ctx, "reference", json_string(b->reference));
	json_object_set_new(ctx, "token", json_string(b->token));
	json_object_set_new(ctx, "service",
	    json_string(en && b->service_name_en[0] ? b->service_name_en
	                                            : b->service_name));
	json_object_set_new(ctx, "when", json_string(buf_cstr(&when)));
	json_object_set_new(ctx, "duration", json_string(minutes));
	/* the room only when the desk's name does not already say it */
	if (b->room[0] != '\0' && strstr(b->desk_name, b->room) == NULL)
		json_object_set_new(ctx, "room", json_string(b->room));
	json_object_set_new(ctx, "desk", json_string(b->desk_name));
	/* what the status means to the citizen, not the staff's word for it
	 * ("Rezerwacja"): catalog keys status_<name> and status_<name>_text */
	snprintf(key, sizeof key, "status_%s", booking_status_name(b->status));
	json_object_set_new(ctx, "status", json_string(page_t(rq, key)));
	snprintf(
	    key, sizeof key, "status_%s_text", booking_status_name(b->status));
	json_object_set_new(ctx, "status_text", json_string(page_t(rq, key)));
	json_object_set_new(
	    ctx, "status_name", json_string(booking_status_name(b->status)));
	json_object_set_new(ctx, "calendar", json_boolean(ics_offered(b)));
	json_object_set_new(
	    ctx, "pending", json_boolean(b->status == BOOKING_PENDING));
	json_object_set_new(ctx, "changeable", json_boolean(changeable(b)));
	/* the office moved a confirmed visit and asks whether it suits */
	json_object_set_new(ctx, "moved",
	    json_boolean(b->status == BOOKING_BOOKED &&
	                 strcmp(b->move_answer, "asked") == 0));
	page_booking_link(b, "keep", "", link, sizeof link);
	json_object_set_new(ctx, "keep_link", json_string(link));
	/* a place offered from the waitlist speaks of the offer */
	if (strcmp(b->source, "waitlist") == 0 &&
	    (b->status == BOOKING_PENDING || b->status == BOOKING_EXPIRED ||
	        b->status == BOOKING_CANCELLED)) {
		char until[6];

		waitlist_format_time(otime_minute_of_day(b->confirm_by), until);
		snprintf(key, sizeof key, "wl_offer_%s",
		    booking_status_name(b->status));
		json_object_set_new(
		    ctx, "status", json_string(page_t(rq, key)));
		snprintf(key, sizeof key, "wl_offer_%s_text",
		    booking_status_name(b->status));
		json_object_set_new(
		    ctx, "status_text", json_string(page_t(rq, key)));
		json_object_set_new(
		    ctx, "offer", json_boolean(booking_is_offer(b)));
		json_object_set_new(ctx, "offer_until", json_string(until));
	}
	page_booking_link(b, "", "", link, sizeof link);
	json_object_set_new(ctx, "ticket", json_string(link));
	page_booking_link(b, "confirm", "", link, sizeof link);
	json_object_set_new(ctx, "confirm_link", json_string(link));
	page_booking_link(b, "cancel", "", link, sizeof link);
	json_object_set_new(ctx, "cancel_link", json_string(link));
	page_booking_link(b, "reschedule", "", link, sizeof link);
	json_object_set_new(ctx, "reschedule_link", json_string(link));
	page_booking_link(b, "wizyta.ics", "", link, sizeof link);
	json_object_set_new(ctx, "ics_link", json_string(link));
	buf_free(&when);
	return ctx;
}

static void
ticket(struct request *rq, struct response *rs)
{
	const char *done = http_query(rq, "done");
	struct booking b;
	struct store *s;
	struct buf svg = BUF_INIT;
	json_t *ctx;

	if (!load_booking(rq, rs, &s, &b))
		return;
	ctx = booking_context(rq, &b);
	if (b.access_code[0] != '\0' && booking_status_live(b.status) &&
	    b.status != BOOKING_PENDING) {
		json_object_set_new(ctx, "code", json_string(b.access_code));
		if (qr_svg(b.access_code, page_t(rq, "qr_title"), &svg) == 0)
			json_object_set_new(
			    ctx, "qr", json_string(buf_cstr(&svg)));
		buf_free(&svg);
	}
	if (done != NULL &&
	    (strcmp(done, "confirmed") == 0 || strcmp(done, "cancelled") == 0 ||
	        strcmp(done, "moved") == 0 || strcmp(done, "kept") == 0)) {
		char key[32];

		snprintf(key, sizeof key, "done_%s", done);
		json_object_set_new(ctx, "done", json_string(page_t(rq, key)));
	}
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "ticket_title")));
	page_render(rq, rs, 200, "ticket", ctx);
}

static void
sent(struct request *rq, struct response *rs)
{
	char within[48], until[16];
	struct booking b;
	struct store *s;
	json_t *ctx;
	int minute;

	if (!load_booking(rq, rs, &s, &b))
		return;
	if (b.status != BOOKING_PENDING) {
		char link[160];

		page_booking_link(&b, "", "", link, sizeof link);
		http_redirect(rs, link);
		return;
	}
	ctx = booking_context(rq, &b);
	json_object_set_new(ctx, "email", json_string(b.email));
	json_object_set_new(ctx, "phone", json_string(b.phone));
	/* "w ciągu 1 godziny": the genitive, of the booking's own hold
	 * (shorter under pressure: booking.c) */
	plural_duration_case(b.confirm_by > b.created_at
	                         ? (long long)(b.confirm_by - b.created_at)
	                         : (long long)rq->web->config->confirm_within,
	    rq->lang, PLURAL_GENITIVE, within, sizeof within);
	minute = otime_minute_of_day(b.confirm_by);
	snprintf(until, sizeof until, "%02d:%02d", minute / 60, minute % 60);
	json_object_set_new(ctx, "within", json_string(within));
	json_object_set_new(ctx, "until", json_string(until));
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "sent_heading")));
	page_render(rq, rs, 200, "sent", ctx);
}

/* GET /b/{ref}/confirm and /cancel: ask, with a button that POSTs */
static void
ask(struct request *rq, struct response *rs, const char *action)
{
	char key[48];
	struct booking b;
	struct store *s;
	json_t *ctx;
	bool confirm = strcmp(action, "confirm") == 0;
	const char *offer;

	if (!load_booking(rq, rs, &s, &b))
		return;
	offer = booking_is_offer(&b) ? "wl_offer_" : "";
	if ((confirm && b.status != BOOKING_PENDING) ||
	    (!confirm && !changeable(&b) && offer[0] == '\0')) {
		char link[160];

		page_booking_link(&b, "", "", link, sizeof link);
		http_redirect(rs, link);
		return;
	}
	ctx = booking_context(rq, &b);
	snprintf(key, sizeof key, "%s%s_heading", offer, action);
	json_object_set_new(ctx, "heading", json_string(page_t(rq, key)));
	json_object_set_new(ctx, "title", json_string(page_t(rq, key)));
	snprintf(key, sizeof key, "%s%s_text", offer, action);
	json_object_set_new(ctx, "text", json_string(page_t(rq, key)));
	snprintf(key, sizeof key, "%s%s_button", offer, action);
	json_object_set_new(ctx, "button", json_string(page_t(rq, key)));
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "danger", json_boolean(!confirm));
	page_render(rq, rs, 200, "action", ctx);
}

static void
confirm_get(struct request *rq, struct response *rs)
{
	ask(rq, rs, "confirm");
}

static void
cancel_get(struct request *rq, struct response *rs)
{
	ask(rq, rs, "cancel");
}

static void
act(struct request *rq, struct response *rs, enum booking_action action)
{
	struct actor citizen = actor_citizen(VIA_WEB, rq->client);
	char link[160];
	struct booking b;
	struct store *s;
	struct error err;

	if (!load_booking(rq, rs, &s, &b))
		return;
	/* a second click (or a reply that won the race) is not an error */
	if ((action == ACTION_CONFIRM && b.status == BOOKING_BOOKED) ||
	    (action == ACTION_CANCEL && b.status == BOOKING_CANCELLED)) {
		page_booking_link(&b, "", "", link, sizeof link);
		http_redirect(rs, link);
		return;
	}
	error_clear(&err);
	if (booking_apply(s, rq->web->config, b.reference, action, &citizen,
	        rq->now, &b, &err) != 0) {
		if (err.kind == ERROR_CONFLICT)
			page_message(rq, rs, 409, "err_state_title",
			    strcmp(b.source, "waitlist") == 0 &&
			            action == ACTION_CONFIRM
			        ? "err_offer_gone"
			    : b.status == BOOKING_PENDING ? "err_expired"
			                                  : "err_state");
		else
			page_db_error(rq, rs, &err);
		return;
	}
	page_booking_link(&b, "",
	    action == ACTION_CONFIRM ? "&done=confirmed" : "&done=cancelled",
	    link, sizeof link);
	http_redirect(rs, link);
}

static void
confirm_post(struct request *rq, struct response *rs)
{
	act(rq, rs, ACTION_CONFIRM);
}

static void
cancel_post(struct request *rq, struct response *rs)
{
	act(rq, rs, ACTION_CANCEL);
}

/* POST /b/{ref}/keep: the new time the office chose suits the citizen
 * (the button beside "the office moved your visit"; replying TAK does the
 * same) */
static void
keep_post(struct request *rq, struct response *rs)
{
	struct actor citizen = actor_citizen(VIA_WEB, rq->client);
	char link[160];
	struct booking b;
	struct store *s;
	struct error err;

	if (!load_booking(rq, rs, &s, &b))
		return;
	error_clear(&err);
	/* a second click, or a TAK that came first, is no error either */
	if (strcmp(b.move_answer, "asked") == 0 &&
	    booking_keep_moved(s, rq->web->config, b.reference, &citizen, 0,
	        NULL, rq->now, &b, &err) != 0 &&
	    err.kind != ERROR_CONFLICT) {
		page_db_error(rq, rs, &err);
		return;
	}
	page_booking_link(&b, "", "&done=kept", link, sizeof link);
	http_redirect(rs, link);
}

static void
ics(struct request *rq, struct response *rs)
{
	char disposition[96];
	struct booking b;
	struct store *s;
	struct error err;

	if (!load_booking(rq, rs, &s, &b))
		return;
	/* nothing to put in a calendar before the citizen confirmed */
	if (b.status == BOOKING_PENDING) {
		page_message(rq, rs, 409, "err_ics_pending_title",
		    "err_ics_pending_text");
		return;
	}
	buf_reset(&rs->body);
	error_clear(&err);
	if (notify_ics(rq->web->config, &b, "PUBLISH", rq->now, &rs->body,
	        &err) != 0) {
		page_db_error(rq, rs, &err);
		return;
	}
	rs->content_type = "text/calendar; charset=utf-8";
	snprintf(disposition, sizeof disposition,
	    "attachment; filename=\"wizyta-%s.ics\"", b.reference);
	http_header_add(rs, "Content-Disposition", disposition);
}

static void
reschedule_render(struct request *rq, struct response *rs, struct store *s,
    const struct booking *b, struct date day, unsigned status,
    const char *error)
{
	char text[DATE_LEN], link[200], extra[32];
	json_t *ctx, *times;
	struct date today = date_of(rq->now);

	if ((times = times_of_day(rq, s, b->service_id, day, b->start)) ==
	    NULL) {
		page_db_error(rq, rs, NULL);
		return;
	}
	ctx = booking_context(rq, b);
	date_format(day, text);
	json_object_set_new(ctx, "date", json_string(text));
	json_object_set_new(ctx, "times", times);
	if (date_compare(day, today) > 0) {
		struct date prev = date_add_days(day, -1);
		char p[DATE_LEN];

		date_format(prev, p);
		snprintf(extra, sizeof extra, "&date=%s", p);
		page_booking_link(b, "reschedule", extra, link, sizeof link);
		json_object_set_new(ctx, "prev", json_string(link));
	}
	{
		char n[DATE_LEN];

		date_format(date_add_days(day, 1), n);
		snprintf(extra, sizeof extra, "&date=%s", n);
		page_booking_link(b, "reschedule", extra, link, sizeof link);
		json_object_set_new(ctx, "next", json_string(link));
	}
	if (error != NULL)
		json_object_set_new(ctx, "error", json_string(error));
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "reschedule_heading")));
	page_render(rq, rs, status, "reschedule", ctx);
}

static void
reschedule_get(struct request *rq, struct response *rs)
{
	const char *date_text = http_query(rq, "date");
	struct booking b;
	struct store *s;
	struct date day;

	if (!load_booking(rq, rs, &s, &b))
		return;
	if (!changeable(&b)) {
		page_message(rq, rs, 409, "err_state_title", "err_state");
		return;
	}
	if (date_text == NULL || date_parse(date_text, &day) != 0)
		day = date_of(b.start);
	if (date_compare(day, date_of(rq->now)) < 0)
		day = date_of(rq->now);
	reschedule_render(rq, rs, s, &b, day, 200, NULL);
}

static void
reschedule_post(struct request *rq, struct response *rs)
{
	const char *start = http_form(rq, "start");
	struct actor citizen = actor_citizen(VIA_WEB, rq->client);
	char link[160];
	struct booking b;
	struct store *s;
	struct error err;
	time_t t;

	if (!load_booking(rq, rs, &s, &b))
		return;
	if (!changeable(&b)) {
		page_message(rq, rs, 409, "err_state_title", "err_state");
		return;
	}
	if (otime_parse(start, &t) != 0) {
		reschedule_render(rq, rs, s, &b, date_of(b.start), 422,
		    page_t(rq, "err_pick_time"));
		return;
	}
	error_clear(&err);
	if (booking_reschedule(s, rq->web->config, b.reference, start, 0,
	        &citizen, rq->now, &b, &err) != 0) {
		if (err.kind == ERROR_CONFLICT || err.kind == ERROR_INVALID)
			reschedule_render(rq, rs, s, &b, date_of(t),
			    err.kind == ERROR_CONFLICT ? 409 : 422,
			    strcmp(err.code, "slot_taken") == 0
			        ? page_t(rq, "err_taken_short")
			        : page_error_text(rq, &err));
		else
			page_db_error(rq, rs, &err);
		return;
	}
	page_booking_link(&b, "", "&done=moved", link, sizeof link);
	http_redirect(rs, link);
}

const struct route ticket_routes[] = {
    {"GET", "/b/{}", ticket, ROLE_PUBLIC, 0},
    {"GET", "/b/{}/sent", sent, ROLE_PUBLIC, 0},
    {"GET", "/b/{}/confirm", confirm_get, ROLE_PUBLIC, 0},
    {"POST", "/b/{}/confirm", confirm_post, ROLE_PUBLIC, ROUTE_FORM},
    {"GET", "/b/{}/cancel", cancel_get, ROLE_PUBLIC, 0},
    {"POST", "/b/{}/cancel", cancel_post, ROLE_PUBLIC, ROUTE_FORM},
    {"GET", "/b/{}/reschedule", reschedule_get, ROLE_PUBLIC, 0},
    {"POST", "/b/{}/reschedule", reschedule_post, ROLE_PUBLIC, ROUTE_FORM},
    {"POST", "/b/{}/keep", keep_post, ROLE_PUBLIC, ROUTE_FORM},
    {"GET", "/b/{}/wizyta.ics", ics, ROLE_PUBLIC, 0},
    {0},
};
