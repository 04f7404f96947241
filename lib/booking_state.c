/*
 * booking_state.c: the transition table. A row per status, a column per
 * action; -1 marks what is illegal. Reschedule keeps the status.
 */
#include <stdio.h>
#include <string.h>

#include "booking_state.h"

static const char *const status_names[BOOKING_STATUS_COUNT] = {
	"pending", "booked", "waiting", "called", "in_service", "done",
	"no_show", "cancelled", "expired",
};

static const char *const status_labels_pl[BOOKING_STATUS_COUNT] = {
	"Oczekuje na potwierdzenie", "Rezerwacja", "Oczekujący", "Zapraszam",
	"W toku", "Zakończona", "Rezerwacja niezrealizowana", "Anulowana",
	"Wygasła",
};

static const char *const status_labels_en[BOOKING_STATUS_COUNT] = {
	"Awaiting confirmation", "Booked", "Waiting", "Called", "In progress",
	"Done", "No-show", "Cancelled", "Expired",
};

static const char *const action_names[ACTION_COUNT] = {
	"confirm", "cancel", "expire", "check_in", "call", "start", "finish",
	"no_show", "reschedule",
};

#define X -1
#define P BOOKING_PENDING
#define B BOOKING_BOOKED
#define W BOOKING_WAITING
#define C BOOKING_CALLED
#define S BOOKING_IN_SERVICE
#define D BOOKING_DONE
#define N BOOKING_NO_SHOW
#define Q BOOKING_CANCELLED
#define E BOOKING_EXPIRED

/* columns: confirm cancel expire check_in call start finish no_show reschedule */
static const int transitions[BOOKING_STATUS_COUNT][ACTION_COUNT] = {
	[BOOKING_PENDING] =    { B, Q, E, X, X, X, X, X, P },
	[BOOKING_BOOKED] =     { X, Q, X, W, C, X, X, N, B },
	[BOOKING_WAITING] =    { X, Q, X, X, C, X, X, N, X },
	[BOOKING_CALLED] =     { X, X, X, X, C, S, X, N, X },
	[BOOKING_IN_SERVICE] = { X, X, X, X, X, X, D, X, X },
	[BOOKING_DONE] =       { X, X, X, X, X, X, X, X, X },
	[BOOKING_NO_SHOW] =    { X, X, X, X, X, X, X, X, X },
	[BOOKING_CANCELLED] =  { X, X, X, X, X, X, X, X, X },
	[BOOKING_EXPIRED] =    { X, X, X, X, X, X, X, X, X },
};

#undef X
#undef P
#undef B
#undef W
#undef C
#undef S
#undef D
#undef N
#undef Q
#undef E

const char *
booking_status_name(enum booking_status s)
{
	return (unsigned)s < BOOKING_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *
booking_status_label_pl(enum booking_status s)
{
	return (unsigned)s < BOOKING_STATUS_COUNT ? status_labels_pl[s] : "?";
}

const char *
booking_status_label_en(enum booking_status s)
{
	return (unsigned)s < BOOKING_STATUS_COUNT ? status_labels_en[s] : "?";
}

int
booking_status_parse(const char *name, enum booking_status *out)
{
	int i;

	for (i = 0; i < BOOKING_STATUS_COUNT; i++)
		if (strcmp(status_names[i], name) == 0) {
			*out = (enum booking_status)i;
			return 0;
		}
	return -1;
}

const char *
booking_action_name(enum booking_action a)
{
	return (unsigned)a < ACTION_COUNT ? action_names[a] : "unknown";
}

int
booking_action_parse(const char *name, enum booking_action *out)
{
	int i;

	for (i = 0; i < ACTION_COUNT; i++)
		if (strcmp(action_names[i], name) == 0) {
			*out = (enum booking_action)i;
			return 0;
		}
	return -1;
}

int
booking_next(enum booking_status from, enum booking_action action,
    enum booking_status *out)
{
	int next;

	if ((unsigned)from >= BOOKING_STATUS_COUNT || (unsigned)action >= ACTION_COUNT)
		return -1;
	next = transitions[from][action];
	if (next < 0)
		return -1;
	*out = (enum booking_status)next;
	return 0;
}

/* in_sql_list: the status is one of an SQL list "('a', 'b')" */
static bool
in_sql_list(enum booking_status s, const char *list)
{
	char quoted[24];

	if ((unsigned)s >= BOOKING_STATUS_COUNT)
		return false;
	snprintf(quoted, sizeof quoted, "'%s'", status_names[s]);
	return strstr(list, quoted) != NULL;
}

bool
booking_status_live(enum booking_status s)
{
	return in_sql_list(s, BOOKING_LIVE_SQL);
}

bool
booking_status_open(enum booking_status s)
{
	return in_sql_list(s, BOOKING_OPEN_SQL);
}

bool
booking_action_legal(enum booking_status s, enum booking_action a)
{
	enum booking_status next;

	return booking_next(s, a, &next) == 0;
}

int
booking_action_for_status(enum booking_status s, enum booking_action *out)
{
	static const int actions[BOOKING_STATUS_COUNT] = {
	    [BOOKING_PENDING] = -1,
	    [BOOKING_BOOKED] = ACTION_CONFIRM,
	    [BOOKING_WAITING] = ACTION_CHECK_IN,
	    [BOOKING_CALLED] = ACTION_CALL,
	    [BOOKING_IN_SERVICE] = ACTION_START,
	    [BOOKING_DONE] = ACTION_FINISH,
	    [BOOKING_NO_SHOW] = ACTION_NO_SHOW,
	    [BOOKING_CANCELLED] = ACTION_CANCEL,
	    [BOOKING_EXPIRED] = -1,
	};

	if ((unsigned)s >= BOOKING_STATUS_COUNT || actions[s] < 0)
		return -1;
	*out = (enum booking_action)actions[s];
	return 0;
}
