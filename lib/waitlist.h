/*
 * waitlist.h: the waitlist of a full day (issue 16, CONTRACT.md
 * "Waitlist"). A citizen who finds a day of a service full joins its line,
 * optionally for a window of the day ("10:00-12:00"). When a place of that
 * service and day frees, the first person in line whose window it fits
 * gets an offer: a booking held for them (pending, source "waitlist",
 * expiring after [waitlist] hold, 15 minutes by default) and a message on
 * their channel(s) — "odpowiedz TAK w ciągu 15 minut". TAK (a reply or the
 * link) confirms it like any booking (booked, the access code follows);
 * NIE or silence ends their place in line and passes the place to the
 * next person. Because the offer is a live booking, every count of places
 * (slots, booking, moves) sees the held place as taken.
 *
 * What frees a place for the line (in the same transaction as the change,
 * so nobody refreshing the day page can take it first):
 *   - a cancellation (by the citizen, staff, an admin's calendar change)
 *     and an expiry of a pending booking (an offer's too: the next person);
 *   - a booking moved to another time (its old place);
 *   - anything else that leaves a place free (more hours or capacity): the
 *     gateway's timer looks at every line with people waiting.
 * A no-show frees nothing: its time has begun. A place is offered only
 * when its visit starts at least lead_time + hold from now, so that a TAK
 * at the end of the hold still meets the booking rules.
 *
 * Rules decided by the database (every change runs in BEGIN IMMEDIATE):
 *   - one place is held for one person: the offer is a booking, counted
 *     with the others inside the write transaction;
 *   - one e-mail or phone stands in one line once (unique indexes) and
 *     holds at most one open offer at a time (a unique index on bookings):
 *     a person on two lines is offered in turns, never two places at once;
 *   - taking an offer ends the person's other lines for that service;
 *     booking that service and day otherwise ends their line for the day
 *     and releases an offer they hold for it (the next person gets it);
 *   - a TAK and the hold's end race in the database: either the booking is
 *     confirmed or it expires (and the next person is offered), never
 *     both; a TAK after the hold gets a kind "already gone" answer.
 *
 * Limits (citizens; staff joining on a citizen's behalf skip them): at most
 * [waitlist] max_per_contact lines per e-mail or phone, max_per_address
 * joined from one client address, the site's rate limit.
 *
 * `now` is always passed in.
 */
#ifndef WIZYTA_WAITLIST_H
#define WIZYTA_WAITLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "booking_state.h"
#include "config.h"
#include "error.h"
#include "store.h"

const char *waitlist_status_name(enum waitlist_status); /* "waiting" */
int waitlist_status_parse(const char *name, enum waitlist_status *out);
/* waitlist_status_active: stands in line (waiting, offered) */
bool waitlist_status_active(enum waitlist_status);

struct waitlist_request {
	int64_t service_id;
	const char *date; /* "YYYY-MM-DD" */
	const char *from; /* "HH:MM" or NULL/"": the day's opening */
	const char *to;   /* "HH:MM" or NULL/"": its closing */
	const char *first_name;
	const char *last_name;
	const char *email;    /* NULL or "" when none */
	const char *phone;    /* any common Polish form */
	const char *language; /* "pl" (default) or "en" */
	const char *client;   /* the client's address (limits), or NULL */
};

/*
 * waitlist_join: put a person in the line of a full day. Errors (codes):
 *   ERROR_INVALID: the person's as booking_create's (names, e-mail, phone,
 *     contact_missing, phone_opted_out, language_invalid); date_invalid,
 *     day_past, outside_horizon, office_closed (field date); time_invalid,
 *     window_invalid, window_closed (field from or to); too_late_to_wait
 *     (no place of the day could still be offered); no_waitlist (field
 *     service_id: the service has none)
 *   ERROR_NOT_FOUND: unknown_service (field service_id)
 *   ERROR_CONFLICT: places_free (a place in the window can be booked now),
 *     already_waiting, already_booked (an open booking that day)
 *   ERROR_LIMIT: too_many_waitlists (per contact),
 *     too_many_waitlists_address (per client address)
 *   ERROR_FORBIDDEN: forbidden (the gateway, the CLI)
 * *out gets the entry with its position; the joined message is queued.
 */
int waitlist_join(struct store *, const struct config *,
    const struct waitlist_request *, const struct actor *, time_t now,
    struct waitlist_entry *out, struct error *);

/* waitlist_day_check: could someone join this day's line now, for the
 * window [from, to) (minutes; 0 and 1440 for the whole day)? 0 when so;
 * otherwise the error waitlist_join would give about the day: places_free
 * (book one), no_waitlist, office_closed, too_late_to_wait, … — for the
 * day page, which offers the waitlist only where it can work. */
int waitlist_day_check(struct store *, const struct config *,
    int64_t service_id, struct date, int from, int to, time_t now,
    struct error *);

/* waitlist_get: an entry by reference with its position now;
 * ERROR_NOT_FOUND "unknown_waitlist" */
int waitlist_get(struct store *, const char *reference, struct waitlist_entry *,
    struct error *);

/* waitlist_check_contact: is contact (e-mail or phone, any form) the
 * entry's? Constant-time on the normalised strings. */
bool waitlist_check_contact(const struct waitlist_entry *, const char *contact);

/* waitlist_leave: out of the line (citizen: link, reply, API; staff); an
 * offer they hold is declined (the next person gets it). Leaving twice is
 * no error. ERROR_CONFLICT wrong_state when the entry already ended
 * otherwise (booked, lapsed, …). */
int waitlist_leave(struct store *, const struct config *, const char *reference,
    const struct actor *, time_t now, struct waitlist_entry *out,
    struct error *);

/* waitlist_offer_places: inside the caller's transaction (or its own),
 * offer the free places of a service's day to the line, first fitting
 * person first; *offered (may be NULL) counts the offers made. */
int waitlist_offer_places(struct store *, const struct config *,
    int64_t service_id, struct date, time_t now, unsigned *offered,
    struct error *);

/* The domain's hooks (lib/booking.c calls them inside its transaction). */
/* waitlist_after_action: b went from `before` by action (its offer taken,
 * declined or lapsed; its place freed by a cancellation or expiry) */
int waitlist_after_action(struct store *, const struct config *,
    const struct booking *, enum booking_status before, enum booking_action,
    time_t now, struct error *);
/* waitlist_after_move: b moved away from old_start: the old place frees */
int waitlist_after_move(struct store *, const struct config *,
    const struct booking *, time_t old_start, time_t now, struct error *);
/* waitlist_after_create: b was booked (not from the line): the person's
 * line for that service and day ends, an offer they hold for it goes */
int waitlist_after_create(struct store *, const struct config *,
    const struct booking *, time_t now, struct error *);

/* waitlist_due: the gateway's timer: lines of days gone end; every line
 * with people waiting is offered the places free in it (what freed without
 * a booking change: more hours, more capacity). */
int waitlist_due(struct store *, const struct config *, time_t now,
    unsigned *ended, unsigned *offered, struct error *);

/* waitlist_parse_time: "HH:MM" (00:00-24:00) → minutes of the day */
int waitlist_parse_time(const char *text, int *minutes);
/* waitlist_format_time: minutes of the day (0-1440) → "HH:MM" */
void waitlist_format_time(int minutes, char out[6]);

#endif
