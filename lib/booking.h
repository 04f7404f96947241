/*
 * booking.h: the booking domain — what the web, the gateway and the CLI ask
 * for. Each call is one transaction: it checks the state machine
 * (booking_state.h), changes the booking, logs a booking_event and writes
 * the messages the change causes into the outbox (notify.c), all committed
 * together. Nothing here sends anything: wizytad delivers the outbox.
 *
 * Every call takes the actor who asks (actor.h) and decides by it what is
 * allowed: citizens confirm, cancel and move their booking; reception checks
 * people in; staff run the desk and the register; the gateway expires. An
 * operator's change also writes an audit row (audit.h) in the transaction.
 * `now` is always passed in: the guards of the desk's day (no check-in long
 * before the visit, no no-show before it starts, …) are tested with a fixed
 * clock.
 *
 * Errors: ERROR_INVALID (+ field) for bad input, ERROR_NOT_FOUND,
 * ERROR_CONFLICT (slot taken, wrong state, the clock: codes "wrong_state",
 * "too_early", "too_late", "not_today", "before_start", "changed"),
 * ERROR_FORBIDDEN ("forbidden": not this actor), ERROR_LIMIT (too many open
 * bookings for one contact), ERROR_IO.
 */
#ifndef WIZYTA_BOOKING_H
#define WIZYTA_BOOKING_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "config.h"
#include "error.h"
#include "store.h"

struct booking_request {
	int64_t service_id;
	const char *start; /* local "YYYY-MM-DDTHH:MM" */
	int64_t desk_id;   /* 0 = any free desk */
	const char *first_name;
	const char *last_name;
	const char *email;    /* NULL or "" when none */
	const char *phone;    /* any common Polish form; normalised to E.164 */
	const char *language; /* "pl" (default) or "en" */
	bool skip_confirmation; /* staff booking on a citizen's behalf: booked
	                           at once */
};

/* booking_create: validates, takes the slot or fails with ERROR_CONFLICT,
 * and queues the confirmation request(s). Fills *out. The booking's source
 * follows the actor: "staff" (an operator, on a citizen's behalf: no limit
 * per contact), "api" or "web". */
int booking_create(struct store *, const struct config *,
    const struct booking_request *, const struct actor *, time_t now,
    struct booking *out, struct error *);

/* booking_apply: one state-machine action on a booking by reference
 * (confirm, cancel, expire, check_in, call, start, finish, no_show), with
 * the messages it causes. Confirm issues the access code. */
int booking_apply(struct store *, const struct config *, const char *reference,
    enum booking_action, const struct actor *, time_t now, struct booking *out,
    struct error *);

/* booking_set_status: the desk's and the register's way to booking_apply:
 * the action that leads to status (booking_action_for_status); ERROR_INVALID
 * for pending and expired. */
int booking_set_status(struct store *, const struct config *,
    const char *reference, enum booking_status, const struct actor *,
    time_t now, struct booking *out, struct error *);

/* booking_call_next: the next person waiting today for this desk (booked at
 * it, or for a service it serves; earliest booked time first) becomes
 * `called` at this desk, atomically: two desks calling at once never get
 * the same person. ERROR_NOT_FOUND "nobody_waiting". */
int booking_call_next(struct store *, const struct config *, int64_t desk_id,
    const struct actor *, time_t now, struct booking *out, struct error *);

/* booking_add_note: the staff's annotation (Adnotacja), replacing the last;
 * its text is kept in the booking's events, only its size in the audit. */
int booking_add_note(struct store *, const struct config *,
    const char *reference, const char *text, const struct actor *, time_t now,
    struct booking *out, struct error *);

/* booking_reschedule: move to another free slot atomically; keeps the
 * reference and status, bumps the iCalendar sequence, tells the citizen. */
int booking_reschedule(struct store *, const struct config *,
    const char *reference, const char *new_start, int64_t desk_id,
    const struct actor *, time_t now, struct booking *out, struct error *);

/* booking_check_contact: does contact (e-mail or phone in any form) belong to
 * the booking? Constant-time on the normalised strings. */
bool booking_check_contact(const struct booking *, const char *contact);

/* booking_slots: free slots of a service on a local date. */
int booking_slots(struct store *, const struct config *, int64_t service_id,
    struct date, time_t now, struct slot **out, size_t *n, struct error *);

/* booking_expire_due / booking_remind_due: the gateway's timers; count of
 * bookings handled. */
int booking_expire_due(struct store *, const struct config *, time_t now,
    unsigned *count, struct error *);
int booking_remind_due(struct store *, const struct config *, time_t now,
    unsigned *count, struct error *);

#endif
