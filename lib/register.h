/*
 * register.h: the booking register (*Rejestr rezerwacji*) — finding
 * bookings the way a clerk asks for them, for the page and the API alike.
 *
 * A query is what staff typed: a first name and a surname (prefixes, any
 * case, diacritics optional: "lukasz" finds "Łukasz"), an access code, an
 * e-mail (prefix), a phone (any common form), free text (CONTRACT's `q`:
 * a name, e-mail, phone, reference or code), a date range, a service, a
 * desk, a status, the kind of booking (web, api, staff) and whether it is
 * consistent with the schedule. Pages are keyset pages in time order: the
 * cursors "next" and "prev" name the last and first row shown, never an
 * offset, so the hundredth page costs what the first does.
 *
 * *Rezerwacja zgodna z terminarzem* (consistent with the schedule): a
 * booking that holds a place (pending, booked, waiting, called, in
 * service) lies within its desk's opening hours for its service on its
 * day, as the calendar is now — weekly hours, dated exceptions, holidays
 * (closed unless an exception opens them). A calendar change that closes
 * a day or shortens the hours leaves bookings outside: those are "not
 * consistent", and staff move them (booking_reschedule) or cancel them.
 * A booking an admin kept where it is (calendar.h: CHOICE_KEEP) and the
 * bookings that hold no place (done, no-show, cancelled, expired) have
 * nothing to fix and count as consistent; one of a retired service does
 * not (calendar.c decides the same way which bookings a change strands). The
 * check runs on the rows a page shows (a page's days' hours are read once
 * each); filtering by it scans at most REGISTER_SCAN_MAX bookings per page and
 * says so (scan_stopped) when it stopped before the page was full: "next" goes
 * on from there.
 */
#ifndef WIZYTA_REGISTER_H
#define WIZYTA_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "office_time.h"
#include "store.h"

#define REGISTER_LIMIT 50      /* rows per page by default */
#define REGISTER_LIMIT_MAX 500 /* at most */
#define REGISTER_SCAN_MAX 5000 /* bookings read per page for the schedule */
#define REGISTER_CURSOR_LEN 40

struct register_query { /* every field optional (NULL or "", 0, -1) */
	const char *first_name, *last_name; /* prefixes */
	const char *code;                   /* 6 digits */
	const char *email;                  /* prefix */
	const char *phone;                  /* any common form */
	const char *q;                      /* free text (CONTRACT) */
	const char *source;                 /* web|api|staff|waitlist */
	struct date from, to;               /* days, both included; year 0 */
	int64_t service_id, desk_id;
	int status;         /* enum booking_status, or -1 */
	int schedule;       /* -1 any, 1 consistent only, 0 not consistent */
	const char *after;  /* a page's "next" cursor */
	const char *before; /* a page's "prev" cursor */
	unsigned limit;     /* 0: REGISTER_LIMIT */
};

struct register_row {
	struct booking booking;
	bool fits; /* consistent with the schedule (see above) */
};

struct register_page {
	struct register_row *rows; /* in time order */
	size_t n;
	char next[REGISTER_CURSOR_LEN]; /* "" when this is the last page */
	char prev[REGISTER_CURSOR_LEN]; /* "" when this is the first page */
	bool scan_stopped; /* the schedule filter stopped reading early */
};

/* register_query_init: every field "any" */
void register_query_init(struct register_query *);

/* register_search: one page. ERROR_INVALID (with field) for input staff
 * can correct: phone_invalid, code_invalid, range_invalid,
 * cursor_invalid, limit_invalid, source_invalid. */
int register_search(struct store *, const struct register_query *,
    struct register_page *, struct error *);
void register_page_free(struct register_page *);

/* register_fits: the schedule check of one booking given its day's
 * windows for its service (booking_day_windows); not kept ones */
bool register_fits(const struct booking *, const struct slot_window *, size_t);

/* register_booking_fits: the whole check of one booking (its service, its
 * day's windows, kept by an admin) */
int register_booking_fits(
    struct store *, const struct booking *, bool *fits, struct error *);

#endif
