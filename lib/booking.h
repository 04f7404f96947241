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
 * Errors a user or an API client may see carry a stable code (error.h:
 * the API's "error" member; the pages show "err_<code>" from
 * web/i18n/{pl,en}.json) and an English message, never internals:
 *   ERROR_INVALID (+ field): name_missing, name_too_long, name_invalid,
 *     name_no_letters, email_invalid, email_local_not_ascii, phone_invalid,
 *     phone_premium, phone_country, phone_opted_out, contact_missing,
 *     email_required, phone_required, language_invalid, start_invalid,
 *     start_no_such_day (2026-02-30), start_clock_change (a time the
 *     clocks skip in spring), slot_in_past, too_soon, outside_horizon, office_closed,
 *     not_a_slot_start, reason_too_long, reason_invalid
 *   ERROR_NOT_FOUND: unknown_service (field service_id), unknown_booking,
 *     nobody_waiting
 *   ERROR_CONFLICT: slot_taken (field start), wrong_state, confirm_expired,
 *     same_place, nothing_to_keep;
 *     offer_not_movable (a waitlist offer is taken or passed, not moved);
 *     the desk's clock: too_early, too_late, not_today, before_start;
 *     the building: full (reception.h); changed (someone else changed it
 *     first)
 *   ERROR_FORBIDDEN: forbidden (not this actor)
 *   ERROR_LIMIT: too_many_open_bookings, too_many_open_for_service,
 *     too_many_pending_address,
 *     too_many_pending_network, day_under_pressure
 * and ERROR_IO / ERROR_TEMPORARY when the store fails.
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
	const char *start;	/* local "YYYY-MM-DDTHH:MM" */
	int64_t desk_id;	/* 0 = any free desk */
	const char *first_name;
	const char *last_name;
	const char *email;    /* NULL or "" when none */
	const char *phone;    /* any common Polish form; normalised to E.164 */
	const char *language; /* "pl" (default) or "en" */
	const char
	    *client; /* the client's IP address (abuse limits), or NULL */
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

/* booking_request_errors: the field errors of a request, all of them (not
 * only the first, as booking_create reports), into errs (at most max);
 * returns how many. Each has its field set. */
size_t booking_request_errors(const struct config *, const struct booking_request *,
    struct error *errs, size_t max);

/* booking_parse_start: start ("YYYY-MM-DDTHH:MM", office time) as an
 * instant; ERROR_INVALID on field start: start_invalid (not that shape),
 * start_no_such_day (2026-02-30), start_clock_change (a time the clocks
 * skip in spring). */
int booking_parse_start(const char *text, time_t *start, struct error *);
/* booking_check_start: can start ("YYYY-MM-DDTHH:MM") be booked for the
 * service now? 0 when a place is free; otherwise the error booking_create
 * would give (start_invalid, unknown_service, slot_in_past, …,
 * slot_taken). For the form page, which is not shown for a time that can
 * never be booked. */
int booking_check_start(struct store *, const struct config *,
    int64_t service_id, const char *start, time_t now, struct error *);

/* booking_apply: one state-machine action on a booking by reference
 * (confirm, cancel, expire, check_in, call, start, finish, no_show), with
 * the messages it causes. Confirm issues the access code. A cancellation
 * or expiry withdraws what is still queued about the visit (reminders, also
 * those the quiet hours hold, move and delay notices). */
int booking_apply(struct store *, const struct config *, const char *reference,
    enum booking_action, const struct actor *, time_t now, struct booking *out,
    struct error *);

/* booking_apply_locked: booking_apply on a booking already read inside the
 * caller's write transaction (the caller begins, commits or rolls back);
 * *b becomes the booking after the action. For a module that adds its own
 * steps to the same transaction (reception.c: the queue outside). Nothing
 * is written when it fails on a rule. */
int booking_apply_locked(struct store *, const struct config *,
    struct booking *b, enum booking_action, const struct actor *, time_t now,
    struct error *);

/* booking_set_status: the desk's and the register's way to booking_apply:
 * the action that leads to status (booking_action_for_status); ERROR_INVALID
 * for pending and expired. */
int booking_set_status(struct store *, const struct config *,
    const char *reference, enum booking_status, const struct actor *,
    time_t now, struct booking *out, struct error *);

/* booking_action_allowed: would booking_apply accept the action on b from
 * this actor now (its role, the state machine, the clock's guards)? For
 * pages that offer only the buttons that work; the domain checks again
 * when the action comes (the booking may have changed meanwhile). */
bool booking_action_allowed(const struct config *, const struct booking *,
    enum booking_action, const struct actor *, time_t now);

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

/*
 * booking_reschedule: move a pending or booked visit to new_start
 * ("YYYY-MM-DDTHH:MM") at desk_id (0: any desk of the service free then),
 * in one transaction (store_begin nests: called inside a caller's
 * transaction it joins it, so a calendar change and the moves it makes
 * commit together):
 *   - the new place is taken under the slot rules of a new booking
 *     (ERROR_INVALID start_invalid, slot_in_past, too_soon,
 *     outside_horizon, office_closed, not_a_slot_start; ERROR_CONFLICT
 *     slot_taken) and the old one is free at once (it is the same row);
 *     ERROR_CONFLICT wrong_state for other statuses, same_place when
 *     nothing would move;
 *   - the reference, the status and the access code stay (a new code only
 *     when another live booking holds it on the new day); SEQUENCE + 1;
 *   - messages still queued about the old time (a reminder, also one the
 *     SMS quiet hours hold till morning, an earlier move's notice, a delay
 *     notice) are withdrawn (suppressed); the reminders count from now
 *     (reminded_at): each of reminder_before's list whose moment for the
 *     new time is still ahead is sent then, one already past is not (the
 *     move's notice tells the new time);
 *   - the citizen is told by the reschedule channel policy: moved by an
 *     operator (staff, admin, a calendar change) NOTIFY_MOVED, which asks
 *     TAK to keep the new time or NIE to cancel (move_answer "asked";
 *     booking_keep_moved and a citizen's confirm/cancel answer it); moved
 *     by the citizen NOTIFY_RESCHEDULED, asking nothing;
 *   - the booking's event, and for an operator the audit row (the two
 *     times).
 */
int booking_reschedule(struct store *, const struct config *,
    const char *reference, const char *new_start, int64_t desk_id,
    const struct actor *, time_t now, struct booking *out, struct error *);

/* booking_cancel_because: cancel, with the office's reason (NULL or "": none;
 * staff only; at most 200 bytes of text, reason_too_long, reason_invalid)
 * told to the citizen in the cancellation message. */
int booking_cancel_because(struct store *, const struct config *,
    const char *reference, const char *reason, const struct actor *, time_t now,
    struct booking *out, struct error *);

/* booking_keep_moved: the citizen keeps the time the office moved the
 * visit to (TAK to NOTIFY_MOVED, or the ticket page's button): recorded
 * ("move_kept", move_answer "kept") and acknowledged on the channels in
 * ack (NOTIFY_EMAIL/SMS, 0: none) with NOTIFY_MOVE_KEPT; a pending booking
 * is confirmed by it (the access code is the acknowledgement).
 * ERROR_CONFLICT nothing_to_keep when no move waits for an answer. */
int booking_keep_moved(struct store *, const struct config *,
    const char *reference, const struct actor *, unsigned ack,
    const char *in_reply_to, time_t now, struct booking *out, struct error *);

/* booking_check_contact: does contact (e-mail or phone in any form) belong to
 * the booking? Constant-time on the normalised strings. */
bool booking_check_contact(const struct booking *, const char *contact);

/* booking_slots: free slots of a service on a local date, as citizens see
 * them (a staff-only service is unknown_service). */
int booking_slots(struct store *, const struct config *, int64_t service_id,
    struct date, time_t now, struct slot **out, size_t *n, struct error *);
/* booking_slots_for: the same as the actor sees them (NULL: a citizen):
 * staff see the staff-only services too. */
int booking_slots_for(struct store *, const struct config *, int64_t service_id,
    struct date, const struct actor *, time_t now, struct slot **out, size_t *n,
    struct error *);

/* A service's own rules (store.h struct service; set by admins), else the
 * office's ([booking] in wizyta.conf(5)): the least time before a visit it
 * can be booked, how far ahead, how long a booking waits for the citizen's
 * confirmation. */
int64_t booking_lead_time(const struct config *, const struct service *);
int64_t booking_horizon(const struct config *, const struct service *);
int64_t booking_confirm_within(const struct config *, const struct service *);

/* booking_day_closed: is the office closed on that day — a statutory
 * holiday (holiday.h) unless the office opens on it, or a day off of the
 * office's own (store_holiday_set)? *name: the statutory holiday's name
 * (or NULL); own (may be NULL): the office's own name for the day. */
int booking_day_closed(struct store *, struct date, bool *closed,
    const char **name, char *own, size_t own_size, struct error *);
/* booking_day_windows: the opening windows of a service on a day as the
 * office keeps it (weekly hours, exceptions, closed days; people per slot
 * of the service). *windows is malloc'd. */
int booking_day_windows(struct store *, const struct service *, struct date,
    struct slot_window **windows, size_t *n, struct error *);

/* What the waitlist (lib/waitlist.c) shares with booking_create. */
/* booking_check_person: the names, contacts and language of a request as
 * booking_create checks them (the first problem); the contacts in their
 * stored forms into email and phone */
int booking_check_person(const struct config *, const struct booking_request *,
    char *email, size_t email_size, char *phone, size_t phone_size,
    struct error *);
/* booking_check_opt_out: phone_opted_out when the person could only be
 * reached by an SMS to a number that said STOP */
int booking_check_opt_out(struct store *, const struct config *,
    const char *email, const char *phone, struct error *);
/* booking_client_hash: the keyed hash of a client address (client_addr.h),
 * inside the write transaction */
int booking_client_hash(
    struct store *, const char *client, char *out, size_t size, struct error *);
/* booking_offer: inside the caller's transaction, hold a place for a
 * waitlist entry: a pending booking of source "waitlist" at start (desk 0:
 * any) confirmed by TAK within [waitlist] hold, with the offer's message;
 * ERROR_CONFLICT slot_taken when the place is no longer free, ERROR_LIMIT
 * when the person has as many open bookings as they may. */
int booking_offer(struct store *, const struct config *,
    const struct waitlist_entry *, time_t start, int64_t desk_id, time_t now,
    struct booking *out, struct error *);
/* booking_offer_withdraw: inside the caller's transaction, an open offer
 * ends unanswered (the person booked that day otherwise): cancelled,
 * without a message */
int booking_offer_withdraw(struct store *, const struct config *,
    const struct booking *offer, time_t now, struct error *);
/* booking_source_of: where a request comes from: "staff" (an operator of
 * staff's role or above, on a citizen's behalf), "api" or "web" */
const char *booking_source_of(const struct actor *);
/* booking_language: "en" for "en", else "pl" */
const char *booking_language(const char *);
/* booking_is_offer: a place held for someone from the waitlist, not yet
 * taken */
bool booking_is_offer(const struct booking *);

/* booking_expire_due / booking_remind_due: the gateway's timers; count of
 * bookings handled. */
int booking_expire_due(struct store *, const struct config *, time_t now,
    unsigned *count, struct error *);
int booking_remind_due(struct store *, const struct config *, time_t now,
    unsigned *count, struct error *);

#endif
