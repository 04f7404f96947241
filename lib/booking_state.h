/*
 * booking_state.h: the booking state machine (statuses of CONTRACT.md).
 * The one place that says which transition is legal; everything else asks.
 *
 *   pending ──confirm──▶ booked ──check_in──▶ waiting ──call──▶ called ──start──▶ in_service
 *      │                  │  │                  │                 │ ▲                  │
 *   expire, cancel     cancel │ call ──────────────────────────────▶│ └ call (again)   finish
 *      ▼                  ▼  no_show          cancel, no_show    no_show              ▼
 *   expired, cancelled                                                               done
 *
 * reschedule keeps the status (pending or booked only). done, no_show,
 * cancelled and expired are final.
 */
#ifndef WIZYTA_BOOKING_STATE_H
#define WIZYTA_BOOKING_STATE_H

#include <stdbool.h>

enum booking_status {
	BOOKING_PENDING,
	BOOKING_BOOKED,
	BOOKING_WAITING,
	BOOKING_CALLED,
	BOOKING_IN_SERVICE,
	BOOKING_DONE,
	BOOKING_NO_SHOW,
	BOOKING_CANCELLED,
	BOOKING_EXPIRED,
	BOOKING_STATUS_COUNT
};

enum booking_action {
	ACTION_CONFIRM,		/* citizen (reply, link) or staff */
	ACTION_CANCEL,		/* citizen or staff */
	ACTION_EXPIRE,		/* gateway, after confirm_within */
	ACTION_CHECK_IN,	/* reception, by access code */
	ACTION_CALL,		/* clerk: Przywołaj */
	ACTION_START,		/* clerk: Rozpocznij */
	ACTION_FINISH,		/* clerk: Zakończ */
	ACTION_NO_SHOW,		/* clerk: Rezerwacja niezrealizowana */
	ACTION_RESCHEDULE,	/* staff or citizen: status stays */
	ACTION_COUNT
};

const char *booking_status_name(enum booking_status);	/* "pending" */
const char *booking_status_label_pl(enum booking_status); /* "Rezerwacja" */
const char *booking_status_label_en(enum booking_status);
int booking_status_parse(const char *name, enum booking_status *out);
const char *booking_action_name(enum booking_action);
int booking_action_parse(const char *name, enum booking_action *out);

/* booking_next: the status after action, or -1 when illegal. */
int booking_next(
    enum booking_status, enum booking_action, enum booking_status *out);
/* The statuses that hold their place — the one definition: the store
 * pastes it into its SQL, booking_status_live() reads the same list. */
#define BOOKING_LIVE_SQL                                                       \
	"('pending', 'booked', 'waiting', 'called', 'in_service')"

/* Open: not yet visited, the citizen may still move or cancel it (the
 * statuses where ACTION_RESCHEDULE is legal: test_booking_state checks the
 * two agree). For the store's SQL; in C ask booking_status_open(). */
#define BOOKING_OPEN_SQL "('pending', 'booked')"

/* live: holds its slot (BOOKING_LIVE_SQL); the others are final. */
bool booking_status_live(enum booking_status);
/* open: BOOKING_OPEN_SQL */
bool booking_status_open(enum booking_status);
/* booking_action_legal: booking_next would allow it (e.g. a citizen may
 * change the time while ACTION_RESCHEDULE is legal). */
bool booking_action_legal(enum booking_status, enum booking_action);
/* booking_action_for_status: the action a desk or the register takes to
 * put a booking into this status (waiting → check_in, called → call,
 * in_service → start, done → finish, no_show → no_show, booked → confirm,
 * cancelled → cancel); -1 for pending and expired, which no one sets. */
int booking_action_for_status(enum booking_status, enum booking_action *out);

#endif
