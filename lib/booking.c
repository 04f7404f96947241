/*
 * booking.c: the booking domain. Every public function is one transaction:
 * validate, check the state machine, change, log the event, queue the
 * messages, commit. The slot check runs inside the write transaction
 * (BEGIN IMMEDIATE), so two concurrent bookings of the last place cannot
 * both succeed, whichever process they come from.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "booking.h"
#include "client_addr.h"
#include "email.h"
#include "holiday.h"
#include "log.h"
#include "notify.h"
#include "phone.h"
#include "reception.h"
#include "token.h"
#include "utf8.h"
#include "waitlist.h"

#define NAME_MAX_BYTES 63
#define REASON_MAX_BYTES 200

/* check_name: codes name_missing, name_too_long, name_invalid,
 * name_no_letters; label is the field in English words */
static int
check_name(
    const char *value, const char *field, const char *label, struct error *err)
{
	const char *p;
	bool letter = false;

	if (value == NULL || value[0] == '\0')
		return error_set_code(err, ERROR_INVALID, "name_missing", field,
		    "Give your %s.", label);
	if (strlen(value) > NAME_MAX_BYTES)
		return error_set_code(err, ERROR_INVALID, "name_too_long",
		    field, "The %s is too long (at most %d characters).", label,
		    NAME_MAX_BYTES / 2);
	if (!utf8_text_valid(value, strlen(value)))
		return error_set_code(err, ERROR_INVALID, "name_invalid", field,
		    "The %s contains characters that are not allowed.", label);
	for (p = value; *p != '\0'; p++)
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			letter = true;
	if (!letter || value[0] == ' ')
		return error_set_code(err, ERROR_INVALID, "name_no_letters",
		    field, "The %s must contain letters.", label);
	return 0;
}

/* check_policy_contact: the first message must reach the citizen: where
 * the office sends it by one channel only ([channels], an admin's
 * setting), that contact is needed */
static int
check_policy_contact(const struct config *c, enum channel_policy policy,
    const struct booking *b, struct error *err)
{
	if (policy == CHANNELS_EMAIL && b->email[0] == '\0' &&
	    strcmp(c->mail_transport, "none") != 0)
		return error_set_code(err, ERROR_INVALID, "confirm_by_email",
		    "email",
		    "This office sends its messages about a booking by e-mail:"
		    " give an e-mail address.");
	if (policy == CHANNELS_SMS && b->phone[0] == '\0' &&
	    strcmp(c->sms_provider, "none") != 0)
		return error_set_code(err, ERROR_INVALID, "confirm_by_sms",
		    "phone",
		    "This office sends its messages about a booking by SMS:"
		    " give a phone number.");
	return 0;
}

/* check_contact: the e-mail address and phone number of a request, into
 * b->email (stored form, email.h) and b->phone (E.164). */
static int
check_contact(const struct config *c, const struct booking_request *r,
    struct booking *b, struct error *err)
{
	bool sms = strcmp(c->sms_provider, "none") != 0;

	if (r->email != NULL && r->email[0] != '\0' &&
	    email_normalize(r->email, b->email, sizeof b->email, err) != 0)
		return -1;
	if (r->phone != NULL && r->phone[0] != '\0' &&
	    (phone_normalize(r->phone, b->phone, sizeof b->phone, err) != 0 ||
	        (sms &&
	            phone_sms_allowed(b->phone, c->sms_countries, err) != 0)))
		return -1;
	if (b->email[0] == '\0' && b->phone[0] == '\0')
		return error_set_code(err, ERROR_INVALID, "contact_missing",
		    "email", "Give an e-mail address or a phone number.");
	if (b->email[0] == '\0' && !sms)
		return error_set_code(err, ERROR_INVALID, "email_required",
		    "email",
		    "This office does not send SMS: give an e-mail address.");
	if (b->phone[0] == '\0' && strcmp(c->mail_transport, "none") == 0)
		return error_set_code(err, ERROR_INVALID, "phone_required",
		    "phone",
		    "This office does not send e-mail: give a phone number.");
	return check_policy_contact(c,
	    c->channels[r->skip_confirmation ? MESSAGE_ACCESS_CODE
	                                     : MESSAGE_CONFIRMATION],
	    b, err);
}

/* check_opt_out: a booking reachable only by SMS, to a number that sent
 * STOP, could never be confirmed (every SMS to it is suppressed): refuse
 * it and say why. Inside the transaction. */
static int
check_opt_out(struct store *s, const struct config *c, const struct booking *b,
    struct error *err)
{
	bool opted_out;

	/* the e-mail carries it, unless the office sends by SMS only */
	if (b->phone[0] == '\0' ||
	    (b->email[0] != '\0' && strcmp(c->mail_transport, "none") != 0 &&
	        c->channels[MESSAGE_CONFIRMATION] != CHANNELS_SMS))
		return 0;
	if (store_sms_optout_has(s, b->phone, &opted_out, err) != 0)
		return -1;
	if (opted_out)
		return error_set_code(err, ERROR_INVALID, "phone_opted_out",
		    "phone",
		    "This number asked us to stop sending SMS (it replied "
		    "STOP), so we"
		    " could not send it the confirmation request. Give an "
		    "e-mail"
		    " address to book.");
	return 0;
}

/* service_get: a service the actor may book (active; a staff-only one
 * for staff alone), or unknown_service (never the id). actor NULL: a
 * citizen. */
static int
service_get(struct store *s, int64_t id, const struct actor *actor,
    struct service *sv, struct error *err)
{
	if (store_service_get(s, id, sv, err) != 0) {
		if (err != NULL && err->kind != ERROR_NOT_FOUND)
			return -1;
		return error_set_code(err, ERROR_NOT_FOUND, "unknown_service",
		    "service_id", "No such service.");
	}
	if (!sv->active ||
	    (sv->staff_only &&
	        (actor == NULL || !actor_at_least(actor, ROLE_STAFF))))
		return error_set_code(err, ERROR_NOT_FOUND, "unknown_service",
		    "service_id", "No such service.");
	return 0;
}

int64_t
booking_lead_time(const struct config *c, const struct service *sv)
{
	return sv != NULL && sv->lead_time > 0 ? sv->lead_time
	                                       : c->booking_lead_time;
}

int64_t
booking_horizon(const struct config *c, const struct service *sv)
{
	return sv != NULL && sv->horizon > 0 ? sv->horizon : c->booking_horizon;
}

int64_t
booking_confirm_within(const struct config *c, const struct service *sv)
{
	return sv != NULL && sv->confirm_within > 0 ? sv->confirm_within
	                                            : c->confirm_within;
}

int
booking_day_closed(struct store *s, struct date day, bool *closed,
    const char **name, char *own, size_t own_size, struct error *err)
{
	struct holiday_override h;
	bool is_set;

	if (store_holiday_get(s, day, &h, &is_set, err) != 0)
		return -1;
	if (is_set) {
		*closed = h.closed;
		if (own != NULL)
			snprintf(own, own_size, "%s", h.name);
		if (name != NULL)
			*name = NULL;
		return 0;
	}
	*closed = holiday_pl(day, name);
	if (own != NULL && own_size > 0)
		own[0] = '\0';
	return 0;
}

int
booking_day_windows(struct store *s, const struct service *sv, struct date day,
    struct slot_window **windows, size_t *n, struct error *err)
{
	bool open_on_holiday, closed;
	size_t i;

	if (store_windows_for_day(
	        s, sv->id, day, windows, n, &open_on_holiday, err) != 0)
		return -1;
	if (booking_day_closed(s, day, &closed, NULL, NULL, 0, err) != 0) {
		free(*windows);
		*windows = NULL;
		*n = 0;
		return -1;
	}
	/* a holiday or a day off is closed unless an exception opens it */
	if (closed && !open_on_holiday)
		*n = 0;
	/* people per slot: the service's own, else the desk's */
	if (sv->capacity > 0)
		for (i = 0; i < *n; i++)
			(*windows)[i].capacity = sv->capacity;
	return 0;
}

/* day_places: how many visits of the service the day holds at most */
static unsigned
day_places(const struct service *sv, const struct slot_window *w, size_t n)
{
	unsigned places = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i].closes > w[i].opens)
			places += (unsigned)(w[i].closes - w[i].opens) /
			          sv->duration_minutes * w[i].capacity;
	return places;
}

/* slot_refusal: why start can never be booked (time passed, outside the
 * lead time or the horizon, the office closed, not a slot's start), as a
 * user-facing error on field "start"; 0 when it is a slot of some window */
static int
slot_refusal(const struct config *c, const struct service *sv, time_t start,
    time_t now, const struct slot_window *w, size_t n, int64_t want_desk,
    struct error *err)
{
	int minute = otime_minute_of_day(start),
	    step = (int)sv->duration_minutes;
	bool open = false, aligned = false;
	char span[32];
	size_t i;

	if (start < now)
		return error_set_code(err, ERROR_INVALID, "slot_in_past",
		    "start", "This time has already passed.");
	if (start < now + booking_lead_time(c, sv)) {
		config_format_duration(
		    booking_lead_time(c, sv), span, sizeof span);
		return error_set_code(err, ERROR_INVALID, "too_soon", "start",
		    "Bookings close %s before the visit: choose a later time.",
		    span);
	}
	if (start > now + booking_horizon(c, sv)) {
		config_format_duration(
		    booking_horizon(c, sv), span, sizeof span);
		return error_set_code(err, ERROR_INVALID, "outside_horizon",
		    "start",
		    "Visits can be booked at most %s ahead: choose an earlier "
		    "day.",
		    span);
	}
	for (i = 0; i < n; i++) {
		if (want_desk > 0 && w[i].desk_id != want_desk)
			continue;
		if (minute < w[i].opens || minute + step > w[i].closes)
			continue;
		open = true;
		if ((minute - w[i].opens) % step == 0)
			aligned = true;
	}
	if (!open)
		return error_set_code(err, ERROR_INVALID, "office_closed",
		    "start",
		    "The office does not offer this service at that time.");
	if (!aligned)
		return error_set_code(err, ERROR_INVALID, "not_a_slot_start",
		    "start",
		    "Visits start every %d minutes: choose one of the offered "
		    "times.",
		    step);
	return 0;
}

/* find_desk: a desk whose window offers this exact slot for the service and
 * still has a free place (else slot_taken, or why it is no slot at all).
 * *places (may be NULL) gets the day's places of the service. Must run
 * inside the write transaction to take the place. */
static int
find_desk(struct store *s, const struct config *c, const struct service *sv,
    time_t start, int64_t want_desk, int64_t except_booking, time_t now,
    struct slot_window *chosen, unsigned *places, struct error *err)
{
	struct slot_window *windows = NULL;
	size_t n, i;
	int minute = otime_minute_of_day(start), found = 0;
	time_t end = start + (time_t)sv->duration_minutes * 60;

	if (booking_day_windows(s, sv, date_of(start), &windows, &n, err) != 0)
		return -1;
	if (places != NULL)
		*places = day_places(sv, windows, n);
	if (slot_refusal(c, sv, start, now, windows, n, want_desk, err) != 0) {
		free(windows);
		return -1;
	}
	for (i = 0; i < n && !found; i++) {
		struct slot_window *w = &windows[i];
		unsigned taken;

		if (want_desk > 0 && w->desk_id != want_desk)
			continue;
		if (minute < w->opens ||
		    minute + (int)sv->duration_minutes > w->closes ||
		    (minute - w->opens) % (int)sv->duration_minutes != 0)
			continue;
		if (store_busy_count(s, w->desk_id, start, end, except_booking,
		        &taken, err) != 0) {
			free(windows);
			return -1;
		}
		if (taken < w->capacity) {
			*chosen = *w;
			found = 1;
		}
	}
	free(windows);
	if (!found)
		return error_set_code(err, ERROR_CONFLICT, "slot_taken",
		    "start", "This time is already taken.");
	return 0;
}

int
booking_parse_start(const char *text, time_t *start, struct error *err)
{
	switch (text == NULL ? OTIME_MALFORMED : otime_parse(text, start)) {
	case 0: return 0;
	case OTIME_NO_SUCH_DAY:
		return error_set_code(err, ERROR_INVALID, "start_no_such_day",
		    "start", "Invalid start: the calendar has no such day.");
	case OTIME_CLOCK_GAP:
		return error_set_code(err, ERROR_INVALID, "start_clock_change",
		    "start",
		    "Invalid start: the clocks go forward then and that time "
		    "does not exist.");
	default:
		return error_set_code(err, ERROR_INVALID, "start_invalid",
		    "start", "Invalid start: expected YYYY-MM-DDTHH:MM.");
	}
}

int
booking_check_start(struct store *s, const struct config *c, int64_t service_id,
    const char *start_text, time_t now, struct error *err)
{
	struct slot_window desk;
	struct service sv;
	time_t start;

	if (booking_parse_start(start_text, &start, err) != 0 ||
	    service_get(s, service_id, NULL, &sv, err) != 0)
		return -1;
	return find_desk(s, c, &sv, start, 0, 0, now, &desk, NULL, err);
}

/* client_key: the HMAC key of client_addr.h, made on first use (inside
 * the write transaction, so two processes cannot make two). */
static int
client_key(struct store *s, char key[CLIENT_KEY_LEN + 1], struct error *err)
{
	if (store_kv_get(s, "client_hmac_key", key, CLIENT_KEY_LEN + 1) == 0 &&
	    strlen(key) == CLIENT_KEY_LEN)
		return 0;
	token_hex(key, CLIENT_KEY_LEN / 2);
	return store_kv_set(s, "client_hmac_key", key, err);
}

/*
 * check_pending_limits: the abuse policy for unconfirmed bookings (README,
 * "Abuse limits"), enforced here inside the booking transaction so every
 * process counts the same rows:
 *   - at most max_pending_per_address pending bookings from one client
 *     address, and max_pending_per_network from its /24 or /64;
 *   - when pending bookings of the service hold pressure_share % of the
 *     day's places, a new one gets the shorter pressure_confirm_within;
 *   - beyond max_pending_share % no new pending booking is taken for that
 *     day until some are confirmed or expire.
 * Fills the client hashes into b and its confirm_by.
 */
static int
check_pending_limits(struct store *s, const struct config *c,
    const struct booking_request *r, const struct service *sv, unsigned places,
    time_t now, struct booking *b, struct error *err)
{
	int64_t within = booking_confirm_within(c, sv);
	unsigned by_host = 0, by_net = 0, pending;

	if (r->client != NULL && r->client[0] != '\0') {
		char key[CLIENT_KEY_LEN + 1];
		struct client_hashes h;

		if (client_key(s, key, err) != 0 ||
		    client_addr_hash(r->client, key, &h, err) != 0 ||
		    store_bookings_pending_by_client(
		        s, h.host, h.net, now, &by_host, &by_net, err) != 0)
			return -1;
		if (c->max_pending_per_address > 0 &&
		    by_host >= c->max_pending_per_address)
			return error_set_code(err, ERROR_LIMIT,
			    "too_many_pending_address", NULL,
			    "Too many unconfirmed bookings were made from this"
			    " address: confirm or cancel them first (the "
			    "request is in"
			    " your e-mail or SMS).");
		if (c->max_pending_per_network > 0 &&
		    by_net >= c->max_pending_per_network)
			return error_set_code(err, ERROR_LIMIT,
			    "too_many_pending_network", NULL,
			    "Too many unconfirmed bookings were made from this"
			    " network: try again once some are confirmed or "
			    "expired.");
		snprintf(b->client_hash, sizeof b->client_hash, "%s", h.host);
		snprintf(b->client_net, sizeof b->client_net, "%s", h.net);
	}
	if (store_bookings_pending_for_day(
	        s, sv->id, date_of(b->start), now, &pending, err) != 0)
		return -1;
	/* shares in whole percent of the day's places, this booking included */
	if (c->max_pending_share > 0 && places > 0 &&
	    (uint64_t)(pending + 1) * 100 >
	        (uint64_t)places * c->max_pending_share)
		return error_set_code(err, ERROR_LIMIT, "day_under_pressure",
		    NULL,
		    "Many bookings for this day are waiting for confirmation: "
		    "try again"
		    " in a few minutes, or choose another day.");
	if (c->pressure_share > 0 && places > 0 &&
	    (uint64_t)(pending + 1) * 100 >
	        (uint64_t)places * c->pressure_share &&
	    c->pressure_confirm_within < within) {
		within = c->pressure_confirm_within;
		log_info(
		    "booking under pressure service=%lld pending=%u places=%u"
		    " confirm_within=%llds",
		    (long long)sv->id, pending, places, (long long)within);
	}
	b->confirm_by = now + within;
	return 0;
}

/* check_service_limit: the service's own max_open_per_person, beside the
 * office's max_open_per_contact (citizens only, like it) */
static int
check_service_limit(struct store *s, const struct service *sv,
    const struct booking *b, time_t now, struct error *err)
{
	unsigned open;

	if (sv->max_open_per_person == 0)
		return 0;
	if (store_bookings_open_for_service(
	        s, sv->id, b->email, b->phone, now, &open, err) != 0)
		return -1;
	if (open >= sv->max_open_per_person)
		return error_set_code(err, ERROR_LIMIT,
		    "too_many_open_for_service", NULL,
		    "This e-mail address or phone number already has %u open"
		    " bookings for this service (at most %u): cancel one "
		    "first.",
		    open, sv->max_open_per_person);
	return 0;
}

/* insert_drawn: insert b under a reference drawn afresh, drawing again
 * when the database says it is taken (2^-50 a pair); each try in a
 * savepoint of its own, as PostgreSQL refuses every later statement of a
 * transaction in which one failed. A conflict it gives up on is the
 * caller's (b is not inserted). */
static int
insert_drawn(struct store *s, struct booking *b, struct error *err)
{
	int tries;

	for (tries = 0;; tries++) {
		token_reference(b->reference);
		if (store_begin(s, err) != 0)
			return -1;
		if (store_booking_insert(s, b, err) == 0)
			return store_commit(s, err);
		store_rollback(s);
		if (err->kind != ERROR_CONFLICT || tries == 3)
			return -1;
	}
}

static int
issue_access_code(struct store *s, struct booking *b, struct error *err)
{
	struct date day = date_of(b->start);
	int tries;

	for (tries = 0; tries < 50; tries++) {
		char code[ACCESS_CODE_LEN + 1];
		bool used;

		token_access_code(code);
		if (store_code_in_use(s, code, day, &used, err) != 0)
			return -1;
		if (used)
			continue;
		/* taken meanwhile by another process's booking (PostgreSQL:
		 * the unique index is the judge): draw again */
		if (store_booking_set_code(s, b->id, code, err) != 0) {
			if (err->kind == ERROR_CONFLICT &&
			    strcmp(err->code, "code_taken") == 0)
				continue;
			return -1;
		}
		snprintf(b->access_code, sizeof b->access_code, "%s", code);
		return 0;
	}
	return error_set(
	    err, ERROR_INTERNAL, "no free access code for the day");
}

/*
 * What each actor may do — the domain's own check, whatever door the
 * request came through (the web's router only checks that a role may open
 * a route at all): citizens confirm, cancel and move their own booking;
 * the gateway's timers expire; reception checks people in; staff and
 * admins run the desk and the register.
 */
static int
booking_may(
    const struct actor *a, enum booking_action action, struct error *err)
{
	bool ok;

	if (actor_at_least(a, ROLE_STAFF))
		ok = action != ACTION_EXPIRE;
	else if (actor_is_operator(a))
		ok = action == ACTION_CHECK_IN;
	else if (a->channel == VIA_SYSTEM)
		ok = action == ACTION_EXPIRE;
	else if (a->channel == VIA_CLI)
		ok = false;
	else
		ok = action == ACTION_CONFIRM || action == ACTION_CANCEL ||
		     action == ACTION_RESCHEDULE;
	if (ok)
		return 0;
	return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
	    "A %s may not %s a booking.",
	    actor_is_operator(a) ? role_name(a->role)
	                         : actor_channel_name(a->channel),
	    booking_action_name(action));
}

/*
 * The clock's guards on the desk's day ([reception] in wizyta.conf(5)):
 * check-in is reception.h's rule (the window measured at arrival, the
 * occupancy limit); a call or a start only on the visit's day; a no-show
 * only no_show_after past the start; a finish never before its start.
 * A citizen told that the desk runs late (delay.h) was told to come by
 * the later time: check-in and no-show count from that one.
 */
static int
booking_guard(const struct config *c, const struct booking *b,
    enum booking_action action, time_t now, struct error *err)
{
	bool today = date_compare(date_of(now), date_of(b->start)) == 0;
	time_t told = b->start + (time_t)b->delay_notified;

	/* check-in's window and the building's limit: reception_admit */
	switch (action) {
	case ACTION_CALL:
	case ACTION_START:
		if (!today)
			return error_set_code(err, ERROR_CONFLICT, "not_today",
			    NULL, "The visit is not today.");
		return 0;
	case ACTION_NO_SHOW:
		if (now < told + c->reception_no_show_after)
			return error_set_code(err, ERROR_CONFLICT, "too_early",
			    NULL,
			    "Not a no-show yet: the visit starts at %02d:%02d.",
			    otime_minute_of_day(told) / 60,
			    otime_minute_of_day(told) % 60);
		return 0;
	case ACTION_FINISH:
		if (b->started_at != 0 && now < b->started_at)
			return error_set_code(err, ERROR_CONFLICT,
			    "before_start", NULL,
			    "A visit cannot end before it started.");
		return 0;
	default: return 0;
	}
}

/* booking_log: the booking's own event (every actor) and, for an operator,
 * the audit row — inside the caller's transaction. */
static int
booking_log(struct store *s, const struct actor *a, const struct booking *b,
    const char *action, const char *before, const char *after,
    const char *detail, time_t now, struct error *err)
{
	char who[96], name[40];

	actor_describe(a, who, sizeof who);
	if (store_event_add(
	        s, b->id, now, who, action, detail ? detail : "", err) != 0)
		return -1;
	if (!actor_is_operator(a))
		return 0;
	snprintf(name, sizeof name, "booking.%s", action);
	return audit_record(s, a, name, b->id, before, after, NULL, now, err);
}

/* how often a transaction the database broke to resolve a race (a
 * deadlock, a serialisation failure: PostgreSQL's, store_retry_wanted) is
 * run again before the caller hears of it */
#define RETRIES 4

static int
create_once(struct store *s, const struct config *c,
    const struct booking_request *r, const struct actor *actor, time_t now,
    struct booking *out, struct error *err)
{
	struct service sv;
	struct slot_window desk;
	struct booking b;
	time_t start;
	bool staff = actor_at_least(actor, ROLE_STAFF);
	unsigned places = 0;

	memset(&b, 0, sizeof b);
	if (!staff &&
	    (actor_is_operator(actor) || actor->channel == VIA_SYSTEM ||
	        actor->channel == VIA_CLI))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only staff may book on a citizen's behalf.");
	if (r->skip_confirmation && !staff)
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only staff may book without the citizen's confirmation.");
	if (check_name(r->first_name, "first_name", "first name", err) != 0 ||
	    check_name(r->last_name, "last_name", "last name", err) != 0 ||
	    check_contact(c, r, &b, err) != 0)
		return -1;
	if (r->language != NULL && r->language[0] != '\0' &&
	    strcmp(r->language, "pl") != 0 && strcmp(r->language, "en") != 0)
		return error_set_code(err, ERROR_INVALID, "language_invalid",
		    "language", "The language must be pl or en.");
	if (booking_parse_start(r->start, &start, err) != 0)
		return -1;

	if (store_begin(s, err) != 0)
		return -1;
	if (service_get(s, r->service_id, actor, &sv, err) != 0 ||
	    check_opt_out(s, c, &b, err) != 0 ||
	    find_desk(
	        s, c, &sv, start, r->desk_id, 0, now, &desk, &places, err) != 0)
		goto fail;
	b.start = start;
	b.confirm_by = now + booking_confirm_within(c, &sv);
	if (!staff && c->web_max_open_per_contact > 0) {
		unsigned open;

		if (store_bookings_open_by_contact(
		        s, b.email, b.phone, now, &open, err) != 0)
			goto fail;
		if (open >= c->web_max_open_per_contact) {
			error_set_code(err, ERROR_LIMIT,
			    "too_many_open_bookings", NULL,
			    "This e-mail address or phone number already has "
			    "%u open"
			    " bookings: cancel those you do not need first.",
			    open);
			goto fail;
		}
	}
	if (!staff && check_service_limit(s, &sv, &b, now, err) != 0)
		goto fail;
	if (!staff && !r->skip_confirmation &&
	    check_pending_limits(s, c, r, &sv, places, now, &b, err) != 0)
		goto fail;

	b.service_id = sv.id;
	b.desk_id = desk.desk_id;
	b.end = start + (time_t)sv.duration_minutes * 60;
	b.status = BOOKING_PENDING;
	snprintf(b.first_name, sizeof b.first_name, "%s", r->first_name);
	snprintf(b.last_name, sizeof b.last_name, "%s", r->last_name);
	snprintf(
	    b.language, sizeof b.language, "%s", booking_language(r->language));
	snprintf(b.source, sizeof b.source, "%s", booking_source_of(actor));
	b.created_at = now;
	token_hex(b.token, 8);
	snprintf(b.service_name, sizeof b.service_name, "%s", sv.name);
	snprintf(b.service_name_en, sizeof b.service_name_en, "%s", sv.name_en);
	snprintf(b.desk_name, sizeof b.desk_name, "%s", desk.desk_name);
	if (insert_drawn(s, &b, err) != 0)
		goto fail;
	if (booking_log(s, actor, &b, "create", NULL,
	        booking_status_name(b.status), b.source, now, err) != 0)
		goto fail;
	if (r->skip_confirmation) {
		if (store_booking_transition(s, b.id, BOOKING_PENDING,
		        BOOKING_BOOKED, now, err) != 0)
			goto fail;
		b.status = BOOKING_BOOKED;
		b.client_hash[0] = b.client_net[0] = '\0';
		if (issue_access_code(s, &b, err) != 0 ||
		    booking_log(s, actor, &b, "confirm", "pending", "booked",
		        NULL, now, err) != 0 ||
		    notify_booking(s, c, &b, NOTIFY_ACCESS_CODE,
		        NOTIFY_BY_POLICY, NULL, now, err) != 0)
			goto fail;
	} else if (notify_booking(s, c, &b, NOTIFY_CONFIRM_REQUEST,
	               NOTIFY_BY_POLICY, NULL, now, err) != 0)
		goto fail;
	if (waitlist_after_create(s, c, &b, now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking created booking=%lld ref=%s service=%lld desk=%lld",
	    (long long)b.id, b.reference, (long long)b.service_id,
	    (long long)b.desk_id);
	*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
booking_create(struct store *s, const struct config *c,
    const struct booking_request *r, const struct actor *actor, time_t now,
    struct booking *out, struct error *err)
{
	int rc, tries = 0;

	while ((rc = create_once(s, c, r, actor, now, out, err)) != 0 &&
	       store_retry_wanted(err) && ++tries < RETRIES)
		;
	return rc;
}

/* booking_by_reference: unknown_booking rather than the store's words */
static int
booking_by_reference(struct store *s, const char *reference, struct booking *b,
    struct error *err)
{
	if (store_booking_by_reference(s, reference, b, err) == 0)
		return 0;
	if (err != NULL && err->kind != ERROR_NOT_FOUND)
		return -1;
	return error_set_code(
	    err, ERROR_NOT_FOUND, "unknown_booking", NULL, "No such booking.");
}

/* The message each action causes, if any. */
static int
action_notice(enum booking_action a)
{
	switch (a) {
	case ACTION_CONFIRM: return NOTIFY_ACCESS_CODE;
	case ACTION_CANCEL: return NOTIFY_CANCELLED;
	case ACTION_EXPIRE: return NOTIFY_EXPIRED;
	default: return -1;
	}
}

/* withdraw_queued: the messages still queued that speak of the visit as
 * it was (a reminder, also one held through the SMS quiet hours, a move's
 * notice, a delay notice) are not sent: the visit moved or is off. One
 * already handed to a worker is past recall. An event says how many. */
static int
withdraw_queued(struct store *s, const struct booking *b, const char *why,
    time_t now, struct error *err)
{
	static const enum notify_kind stale[] = {
	    NOTIFY_REMINDER, NOTIFY_MOVED, NOTIFY_RESCHEDULED, NOTIFY_DELAY};
	unsigned count, total = 0;
	size_t i;

	for (i = 0; i < sizeof stale / sizeof stale[0]; i++) {
		if (store_outbox_withdraw(s, b->id, notify_kind_name(stale[i]),
		        why, &count, err) != 0)
			return -1;
		total += count;
	}
	if (total > 0) {
		char detail[48];

		snprintf(detail, sizeof detail, "%u message(s)", total);
		if (store_event_add(
		        s, b->id, now, "system", "withdrawn", detail, err) != 0)
			return -1;
	}
	return 0;
}

/* move_answered: a citizen who confirms or cancels a booking the office
 * moved has answered the move: kept (TAK, the confirm link) or declined
 * (NIE, the cancel link). The register shows it. */
static int
move_answered(struct store *s, struct booking *b, enum booking_action action,
    const struct actor *actor, struct error *err)
{
	const char *answer;

	if (actor_is_operator(actor) || strcmp(b->move_answer, "asked") != 0 ||
	    (action != ACTION_CONFIRM && action != ACTION_CANCEL))
		return 0;
	answer = action == ACTION_CONFIRM ? "kept" : "declined";
	if (store_booking_set_move(s, b->id, 0, answer, err) != 0)
		return -1;
	snprintf(b->move_answer, sizeof b->move_answer, "%s", answer);
	return 0;
}

/* apply: one action on a booking already read inside the transaction;
 * reason (NULL: none) is the office's word to the citizen on a
 * cancellation: it goes into the message and the booking's events (erased
 * with its personal data), the audit row keeps only that one was given */
static int
apply(struct store *s, const struct config *c, struct booking *b,
    enum booking_action action, const struct actor *actor, const char *reason,
    time_t now, struct error *err)
{
	enum booking_status next, before = b->status;
	struct notify_extra x;
	int notice;

	if (booking_may(actor, action, err) != 0)
		return -1;
	if (booking_next(b->status, action, &next) != 0)
		return error_set_code(err, ERROR_CONFLICT, "wrong_state", NULL,
		    "A %s booking"
		    " cannot be %s.",
		    booking_status_name(b->status),
		    action == ACTION_CONFIRM  ? "confirmed"
		    : action == ACTION_CANCEL ? "cancelled"
		                              : "changed this way");
	/* a pending booking can be confirmed only until it expires, even if
	 * the gateway has not run the expiry yet */
	if (action == ACTION_CONFIRM && b->status == BOOKING_PENDING &&
	    now > b->confirm_by)
		return error_set_code(err, ERROR_CONFLICT, "confirm_expired",
		    NULL, "The time to confirm this booking has passed.");
	if (booking_guard(c, b, action, now, err) != 0 ||
	    (action == ACTION_CHECK_IN &&
	        reception_admit(s, c, b, now, err) != 0))
		return -1;
	/* read back: the desk timestamps are the database's */
	if (store_booking_transition(s, b->id, b->status, next, now, err) !=
	        0 ||
	    store_booking_get(s, b->id, b, err) != 0)
		return -1;
	/* the access code tells the visit's details: the reminders count
	 * from it (a reminder whose moment has passed is not sent after it) */
	if (action == ACTION_CONFIRM &&
	    (issue_access_code(s, b, err) != 0 ||
	        store_booking_set_reminded(s, b->id, now, err) != 0))
		return -1;
	if (action == ACTION_CONFIRM)
		b->reminded_at = now;
	if (reason == NULL) {
		if (booking_log(s, actor, b, booking_action_name(action),
		        booking_status_name(before), booking_status_name(next),
		        NULL, now, err) != 0)
			return -1;
	} else {
		char who[96], size[48], name[40];

		actor_describe(actor, who, sizeof who);
		snprintf(
		    size, sizeof size, "reason: %zu bytes", strlen(reason));
		snprintf(name, sizeof name, "booking.%s",
		    booking_action_name(action));
		if (store_event_add(s, b->id, now, who,
		        booking_action_name(action), reason, err) != 0 ||
		    audit_record(s, actor, name, b->id,
		        booking_status_name(before), booking_status_name(next),
		        size, now, err) != 0)
			return -1;
	}
	/* a visit that is off: what is still queued about it (a reminder
	 * held through the quiet hours, a move's notice) must not follow */
	if ((next == BOOKING_CANCELLED || next == BOOKING_EXPIRED) &&
	    withdraw_queued(s, b,
	        next == BOOKING_CANCELLED
	            ? "withdrawn: the booking was cancelled"
	            : "withdrawn: the booking expired",
	        now, err) != 0)
		return -1;
	if (move_answered(s, b, action, actor, err) != 0)
		return -1;
	/* an offer from the waitlist passed on by its citizen (NIE, or no
	 * answer in time) is told so in the waitlist's words */
	if (strcmp(b->source, "waitlist") == 0 && before == BOOKING_PENDING &&
	    !actor_is_operator(actor) && action != ACTION_CONFIRM)
		notice = action == ACTION_CANCEL   ? NOTIFY_OFFER_DECLINED
		         : action == ACTION_EXPIRE ? NOTIFY_OFFER_LAPSED
		                                   : -1;
	else
		notice = action_notice(action);
	memset(&x, 0, sizeof x);
	x.reason = reason;
	if (notice >= 0 &&
	    notify_booking_with(s, c, b, (enum notify_kind)notice,
	        NOTIFY_BY_POLICY, NULL, &x, now, err) != 0)
		return -1;
	/* the waitlist follows its offers and gets freed places first */
	return waitlist_after_action(s, c, b, before, action, now, err);
}

bool
booking_action_allowed(const struct config *c, const struct booking *b,
    enum booking_action action, const struct actor *actor, time_t now)
{
	enum booking_status next;

	if (action == ACTION_CONFIRM && b->status == BOOKING_PENDING &&
	    now > b->confirm_by)
		return false;
	/* check-in's window as at arrival now; the building's limit and a
	 * queued person's earlier arrival need the store (reception_admit) */
	if (action == ACTION_CHECK_IN &&
	    (now < b->start - c->reception_check_in_early ||
	        now > b->start + (time_t)b->delay_notified +
	                  c->reception_check_in_late))
		return false;
	return booking_may(actor, action, NULL) == 0 &&
	       booking_next(b->status, action, &next) == 0 &&
	       booking_guard(c, b, action, now, NULL) == 0;
}

int
booking_apply_locked(struct store *s, const struct config *c, struct booking *b,
    enum booking_action action, const struct actor *actor, time_t now,
    struct error *err)
{
	return apply(s, c, b, action, actor, NULL, now, err);
}

static int
apply_once(struct store *s, const struct config *c, const char *reference,
    enum booking_action action, const struct actor *actor, const char *reason,
    time_t now, struct booking *out, struct error *err)
{
	struct booking b;

	if (store_begin(s, err) != 0)
		return -1;
	if (booking_by_reference(s, reference, &b, err) != 0 ||
	    apply(s, c, &b, action, actor, reason, now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking %s booking=%lld ref=%s status=%s",
	    booking_action_name(action), (long long)b.id, b.reference,
	    booking_status_name(b.status));
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* apply_by_reference: apply in a transaction of its own (nested in the
 * caller's, if any), again while the database asks for a retry */
static int
apply_by_reference(struct store *s, const struct config *c,
    const char *reference, enum booking_action action,
    const struct actor *actor, const char *reason, time_t now,
    struct booking *out, struct error *err)
{
	int rc, tries = 0;

	while ((rc = apply_once(s, c, reference, action, actor, reason, now,
	            out, err)) != 0 &&
	       store_retry_wanted(err) && ++tries < RETRIES)
		;
	return rc;
}

int
booking_apply(struct store *s, const struct config *c, const char *reference,
    enum booking_action action, const struct actor *actor, time_t now,
    struct booking *out, struct error *err)
{
	if (action == ACTION_RESCHEDULE)
		return error_set(err, ERROR_INTERNAL, "use booking_reschedule");
	return apply_by_reference(
	    s, c, reference, action, actor, NULL, now, out, err);
}

int
booking_set_status(struct store *s, const struct config *c,
    const char *reference, enum booking_status status,
    const struct actor *actor, time_t now, struct booking *out,
    struct error *err)
{
	enum booking_action action;

	if (booking_action_for_status(status, &action) != 0)
		return error_set_code(err, ERROR_INVALID, "status_invalid",
		    "status", "No one sets a booking to %s.",
		    booking_status_name(status));
	return booking_apply(s, c, reference, action, actor, now, out, err);
}

/* nobody_called: why call-next found nobody: the desk does not exist (a
 * wrong id from a script or a stale page), or nobody waits there */
static void
nobody_called(struct store *s, int64_t desk_id, struct error *err)
{
	struct desk d;
	struct error e;

	error_clear(&e);
	if (store_desk_get(s, desk_id, &d, &e) != 0 &&
	    e.kind == ERROR_NOT_FOUND)
		error_set_code(err, ERROR_NOT_FOUND, "unknown_desk", NULL,
		    "No such desk.");
	else
		error_set_code(err, ERROR_NOT_FOUND, "nobody_waiting", NULL,
		    "Nobody is waiting for this desk.");
}

static int
call_next_once(struct store *s, const struct config *c, int64_t desk_id,
    const struct actor *actor, time_t now, struct booking *out,
    struct error *err)
{
	struct booking b;
	int64_t id;

	(void)c;
	if (booking_may(actor, ACTION_CALL, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	/* the choice and the change are one statement: two desks calling at
	 * once can never get the same person (store.h) */
	if (store_booking_call_next(s, desk_id, date_of(now), now, &id, err) !=
	    0) {
		if (err->kind == ERROR_NOT_FOUND)
			nobody_called(s, desk_id, err);
		goto fail;
	}
	if (store_booking_get(s, id, &b, err) != 0 ||
	    booking_log(s, actor, &b, "call", "waiting", "called", b.desk_name,
	        now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking call booking=%lld ref=%s desk=%lld", (long long)b.id,
	    b.reference, (long long)desk_id);
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
booking_call_next(struct store *s, const struct config *c, int64_t desk_id,
    const struct actor *actor, time_t now, struct booking *out,
    struct error *err)
{
	int rc, tries = 0;

	while (
	    (rc = call_next_once(s, c, desk_id, actor, now, out, err)) != 0 &&
	    store_retry_wanted(err) && ++tries < RETRIES)
		;
	return rc;
}

int
booking_add_note(struct store *s, const struct config *c, const char *reference,
    const char *text, const struct actor *actor, time_t now,
    struct booking *out, struct error *err)
{
	struct booking b;
	char size[32], who[96];

	(void)c;
	if (!actor_at_least(actor, ROLE_STAFF))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only staff may annotate a booking.");
	if (text == NULL || strlen(text) >= sizeof b.note)
		return error_set_code(err, ERROR_INVALID, "note_too_long",
		    "text", "A note is at most %zu bytes.", sizeof b.note - 1);
	if (!utf8_text_valid(text, strlen(text)))
		return error_set_code(err, ERROR_INVALID, "note_invalid",
		    "text", "A note must be text without control characters.");
	if (store_begin(s, err) != 0)
		return -1;
	if (booking_by_reference(s, reference, &b, err) != 0 ||
	    store_booking_set_note(s, b.id, text, err) != 0)
		goto fail;
	snprintf(b.note, sizeof b.note, "%s", text);
	/* the text goes to the booking's events (erased with its personal
	 * data), only its size to the audit log */
	snprintf(size, sizeof size, "%zu bytes", strlen(text));
	actor_describe(actor, who, sizeof who);
	if (store_event_add(s, b.id, now, who, "note", text, err) != 0)
		goto fail;
	if (audit_record(s, actor, "booking.note", b.id, NULL, NULL, size, now,
	        err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

static int
reschedule_once(struct store *s, const struct config *c, const char *reference,
    const char *new_start, int64_t desk_id, const struct actor *actor,
    time_t now, struct booking *out, struct error *err)
{
	enum booking_status next;
	struct slot_window desk;
	struct service sv;
	struct booking b;
	struct notify_extra x;
	time_t start, old_start;
	int64_t old_desk;
	char before[OTIME_LOCAL_LEN];
	bool new_code = false, office = actor_is_operator(actor);

	if (booking_may(actor, ACTION_RESCHEDULE, err) != 0)
		return -1;
	if (booking_parse_start(new_start, &start, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (booking_by_reference(s, reference, &b, err) != 0)
		goto fail;
	if (booking_next(b.status, ACTION_RESCHEDULE, &next) != 0) {
		error_set_code(err, ERROR_CONFLICT, "wrong_state", NULL,
		    "A %s booking cannot be moved.",
		    booking_status_name(b.status));
		goto fail;
	}
	if (booking_is_offer(&b)) {
		error_set_code(err, ERROR_CONFLICT, "offer_not_movable", NULL,
		    "A place offered from the waitlist is taken (TAK) or passed"
		    " on (NIE), not moved.");
		goto fail;
	}
	if (start == b.start && (desk_id <= 0 || desk_id == b.desk_id)) {
		error_set_code(err, ERROR_CONFLICT, "same_place", "start",
		    "The visit is already at this time and place.");
		goto fail;
	}
	if (store_service_get(s, b.service_id, &sv, err) != 0)
		goto fail;
	if (find_desk(s, c, &sv, start, desk_id, b.id, now, &desk, NULL, err) !=
	    0)
		goto fail;
	old_start = b.start;
	old_desk = b.desk_id;
	otime_format(old_start, before);
	/* codes are unique per day: on another day the old code may belong to
	 * someone else, and reception must never check in the wrong person.
	 * Then it goes before the move (the database holds a code once a day)
	 * and a new one comes after it. */
	if (b.access_code[0] != '\0' &&
	    date_compare(date_of(old_start), date_of(start)) != 0) {
		if (store_code_in_use(
		        s, b.access_code, date_of(start), &new_code, err) != 0)
			goto fail;
		if (new_code && store_booking_set_code(s, b.id, "", err) != 0)
			goto fail;
	}
	if (store_booking_move(s, b.id, desk.desk_id, start,
	        start + (time_t)sv.duration_minutes * 60, err) != 0)
		goto fail;
	if (store_booking_get(s, b.id, &b, err) != 0)
		goto fail;
	if (new_code && issue_access_code(s, &b, err) != 0)
		goto fail;
	/* the move's message tells the new time: every reminder of the list
	 * whose moment for the new time is still ahead is owed again, counted
	 * from now (store_bookings_to_remind); one whose moment has passed is
	 * not, the notice below tells the new time instead */
	if (store_booking_set_reminded(s, b.id, now, err) != 0)
		goto fail;
	/* the office asks whether the new time suits; the citizen's own
	 * change needs no answer */
	if (store_booking_set_move(
	        s, b.id, office ? now : 0, office ? "asked" : "", err) != 0 ||
	    store_booking_get(s, b.id, &b, err) != 0)
		goto fail;
	if (booking_log(s, actor, &b, "reschedule", before, new_start,
	        old_desk != b.desk_id ? b.desk_name : new_start, now, err) != 0)
		goto fail;
	if (withdraw_queued(
	        s, &b, "withdrawn: the visit was moved", now, err) != 0)
		goto fail;
	memset(&x, 0, sizeof x);
	x.old_start = old_start;
	if (notify_booking_with(s, c, &b,
	        office ? NOTIFY_MOVED : NOTIFY_RESCHEDULED, NOTIFY_BY_POLICY,
	        NULL, &x, now, err) != 0 ||
	    waitlist_after_move(s, c, &b, old_start, now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking rescheduled booking=%lld ref=%s by=%s",
	    (long long)b.id, b.reference, office ? "office" : "citizen");
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
booking_cancel_because(struct store *s, const struct config *c,
    const char *reference, const char *reason, const struct actor *actor,
    time_t now, struct booking *out, struct error *err)
{
	bool said = reason != NULL && reason[0] != '\0';

	if (said && !actor_at_least(actor, ROLE_STAFF))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only staff give a reason for a cancellation.");
	if (said && strlen(reason) > REASON_MAX_BYTES)
		return error_set_code(err, ERROR_INVALID, "reason_too_long",
		    "reason", "A reason is at most %d bytes.",
		    REASON_MAX_BYTES);
	if (said && !utf8_text_valid(reason, strlen(reason)))
		return error_set_code(err, ERROR_INVALID, "reason_invalid",
		    "reason",
		    "A reason must be text without control characters.");
	return apply_by_reference(s, c, reference, ACTION_CANCEL, actor,
	    said ? reason : NULL, now, out, err);
}

int
booking_keep_moved(struct store *s, const struct config *c,
    const char *reference, const struct actor *actor, unsigned ack,
    const char *in_reply_to, time_t now, struct booking *out, struct error *err)
{
	struct booking b;
	char who[96];

	if (actor_is_operator(actor) || actor->channel == VIA_SYSTEM ||
	    actor->channel == VIA_CLI)
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only the citizen answers the office's move.");
	if (store_begin(s, err) != 0)
		return -1;
	if (booking_by_reference(s, reference, &b, err) != 0)
		goto fail;
	if (strcmp(b.move_answer, "asked") != 0 ||
	    !booking_status_open(b.status)) {
		error_set_code(err, ERROR_CONFLICT, "nothing_to_keep", NULL,
		    "No move of this booking waits for an answer.");
		goto fail;
	}
	/* a booking still pending is confirmed by the same word: apply()
	 * marks the move kept */
	if (b.status == BOOKING_PENDING) {
		if (apply(s, c, &b, ACTION_CONFIRM, actor, NULL, now, err) != 0)
			goto fail;
	} else {
		actor_describe(actor, who, sizeof who);
		if (store_booking_set_move(s, b.id, 0, "kept", err) != 0 ||
		    store_event_add(s, b.id, now, who, "move_kept", "", err) !=
		        0)
			goto fail;
		snprintf(b.move_answer, sizeof b.move_answer, "kept");
		if (ack != 0 && notify_booking(s, c, &b, NOTIFY_MOVE_KEPT, ack,
		                    in_reply_to, now, err) != 0)
			goto fail;
	}
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking move kept booking=%lld ref=%s", (long long)b.id,
	    b.reference);
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
booking_reschedule(struct store *s, const struct config *c,
    const char *reference, const char *new_start, int64_t desk_id,
    const struct actor *actor, time_t now, struct booking *out,
    struct error *err)
{
	int rc, tries = 0;

	while ((rc = reschedule_once(s, c, reference, new_start, desk_id, actor,
	            now, out, err)) != 0 &&
	       store_retry_wanted(err) && ++tries < RETRIES)
		;
	return rc;
}

bool
booking_check_contact(const struct booking *b, const char *contact)
{
	char phone[20];
	struct error err;

	if (contact == NULL || contact[0] == '\0')
		return false;
	if (strchr(contact, '@') != NULL)
		/* the same mailbox however it is written (case, IDN forms),
		 * compared in constant time */
		return b->email[0] != '\0' && email_same(contact, b->email);
	if (b->phone[0] == '\0' ||
	    phone_normalize(contact, phone, sizeof phone, &err) != 0)
		return false;
	return token_equal(phone, b->phone);
}

int
booking_slots(struct store *s, const struct config *c, int64_t service_id,
    struct date day, time_t now, struct slot **out, size_t *n,
    struct error *err)
{
	return booking_slots_for(s, c, service_id, day, NULL, now, out, n, err);
}

int
booking_slots_for(struct store *s, const struct config *c, int64_t service_id,
    struct date day, const struct actor *actor, time_t now, struct slot **out,
    size_t *n, struct error *err)
{
	struct slot_window *windows = NULL;
	struct slot_busy *busy = NULL;
	struct slot_request req;
	struct service sv;
	size_t nwindows = 0, nbusy = 0;
	time_t day_start, day_end;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (store_read_begin(s, err) != 0)
		return -1;
	if (service_get(s, service_id, actor, &sv, err) != 0 ||
	    booking_day_windows(s, &sv, day, &windows, &nwindows, err) != 0)
		goto out;
	if (nwindows == 0) {
		rc = 0;
		goto out;
	}
	/* the whole local day, even across a DST change: 00:00 to next 00:00 */
	if (otime_make(day, 0, &day_start) != 0 ||
	    otime_make(date_add_days(day, 1), 0, &day_end) != 0) {
		day_start = 0;
		day_end = (time_t)1 << 40;
	}
	if (store_busy_between(s, day_start, day_end, &busy, &nbusy, err) != 0)
		goto out;
	memset(&req, 0, sizeof req);
	req.day = day;
	req.duration_minutes = sv.duration_minutes;
	req.now = now;
	req.earliest = now + booking_lead_time(c, &sv);
	req.latest = now + booking_horizon(c, &sv);
	req.windows = windows;
	req.nwindows = nwindows;
	req.busy = busy;
	req.nbusy = nbusy;
	if (slot_generate(&req, out, n) != 0) {
		error_set(
		    err, ERROR_INTERNAL, "slot generation refused the request");
		goto out;
	}
	rc = 0;
out:
	store_read_end(s);
	free(windows);
	free(busy);
	return rc;
}

/* ---- what the waitlist shares ------------------------------------------- */

int
booking_check_person(const struct config *c, const struct booking_request *r,
    char *email, size_t email_size, char *phone, size_t phone_size,
    struct error *err)
{
	struct booking b;

	memset(&b, 0, sizeof b);
	if (check_name(r->first_name, "first_name", "first name", err) != 0 ||
	    check_name(r->last_name, "last_name", "last name", err) != 0 ||
	    check_contact(c, r, &b, err) != 0)
		return -1;
	if (r->language != NULL && r->language[0] != '\0' &&
	    strcmp(r->language, "pl") != 0 && strcmp(r->language, "en") != 0)
		return error_set_code(err, ERROR_INVALID, "language_invalid",
		    "language", "The language must be pl or en.");
	snprintf(email, email_size, "%s", b.email);
	snprintf(phone, phone_size, "%s", b.phone);
	return 0;
}

int
booking_check_opt_out(struct store *s, const struct config *c,
    const char *email, const char *phone, struct error *err)
{
	struct booking b;

	memset(&b, 0, sizeof b);
	snprintf(b.email, sizeof b.email, "%s", email);
	snprintf(b.phone, sizeof b.phone, "%s", phone);
	return check_opt_out(s, c, &b, err);
}

int
booking_client_hash(struct store *s, const char *client, char *out, size_t size,
    struct error *err)
{
	char key[CLIENT_KEY_LEN + 1];
	struct client_hashes h;

	if (client_key(s, key, err) != 0 ||
	    client_addr_hash(client, key, &h, err) != 0)
		return -1;
	snprintf(out, size, "%s", h.host);
	return 0;
}

const char *
booking_source_of(const struct actor *actor)
{
	/* staff on a citizen's behalf, the API, the site */
	return actor_at_least(actor, ROLE_STAFF) ? "staff"
	       : actor->channel == VIA_API       ? "api"
	                                         : "web";
}

const char *
booking_language(const char *language)
{
	return language != NULL && strcmp(language, "en") == 0 ? "en" : "pl";
}

bool
booking_is_offer(const struct booking *b)
{
	return strcmp(b->source, "waitlist") == 0 &&
	       b->status == BOOKING_PENDING;
}

/* offer_limits: the person may hold one more open booking (the office's
 * max_open_per_contact and the service's max_open_per_person, as for a
 * booking of their own) */
static int
offer_limits(struct store *s, const struct config *c, const struct service *sv,
    const struct booking *b, time_t now, struct error *err)
{
	unsigned open;

	if (c->web_max_open_per_contact > 0) {
		if (store_bookings_open_by_contact(
		        s, b->email, b->phone, now, &open, err) != 0)
			return -1;
		if (open >= c->web_max_open_per_contact)
			return error_set_code(err, ERROR_LIMIT,
			    "too_many_open_bookings", NULL,
			    "This person already has %u open bookings.", open);
	}
	return check_service_limit(s, sv, b, now, err);
}

int
booking_offer(struct store *s, const struct config *c,
    const struct waitlist_entry *e, time_t start, int64_t desk_id, time_t now,
    struct booking *out, struct error *err)
{
	struct actor system = actor_system();
	struct slot_window desk;
	struct service sv;
	struct booking b;
	char detail[48];

	memset(&b, 0, sizeof b);
	if (store_begin(s, err) != 0)
		return -1;
	if (store_service_get(s, e->service_id, &sv, err) != 0 ||
	    find_desk(s, c, &sv, start, desk_id, 0, now, &desk, NULL, err) != 0)
		goto fail;
	snprintf(b.email, sizeof b.email, "%s", e->email);
	snprintf(b.phone, sizeof b.phone, "%s", e->phone);
	if (offer_limits(s, c, &sv, &b, now, err) != 0)
		goto fail;
	b.service_id = sv.id;
	b.desk_id = desk.desk_id;
	b.start = start;
	b.end = start + (time_t)sv.duration_minutes * 60;
	b.status = BOOKING_PENDING;
	b.created_at = now;
	b.confirm_by = now + c->waitlist_hold;
	snprintf(b.first_name, sizeof b.first_name, "%s", e->first_name);
	snprintf(b.last_name, sizeof b.last_name, "%s", e->last_name);
	snprintf(b.language, sizeof b.language, "%s", e->language);
	snprintf(b.source, sizeof b.source, "waitlist");
	token_hex(b.token, 8);
	snprintf(b.service_name, sizeof b.service_name, "%s", sv.name);
	snprintf(b.service_name_en, sizeof b.service_name_en, "%s", sv.name_en);
	snprintf(b.desk_name, sizeof b.desk_name, "%s", desk.desk_name);
	/* a conflict: a reference drawn twice, or (the unique index) the
	 * person holds an offer already */
	if (insert_drawn(s, &b, err) != 0)
		goto fail;
	snprintf(detail, sizeof detail, "waitlist %s", e->reference);
	if (booking_log(s, &system, &b, "offer", NULL, "pending", detail, now,
	        err) != 0 ||
	    notify_booking(s, c, &b, NOTIFY_WAITLIST_OFFER, NOTIFY_BY_POLICY,
	        NULL, now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
booking_offer_withdraw(struct store *s, const struct config *c,
    const struct booking *offer, time_t now, struct error *err)
{
	struct actor system = actor_system();
	struct booking b = *offer;

	(void)c;
	if (!booking_is_offer(&b))
		return 0;
	if (store_booking_transition(
	        s, b.id, BOOKING_PENDING, BOOKING_CANCELLED, now, err) != 0)
		return -1;
	b.status = BOOKING_CANCELLED;
	return booking_log(s, &system, &b, "offer_withdrawn", "pending",
	    "cancelled", "booked otherwise", now, err);
}

int
booking_expire_due(struct store *s, const struct config *c, time_t now,
    unsigned *count, struct error *err)
{
	struct actor system = actor_system();
	int64_t *ids = NULL;
	size_t n, i;

	*count = 0;
	if (store_bookings_expired(s, now, &ids, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct booking b;
		struct error e;

		error_clear(&e);
		if (store_booking_get(s, ids[i], &b, &e) != 0)
			continue;
		/* a confirmation may win the race: then the expiry is illegal
		 * and booking_apply refuses it, which is what we want */
		if (booking_apply(s, c, b.reference, ACTION_EXPIRE, &system,
		        now, NULL, &e) == 0)
			(*count)++;
		else if (e.kind != ERROR_CONFLICT) {
			*err = e;
			free(ids);
			return -1;
		}
	}
	free(ids);
	return 0;
}

/* due_reminder: the reminder of the list owed to b now — the latest one
 * whose moment has come and came after the last time b was told its
 * details (reminded_at) or was made; -1 when none (store.h,
 * store_bookings_to_remind, asks the same in SQL) */
static int
due_reminder(const struct config *c, const struct booking *b, time_t now)
{
	time_t since =
	    b->reminded_at > b->created_at ? b->reminded_at : b->created_at;
	int i, pick = -1;

	for (i = 0; i < (int)c->reminders.n; i++) {
		time_t at = b->start - c->reminders.item[i].before;

		/* longest first: the last that fits is the latest moment */
		if (at <= now && at > since)
			pick = i;
	}
	return pick;
}

int
booking_remind_due(struct store *s, const struct config *c, time_t now,
    unsigned *count, struct error *err)
{
	int64_t before[REMINDERS_MAX], *ids = NULL;
	size_t n, i;
	unsigned k;

	*count = 0;
	if (c->reminders.n == 0)
		return 0;
	for (k = 0; k < c->reminders.n; k++)
		before[k] = c->reminders.item[k].before;
	if (store_bookings_to_remind(
	        s, now, before, c->reminders.n, &ids, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		const struct reminder *r;
		struct booking b;
		unsigned mask;
		int pick;

		if (store_begin(s, err) != 0)
			goto fail_quiet;
		if (store_booking_get(s, ids[i], &b, err) != 0)
			goto fail;
		if (b.status != BOOKING_BOOKED ||
		    (pick = due_reminder(c, &b, now)) < 0) {
			store_rollback(s);
			continue;
		}
		/* a reminder may name its own channels ("2h:sms"); the others
		 * follow [channels] reminder */
		r = &c->reminders.item[pick];
		if (notify_channels_for(s, c,
		        r->policy >= 0 ? (enum channel_policy)r->policy
		                       : c->channels[MESSAGE_REMINDER],
		        &b, &mask, err) != 0 ||
		    notify_booking(
		        s, c, &b, NOTIFY_REMINDER, mask, NULL, now, err) != 0)
			goto fail;
		if (store_booking_set_reminded(s, b.id, now, err) != 0 ||
		    store_commit(s, err) != 0)
			goto fail;
		(*count)++;
	}
	free(ids);
	return 0;
fail:
	store_rollback(s);
fail_quiet:
	free(ids);
	return -1;
}

/* collect: keep one more field error, if there is room */
static void
collect(struct error *errs, size_t *n, size_t max, struct error *e)
{
	if (*n < max)
		errs[(*n)++] = *e;
	error_clear(e);
}

/*
 * booking_request_errors: every field check booking_create makes, run all
 * (booking_create stops at the first), so a form can show each problem at
 * once. No store access: what needs the database (the slot, the service,
 * limits) is booking_create's.
 */
size_t
booking_request_errors(const struct config *c, const struct booking_request *r,
    struct error *errs, size_t max)
{
	const char *email = r->email != NULL ? r->email : "";
	const char *phone = r->phone != NULL ? r->phone : "";
	bool sms = strcmp(c->sms_provider, "none") != 0;
	char normalized[256];
	struct error e;
	size_t n = 0, before;

	error_clear(&e);
	if (check_name(r->first_name, "first_name", "first name", &e) != 0)
		collect(errs, &n, max, &e);
	if (check_name(r->last_name, "last_name", "last name", &e) != 0)
		collect(errs, &n, max, &e);
	before = n;
	if (email[0] != '\0' &&
	    email_normalize(email, normalized, sizeof normalized, &e) != 0)
		collect(errs, &n, max, &e);
	if (phone[0] != '\0' &&
	    (phone_normalize(phone, normalized, sizeof normalized, &e) != 0 ||
	        (sms &&
	            phone_sms_allowed(normalized, c->sms_countries, &e) != 0)))
		collect(errs, &n, max, &e);
	/* what check_contact says when the contacts themselves are fine
	 * (none given, or none the office can use) */
	if (n == before) {
		struct booking b;

		memset(&b, 0, sizeof b);
		if (check_contact(c, r, &b, &e) != 0)
			collect(errs, &n, max, &e);
	}
	return n;
}
