/*
 * api.c: the public JSON API of CONTRACT.md (/api/v1/...).
 *
 * Answers are JSON; errors are {"error": code, "message": text[, "field"]}
 * with 400 malformed, 404 unknown, 409 conflict, 422 invalid field, 429
 * rate limited. A wrong contact on cancel is a 404, exactly like an
 * unknown reference, so references cannot be probed. Booking and cancel
 * are rate limited per client address. No answer carries personal data
 * beyond what the caller sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "assets.h"
#include "booking.h"
#include "http.h"
#include "log.h"
#include "nearest.h"
#include "security.h"
#include "token.h"

struct store *
api_store(struct request *rq, struct response *rs)
{
	struct store *s = http_store(rq);

	if (s == NULL) {
		http_json_error(rs, 503, "unavailable",
		    "The database is unavailable: try again later.", NULL);
		http_header_add(rs, "Retry-After", "30");
	}
	return s;
}

/*
 * English texts for domain errors that carry no code yet: the domain's own
 * message may be Polish (for the pages) or name internals ("no service
 * 9223372036854775807"), so an API client gets a fixed English text per
 * field or kind instead. An error with a code (error_set_code) carries an
 * English message meant for clients, and is passed on as it is.
 */
static const struct {
	const char *field, *message;
} field_messages[] = {
    {"first_name",
        "first_name must be a name of letters (at most 31 characters)."},
    {"last_name",
        "last_name must be a name of letters (at most 31 characters)."},
    {"email", "email must be a valid address; give email or phone."},
    {"phone",
        "phone must be a mobile number, e.g. 600 700 800 or +48600700800."},
    {"start", "start must be a free time of the service, YYYY-MM-DDTHH:MM."},
    {"language", "language must be pl or en."},
    {"service_id", "No such service."},
    {"contact", "contact must be the booking's e-mail or phone."},
};

static const char *
field_message(const char *field)
{
	size_t i;

	for (i = 0; i < sizeof field_messages / sizeof field_messages[0]; i++)
		if (strcmp(field_messages[i].field, field) == 0)
			return field_messages[i].message;
	return "A field is invalid.";
}

/* api_error: a domain error as {"error": code, "message": English text,
 * "field"?} with its status. */
void
api_error(struct response *rs, const struct error *err)
{
	bool coded = err->code[0] != '\0';
	const char *field = err->field;

	switch (err->kind) {
	case ERROR_INVALID:
		http_json_error(rs, 422, coded ? err->code : "invalid",
		    coded ? err->msg : field_message(field), field);
		break;
	case ERROR_NOT_FOUND:
		/* a body naming nothing that exists is an invalid field */
		if (field[0] != '\0')
			http_json_error(rs, 422, coded ? err->code : "invalid",
			    coded ? err->msg : field_message(field), field);
		else
			http_json_error(rs, 404,
			    coded ? err->code : "not_found",
			    coded ? err->msg : "No such resource.", NULL);
		break;
	case ERROR_CONFLICT:
		http_json_error(rs, 409, coded ? err->code : "conflict",
		    coded ? err->msg
		          : "The booking's state or the time does not allow "
		            "this.",
		    field[0] != '\0' ? field : NULL);
		break;
	case ERROR_LIMIT:
		/* too many open bookings for a contact is a state of that
		 * contact (409); the limits on unconfirmed bookings from an
		 * address or for a day clear with time (429, and a hold is at
		 * most minutes: Retry-After) */
		if (!coded ||
		    strcmp(err->code, "too_many_open_bookings") == 0 ||
		    strcmp(err->code, "too_many_open_for_service") == 0)
			http_json_error(rs, 409,
			    coded ? err->code : "too_many_open_bookings",
			    coded ? err->msg
			          : "This e-mail address or phone number has "
			            "too many open bookings: cancel one first.",
			    NULL);
		else {
			http_json_error(rs, 429, err->code, err->msg, NULL);
			http_header_add(rs, "Retry-After", "300");
		}
		break;
	case ERROR_FORBIDDEN:
		http_json_error(rs, 403, coded ? err->code : "forbidden",
		    coded ? err->msg : "Your role may not do this.", NULL);
		break;
	default:
		log_error("api: %s", err->msg);
		http_json_error(rs, 500, "internal", "Internal error.", NULL);
		break;
	}
}

json_t *
api_body_json(struct request *rq, struct response *rs)
{
	json_error_t je;
	json_t *v;

	v = json_loadb(rq->body.data ? rq->body.data : "", rq->body.len,
	    JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		char msg[256];

		/* where, not jansson's text: that quotes the body, which may
		 * be anybody's bytes (not even UTF-8) */
		snprintf(msg, sizeof msg,
		    "The body is not JSON that can be read: line %d, column %d"
		    " (a duplicate member, a number too large, a \\u0000 in a"
		    " string and broken UTF-8 are refused too).",
		    je.line, je.column);
		http_json_error(rs, 400, "malformed", msg, NULL);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		http_json_error(rs, 400, "malformed",
		    "The body must be a JSON object.", NULL);
		return NULL;
	}
	return v;
}

/* an optional string member; false (and a 422) when of another type */
bool
api_member_string(
    json_t *obj, const char *name, const char **out, struct response *rs)
{
	json_t *v = json_object_get(obj, name);
	char msg[96];

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return true;
	}
	snprintf(msg, sizeof msg, "Field %s must be a string.", name);
	http_json_error(rs, 422, "invalid", msg, name);
	return false;
}

/* an optional id member (0 when absent or null); false (and a 422) when
 * not a positive integer */
bool
api_member_id(json_t *obj, const char *name, int64_t *out, struct response *rs)
{
	json_t *v = json_object_get(obj, name);
	char msg[96];

	*out = 0;
	if (v == NULL || json_is_null(v))
		return true;
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return true;
	}
	snprintf(msg, sizeof msg,
	    "Field %s must be an id (a positive integer).", name);
	http_json_error(rs, 422, "invalid", msg, name);
	return false;
}

static void
services_list(struct request *rq, struct response *rs)
{
	struct service *sv = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	json_t *list;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_services_list(s, true, &sv, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		/* staff-only services: for staff (admin_catalogue.c) */
		if (!sv[i].staff_only || actor_at_least(&rq->actor, ROLE_STAFF))
			json_array_append_new(list,
			    json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}",
			        "id", (json_int_t)sv[i].id, "name", sv[i].name,
			        "name_en", sv[i].name_en, "unit", sv[i].unit,
			        "duration_minutes",
			        (json_int_t)sv[i].duration_minutes,
			        "description", sv[i].description,
			        "description_en", sv[i].description_en));
	free(sv);
	http_json(rs, 200, list);
}

/*
 * Answers to the slots query are cached per pool thread, for the current
 * minute (slots close as time passes), and dropped as soon as anything is
 * written to the database by any process (store_change_token) or the
 * configuration snapshot this thread answers with changes (an admin's
 * lead time or horizon: the write moves the generation before this
 * process has loaded the new settings, so the generation alone could keep
 * an answer computed with the old ones). Without it
 * every request recomputes the same day for every visitor of a busy hour.
 * Fixed-size thread-local buffers: nothing to free when the thread ends.
 */
#define SLOTS_CACHE_ENTRIES 4
#define SLOTS_CACHE_BODY 24576

struct slots_cache_entry {
	bool valid;
	int64_t service_id;
	struct date day;
	time_t minute;
	int64_t generation;
	uint64_t settings; /* the snapshot's serial (config_live.h) */
	size_t len;
	char body[SLOTS_CACHE_BODY];
};

static __thread struct slots_cache_entry slots_cache[SLOTS_CACHE_ENTRIES];
static __thread unsigned slots_cache_next;

static struct slots_cache_entry *
slots_cache_find(int64_t id, struct date day, time_t minute, int64_t generation,
    uint64_t settings)
{
	size_t i;

	for (i = 0; i < SLOTS_CACHE_ENTRIES; i++) {
		struct slots_cache_entry *e = &slots_cache[i];

		if (e->valid && e->service_id == id &&
		    date_compare(e->day, day) == 0 && e->minute == minute &&
		    e->generation == generation && e->settings == settings)
			return e;
	}
	return NULL;
}

static void
slots_cache_put(int64_t id, struct date day, time_t minute, int64_t generation,
    uint64_t settings, const struct buf *body)
{
	struct slots_cache_entry *e =
	    &slots_cache[slots_cache_next++ % SLOTS_CACHE_ENTRIES];

	if (body->len > sizeof e->body)
		return;
	e->valid = true;
	e->service_id = id;
	e->day = day;
	e->minute = minute;
	e->generation = generation;
	e->settings = settings;
	e->len = body->len;
	memcpy(e->body, body->data, body->len);
}

/* json_string_write: s as a JSON string (RFC 8259 7); s is valid UTF-8
 * (names come from the store, which takes only valid text) */
static void
json_string_write(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else if (c < 0x20)
			buf_printf(out, "\\u%04x", c);
		else
			buf_putc(out, (char)c);
	}
	buf_putc(out, '"');
}

/*
 * slots_write: the slots answer written straight into the body. A day has
 * a few hundred slots; building them as jansson objects first cost more
 * than finding them (a malloc per value and per key, then a dump).
 */
static void
slots_write(const struct slot *slots, size_t n, struct buf *out)
{
	size_t i;

	buf_reset(out);
	buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		char start[OTIME_LOCAL_LEN];

		otime_format(slots[i].start, start);
		buf_printf(out,
		    "%s{\"start\":\"%s\",\"desk\":", i > 0 ? "," : "", start);
		json_string_write(out, slots[i].desk_name);
		buf_printf(out, ",\"desk_id\":%lld,\"free\":%u}",
		    (long long)slots[i].desk_id, slots[i].free);
	}
	buf_puts(out, "]\n");
}

static void
service_slots(struct request *rq, struct response *rs)
{
	const char *date_text = http_query(rq, "date");
	struct slots_cache_entry *hit;
	struct slot *slots = NULL;
	struct store *s;
	struct error err;
	struct date day;
	int64_t id, generation;
	time_t minute = rq->now / 60;
	bool cacheable;
	size_t n;

	if (!http_parse_id(rq->captures[0], &id)) {
		http_json_error(rs, 404, "not_found", "No such service.", NULL);
		return;
	}
	if (date_text == NULL || date_parse(date_text, &day) != 0) {
		http_json_error(rs, 400, "malformed",
		    "Query parameter date=YYYY-MM-DD is required.", "date");
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	generation = store_change_token(s);
	/* the cache holds what citizens see: staff (who see staff-only
	 * services too) pass by it */
	cacheable = !actor_is_operator(&rq->actor) && generation >= 0;
	if (cacheable && (hit = slots_cache_find(id, day, minute, generation,
	                      rq->web->config->serial)) != NULL) {
		rs->status = 200;
		rs->content_type = "application/json";
		buf_reset(&rs->body);
		buf_append(&rs->body, hit->body, hit->len);
		return;
	}
	error_clear(&err);
	if (booking_slots_for(s, rq->web->config, id, day, &rq->actor, rq->now,
	        &slots, &n, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND) /* the id is the path's */
			http_json_error(rs, 404,
			    err.code[0] != '\0' ? err.code : "not_found",
			    err.code[0] != '\0' ? err.msg : "No such service.",
			    NULL);
		else
			api_error(rs, &err);
		return;
	}
	slots_write(slots, n, &rs->body);
	free(slots);
	rs->status = 200;
	rs->content_type = "application/json";
	if (cacheable)
		slots_cache_put(id, day, minute, generation,
		    rq->web->config->serial, &rs->body);
}

json_t *
api_booking_json(const struct booking *b, bool with_service)
{
	char start[OTIME_LOCAL_LEN], end[OTIME_LOCAL_LEN];
	json_t *v;

	otime_format(b->start, start);
	otime_format(b->end, end);
	v = json_pack("{s:s, s:s, s:s, s:s, s:s}", "reference", b->reference,
	    "status", booking_status_name(b->status), "start", start, "end",
	    end, "desk", b->desk_name);
	if (with_service)
		json_object_set_new(v, "service", json_string(b->service_name));
	return v;
}

static void
booking_post(struct request *rq, struct response *rs)
{
	struct booking_request br;
	struct booking b;
	struct store *s;
	struct error err;
	json_t *body, *sid;
	const char *language;

	/* staff booking on a citizen's behalf are not a public form's load */
	if (rq->account == NULL && rate_limited(rq, rs, "book", true))
		return;
	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	memset(&br, 0, sizeof br);
	/* staff only (booking_create refuses it to others): booked at once,
	 * the access code goes to the citizen */
	if (json_is_true(json_object_get(body, "confirmed")))
		br.skip_confirmation = true;
	else if (json_object_get(body, "confirmed") != NULL &&
	         !json_is_false(json_object_get(body, "confirmed")) &&
	         !json_is_null(json_object_get(body, "confirmed"))) {
		http_json_error(rs, 422, "invalid",
		    "confirmed must be a boolean.", "confirmed");
		goto out;
	}
	sid = json_object_get(body, "service_id");
	if (!json_is_integer(sid) || json_integer_value(sid) <= 0) {
		http_json_error(rs, 422, "invalid",
		    "service_id must be a positive integer.", "service_id");
		goto out;
	}
	br.service_id = json_integer_value(sid);
	/* the place the client chose (the slots list names each one's
	 * desk_id); absent or null: any desk of the service free then */
	if (!api_member_id(body, "desk_id", &br.desk_id, rs))
		goto out;
	if (!api_member_string(body, "start", &br.start, rs) ||
	    !api_member_string(body, "first_name", &br.first_name, rs) ||
	    !api_member_string(body, "last_name", &br.last_name, rs) ||
	    !api_member_string(body, "email", &br.email, rs) ||
	    !api_member_string(body, "phone", &br.phone, rs) ||
	    !api_member_string(body, "language", &language, rs))
		goto out;
	if (br.start == NULL) {
		http_json_error(
		    rs, 422, "invalid", "start is required.", "start");
		goto out;
	}
	br.language = language;
	br.client = rq->account == NULL ? rq->client : NULL;
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	/* with a staff token: a booking on a citizen's behalf */
	if (booking_create(
	        s, rq->web->config, &br, &rq->actor, rq->now, &b, &err) != 0) {
		if (err.kind == ERROR_CONFLICT &&
		    strcmp(err.code, "slot_taken") == 0) {
			time_t wanted;
			json_t *v =
			    json_pack("{s:s, s:s}", "error", "slot_taken",
			        "message", "This slot is no longer free.");

			if (otime_parse(br.start, &wanted) == 0)
				json_object_set_new(v, "alternatives",
				    nearest_free(s, rq->web->config,
				        br.service_id, wanted, rq->now, 5));
			http_json(rs, 409, v);
		} else
			api_error(rs, &err);
		goto out;
	}
	{
		json_t *v = api_booking_json(&b, false);

		/* the caller (staff) gave the code to the citizen already */
		if (rq->account != NULL && b.access_code[0] != '\0')
			json_object_set_new(
			    v, "access_code", json_string(b.access_code));
		http_json(rs, 201, v);
	}
out:
	json_decref(body);
}

static bool
find_booking(
    struct request *rq, struct response *rs, struct store *s, struct booking *b)
{
	struct error err;

	error_clear(&err);
	if (!token_reference_valid(rq->captures[0]) ||
	    store_booking_by_reference(s, rq->captures[0], b, &err) != 0) {
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL)
			api_error(rs, &err);
		else
			http_json_error(
			    rs, 404, "not_found", "No such booking.", NULL);
		return false;
	}
	return true;
}

static void
booking_get(struct request *rq, struct response *rs)
{
	struct booking b;
	struct store *s;

	if (rate_limited(rq, rs, "lookup", true))
		return;
	if ((s = api_store(rq, rs)) == NULL || !find_booking(rq, rs, s, &b))
		return;
	http_json(rs, 200, api_booking_json(&b, true));
}

const char *
api_contact_body(struct request *rq, struct response *rs, json_t **body)
{
	const char *contact;

	if ((*body = api_body_json(rq, rs)) == NULL ||
	    !api_member_string(*body, "contact", &contact, rs))
		return NULL;
	if (contact == NULL || contact[0] == '\0') {
		http_json_error(
		    rs, 422, "invalid", "contact is required.", "contact");
		return NULL;
	}
	return contact;
}

static void
booking_cancel(struct request *rq, struct response *rs)
{
	struct actor citizen = actor_citizen(VIA_API, rq->client);
	struct booking b;
	struct store *s;
	struct error err;
	const char *contact;
	json_t *body;

	if (rate_limited(rq, rs, "lookup", true))
		return;
	if ((contact = api_contact_body(rq, rs, &body)) == NULL)
		goto out;
	if ((s = api_store(rq, rs)) == NULL || !find_booking(rq, rs, s, &b))
		goto out;
	if (!booking_check_contact(&b, contact)) {
		http_json_error(rs, 404, "not_found", "No such booking.", NULL);
		goto out;
	}
	error_clear(&err);
	if (booking_apply(s, rq->web->config, b.reference, ACTION_CANCEL,
	        &citizen, rq->now, &b, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 200,
	    json_pack(
	        "{s:s, s:s}", "reference", b.reference, "status", "cancelled"));
out:
	json_decref(body);
}

static void
openapi(struct request *rq, struct response *rs)
{
	const struct asset *a = asset_find("api/openapi.json");

	(void)rq;
	if (a == NULL) {
		http_json_error(
		    rs, 404, "not_found", "No such resource.", NULL);
		return;
	}
	rs->static_data = a->data;
	rs->static_len = a->len;
	rs->content_type = "application/json";
	rs->cacheable = true;
	http_header_add(rs, "Cache-Control", "public, max-age=3600");
}

const struct route api_routes[] = {
    {"GET", "/api/v1/services", services_list, ROLE_PUBLIC, 0},
    {"GET", "/api/v1/services/{}/slots", service_slots, ROLE_PUBLIC, 0},
    {"POST", "/api/v1/bookings", booking_post, ROLE_PUBLIC, 0},
    {"GET", "/api/v1/bookings/{}", booking_get, ROLE_PUBLIC, 0},
    {"POST", "/api/v1/bookings/{}/cancel", booking_cancel, ROLE_PUBLIC, 0},
    {"GET", "/api/v1/openapi.json", openapi, ROLE_PUBLIC, 0},
    {0},
};
