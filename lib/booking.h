/*
 * booking.h: the booking domain — what the web, the gateway and the CLI ask
 * for. Each call is one transaction: it checks the state machine
 * (booking_state.h), changes the booking, logs a booking_event and writes
 * the messages the change causes into the outbox (notify.c), all committed
 * together. Nothing here sends anything: wizytad delivers the outbox.
 *
 * Errors: ERROR_INVALID (+ field) for bad input, ERROR_NOT_FOUND,
 * ERROR_CONFLICT (slot taken, wrong state), ERROR_LIMIT (too many open
 * bookings for one contact), ERROR_IO.
 */
#ifndef WIZYTA_BOOKING_H
#define WIZYTA_BOOKING_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "error.h"
#include "store.h"

struct booking_request {
	int64_t service_id;
	const char *start;	/* local "YYYY-MM-DDTHH:MM" */
	int64_t desk_id;	/* 0 = any free desk */
	const char *first_name;
	const char *last_name;
	const char *email;	/* NULL or "" when none */
	const char *phone;	/* any common Polish form; normalised to E.164 */
	const char *language;	/* "pl" (default) or "en" */
	const char *source;	/* "web", "api", "staff" */
	const char *actor;	/* for the event log: "citizen", "staff:LOGIN" */
	bool skip_confirmation;	/* staff booking on a citizen's behalf: booked at once */
};

/* booking_create: validates, takes the slot or fails with ERROR_CONFLICT,
 * and queues the confirmation request(s). Fills *out. */
int booking_create(struct store *, const struct config *, const struct booking_request *,
    time_t now, struct booking *out, struct error *);

/* booking_request_errors: the field errors of a request, all of them (not
 * only the first, as booking_create reports), into errs (at most max);
 * returns how many. Each has its field set. */
size_t booking_request_errors(const struct config *, const struct booking_request *,
    struct error *errs, size_t max);

/* booking_apply: one state-machine action on a booking by reference
 * (confirm, cancel, expire, check_in, call, start, finish, no_show), with
 * the messages it causes. Confirm issues the access code. */
int booking_apply(struct store *, const struct config *, const char *reference,
    enum booking_action, const char *actor, time_t now, struct booking *out,
    struct error *);

/* booking_reschedule: move to another free slot atomically; keeps the
 * reference and status, bumps the iCalendar sequence, tells the citizen. */
int booking_reschedule(struct store *, const struct config *, const char *reference,
    const char *new_start, int64_t desk_id, const char *actor, time_t now,
    struct booking *out, struct error *);

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
