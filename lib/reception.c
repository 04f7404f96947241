/*
 * reception.c: the building's door (reception.h): the check-in rule —
 * the clock's window measured at arrival, the occupancy limit with the
 * queue outside first — and the check-in by access code.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "booking.h"
#include "log.h"
#include "reception.h"
#include "token.h"

int
reception_code_normalize(const char *text, char out[8], struct error *err)
{
	size_t n = 0;
	const char *p;

	for (p = text != NULL ? text : ""; *p != '\0'; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\r' ||
		    *p == '\n')
			continue;
		if (!isdigit((unsigned char)*p) || n == ACCESS_CODE_LEN)
			goto bad;
		out[n++] = *p;
	}
	if (n != ACCESS_CODE_LEN)
		goto bad;
	out[n] = '\0';
	return 0;
bad:
	out[0] = '\0';
	return error_set_code(err, ERROR_INVALID, "code_invalid", "code",
	    "An access code is 6 digits.");
}

/* today_since: the office's midnight of now's day: queue markers older
 * than it are yesterday's and do not count */
static time_t
today_since(time_t now)
{
	time_t since;

	if (otime_make(date_of(now), 0, &since) != 0)
		since = now - 86400; /* unreachable: midnight always exists */
	return since;
}

static void
hhmm(time_t t, char out[8])
{
	unsigned m = (unsigned)otime_minute_of_day(t) % 1440;

	snprintf(out, 8, "%02u:%02u", m / 60, m % 60);
}

/* told: when the citizen was told to come — the visit's start, or later
 * when a live delay notice told them the desk runs late (delay.h): the
 * late edge and lateness count from it */
static time_t
told(const struct booking *b)
{
	return b->start + (time_t)b->delay_notified;
}

/* visit_fill: what the door knows about b at now, room being its counts */
static void
visit_fill(const struct config *c, const struct booking *b,
    const struct reception_room *room, time_t now, struct reception_visit *v)
{
	long diff;

	v->booking = *b;
	v->found = true;
	v->entry_from = b->start - c->reception_check_in_early;
	v->entry_until = told(b) + c->reception_check_in_late;
	v->queued_at = room->queued_at;
	v->arrival = room->queued_at != 0 ? room->queued_at : now;
	diff = (long)(v->arrival - told(b));
	/* whole minutes, rounded towards the earlier: 59 s late is on time */
	v->late_minutes = diff >= 0 ? diff / 60 : -((-diff + 59) / 60);
	v->inside = room->inside;
	v->max_inside = c->reception_max_inside;
	v->position = room->queued_at != 0 ? room->ahead + 1 : 0;
}

/* admit: the rule of reception.h on counts already read */
static int
admit(const struct config *c, const struct booking *b,
    const struct reception_room *room, time_t now, struct error *err)
{
	time_t arrival = room->queued_at != 0 ? room->queued_at : now;
	char at[8], from[8];

	hhmm(b->start, at);
	if (arrival < b->start - c->reception_check_in_early) {
		hhmm(b->start - c->reception_check_in_early, from);
		return error_set_code(err, ERROR_CONFLICT, "too_early", NULL,
		    "Too early to check in: the visit is at %s, entry from "
		    "%s.",
		    at, from);
	}
	if (arrival > told(b) + c->reception_check_in_late) {
		hhmm(told(b) + c->reception_check_in_late, from);
		return error_set_code(err, ERROR_CONFLICT, "too_late", NULL,
		    "Too late to check in: the visit was at %s, entry until "
		    "%s.",
		    at, from);
	}
	if (c->reception_max_inside > 0 &&
	    room->inside + room->ahead >= c->reception_max_inside)
		return error_set_code(err, ERROR_CONFLICT, "full", NULL,
		    "The building is full (%u inside, %u waiting outside "
		    "first): please wait outside.",
		    room->inside, room->ahead);
	return 0;
}

static int
room_of(struct store *s, const struct booking *b, time_t now,
    struct reception_room *room, struct error *err)
{
	return store_reception_room(s, b->id, date_of(now), date_of(b->start),
	    today_since(now), room, err);
}

int
reception_admit(struct store *s, const struct config *c,
    const struct booking *b, time_t now, struct error *err)
{
	struct reception_room room;

	if (room_of(s, b, now, &room, err) != 0)
		return -1;
	return admit(c, b, &room, now, err);
}

/* by_code: today's live booking of the code, inside the transaction */
static int
by_code(struct store *s, const char *code, time_t now, struct booking *b,
    struct error *err)
{
	if (store_booking_by_code(s, code, date_of(now), b, err) == 0)
		return 0;
	if (err != NULL && err->kind != ERROR_NOT_FOUND)
		return -1;
	return error_set_code(err, ERROR_NOT_FOUND, "unknown_code", NULL,
	    "No live booking today has this access code.");
}

static bool
inside_status(enum booking_status st)
{
	return st == BOOKING_WAITING || st == BOOKING_CALLED ||
	       st == BOOKING_IN_SERVICE;
}

/* queue: mark b queued outside (once) with its event and audit row */
static int
queue(struct store *s, const struct booking *b, const struct actor *actor,
    time_t now, struct error *err)
{
	char who[96];

	actor_describe(actor, who, sizeof who);
	if (store_booking_queue_mark(s, b->id, now, today_since(now), err) !=
	        0 ||
	    store_event_add(s, b->id, now, who, "queue", "", err) != 0)
		return -1;
	return audit_record(s, actor, "reception.queue", b->id, "outside",
	    "queued", NULL, now, err);
}

/* door_begin: the start of every door action — a receptionist or more,
 * a code of 6 digits, the write transaction, today's live booking of the
 * code and its counts. -1 with the transaction rolled back (or never
 * begun) otherwise. */
static int
door_begin(struct store *s, const char *code_text, const struct actor *actor,
    time_t now, struct booking *b, struct reception_room *room,
    struct error *err)
{
	char code[8];

	if (!actor_at_least(actor, ROLE_RECEPTION))
		return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
		    "Only reception and staff keep the door.");
	if (reception_code_normalize(code_text, code, err) != 0 ||
	    store_begin(s, err) != 0)
		return -1;
	if (by_code(s, code, now, b, err) != 0 ||
	    room_of(s, b, now, room, err) != 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
reception_check_in(struct store *s, const struct config *c,
    const char *code_text, const struct actor *actor, time_t now,
    struct reception_visit *out, struct error *err)
{
	struct reception_room room;
	struct booking b;
	struct error refusal;

	memset(out, 0, sizeof *out);
	out->max_inside = c->reception_max_inside;
	if (door_begin(s, code_text, actor, now, &b, &room, err) != 0)
		return -1;
	visit_fill(c, &b, &room, now, out);
	if (inside_status(b.status)) {
		char at[8];

		hhmm(b.checked_in_at, at);
		error_set_code(err, ERROR_CONFLICT, "already_checked_in", NULL,
		    "Already checked in at %s.", at);
		goto fail;
	}
	error_clear(&refusal);
	if (booking_apply_locked(
	        s, c, &b, ACTION_CHECK_IN, actor, now, &refusal) == 0) {
		if (store_commit(s, err) != 0)
			return -1;
		out->booking = b;
		out->inside = room.inside + 1;
		out->position = 0;
		log_info("reception check-in booking=%lld ref=%s inside=%u",
		    (long long)b.id, b.reference, out->inside);
		return 0;
	}
	if (refusal.kind != ERROR_CONFLICT ||
	    strcmp(refusal.code, "full") != 0) {
		if (err != NULL)
			*err = refusal;
		goto fail;
	}
	/* full: the refusal stands, and the person joins the queue outside
	 * (nothing was written before the rule refused) */
	if (room.queued_at == 0) {
		if (queue(s, &b, actor, now, err) != 0 ||
		    room_of(s, &b, now, &room, err) != 0)
			goto fail;
		visit_fill(c, &b, &room, now, out);
	}
	if (store_commit(s, err) != 0)
		return -1;
	log_info("reception full booking=%lld ref=%s inside=%u position=%u",
	    (long long)b.id, b.reference, room.inside, out->position);
	if (err != NULL)
		*err = refusal;
	return -1;
fail:
	store_rollback(s);
	return -1;
}

int
reception_dequeue(struct store *s, const struct config *c,
    const char *code_text, const struct actor *actor, time_t now,
    struct error *err)
{
	struct reception_room room;
	struct booking b;

	(void)c;
	if (door_begin(s, code_text, actor, now, &b, &room, err) != 0)
		return -1;
	if (room.queued_at == 0 || b.status != BOOKING_BOOKED) {
		error_set_code(err, ERROR_NOT_FOUND, "not_queued", NULL,
		    "This person is not in the queue outside.");
		goto fail;
	}
	if (store_booking_queue_clear(s, b.id, err) != 0 ||
	    audit_record(s, actor, "reception.dequeue", b.id, "queued",
	        "outside", NULL, now, err) != 0)
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return -1;
}

int
reception_status(struct store *s, const struct config *c, time_t now,
    struct reception_status *out, struct error *err)
{
	struct queue_entry *q = NULL;
	size_t n = 0, i;

	memset(out, 0, sizeof *out);
	out->max_inside = c->reception_max_inside;
	if (store_reception_inside(s, date_of(now), &out->inside, err) != 0 ||
	    store_reception_queue(s, today_since(now), &q, &n, err) != 0)
		return -1;
	if (out->max_inside > out->inside)
		out->free = out->max_inside - out->inside;
	if (n > 0 && (out->queue = calloc(n, sizeof *out->queue)) == NULL) {
		free(q);
		return error_set(err, ERROR_INTERNAL, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct reception_queued *e = &out->queue[out->nqueue];

		if (store_booking_get(s, q[i].booking_id, &e->booking, err) !=
		    0) {
			free(q);
			reception_status_free(out);
			return -1;
		}
		e->queued_at = q[i].queued_at;
		e->may_enter = out->max_inside == 0 || out->nqueue < out->free;
		out->nqueue++;
	}
	free(q);
	return 0;
}

void
reception_status_free(struct reception_status *st)
{
	if (st == NULL)
		return;
	free(st->queue);
	st->queue = NULL;
	st->nqueue = 0;
}
