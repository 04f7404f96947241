/*
 * reception.h: the building's door (*Recepcja*) — check-in by the 6-digit
 * access code, the occupancy limit and the queue outside a full building.
 *
 * The check-in rule lives here, and booking.c asks reception_admit() for
 * every check-in whatever door it came through (this module's code lookup,
 * or POST /api/v1/bookings/{ref}/status "waiting"):
 *
 *   1. The clock. Check-in opens [reception] check_in_early before the
 *      visit and closes check_in_late after its start (too_early,
 *      too_late). Lateness is measured at the person's arrival: for someone
 *      queued outside a full building that is the moment they were queued,
 *      not the moment a place freed — waiting outside never makes anyone
 *      late. A citizen told by a live delay notice (delay.h) that the desk
 *      runs late was told to come later: the late edge and the lateness
 *      count from that time.
 *   2. The building. With [reception] max_inside = N > 0, at most N of the
 *      day's bookings are inside: the statuses waiting, called and
 *      in_service, counted from the bookings themselves (no counter to
 *      drift), inside the check-in's write transaction (BEGIN IMMEDIATE),
 *      so two receptionists at once cannot exceed it. A freed place goes to
 *      the queue outside first: a person may enter while
 *          inside + (people queued outside before them) < N,
 *      else the check-in is refused "full".
 *
 * The queue outside is a marker on the booking (bookings.queued_at: since
 * when; 0 = not queued): reception_check_in() refused "full" sets it in the
 * same transaction (and writes the booking event and the audit row), so
 * reception sees who waits outside, in arrival order, and who may enter
 * now. The queue is today's: only markers set since the office's midnight
 * count. A person leaves it by being checked in (status waiting), by a
 * change of status (cancelled, …) or by reception_dequeue() (they walked
 * away). A check-in by reference refused "full" is refused the same way but
 * not queued: only the door queues people.
 */
#ifndef WIZYTA_RECEPTION_H
#define WIZYTA_RECEPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "actor.h"
#include "config.h"
#include "error.h"
#include "store.h"

/* What reception sees about one visit at the door. */
struct reception_visit {
	struct booking booking; /* when one was found by the code */
	bool found;
	time_t entry_from, entry_until; /* the check-in window */
	time_t arrival;                 /* now, or when queued outside */
	long late_minutes; /* whole minutes after the start, or after the
	                      later time a delay notice gave (< 0: early) */
	time_t queued_at;  /* queued outside since (0: not queued) */
	unsigned position; /* in the queue outside, 1 = next (0: not queued) */
	unsigned inside;   /* people inside after this check-in */
	unsigned max_inside; /* [reception] max_inside, 0 = no limit */
};

/* One person of the queue outside. */
struct reception_queued {
	struct booking booking;
	time_t queued_at;
	bool may_enter; /* a place is free for them now */
};

/* The door's state: how many are inside, who waits outside. */
struct reception_status {
	unsigned inside, max_inside;
	unsigned free;                  /* places free now (max_inside 0: 0) */
	struct reception_queued *queue; /* in order; caller frees */
	size_t nqueue;
};

/* reception_code_normalize: the 6 digits of a typed or scanned code (spaces
 * and dashes a scanner or a hand may add are dropped); ERROR_INVALID
 * "code_invalid" (field code) otherwise. */
int reception_code_normalize(const char *text, char out[8], struct error *);

/* reception_admit: the check-in rule above for b at now, inside the
 * caller's write transaction; ERROR_CONFLICT too_early, too_late or full.
 * Writes nothing. */
int reception_admit(struct store *, const struct config *,
    const struct booking *, time_t now, struct error *);

/* reception_check_in: check in today's live booking of the code, one
 * transaction. 0: it is waiting (out->booking). -1 with err:
 * code_invalid (ERROR_INVALID), unknown_code (ERROR_NOT_FOUND: no live
 * booking today with that code), already_checked_in, too_early,
 * too_late, wrong_state, full (ERROR_CONFLICT; full queues the person
 * outside and commits that), forbidden. *out is filled as far as known
 * (the booking, its window, lateness, the queue position). */
int reception_check_in(struct store *, const struct config *, const char *code,
    const struct actor *, time_t now, struct reception_visit *out,
    struct error *);

/* reception_dequeue: take today's booking of the code out of the queue
 * outside (the person left); ERROR_NOT_FOUND "not_queued" when it is not
 * in it. Audited. */
int reception_dequeue(struct store *, const struct config *, const char *code,
    const struct actor *, time_t now, struct error *);

/* reception_status: the door's state at now. */
int reception_status(struct store *, const struct config *, time_t now,
    struct reception_status *, struct error *);
void reception_status_free(struct reception_status *);

#endif
