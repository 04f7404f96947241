/*
 * api_staff.c: the staff JSON API of CONTRACT.md ("Staff and admin
 * surface") that the desk, reception and the register stand on. Each call
 * is one domain function (lib/booking.h) with the caller as its actor; the
 * router has already checked the role, the domain checks the rest (which
 * status a reception clerk may set, the clock's guards) and writes the
 * audit row.
 *
 *   GET  /api/v1/staff/me                    who the credentials belong to
 *   POST /api/v1/bookings/{ref}/status       {"status", "reason"?}
 *                                            → 200 the booking (a reason
 *                                            only with "cancelled": the
 *                                            citizen is told why)
 *   POST /api/v1/desks/{id}/call-next                     → 200 the booking
 *   POST /api/v1/bookings/{ref}/notes        {"text"}     → 201
 *
 * Bookings answered here carry what a clerk needs and no more: reference,
 * status, start, desk (and desk_id), service, access code, name, note.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "booking.h"
#include "log.h"
#include "token.h"

json_t *
api_staff_booking_json(const struct booking *b)
{
	json_t *v = api_booking_json(b, true);

	json_object_set_new(v, "desk_id", json_integer(b->desk_id));
	json_object_set_new(v, "service_id", json_integer(b->service_id));
	json_object_set_new(v, "access_code", json_string(b->access_code));
	json_object_set_new(v, "first_name", json_string(b->first_name));
	json_object_set_new(v, "last_name", json_string(b->last_name));
	json_object_set_new(v, "note", json_string(b->note));
	return v;
}

static bool
reference_ok(struct request *rq, struct response *rs)
{
	if (token_reference_valid(rq->captures[0]))
		return true;
	http_json_error(rs, 404, "not_found", "No such booking.", NULL);
	return false;
}

/* required_string: the body's string member NAME, or NULL after answering
 * (400 not a JSON object, 422 missing or not a string); *body is the
 * parsed body to decref, or NULL */
static const char *
required_string(
    struct request *rq, struct response *rs, const char *name, json_t **body)
{
	const char *v = NULL;
	char msg[64];

	if ((*body = api_body_json(rq, rs)) == NULL ||
	    !api_member_string(*body, name, &v, rs))
		return NULL;
	if (v == NULL) {
		snprintf(msg, sizeof msg, "%s is required.", name);
		http_json_error(rs, 422, "invalid", msg, name);
	}
	return v;
}

static void
me(struct request *rq, struct response *rs)
{
	const struct account *a = rq->account;

	http_json(rs, 200,
	    json_pack("{s:s, s:s, s:s, s:I, s:s}", "login", a->login, "name",
	        a->display_name, "role", role_name(a->role), "desk_id",
	        (json_int_t)a->desk_id, "via",
	        rq->auth == AUTH_BEARER ? "token" : "session"));
}

static void
booking_status(struct request *rq, struct response *rs)
{
	enum booking_status status;
	const char *name, *reason = NULL;
	struct booking b;
	struct store *s;
	struct error err;
	json_t *body = NULL;

	if (!reference_ok(rq, rs) ||
	    (name = required_string(rq, rs, "status", &body)) == NULL)
		goto out;
	if (booking_status_parse(name, &status) != 0) {
		http_json_error(rs, 422, "invalid",
		    "status must be one of waiting, called, in_service, done,"
		    " no_show, booked, cancelled.",
		    "status");
		goto out;
	}
	/* a cancellation may say why: the citizen is told (booking.h) */
	if (!api_member_string(body, "reason", &reason, rs))
		goto out;
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (reason != NULL && reason[0] != '\0' && status != BOOKING_CANCELLED)
		error_set_code(&err, ERROR_INVALID, "reason_not_cancel",
		    "reason", "A reason goes with status cancelled only.");
	if (err.kind != ERROR_NONE ||
	    (reason != NULL && reason[0] != '\0'
	            ? booking_cancel_because(s, rq->web->config,
	                  rq->captures[0], reason, &rq->actor, rq->now, &b,
	                  &err)
	            : booking_set_status(s, rq->web->config, rq->captures[0],
	                  status, &rq->actor, rq->now, &b, &err)) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 200, api_staff_booking_json(&b));
out:
	json_decref(body);
}

static void
desk_call_next(struct request *rq, struct response *rs)
{
	struct booking b;
	struct store *s;
	struct error err;
	int64_t desk;

	if (!http_parse_id(rq->captures[0], &desk)) {
		http_json_error(rs, 404, "not_found", "No such desk.", NULL);
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (booking_call_next(
	        s, rq->web->config, desk, &rq->actor, rq->now, &b, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200, api_staff_booking_json(&b));
}

static void
booking_note(struct request *rq, struct response *rs)
{
	const char *text;
	struct booking b;
	struct store *s;
	struct error err;
	json_t *body = NULL;

	if (!reference_ok(rq, rs) ||
	    (text = required_string(rq, rs, "text", &body)) == NULL)
		goto out;
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (booking_add_note(s, rq->web->config, rq->captures[0], text,
	        &rq->actor, rq->now, &b, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 201,
	    json_pack("{s:s, s:s}", "reference", b.reference, "note", b.note));
out:
	json_decref(body);
}

const struct route staff_api_routes[] = {
    {"GET", "/api/v1/staff/me", me, ROLE_RECEPTION, 0},
    /* reception may reach it to check people in; the domain refuses them
     * every other status */
    {"POST", "/api/v1/bookings/{}/status", booking_status, ROLE_RECEPTION, 0},
    {"POST", "/api/v1/desks/{}/call-next", desk_call_next, ROLE_STAFF, 0},
    {"POST", "/api/v1/bookings/{}/notes", booking_note, ROLE_STAFF, 0},
    {0},
};
