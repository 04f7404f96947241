/*
 * waitlist.c: the waitlist of a full day (waitlist.h says the rules).
 *
 * Every public function is one transaction, or joins its caller's (the
 * hooks: store_begin nests as a savepoint), so a freed place is held for
 * the next person in the very transaction that freed it, with the offer's
 * messages in the outbox beside it: a killed gateway or web process never
 * loses an offer nor gives a place twice.
 *
 * The offer itself is booking.c's (booking_offer): a pending booking of
 * source "waitlist" whose confirm_by is the hold. So TAK is a confirmation
 * like any other and the expiry timer ends a hold like any other; this
 * file only follows what happened to it (waitlist_after_action).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "booking.h"
#include "email.h"
#include "log.h"
#include "notify.h"
#include "phone.h"
#include "token.h"
#include "waitlist.h"

static const char *const status_names[WAITLIST_STATUS_COUNT] = {"waiting",
    "offered", "booked", "declined", "lapsed", "left", "ended", "superseded"};

const char *
waitlist_status_name(enum waitlist_status st)
{
	return (unsigned)st < WAITLIST_STATUS_COUNT ? status_names[st]
	                                            : "unknown";
}

int
waitlist_status_parse(const char *name, enum waitlist_status *out)
{
	int i;

	for (i = 0; i < WAITLIST_STATUS_COUNT; i++)
		if (strcmp(status_names[i], name) == 0) {
			*out = (enum waitlist_status)i;
			return 0;
		}
	return -1;
}

bool
waitlist_status_active(enum waitlist_status st)
{
	return st == WAITLIST_WAITING || st == WAITLIST_OFFERED;
}

int
waitlist_parse_time(const char *text, int *minutes)
{
	if (text != NULL && strcmp(text, "24:00") == 0) {
		*minutes = 24 * 60;
		return 0;
	}
	return text != NULL ? otime_parse_hhmm(text, minutes) : -1;
}

void
waitlist_format_time(int minutes, char out[6])
{
	unsigned m = minutes < 0         ? 0
	             : minutes > 24 * 60 ? 24 * 60
	                                 : (unsigned)minutes;

	snprintf(out, 6, "%02u:%02u", (m / 60) % 100, m % 60);
}

/* store_trouble: an error of the store itself (not an answer about the
 * data): the whole transaction must fail */
static bool
store_trouble(const struct error *err)
{
	return err->kind == ERROR_IO || err->kind == ERROR_TEMPORARY ||
	       err->kind == ERROR_INTERNAL;
}

/* the earliest start an offer may have now: a TAK at the end of the hold
 * must still meet the service's lead time */
static time_t
offer_earliest(const struct config *c, const struct service *sv, time_t now)
{
	return now + booking_lead_time(c, sv) + c->waitlist_hold;
}

/* fits: does a visit of sv starting at start lie in e's window? */
static bool
fits(const struct waitlist_entry *e, const struct service *sv, time_t start)
{
	int minute = otime_minute_of_day(start);

	return minute >= e->window_from &&
	       minute + (int)sv->duration_minutes <= e->window_to;
}

/* ---- offering the free places of a day ---------------------------------- */

/* offers_quiet: no offer is made through the [sms] quiet hours. Its hold
 * (minutes) would pass while the person sleeps, and the place would go
 * down the line by messages nobody reads; a place freed then stays free
 * (anyone may book it) and the gateway's timer offers it when the hours
 * end. */
static bool
offers_quiet(const struct config *c, time_t now)
{
	time_t until;

	return notify_quiet_until(c, now, &until);
}

/* offer_one: hold the earliest free place fitting e, in a savepoint of its
 * own; 1 offered, 0 nothing for e (no place fits, a limit of theirs, the
 * place taken meanwhile), -1 the store failed */
static int
offer_one(struct store *s, const struct config *c, const struct service *sv,
    struct waitlist_entry *e, const struct slot *slots, size_t n, time_t now,
    struct error *err)
{
	struct booking offer;
	struct error e2;
	int64_t held;
	size_t i;

	error_clear(&e2);
	/* one open offer per person: they are offered in turns */
	if (store_waitlist_open_offer(s, e->email, e->phone, &held, err) != 0)
		return -1;
	if (held > 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (slots[i].start < offer_earliest(c, sv, now) ||
		    !fits(e, sv, slots[i].start))
			continue;
		if (store_begin(s, err) != 0)
			return -1;
		if (booking_offer(s, c, e, slots[i].start, slots[i].desk_id,
		        now, &offer, &e2) != 0 ||
		    store_waitlist_set_offer(s, e->id, offer.id, &e2) != 0) {
			store_rollback(s);
			if (store_trouble(&e2)) {
				*err = e2;
				return -1;
			}
			/* the timer tries again: a debug line, not a flood */
			log_debug("waitlist offer skipped entry=%lld: %s",
			    (long long)e->id, e2.msg);
			if (e2.kind == ERROR_CONFLICT &&
			    strcmp(e2.code, "slot_taken") == 0)
				continue;
			return 0;
		}
		if (store_commit(s, err) != 0)
			return -1;
		log_info("waitlist offer entry=%lld booking=%lld ref=%s",
		    (long long)e->id, (long long)offer.id, offer.reference);
		return 1;
	}
	return 0;
}

int
waitlist_offer_places(struct store *s, const struct config *c,
    int64_t service_id, struct date day, time_t now, unsigned *offered,
    struct error *err)
{
	struct waitlist_entry *line = NULL;
	struct service sv;
	bool *tried = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (offered != NULL)
		*offered = 0;
	if (offers_quiet(c, now))
		return 0;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_waitlist_line(s, service_id, day, &line, &n, err) != 0)
		goto fail;
	for (i = 0; i < n && line[i].status != WAITLIST_WAITING; i++)
		;
	if (i == n) {
		free(line);
		return store_commit(s, err);
	}
	if (store_service_get(s, service_id, &sv, err) != 0)
		goto fail;
	/* a retired or staff-only service offers nobody anything; a service
	 * whose waitlist was turned off still serves the people in line */
	if (!sv.active || sv.staff_only) {
		free(line);
		return store_commit(s, err);
	}
	if ((tried = calloc(n, sizeof *tried)) == NULL)
		abort();
	for (;;) {
		struct slot *slots = NULL;
		size_t nslots = 0;
		int made = 0;

		if (booking_slots(
		        s, c, service_id, day, now, &slots, &nslots, err) != 0)
			goto fail;
		for (i = 0; i < n && nslots > 0 && made == 0; i++) {
			if (tried[i] || line[i].status != WAITLIST_WAITING)
				continue;
			tried[i] = true;
			made = offer_one(
			    s, c, &sv, &line[i], slots, nslots, now, err);
			if (made > 0)
				line[i].status = WAITLIST_OFFERED;
		}
		free(slots);
		if (made < 0)
			goto fail;
		if (made == 0)
			break;
		if (offered != NULL)
			(*offered)++;
	}
	rc = store_commit(s, err);
	free(line);
	free(tried);
	return rc;
fail:
	store_rollback(s);
	free(line);
	free(tried);
	return -1;
}

/* ---- joining --------------------------------------------------------------
 */

/* day_offerable: could any place of this day in the window still be
 * offered (its start far enough ahead)? */
static bool
day_offerable(const struct config *c, const struct service *sv, struct date day,
    const struct slot_window *w, size_t n, int from, int to, time_t now)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int m;

		for (m = w[i].opens;
		     m + (int)sv->duration_minutes <= w[i].closes;
		     m += (int)sv->duration_minutes) {
			time_t start;

			if (m < from || m + (int)sv->duration_minutes > to ||
			    otime_make(day, m, &start) != 0)
				continue;
			if (start >= offer_earliest(c, sv, now))
				return true;
		}
	}
	return false;
}

/* window_open: does [from, to) meet the day's hours for whole visits? */
static bool
window_open(const struct service *sv, const struct slot_window *w, size_t n,
    int from, int to)
{
	size_t i;
	int m;

	for (i = 0; i < n; i++)
		for (m = w[i].opens;
		     m + (int)sv->duration_minutes <= w[i].closes;
		     m += (int)sv->duration_minutes)
			if (m >= from && m + (int)sv->duration_minutes <= to)
				return true;
	return false;
}

/* check_day: the day and window of a request, against the service's
 * calendar; no write */
static int
check_day(struct store *s, const struct config *c, const struct service *sv,
    struct date day, int from, int to, time_t now, struct error *err)
{
	struct slot_window *w = NULL;
	struct slot *slots = NULL;
	size_t n = 0, nslots = 0, i;
	time_t day_start;
	int rc = -1;

	if (date_compare(day, date_of(now)) < 0)
		return error_set_code(err, ERROR_INVALID, "day_past", "date",
		    "This day has passed.");
	if (otime_make(day, 0, &day_start) != 0 ||
	    day_start > now + booking_horizon(c, sv))
		return error_set_code(err, ERROR_INVALID, "outside_horizon",
		    "date", "This day is too far ahead to book.");
	if (booking_day_windows(s, sv, day, &w, &n, err) != 0)
		return -1;
	if (n == 0) {
		error_set_code(err, ERROR_INVALID, "office_closed", "date",
		    "The office does not offer this service on that day.");
		goto out;
	}
	if (!window_open(sv, w, n, from, to)) {
		error_set_code(err, ERROR_INVALID, "window_closed", "from",
		    "The office does not offer this service at those hours"
		    " of that day.");
		goto out;
	}
	if (!day_offerable(c, sv, day, w, n, from, to, now)) {
		error_set_code(err, ERROR_INVALID, "too_late_to_wait", "date",
		    "No place of that day could still be offered in time:"
		    " choose another day.");
		goto out;
	}
	/* a place in the window that can be booked now: book it instead */
	if (booking_slots(s, c, sv->id, day, now, &slots, &nslots, err) != 0)
		goto out;
	for (i = 0; i < nslots; i++) {
		int m = otime_minute_of_day(slots[i].start);

		if (m >= from && m + (int)sv->duration_minutes <= to) {
			error_set_code(err, ERROR_CONFLICT, "places_free", NULL,
			    "Places are still free that day: book one"
			    " instead.");
			goto out;
		}
	}
	rc = 0;
out:
	free(w);
	free(slots);
	return rc;
}

/* check_limits: how many lines the person and the client address stand
 * in (citizens only) */
static int
check_limits(struct store *s, const struct config *c,
    const struct waitlist_entry *e, struct error *err)
{
	unsigned n;

	if (c->waitlist_max_per_contact > 0) {
		if (store_waitlist_count_contact(
		        s, e->email, e->phone, &n, err) != 0)
			return -1;
		if (n >= c->waitlist_max_per_contact)
			return error_set_code(err, ERROR_LIMIT,
			    "too_many_waitlists", NULL,
			    "This e-mail address or phone number already waits"
			    " in %u lines (at most %u): leave one first.",
			    n, c->waitlist_max_per_contact);
	}
	if (c->waitlist_max_per_address > 0 && e->client_hash[0] != '\0') {
		if (store_waitlist_count_client(s, e->client_hash, &n, err) !=
		    0)
			return -1;
		if (n >= c->waitlist_max_per_address)
			return error_set_code(err, ERROR_LIMIT,
			    "too_many_waitlists_address", NULL,
			    "Too many people joined waitlists from this "
			    "address:"
			    " try again later.");
	}
	return 0;
}

/* read_window: the request's from/to into minutes (the whole day when
 * absent) */
static int
read_window(
    const struct waitlist_request *r, int *from, int *to, struct error *err)
{
	*from = 0;
	*to = 24 * 60;
	if (r->from != NULL && r->from[0] != '\0' &&
	    (waitlist_parse_time(r->from, from) != 0 || *from >= 24 * 60))
		return error_set_code(err, ERROR_INVALID, "time_invalid",
		    "from", "from must be a time HH:MM.");
	if (r->to != NULL && r->to[0] != '\0' &&
	    waitlist_parse_time(r->to, to) != 0)
		return error_set_code(err, ERROR_INVALID, "time_invalid", "to",
		    "to must be a time HH:MM.");
	if (*from >= *to)
		return error_set_code(err, ERROR_INVALID, "window_invalid",
		    "to", "to must be later than from.");
	return 0;
}

/* already_booked: an open booking of the person for that service and day */
static int
already_booked(
    struct store *s, const struct waitlist_entry *e, struct error *err)
{
	struct booking_filter f;
	struct booking *list = NULL;
	size_t n = 0, i;
	int found = 0;

	memset(&f, 0, sizeof f);
	f.from = f.to = e->day;
	f.service_id = e->service_id;
	f.status = -1;
	f.live_only = true;
	f.limit = 5000;
	if (store_bookings_search(s, &f, &list, &n, err) != 0)
		return -1;
	for (i = 0; i < n && !found; i++)
		if (booking_status_open(list[i].status) &&
		    ((e->email[0] != '\0' &&
		         email_same(list[i].email, e->email)) ||
		        (e->phone[0] != '\0' &&
		            strcmp(list[i].phone, e->phone) == 0)))
			found = 1;
	free(list);
	if (found)
		return error_set_code(err, ERROR_CONFLICT, "already_booked",
		    NULL,
		    "This e-mail address or phone number already has a visit"
		    " for this service that day.");
	return 0;
}

/* audit_waitlist: an operator's change of an entry (never the person's
 * name or contacts: the entry's reference) */
static int
audit_waitlist(struct store *s, const struct actor *actor, const char *action,
    const struct waitlist_entry *e, const char *before, const char *after,
    time_t now, struct error *err)
{
	char detail[64];

	snprintf(detail, sizeof detail, "waitlist %s", e->reference);
	return audit_record(
	    s, actor, action, 0, before, after, detail, now, err);
}

/* entry_reload: the entry as stored now, with its position */
static int
entry_reload(struct store *s, struct waitlist_entry *e, struct error *err)
{
	return store_waitlist_get(s, e->id, e, err);
}

int
waitlist_join(struct store *s, const struct config *c,
    const struct waitlist_request *r, const struct actor *actor, time_t now,
    struct waitlist_entry *out, struct error *err)
{
	bool staff = actor_at_least(actor, ROLE_STAFF);
	struct booking_request br;
	struct waitlist_entry e;
	struct service sv;
	int from, to, tries;

	memset(&e, 0, sizeof e);
	if (!staff &&
	    (actor_is_operator(actor) || actor->channel == VIA_SYSTEM ||
	        actor->channel == VIA_CLI))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only citizens and staff put someone on a waitlist.");
	memset(&br, 0, sizeof br);
	br.service_id = r->service_id;
	br.first_name = r->first_name;
	br.last_name = r->last_name;
	br.email = r->email;
	br.phone = r->phone;
	br.language = r->language;
	if (r->date == NULL || date_parse(r->date, &e.day) != 0)
		return error_set_code(err, ERROR_INVALID, "date_invalid",
		    "date", "date must be a day YYYY-MM-DD.");
	if (read_window(r, &from, &to, err) != 0 ||
	    booking_check_person(c, &br, e.email, sizeof e.email, e.phone,
	        sizeof e.phone, err) != 0)
		return -1;
	e.service_id = r->service_id;
	e.window_from = from;
	e.window_to = to;
	e.status = WAITLIST_WAITING;
	snprintf(e.first_name, sizeof e.first_name, "%s", r->first_name);
	snprintf(e.last_name, sizeof e.last_name, "%s", r->last_name);
	snprintf(
	    e.language, sizeof e.language, "%s", booking_language(r->language));
	snprintf(e.source, sizeof e.source, "%s", booking_source_of(actor));
	e.created_at = now;
	token_hex(e.token, 8);

	if (store_begin(s, err) != 0)
		return -1;
	if (store_service_get(s, r->service_id, &sv, err) != 0 || !sv.active ||
	    (sv.staff_only && !staff)) {
		if (err != NULL && store_trouble(err))
			goto fail;
		error_set_code(err, ERROR_NOT_FOUND, "unknown_service",
		    "service_id", "No such service.");
		goto fail;
	}
	if (!sv.waitlist) {
		error_set_code(err, ERROR_INVALID, "no_waitlist", "service_id",
		    "This service has no waitlist.");
		goto fail;
	}
	snprintf(e.service_name, sizeof e.service_name, "%s", sv.name);
	snprintf(e.service_name_en, sizeof e.service_name_en, "%s", sv.name_en);
	if (booking_check_opt_out(s, c, e.email, e.phone, err) != 0 ||
	    check_day(s, c, &sv, e.day, from, to, now, err) != 0 ||
	    already_booked(s, &e, err) != 0)
		goto fail;
	if (!staff && r->client != NULL && r->client[0] != '\0' &&
	    booking_client_hash(
	        s, r->client, e.client_hash, sizeof e.client_hash, err) != 0)
		goto fail;
	if (!staff && check_limits(s, c, &e, err) != 0)
		goto fail;
	for (tries = 0;; tries++) {
		token_reference(e.reference);
		if (store_waitlist_insert(s, &e, err) == 0)
			break;
		/* the same person already in this line, or (2^-50) the same
		 * reference drawn twice: draw again */
		if (err->kind != ERROR_CONFLICT ||
		    strcmp(err->code, "already_waiting") == 0 || tries == 3)
			goto fail;
	}
	if (entry_reload(s, &e, err) != 0 ||
	    notify_waitlist(s, c, &e, NOTIFY_WAITLIST_JOINED, NOTIFY_ALL, NULL,
	        now, err) != 0)
		goto fail;
	if (actor_is_operator(actor) && audit_waitlist(s, actor, "waitlist.add",
	                                    &e, NULL, "waiting", now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("waitlist joined entry=%lld service=%lld position=%u",
	    (long long)e.id, (long long)e.service_id, e.position);
	if (out != NULL)
		*out = e;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
waitlist_day_check(struct store *s, const struct config *c, int64_t service_id,
    struct date day, int from, int to, time_t now, struct error *err)
{
	struct service sv;

	if (store_service_get(s, service_id, &sv, err) != 0 || !sv.active ||
	    sv.staff_only) {
		if (err != NULL && store_trouble(err))
			return -1;
		return error_set_code(err, ERROR_NOT_FOUND, "unknown_service",
		    "service_id", "No such service.");
	}
	if (!sv.waitlist)
		return error_set_code(err, ERROR_INVALID, "no_waitlist",
		    "service_id", "This service has no waitlist.");
	return check_day(s, c, &sv, day, from, to, now, err);
}

int
waitlist_get(struct store *s, const char *reference, struct waitlist_entry *e,
    struct error *err)
{
	if (reference == NULL || !token_reference_valid(reference))
		return error_set_code(err, ERROR_NOT_FOUND, "unknown_waitlist",
		    NULL, "No such waitlist entry.");
	if (store_waitlist_by_reference(s, reference, e, err) == 0)
		return 0;
	if (err != NULL && err->kind != ERROR_NOT_FOUND)
		return -1;
	return error_set_code(err, ERROR_NOT_FOUND, "unknown_waitlist", NULL,
	    "No such waitlist entry.");
}

bool
waitlist_check_contact(const struct waitlist_entry *e, const char *contact)
{
	struct booking b;

	/* the same rules as a booking's contact */
	memset(&b, 0, sizeof b);
	snprintf(b.email, sizeof b.email, "%s", e->email);
	snprintf(b.phone, sizeof b.phone, "%s", e->phone);
	return booking_check_contact(&b, contact);
}

int
waitlist_leave(struct store *s, const struct config *c, const char *reference,
    const struct actor *actor, time_t now, struct waitlist_entry *out,
    struct error *err)
{
	struct waitlist_entry e;
	struct booking offer;

	if (actor->channel == VIA_SYSTEM || actor->channel == VIA_CLI ||
	    (actor_is_operator(actor) && !actor_at_least(actor, ROLE_STAFF)))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only the citizen or staff take someone off a waitlist.");
	if (store_begin(s, err) != 0)
		return -1;
	if (waitlist_get(s, reference, &e, err) != 0)
		goto fail;
	switch (e.status) {
	case WAITLIST_LEFT:
	case WAITLIST_DECLINED:
		/* a second click, a reply and a click: done already */
		store_rollback(s);
		if (out != NULL)
			*out = e;
		return 0;
	case WAITLIST_WAITING:
		if (store_waitlist_transition(s, e.id, WAITLIST_WAITING,
		        WAITLIST_LEFT, now, err) != 0 ||
		    entry_reload(s, &e, err) != 0 ||
		    notify_waitlist(s, c, &e, NOTIFY_WAITLIST_LEFT, NOTIFY_ALL,
		        NULL, now, err) != 0)
			goto fail;
		break;
	case WAITLIST_OFFERED:
		/* leaving while holding an offer declines it: the entry ends
		 * declined, the place goes to the next person */
		if (store_booking_get(s, e.booking_id, &offer, err) != 0 ||
		    booking_apply(s, c, offer.reference, ACTION_CANCEL, actor,
		        now, NULL, err) != 0 ||
		    entry_reload(s, &e, err) != 0)
			goto fail;
		break;
	default:
		error_set_code(err, ERROR_CONFLICT, "wrong_state", NULL,
		    "This waitlist entry has already ended (%s).",
		    waitlist_status_name(e.status));
		goto fail;
	}
	if (actor_is_operator(actor) &&
	    audit_waitlist(s, actor, "waitlist.leave", &e, "waiting",
	        waitlist_status_name(e.status), now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("waitlist left entry=%lld", (long long)e.id);
	if (out != NULL)
		*out = e;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/* ---- the hooks ------------------------------------------------------------
 */

/* offer_resolved: what the offer's change means for its entry */
static int
offer_resolved(struct store *s, const struct booking *b,
    enum booking_status before, enum booking_action action, time_t now,
    struct error *err)
{
	struct waitlist_entry e;
	enum waitlist_status to;
	int64_t *ids = NULL;
	size_t n = 0;

	if (before != BOOKING_PENDING)
		return 0;
	switch (action) {
	case ACTION_CONFIRM: to = WAITLIST_BOOKED; break;
	case ACTION_CANCEL: to = WAITLIST_DECLINED; break;
	case ACTION_EXPIRE: to = WAITLIST_LAPSED; break;
	default: return 0;
	}
	if (store_waitlist_by_offer(s, b->id, &e, err) != 0)
		return err->kind == ERROR_NOT_FOUND ? 0 : -1;
	if (e.status != WAITLIST_OFFERED)
		return 0; /* withdrawn: superseded already */
	if (store_waitlist_transition(
	        s, e.id, WAITLIST_OFFERED, to, now, err) != 0)
		return -1;
	if (to != WAITLIST_BOOKED)
		return 0;
	if (store_waitlist_offer_taken(s, b->id, err) != 0)
		return -1;
	/* they have their visit: their other lines for the service end */
	if (store_waitlist_supersede(s, e.email, e.phone, e.service_id,
	        (struct date){0, 0, 0}, e.id, now, &ids, &n, err) != 0)
		return -1;
	free(ids);
	return 0;
}

int
waitlist_after_action(struct store *s, const struct config *c,
    const struct booking *b, enum booking_status before,
    enum booking_action action, time_t now, struct error *err)
{
	if (strcmp(b->source, "waitlist") == 0 &&
	    offer_resolved(s, b, before, action, now, err) != 0)
		return -1;
	/* a place freed: the line of that day gets it first */
	if ((action == ACTION_CANCEL || action == ACTION_EXPIRE) &&
	    booking_status_live(before))
		return waitlist_offer_places(
		    s, c, b->service_id, date_of(b->start), now, NULL, err);
	return 0;
}

int
waitlist_after_move(struct store *s, const struct config *c,
    const struct booking *b, time_t old_start, time_t now, struct error *err)
{
	return waitlist_offer_places(
	    s, c, b->service_id, date_of(old_start), now, NULL, err);
}

int
waitlist_after_create(struct store *s, const struct config *c,
    const struct booking *b, time_t now, struct error *err)
{
	struct date day = date_of(b->start);
	struct waitlist_entry e;
	struct booking offer;
	int64_t *ids = NULL, held;
	size_t n = 0;

	if (store_waitlist_supersede(s, b->email, b->phone, b->service_id, day,
	        0, now, &ids, &n, err) != 0)
		return -1;
	free(ids);
	/* an offer they hold for the same service and day is released: they
	 * have a place that day already */
	if (store_waitlist_open_offer(s, b->email, b->phone, &held, err) != 0)
		return -1;
	if (held == 0 || held == b->id)
		return 0;
	if (store_booking_get(s, held, &offer, err) != 0)
		return -1;
	if (offer.service_id != b->service_id ||
	    date_compare(date_of(offer.start), day) != 0)
		return 0;
	if (store_waitlist_by_offer(s, offer.id, &e, err) != 0) {
		if (err->kind != ERROR_NOT_FOUND)
			return -1;
	} else if (e.status == WAITLIST_OFFERED &&
	           store_waitlist_transition(s, e.id, WAITLIST_OFFERED,
	               WAITLIST_SUPERSEDED, now, err) != 0)
		return -1;
	if (booking_offer_withdraw(s, c, &offer, now, err) != 0)
		return -1;
	return waitlist_offer_places(
	    s, c, offer.service_id, day, now, NULL, err);
}

/* ---- the gateway's timer ------------------------------------------------- */

/* worth_offering: a read, without the write lock: could a free place of
 * the day be offered to someone waiting? The timer asks first, so a line
 * with nothing to offer costs no write transaction every few seconds. */
static int
worth_offering(struct store *s, const struct config *c, int64_t service_id,
    struct date day, time_t now, bool *worth, struct error *err)
{
	struct waitlist_entry *line = NULL;
	struct slot *slots = NULL;
	struct service sv;
	size_t n = 0, nslots = 0, i, k;

	*worth = false;
	if (store_service_get(s, service_id, &sv, err) != 0)
		return err->kind == ERROR_NOT_FOUND ? 0 : -1;
	if (!sv.active || sv.staff_only)
		return 0;
	if (booking_slots(s, c, service_id, day, now, &slots, &nslots, err) !=
	        0 ||
	    (nslots > 0 &&
	        store_waitlist_line(s, service_id, day, &line, &n, err) != 0)) {
		free(slots);
		return -1;
	}
	for (i = 0; i < n && !*worth; i++)
		for (k = 0; k < nslots && !*worth; k++)
			*worth =
			    line[i].status == WAITLIST_WAITING &&
			    slots[k].start >= offer_earliest(c, &sv, now) &&
			    fits(&line[i], &sv, slots[k].start);
	free(slots);
	free(line);
	return 0;
}

int
waitlist_due(struct store *s, const struct config *c, time_t now,
    unsigned *ended, unsigned *offered, struct error *err)
{
	struct waitlist_day *days = NULL;
	struct date today = date_of(now);
	size_t n = 0, i;

	*ended = *offered = 0;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_waitlist_end_before(s, today, now, ended, err) != 0) {
		store_rollback(s);
		return -1;
	}
	if (store_commit(s, err) != 0)
		return -1;
	if (offers_quiet(c, now))
		return 0;
	if (store_waitlist_waiting(s, today, &days, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned made;
		bool worth;

		if (worth_offering(s, c, days[i].service_id, days[i].day, now,
		        &worth, err) != 0 ||
		    (worth && waitlist_offer_places(s, c, days[i].service_id,
		                  days[i].day, now, &made, err) != 0)) {
			free(days);
			return -1;
		}
		if (worth)
			*offered += made;
	}
	free(days);
	return 0;
}
