/*
 * calendar.c: calendar changes that never strand a booking silently
 * (calendar.h). The stranded check is a scan of the upcoming bookings
 * (pending, booked) in service order, reading each (service, day)'s
 * windows once: a booking is inside the hours when one window of its own
 * desk for its service holds its whole [start, end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "booking.h"
#include "buf.h"
#include "calendar.h"
#include "holiday.h"
#include "log.h"
#include "utf8.h"

void
calendar_minutes_format(int minutes, char out[6])
{
	unsigned h = (unsigned)minutes / 60 % 100, m = (unsigned)minutes % 60;

	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}

void
calendar_result_free(struct calendar_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ndays; i++)
		free(r->days[i].times);
	free(r->days);
	free(r->stranded);
	memset(r, 0, sizeof *r);
}

/* ---- which bookings the hours no longer hold ---------------------------- */

static bool
inside(const struct booking *b, const struct slot_window *w, size_t n)
{
	int minute = otime_minute_of_day(b->start);
	int len = (int)((b->end - b->start + 59) / 60);
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i].desk_id == b->desk_id && minute >= w[i].opens &&
		    minute + len <= w[i].closes)
			return true;
	return false;
}

/* stranded_find: the upcoming bookings outside the hours, malloc'd */
static int
stranded_find(struct store *s, time_t now, struct booking **out, size_t *n,
    struct error *err)
{
	struct booking *list = NULL;
	struct slot_window *windows = NULL;
	struct service sv;
	struct date day = {0, 0, 0};
	size_t count, nwindows = 0, i, kept = 0;
	int64_t service = 0;
	bool have_service = false;

	*out = NULL;
	*n = 0;
	if (store_bookings_upcoming(s, now, &list, &count, err) != 0)
		return -1;
	for (i = 0; i < count; i++) {
		const struct booking *b = &list[i];
		struct date d = date_of(b->start);

		if (!have_service || b->service_id != service) {
			if (store_service_get(s, b->service_id, &sv, err) != 0)
				goto fail;
			service = b->service_id;
			have_service = true;
			day.year = 0;
		}
		if (!sv.active) {
			list[kept++] = *b;
			continue;
		}
		if (day.year == 0 || date_compare(d, day) != 0) {
			free(windows);
			windows = NULL;
			if (booking_day_windows(
			        s, &sv, d, &windows, &nwindows, err) != 0)
				goto fail;
			day = d;
		}
		if (!inside(b, windows, nwindows))
			list[kept++] = *b;
	}
	free(windows);
	if (kept == 0) {
		free(list);
		return 0;
	}
	*out = list;
	*n = kept;
	return 0;
fail:
	free(windows);
	free(list);
	return -1;
}

static bool
listed(const struct booking *list, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].id == id)
			return true;
	return false;
}

/* ---- proposals ---------------------------------------------------------- */

struct taken {
	int64_t desk_id;
	time_t start;
};

static unsigned
taken_count(const struct taken *t, size_t n, int64_t desk, time_t start)
{
	unsigned count = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].desk_id == desk && t[i].start == start)
			count++;
	return count;
}

/* qsort_r: nearest to the stranded booking's time (arg) first */
static int
nearest_first(const void *a, const void *b, void *arg)
{
	const struct slot *x = a, *y = b;
	time_t origin = *(const time_t *)arg;
	time_t dx = x->start > origin ? x->start - origin : origin - x->start;
	time_t dy = y->start > origin ? y->start - origin : origin - y->start;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* proposals_for: up to CALENDAR_PROPOSALS free slots of the booking's
 * service, its own day first (nearest time first), then the next days;
 * each stranded booking's first proposal is a place no earlier one's first
 * proposal took, so accepting every first proposal works. */
static int
proposals_for(struct store *s, const struct config *c,
    const struct actor *actor, time_t now, struct calendar_stranded *st,
    struct taken *taken, size_t *ntaken, struct error *err)
{
	const struct booking *b = &st->booking;
	struct date first = date_of(b->start);
	int d;

	if (date_compare(first, date_of(now)) < 0)
		first = date_of(now);
	for (d = 0; d < 21 && st->nproposals < CALENDAR_PROPOSALS; d++) {
		struct slot *slots = NULL;
		struct error e;
		size_t n, i;

		error_clear(&e);
		if (booking_slots_for(s, c, b->service_id,
		        date_add_days(first, d), actor, now, &slots, &n,
		        &e) != 0) {
			if (e.kind == ERROR_NOT_FOUND) /* a retired service */
				return 0;
			if (err != NULL)
				*err = e;
			return -1;
		}
		if (d == 0 && n > 1) {
			time_t origin = b->start;

			qsort_r(
			    slots, n, sizeof *slots, nearest_first, &origin);
		}
		for (i = 0; i < n && st->nproposals < CALENDAR_PROPOSALS; i++) {
			struct calendar_proposal *p;

			if (st->nproposals == 0 &&
			    taken_count(taken, *ntaken, slots[i].desk_id,
			        slots[i].start) >= slots[i].free)
				continue;
			p = &st->proposal[st->nproposals++];
			p->start = slots[i].start;
			p->desk_id = slots[i].desk_id;
			snprintf(p->desk_name, sizeof p->desk_name, "%s",
			    slots[i].desk_name);
			if (st->nproposals == 1) {
				taken[*ntaken].desk_id = p->desk_id;
				taken[*ntaken].start = p->start;
				(*ntaken)++;
			}
		}
		free(slots);
	}
	return 0;
}

/* stranded_report: res->stranded from a list of bookings, with proposals */
static int
stranded_report(struct store *s, const struct config *c,
    const struct actor *actor, time_t now, const struct booking *list, size_t n,
    struct calendar_result *res, struct error *err)
{
	struct taken *taken;
	size_t i, ntaken = 0;

	if (n == 0)
		return 0;
	if ((res->stranded = calloc(n, sizeof *res->stranded)) == NULL ||
	    (taken = calloc(n, sizeof *taken)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		res->stranded[i].booking = list[i];
		if (proposals_for(s, c, actor, now, &res->stranded[i], taken,
		        &ntaken, err) != 0) {
			free(taken);
			return -1;
		}
	}
	res->nstranded = n;
	free(taken);
	return 0;
}

/* ---- the preview's slots ------------------------------------------------ */

struct day_count {
	unsigned places;
	struct buf times;
};

static int
count_day(struct store *s, const struct config *c, const struct actor *actor,
    int64_t service, struct date day, time_t now, struct day_count *out,
    struct error *err)
{
	struct slot *slots = NULL;
	size_t n, i;
	time_t last = 0;

	out->places = 0;
	buf_init(&out->times);
	if (booking_slots_for(
	        s, c, service, day, actor, now, &slots, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		char hhmm[6];

		out->places += slots[i].free;
		if (slots[i].start == last)
			continue;
		last = slots[i].start;
		calendar_minutes_format(otime_minute_of_day(last), hhmm);
		buf_printf(
		    &out->times, "%s%s", out->times.len ? " " : "", hhmm);
	}
	free(slots);
	return 0;
}

/* the preview's counts: every active service, days from today */
struct preview {
	struct service *services;
	size_t nservices;
	unsigned days;
	unsigned *before; /* [service * days + day] */
};

static int
preview_count(struct store *s, const struct config *c,
    const struct actor *actor, time_t now, struct preview *p, unsigned *counts,
    struct calendar_result *res, struct error *err)
{
	size_t i;
	unsigned d;

	for (i = 0; i < p->nservices; i++) {
		bool changed = false;
		size_t first = res != NULL ? res->ndays : 0;

		for (d = 0; d < p->days; d++) {
			struct day_count dc;
			struct date day = date_add_days(date_of(now), (int)d);
			unsigned *slot = &counts[i * p->days + d];

			if (count_day(s, c, actor, p->services[i].id, day, now,
			        &dc, err) != 0)
				return -1;
			if (res == NULL) {
				*slot = dc.places;
				buf_free(&dc.times);
				continue;
			}
			/* after the change: keep the service's days when any
			 * differs */
			if (dc.places != p->before[i * p->days + d])
				changed = true;
			if ((res->days = realloc(res->days,
			         (res->ndays + 1) * sizeof *res->days)) == NULL)
				abort();
			res->days[res->ndays].service_id = p->services[i].id;
			snprintf(res->days[res->ndays].service,
			    sizeof res->days[res->ndays].service, "%s",
			    p->services[i].name);
			res->days[res->ndays].day = day;
			res->days[res->ndays].before =
			    p->before[i * p->days + d];
			res->days[res->ndays].after = dc.places;
			res->days[res->ndays].times =
			    strdup(buf_cstr(&dc.times));
			buf_free(&dc.times);
			res->ndays++;
		}
		if (res != NULL && !changed) {
			size_t k;

			for (k = first; k < res->ndays; k++)
				free(res->days[k].times);
			res->ndays = first;
		}
	}
	return 0;
}

/* ---- the change --------------------------------------------------------- */

static const struct calendar_resolution *
resolution_of(const struct calendar_request *req, const char *reference)
{
	size_t i;

	for (i = 0; i < req->nresolutions; i++)
		if (strcmp(req->resolutions[i].reference, reference) == 0 &&
		    req->resolutions[i].choice != CHOICE_NONE)
			return &req->resolutions[i];
	return NULL;
}

/* resolve: carry out the admin's choice for one stranded booking */
static int
resolve(struct store *s, const struct config *c,
    const struct calendar_resolution *r, const struct booking *b,
    const struct actor *actor, time_t now, struct calendar_result *res,
    struct error *err)
{
	char start[OTIME_LOCAL_LEN];
	struct error e;

	error_clear(&e);
	switch (r->choice) {
	case CHOICE_MOVE:
		if (booking_reschedule(s, c, b->reference, r->start, r->desk_id,
		        actor, now, NULL, &e) != 0)
			break;
		res->moved++;
		return 0;
	case CHOICE_KEEP:
		otime_format(b->start, start);
		if (store_booking_keep(s, b->id, b->start, now, &e) != 0 ||
		    audit_record(s, actor, "booking.keep", b->id, NULL, start,
		        "outside the opening hours", now, &e) != 0)
			break;
		res->kept++;
		return 0;
	case CHOICE_CANCEL:
		if (booking_apply(s, c, b->reference, ACTION_CANCEL, actor, now,
		        NULL, &e) != 0 ||
		    (r->reason[0] != '\0' &&
		        audit_record(s, actor, "booking.cancel_reason", b->id,
		            NULL, NULL, r->reason, now, &e) != 0))
			break;
		res->cancelled++;
		return 0;
	default:
		error_set_code(&e, ERROR_INVALID, "resolution_invalid",
		    "resolutions", "Choose move, keep or cancel.");
		break;
	}
	/* name the booking: the admin chose for several */
	if (err != NULL) {
		*err = e;
		snprintf(err->msg, sizeof err->msg, "Booking %.15s: %.200s",
		    b->reference, e.msg);
		if (e.field[0] == '\0' || strcmp(e.field, "start") == 0)
			snprintf(
			    err->field, sizeof err->field, "%s", "resolutions");
	}
	return -1;
}

static int
preview_setup(struct store *s, const struct config *c,
    const struct calendar_request *req, const struct actor *actor, time_t now,
    struct preview *p, struct error *err)
{
	memset(p, 0, sizeof *p);
	p->days = req->preview_days ? req->preview_days : CALENDAR_PREVIEW_DAYS;
	if (p->days > CALENDAR_PREVIEW_MAX)
		p->days = CALENDAR_PREVIEW_MAX;
	if (store_services_list(s, true, &p->services, &p->nservices, err) != 0)
		return -1;
	if ((p->before = calloc(
	         p->nservices * p->days + 1, sizeof *p->before)) == NULL)
		abort();
	return preview_count(s, c, actor, now, p, p->before, NULL, err);
}

static void
preview_free(struct preview *p)
{
	free(p->services);
	free(p->before);
}

int
calendar_change(struct store *s, const struct config *c,
    calendar_apply_fn apply, void *arg, const struct calendar_request *req,
    const struct actor *actor, time_t now, struct calendar_result *res,
    struct error *err)
{
	struct booking *before = NULL, *after = NULL, *fresh = NULL;
	size_t nbefore = 0, nafter = 0, nfresh = 0, i, missing = 0;
	struct preview p;
	int rc = -1;

	memset(res, 0, sizeof *res);
	memset(&p, 0, sizeof p);
	if (!actor_at_least(actor, ROLE_ADMIN))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only admins change the office's calendar.");
	if (store_begin(s, err) != 0)
		return -1;
	if (!req->all_stranded &&
	    stranded_find(s, now, &before, &nbefore, err) != 0)
		goto fail;
	if (req->preview && preview_setup(s, c, req, actor, now, &p, err) != 0)
		goto fail;
	if (apply != NULL && apply(s, arg, actor, now, err) != 0)
		goto fail;
	if (stranded_find(s, now, &after, &nafter, err) != 0)
		goto fail;
	/* the bookings this change strands (or all, when asked) */
	if (nafter > 0 && (fresh = calloc(nafter, sizeof *fresh)) == NULL)
		abort();
	for (i = 0; i < nafter; i++)
		if (req->all_stranded ||
		    !listed(before, nbefore, after[i].id) ||
		    resolution_of(req, after[i].reference) != NULL)
			fresh[nfresh++] = after[i];
	if (req->preview) {
		if (stranded_report(
		        s, c, actor, now, fresh, nfresh, res, err) != 0 ||
		    preview_count(s, c, actor, now, &p, NULL, res, err) != 0)
			goto fail;
		store_rollback(s);
		rc = 0;
		goto out;
	}
	for (i = 0; i < nfresh; i++)
		if (resolution_of(req, fresh[i].reference) == NULL)
			missing++;
	if (missing > 0) {
		if (stranded_report(
		        s, c, actor, now, fresh, nfresh, res, err) != 0)
			goto fail;
		store_rollback(s);
		error_set_code(err, ERROR_CONFLICT, "bookings_stranded", NULL,
		    "%zu booking(s) would fall outside the opening hours: "
		    "choose for each to move, keep or cancel it.",
		    missing);
		goto out;
	}
	for (i = 0; i < nfresh; i++)
		if (resolve(s, c, resolution_of(req, fresh[i].reference),
		        &fresh[i], actor, now, res, err) != 0)
			goto fail;
	if (store_commit(s, err) != 0)
		goto out;
	if (res->moved + res->kept + res->cancelled > 0)
		log_info("calendar change: moved=%u kept=%u cancelled=%u",
		    res->moved, res->kept, res->cancelled);
	rc = 0;
	goto out;
fail:
	store_rollback(s);
	calendar_result_free(res);
out:
	preview_free(&p);
	free(before);
	free(after);
	free(fresh);
	return rc;
}

int
calendar_stranded_now(struct store *s, const struct config *c,
    const struct actor *actor, time_t now, struct calendar_result *res,
    struct error *err)
{
	struct booking *list = NULL;
	size_t n = 0;
	int rc;

	memset(res, 0, sizeof *res);
	if (stranded_find(s, now, &list, &n, err) != 0)
		return -1;
	rc = stranded_report(s, c, actor, now, list, n, res, err);
	free(list);
	return rc;
}

/* ---- weekly hours ------------------------------------------------------- */

static bool
serves(const int64_t *ids, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

void
calendar_hours_check(const struct opening_hours *h, size_t n,
    const int64_t *services, size_t nservices, struct error_list *list)
{
	char field[40];
	size_t i, j;

	for (i = 0; i < n; i++) {
		snprintf(field, sizeof field, "hours.%u.weekday", (unsigned)i);
		if (h[i].weekday < 1 || h[i].weekday > 7)
			error_set_code(error_list_next(list), ERROR_INVALID,
			    "weekday_invalid", field,
			    "A weekday is 1 (Monday) to 7 (Sunday).");
		snprintf(field, sizeof field, "hours.%u.closes", (unsigned)i);
		if (h[i].opens < 0 || h[i].closes > 24 * 60 ||
		    h[i].opens >= h[i].closes)
			error_set_code(error_list_next(list), ERROR_INVALID,
			    "hours_order", field,
			    "A window closes after it opens, within the day.");
		snprintf(
		    field, sizeof field, "hours.%u.service_id", (unsigned)i);
		if (h[i].service_id > 0 &&
		    !serves(services, nservices, h[i].service_id))
			error_set_code(error_list_next(list), ERROR_INVALID,
			    "service_not_served", field,
			    "The desk does not serve that service: add it to "
			    "the desk first.");
		for (j = 0; j < i; j++)
			if (h[j].weekday == h[i].weekday &&
			    h[j].service_id == h[i].service_id &&
			    h[j].opens < h[i].closes &&
			    h[i].opens < h[j].closes) {
				snprintf(field, sizeof field, "hours.%u.opens",
				    (unsigned)i);
				error_set_code(error_list_next(list),
				    ERROR_INVALID, "hours_overlap", field,
				    "Two windows of the same day overlap.");
				break;
			}
	}
}

/* hours_summary: "1 08:00-18:00, 2-5 08:00-15:30" (the audit's before and
 * after: consecutive weekdays with the same windows together) */
static void
hours_summary(const struct opening_hours *h, size_t n, char *out, size_t size)
{
	struct buf day[8], all = BUF_INIT;
	int d, from;
	size_t i;

	for (d = 1; d <= 7; d++) {
		buf_init(&day[d]);
		for (i = 0; i < n; i++) {
			char a[6], b[6];

			if (h[i].weekday != d)
				continue;
			calendar_minutes_format(h[i].opens, a);
			calendar_minutes_format(h[i].closes, b);
			buf_printf(
			    &day[d], "%s%s-%s", day[d].len ? " " : "", a, b);
			if (h[i].service_id > 0)
				buf_printf(&day[d], "#%lld",
				    (long long)h[i].service_id);
		}
	}
	for (d = 1; d <= 7; d = from) {
		for (from = d + 1; from <= 7 && strcmp(buf_cstr(&day[from]),
		                                    buf_cstr(&day[d])) == 0;
		     from++)
			;
		if (day[d].len == 0)
			continue;
		if (from - 1 > d)
			buf_printf(&all, "%s%d-%d %s", all.len ? ", " : "", d,
			    from - 1, buf_cstr(&day[d]));
		else
			buf_printf(&all, "%s%d %s", all.len ? ", " : "", d,
			    buf_cstr(&day[d]));
	}
	snprintf(out, size, "%s", all.len ? buf_cstr(&all) : "-");
	for (d = 1; d <= 7; d++)
		buf_free(&day[d]);
	buf_free(&all);
}

struct hours_change {
	int64_t desk_id;
	const struct opening_hours *hours;
	size_t n;
};

static int
apply_hours(struct store *s, void *arg, const struct actor *actor, time_t now,
    struct error *err)
{
	struct hours_change *hc = arg;
	struct opening_hours *old = NULL;
	int64_t *services = NULL;
	struct error_list list;
	struct desk d;
	size_t nold = 0, nservices = 0;
	char before[64], after[64], detail[128];
	int rc = -1;

	error_list_clear(&list);
	if (store_desk_get(s, hc->desk_id, &d, err) != 0) {
		if (err != NULL && err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_NOT_FOUND, "unknown_desk",
			    NULL, "No such desk.");
		return -1;
	}
	if (store_desk_services(s, d.id, &services, &nservices, err) != 0)
		return -1;
	calendar_hours_check(hc->hours, hc->n, services, nservices, &list);
	if (error_list_first(&list, err) != 0)
		goto out;
	if (store_hours_list(s, d.id, &old, &nold, err) != 0)
		goto out;
	hours_summary(old, nold, before, sizeof before);
	hours_summary(hc->hours, hc->n, after, sizeof after);
	snprintf(detail, sizeof detail, "%s", d.name);
	if (store_hours_set(s, d.id, hc->hours, hc->n, err) != 0 ||
	    audit_record(
	        s, actor, "hours.set", 0, before, after, detail, now, err) != 0)
		goto out;
	rc = 0;
out:
	free(old);
	free(services);
	return rc;
}

int
calendar_hours_set(struct store *s, const struct config *c, int64_t desk_id,
    const struct opening_hours *hours, size_t n,
    const struct calendar_request *req, const struct actor *actor, time_t now,
    struct calendar_result *res, struct error *err)
{
	struct hours_change hc = {desk_id, hours, n};

	return calendar_change(
	    s, c, apply_hours, &hc, req, actor, now, res, err);
}

/* ---- exceptions --------------------------------------------------------- */

void
calendar_exception_check(
    const struct calendar_exception *e, struct error_list *list)
{
	if (!date_valid(e->day))
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "date_invalid", "day", "Give the day as YYYY-MM-DD.");
	if (e->opens >= 0 && (e->closes > 24 * 60 || e->opens >= e->closes))
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "hours_order", "closes",
		    "The office closes after it opens, within the day.");
	if (strlen(e->reason) >= sizeof e->reason)
		error_set_code(error_list_next(list), ERROR_INVALID, "too_long",
		    "reason", "The reason is too long.");
	else if (!utf8_text_valid(e->reason, strlen(e->reason)))
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "text_invalid", "reason",
		    "The reason contains characters that are not allowed.");
}

static void
exception_words(const struct calendar_exception *e, char *out, size_t size)
{
	char day[DATE_LEN], a[6], b[6];

	date_format(e->day, day);
	if (e->opens < 0) {
		snprintf(out, size, "%s closed", day);
		return;
	}
	calendar_minutes_format(e->opens, a);
	calendar_minutes_format(e->closes, b);
	snprintf(out, size, "%s %s-%s", day, a, b);
}

struct exception_change {
	const struct calendar_exception *e;
	int64_t id;
};

static int
apply_exception_add(struct store *s, void *arg, const struct actor *actor,
    time_t now, struct error *err)
{
	struct exception_change *ec = arg;
	struct error_list list;
	char words[64], detail[160];
	struct desk d;

	error_list_clear(&list);
	calendar_exception_check(ec->e, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	if (ec->e->desk_id > 0 &&
	    store_desk_get(s, ec->e->desk_id, &d, err) != 0) {
		if (err != NULL && err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_INVALID, "unknown_desk",
			    "desk_id", "No such desk.");
		return -1;
	}
	exception_words(ec->e, words, sizeof words);
	snprintf(detail, sizeof detail, "%.60s%s%.90s",
	    ec->e->desk_id > 0 ? d.name : "every desk",
	    ec->e->reason[0] ? ": " : "", ec->e->reason);
	if (store_exception_insert(s, ec->e, &ec->id, err) != 0 ||
	    audit_record(s, actor, "exception.add", 0, NULL, words, detail, now,
	        err) != 0)
		return -1;
	return 0;
}

int
calendar_exception_add(struct store *s, const struct config *c,
    const struct calendar_exception *e, const struct calendar_request *req,
    const struct actor *actor, time_t now, int64_t *id,
    struct calendar_result *res, struct error *err)
{
	struct exception_change ec = {e, 0};

	if (calendar_change(
	        s, c, apply_exception_add, &ec, req, actor, now, res, err) != 0)
		return -1;
	if (id != NULL)
		*id = req->preview ? 0 : ec.id;
	return 0;
}

static int
apply_exception_delete(struct store *s, void *arg, const struct actor *actor,
    time_t now, struct error *err)
{
	int64_t id = *(int64_t *)arg;
	struct calendar_exception e;
	char words[64], detail[160];

	if (store_exception_get(s, id, &e, err) != 0) {
		if (err != NULL && err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_NOT_FOUND,
			    "unknown_exception", NULL, "No such exception.");
		return -1;
	}
	exception_words(&e, words, sizeof words);
	snprintf(detail, sizeof detail, "%s",
	    e.desk_id > 0 ? e.desk_name : "every desk");
	if (store_exception_delete(s, id, err) != 0 ||
	    audit_record(s, actor, "exception.delete", 0, words, NULL, detail,
	        now, err) != 0)
		return -1;
	return 0;
}

int
calendar_exception_delete(struct store *s, const struct config *c, int64_t id,
    const struct calendar_request *req, const struct actor *actor, time_t now,
    struct calendar_result *res, struct error *err)
{
	return calendar_change(
	    s, c, apply_exception_delete, &id, req, actor, now, res, err);
}

/* ---- holidays ----------------------------------------------------------- */

static int
holiday_order(const void *a, const void *b)
{
	const struct calendar_holiday *x = a, *y = b;

	return date_compare(x->day, y->day);
}

int
calendar_holidays(struct store *s, int year, struct calendar_holiday **out,
    size_t *n, struct error *err)
{
	struct holiday_override *own = NULL;
	struct calendar_holiday *list = NULL;
	size_t nown = 0, count = 0, i, j;
	struct date d;

	*out = NULL;
	*n = 0;
	if (store_holidays_list(s, year, &own, &nown, err) != 0)
		return -1;
	if ((list = calloc(nown + 32, sizeof *list)) == NULL)
		abort();
	for (d = (struct date){year, 1, 1}; d.year == year;
	     d = date_add_days(d, 1)) {
		const char *name;

		if (!holiday_pl(d, &name))
			continue;
		list[count].day = d;
		list[count].statutory = name;
		list[count].closed = true;
		count++;
	}
	for (i = 0; i < nown; i++) {
		for (j = 0; j < count; j++)
			if (date_compare(list[j].day, own[i].day) == 0)
				break;
		if (j == count) {
			list[count].day = own[i].day;
			count++;
		}
		list[j].own = true;
		list[j].closed = own[i].closed;
		snprintf(list[j].name, sizeof list[j].name, "%s", own[i].name);
	}
	free(own);
	qsort(list, count, sizeof *list, holiday_order);
	*out = list;
	*n = count;
	return 0;
}

static int
apply_holiday_set(struct store *s, void *arg, const struct actor *actor,
    time_t now, struct error *err)
{
	const struct holiday_override *h = arg;
	char day[DATE_LEN], before[64];
	struct holiday_override old;
	bool is_set, closed;

	if (!date_valid(h->day))
		return error_set_code(err, ERROR_INVALID, "date_invalid", "day",
		    "Give the day as YYYY-MM-DD.");
	if (strlen(h->name) >= sizeof h->name ||
	    !utf8_text_valid(h->name, strlen(h->name)))
		return error_set_code(err, ERROR_INVALID, "text_invalid",
		    "name",
		    "The name contains characters that are not allowed.");
	if (h->closed && h->name[0] == '\0' && !holiday_pl(h->day, NULL))
		return error_set_code(err, ERROR_INVALID, "required", "name",
		    "Name the day off (e.g. the reason it is closed).");
	if (store_holiday_get(s, h->day, &old, &is_set, err) != 0 ||
	    booking_day_closed(s, h->day, &closed, NULL, NULL, 0, err) != 0)
		return -1;
	date_format(h->day, day);
	snprintf(before, sizeof before, "%s", closed ? "closed" : "open");
	if (store_holiday_set(s, h, err) != 0 ||
	    audit_record(s, actor, "holiday.set", 0, before,
	        h->closed ? "closed" : "open", h->name[0] ? h->name : day, now,
	        err) != 0)
		return -1;
	return 0;
}

int
calendar_holiday_set(struct store *s, const struct config *c,
    const struct holiday_override *h, const struct calendar_request *req,
    const struct actor *actor, time_t now, struct calendar_result *res,
    struct error *err)
{
	struct holiday_override copy = *h;

	return calendar_change(
	    s, c, apply_holiday_set, &copy, req, actor, now, res, err);
}

static int
apply_holiday_clear(struct store *s, void *arg, const struct actor *actor,
    time_t now, struct error *err)
{
	const struct date *day = arg;
	char text[DATE_LEN];
	bool before, after;

	if (!date_valid(*day))
		return error_set_code(err, ERROR_INVALID, "date_invalid", "day",
		    "Give the day as YYYY-MM-DD.");
	date_format(*day, text);
	if (booking_day_closed(s, *day, &before, NULL, NULL, 0, err) != 0 ||
	    store_holiday_clear(s, *day, err) != 0 ||
	    booking_day_closed(s, *day, &after, NULL, NULL, 0, err) != 0 ||
	    audit_record(s, actor, "holiday.clear", 0,
	        before ? "closed" : "open", after ? "closed" : "open", text,
	        now, err) != 0)
		return -1;
	return 0;
}

int
calendar_holiday_clear(struct store *s, const struct config *c, struct date day,
    const struct calendar_request *req, const struct actor *actor, time_t now,
    struct calendar_result *res, struct error *err)
{
	return calendar_change(
	    s, c, apply_holiday_clear, &day, req, actor, now, res, err);
}
