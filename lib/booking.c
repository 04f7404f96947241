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

#include "booking.h"
#include "holiday.h"
#include "log.h"
#include "notify.h"
#include "phone.h"
#include "token.h"
#include "utf8.h"

#define NAME_MAX_BYTES 63

/* utf8_valid_text: valid UTF-8 without control characters (which could
 * smuggle header lines into a message). */
static bool
utf8_valid_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);

	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);

		/* C0 and C1 controls, DEL */
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return false;
		p += n;
		len -= n;
	}
	return true;
}

static int
check_name(const char *value, const char *field, const char *label,
    struct error *err)
{
	const char *p;
	bool letter = false;

	if (value == NULL || value[0] == '\0')
		return error_set_field(err, ERROR_INVALID, field, "Podaj %s.", label);
	if (strlen(value) > NAME_MAX_BYTES)
		return error_set_field(err, ERROR_INVALID, field,
		    "Pole %s jest za długie (najwyżej %d znaków).", label, NAME_MAX_BYTES / 2);
	if (!utf8_valid_text(value))
		return error_set_field(err, ERROR_INVALID, field,
		    "Pole %s zawiera niedozwolone znaki.", label);
	for (p = value; *p != '\0'; p++)
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			letter = true;
	if (!letter || value[0] == ' ')
		return error_set_field(err, ERROR_INVALID, field,
		    "Pole %s musi zawierać litery.", label);
	return 0;
}

/* check_email: a practical subset of RFC 5321 addresses, enough to refuse
 * typos and anything that could break a header (no spaces, no CR/LF). */
static int
check_email(const char *email, struct error *err)
{
	const char *at = strchr(email, '@'), *p;

	if (strlen(email) > 254 || at == NULL || at == email || strchr(at + 1, '@') ||
	    strchr(at, '.') == NULL || at[1] == '.' || email[strlen(email) - 1] == '.')
		goto bad;
	for (p = email; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= ' ' || c >= 0x7f || strchr("<>()[]\\,;:\"", c) != NULL)
			goto bad;
	}
	return 0;
bad:
	return error_set_field(err, ERROR_INVALID, "email",
	    "Nieprawidłowy adres e-mail.");
}

/* find_desk: a desk whose window offers this exact slot for the service and
 * still has a free place. Must run inside the write transaction. */
static int
find_desk(struct store *s, const struct config *c, const struct service *sv,
    time_t start, int64_t want_desk, int64_t except_booking, time_t now,
    struct slot_window *chosen, struct error *err)
{
	struct slot_window *windows = NULL;
	struct date day = date_of(start);
	size_t n, i;
	bool open_on_holiday;
	int minute = otime_minute_of_day(start), found = 0;
	time_t end = start + (time_t)sv->duration_minutes * 60;

	if (start < now + c->booking_lead_time || start > now + c->booking_horizon)
		return error_set_field(err, ERROR_CONFLICT, "start",
		    "Ten termin nie jest już dostępny do rezerwacji.");
	if (store_windows_for_day(s, sv->id, day, &windows, &n, &open_on_holiday, err) != 0)
		return -1;
	if (holiday_pl(day, NULL) && !open_on_holiday)
		n = 0;
	for (i = 0; i < n && !found; i++) {
		struct slot_window *w = &windows[i];
		unsigned taken;

		if (want_desk > 0 && w->desk_id != want_desk)
			continue;
		if (minute < w->opens || minute + (int)sv->duration_minutes > w->closes ||
		    (minute - w->opens) % (int)sv->duration_minutes != 0)
			continue;
		if (store_busy_count(s, w->desk_id, start, end, except_booking, &taken,
		    err) != 0) {
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
		return error_set_field(err, ERROR_CONFLICT, "start",
		    "Ten termin jest już zajęty albo niedostępny.");
	return 0;
}

static unsigned
contact_channels(const struct booking *b)
{
	return (b->email[0] ? NOTIFY_EMAIL : 0) | (b->phone[0] ? NOTIFY_SMS : 0);
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
		if (store_booking_set_code(s, b->id, code, err) != 0)
			return -1;
		snprintf(b->access_code, sizeof b->access_code, "%s", code);
		return 0;
	}
	return error_set(err, ERROR_INTERNAL, "no free access code for the day");
}

int
booking_create(struct store *s, const struct config *c, const struct booking_request *r,
    time_t now, struct booking *out, struct error *err)
{
	struct service sv;
	struct slot_window desk;
	struct booking b;
	time_t start;
	const char *email = r->email != NULL ? r->email : "";
	bool staff = r->source != NULL && strcmp(r->source, "staff") == 0;
	int tries;

	memset(&b, 0, sizeof b);
	if (check_name(r->first_name, "first_name", "imię", err) != 0 ||
	    check_name(r->last_name, "last_name", "nazwisko", err) != 0)
		return -1;
	if (email[0] != '\0' && check_email(email, err) != 0)
		return -1;
	if (r->phone != NULL && r->phone[0] != '\0' &&
	    phone_normalize(r->phone, b.phone, sizeof b.phone, err) != 0)
		return -1;
	if (email[0] == '\0' && b.phone[0] == '\0')
		return error_set_field(err, ERROR_INVALID, "email",
		    "Podaj adres e-mail lub numer telefonu.");
	if (email[0] == '\0' && strcmp(c->sms_provider, "none") == 0)
		return error_set_field(err, ERROR_INVALID, "email",
		    "Ten urząd nie wysyła SMS: podaj adres e-mail.");
	if (b.phone[0] == '\0' && strcmp(c->mail_transport, "none") == 0)
		return error_set_field(err, ERROR_INVALID, "phone",
		    "Ten urząd nie wysyła e-maili: podaj numer telefonu.");
	if (r->language != NULL && r->language[0] != '\0' &&
	    strcmp(r->language, "pl") != 0 && strcmp(r->language, "en") != 0)
		return error_set_field(err, ERROR_INVALID, "language",
		    "Język musi być pl albo en.");
	if (r->start == NULL || otime_parse(r->start, &start) != 0)
		return error_set_field(err, ERROR_INVALID, "start",
		    "Nieprawidłowy termin: oczekiwano RRRR-MM-DDTGG:MM.");

	if (store_begin(s, err) != 0)
		return -1;
	if (store_service_get(s, r->service_id, &sv, err) != 0 || !sv.active) {
		store_rollback(s);
		return error_set_field(err, ERROR_NOT_FOUND, "service_id",
		    "Nie ma takiej usługi.");
	}
	if (find_desk(s, c, &sv, start, r->desk_id, 0, now, &desk, err) != 0)
		goto fail;
	if (!staff && c->web_max_open_per_contact > 0) {
		unsigned open;

		if (store_bookings_open_by_contact(s, email, b.phone, now, &open, err) != 0)
			goto fail;
		if (open >= c->web_max_open_per_contact) {
			error_set(err, ERROR_LIMIT, "Na ten adres lub numer jest już %u"
			    " otwartych rezerwacji: najpierw odwołaj niepotrzebne.", open);
			goto fail;
		}
	}

	b.service_id = sv.id;
	b.desk_id = desk.desk_id;
	b.start = start;
	b.end = start + (time_t)sv.duration_minutes * 60;
	b.status = BOOKING_PENDING;
	snprintf(b.first_name, sizeof b.first_name, "%s", r->first_name);
	snprintf(b.last_name, sizeof b.last_name, "%s", r->last_name);
	snprintf(b.email, sizeof b.email, "%s", email);
	snprintf(b.language, sizeof b.language, "%s",
	    r->language != NULL && strcmp(r->language, "en") == 0 ? "en" : "pl");
	snprintf(b.source, sizeof b.source, "%s", r->source ? r->source : "web");
	b.created_at = now;
	b.confirm_by = now + c->confirm_within;
	token_hex(b.token, 8);
	snprintf(b.service_name, sizeof b.service_name, "%s", sv.name);
	snprintf(b.service_name_en, sizeof b.service_name_en, "%s", sv.name_en);
	snprintf(b.desk_name, sizeof b.desk_name, "%s", desk.desk_name);
	for (tries = 0;; tries++) {
		token_reference(b.reference);
		if (store_booking_insert(s, &b, err) == 0)
			break;
		/* a reference collision (2^-50 a pair) is a conflict: draw again */
		if (err->kind != ERROR_CONFLICT || tries == 3)
			goto fail;
	}
	if (store_event_add(s, b.id, now, r->actor ? r->actor : "citizen", "create",
	    b.source, err) != 0)
		goto fail;
	if (r->skip_confirmation) {
		b.status = BOOKING_BOOKED;
		if (store_booking_set_status(s, b.id, b.status, err) != 0 ||
		    issue_access_code(s, &b, err) != 0 ||
		    store_event_add(s, b.id, now, r->actor ? r->actor : "staff",
		    "confirm", "", err) != 0 ||
		    notify_booking(s, c, &b, NOTIFY_ACCESS_CODE, contact_channels(&b),
		    NULL, now, err) != 0)
			goto fail;
	} else if (notify_booking(s, c, &b, NOTIFY_CONFIRM_REQUEST, contact_channels(&b),
	    NULL, now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking created booking=%lld ref=%s service=%lld desk=%lld",
	    (long long)b.id, b.reference, (long long)b.service_id, (long long)b.desk_id);
	*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
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

int
booking_apply(struct store *s, const struct config *c, const char *reference,
    enum booking_action action, const char *actor, time_t now, struct booking *out,
    struct error *err)
{
	enum booking_status next;
	struct booking b;
	int notice;

	if (action == ACTION_RESCHEDULE)
		return error_set(err, ERROR_INTERNAL, "use booking_reschedule");
	if (store_begin(s, err) != 0)
		return -1;
	if (store_booking_by_reference(s, reference, &b, err) != 0)
		goto fail;
	if (booking_next(b.status, action, &next) != 0) {
		error_set(err, ERROR_CONFLICT, "Rezerwacji w stanie „%s” nie można %s.",
		    booking_status_label_pl(b.status),
		    action == ACTION_CONFIRM ? "potwierdzić" :
		    action == ACTION_CANCEL ? "odwołać" : "zmienić w ten sposób");
		goto fail;
	}
	/* a pending booking can be confirmed only until it expires, even if
	 * the gateway has not run the expiry yet */
	if (action == ACTION_CONFIRM && b.status == BOOKING_PENDING && now > b.confirm_by) {
		error_set(err, ERROR_CONFLICT, "Czas na potwierdzenie minął.");
		goto fail;
	}
	if (store_booking_set_status(s, b.id, next, err) != 0)
		goto fail;
	b.status = next;
	if (action == ACTION_CONFIRM && issue_access_code(s, &b, err) != 0)
		goto fail;
	if (store_event_add(s, b.id, now, actor, booking_action_name(action), "", err) != 0)
		goto fail;
	if ((notice = action_notice(action)) >= 0 &&
	    notify_booking(s, c, &b, (enum notify_kind)notice, contact_channels(&b), NULL,
	    now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking %s booking=%lld ref=%s status=%s", booking_action_name(action),
	    (long long)b.id, b.reference, booking_status_name(b.status));
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
booking_reschedule(struct store *s, const struct config *c, const char *reference,
    const char *new_start, int64_t desk_id, const char *actor, time_t now,
    struct booking *out, struct error *err)
{
	enum booking_status next;
	struct slot_window desk;
	struct service sv;
	struct booking b;
	time_t start, old_start;

	if (new_start == NULL || otime_parse(new_start, &start) != 0)
		return error_set_field(err, ERROR_INVALID, "start",
		    "Nieprawidłowy termin: oczekiwano RRRR-MM-DDTGG:MM.");
	if (store_begin(s, err) != 0)
		return -1;
	if (store_booking_by_reference(s, reference, &b, err) != 0)
		goto fail;
	if (booking_next(b.status, ACTION_RESCHEDULE, &next) != 0) {
		error_set(err, ERROR_CONFLICT, "Rezerwacji w stanie „%s” nie można"
		    " przenieść.", booking_status_label_pl(b.status));
		goto fail;
	}
	if (store_service_get(s, b.service_id, &sv, err) != 0)
		goto fail;
	if (find_desk(s, c, &sv, start, desk_id, b.id, now, &desk, err) != 0)
		goto fail;
	old_start = b.start;
	if (store_booking_move(s, b.id, desk.desk_id, start,
	    start + (time_t)sv.duration_minutes * 60, err) != 0)
		goto fail;
	if (store_booking_get(s, b.id, &b, err) != 0)
		goto fail;
	/* codes are unique per day: on another day the old code may belong to
	 * someone else, and reception must never check in the wrong person */
	if (b.access_code[0] != '\0' && date_compare(date_of(old_start), date_of(start)) != 0) {
		unsigned holders;

		if (store_code_holders(s, b.access_code, date_of(start), &holders, err) != 0)
			goto fail;
		if (holders > 1 && issue_access_code(s, &b, err) != 0)
			goto fail;
	}
	if (store_event_add(s, b.id, now, actor, "reschedule", new_start, err) != 0)
		goto fail;
	if (notify_booking_moved(s, c, &b, NOTIFY_RESCHEDULED, contact_channels(&b), NULL,
	    old_start, now, err) != 0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("booking rescheduled booking=%lld ref=%s", (long long)b.id, b.reference);
	if (out != NULL)
		*out = b;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

bool
booking_check_contact(const struct booking *b, const char *contact)
{
	char phone[20];
	struct error err;
	size_t i, n;
	char lower[256];

	if (contact == NULL || contact[0] == '\0')
		return false;
	if (strchr(contact, '@') != NULL) {
		if (b->email[0] == '\0')
			return false;
		/* e-mail addresses compare case-insensitively in practice */
		n = strlen(contact);
		if (n >= sizeof lower)
			return false;
		for (i = 0; i <= n; i++)
			lower[i] = (char)tolower((unsigned char)contact[i]);
		{
			char stored[256];

			for (i = 0; b->email[i] != '\0' && i < sizeof stored - 1; i++)
				stored[i] = (char)tolower((unsigned char)b->email[i]);
			stored[i] = '\0';
			return token_equal(lower, stored);
		}
	}
	if (b->phone[0] == '\0' || phone_normalize(contact, phone, sizeof phone, &err) != 0)
		return false;
	return token_equal(phone, b->phone);
}

int
booking_slots(struct store *s, const struct config *c, int64_t service_id,
    struct date day, time_t now, struct slot **out, size_t *n, struct error *err)
{
	struct slot_window *windows = NULL;
	struct slot_busy *busy = NULL;
	struct slot_request req;
	struct service sv;
	size_t nwindows = 0, nbusy = 0;
	bool open_on_holiday;
	time_t day_start, day_end;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (store_read_begin(s, err) != 0)
		return -1;
	if (store_service_get(s, service_id, &sv, err) != 0)
		goto out;
	if (!sv.active) {
		error_set(err, ERROR_NOT_FOUND, "Nie ma takiej usługi.");
		goto out;
	}
	if (store_windows_for_day(s, service_id, day, &windows, &nwindows,
	    &open_on_holiday, err) != 0)
		goto out;
	if (holiday_pl(day, NULL) && !open_on_holiday)
		nwindows = 0;
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
	req.earliest = now + c->booking_lead_time;
	req.latest = now + c->booking_horizon;
	req.windows = windows;
	req.nwindows = nwindows;
	req.busy = busy;
	req.nbusy = nbusy;
	if (slot_generate(&req, out, n) != 0) {
		error_set(err, ERROR_INTERNAL, "slot generation refused the request");
		goto out;
	}
	rc = 0;
out:
	store_read_end(s);
	free(windows);
	free(busy);
	return rc;
}

int
booking_expire_due(struct store *s, const struct config *c, time_t now,
    unsigned *count, struct error *err)
{
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
		if (booking_apply(s, c, b.reference, ACTION_EXPIRE, "system", now, NULL,
		    &e) == 0)
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

int
booking_remind_due(struct store *s, const struct config *c, time_t now,
    unsigned *count, struct error *err)
{
	int64_t *ids = NULL;
	size_t n, i;

	*count = 0;
	if (c->reminder_before <= 0)
		return 0;
	if (store_bookings_to_remind(s, now, c->reminder_before, &ids, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct booking b;

		if (store_begin(s, err) != 0)
			goto fail_quiet;
		if (store_booking_get(s, ids[i], &b, err) != 0)
			goto fail;
		if (b.status != BOOKING_BOOKED || b.reminded_at != 0) {
			store_rollback(s);
			continue;
		}
		/* a booking made less than reminder_before ahead already got its
		 * details in the access-code message moments ago: no reminder */
		if (b.start - b.created_at > c->reminder_before &&
		    notify_booking(s, c, &b, NOTIFY_REMINDER, contact_channels(&b), NULL,
		    now, err) != 0)
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
	char normalized[20];
	struct error e;
	size_t n = 0;

	error_clear(&e);
	if (check_name(r->first_name, "first_name", "imię", &e) != 0)
		collect(errs, &n, max, &e);
	if (check_name(r->last_name, "last_name", "nazwisko", &e) != 0)
		collect(errs, &n, max, &e);
	if (email[0] != '\0' && check_email(email, &e) != 0)
		collect(errs, &n, max, &e);
	if (phone[0] != '\0' &&
	    phone_normalize(phone, normalized, sizeof normalized, &e) != 0)
		collect(errs, &n, max, &e);
	if (email[0] == '\0' && phone[0] == '\0')
		error_set_field(&e, ERROR_INVALID, "email",
		    "Podaj adres e-mail lub numer telefonu.");
	else if (email[0] == '\0' && strcmp(c->sms_provider, "none") == 0)
		error_set_field(&e, ERROR_INVALID, "email",
		    "Ten urząd nie wysyła SMS: podaj adres e-mail.");
	else if (phone[0] == '\0' && strcmp(c->mail_transport, "none") == 0)
		error_set_field(&e, ERROR_INVALID, "phone",
		    "Ten urząd nie wysyła e-maili: podaj numer telefonu.");
	if (e.kind != ERROR_NONE)
		collect(errs, &n, max, &e);
	return n;
}
