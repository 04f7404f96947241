/*
 * calendar.h: changes to when the office serves — weekly hours per desk
 * (and service), dated exceptions, holidays as the office keeps them, and
 * the structural changes that move hours away (a desk retired or no longer
 * serving a service, a service retired) — without ever stranding a booking
 * silently.
 *
 * Every such change runs through calendar_change(): in one transaction it
 * notes which upcoming bookings (pending, booked) lie outside the opening
 * hours, applies the change, and looks again. A booking the change leaves
 * outside the hours ("stranded") needs the admin's choice — move it to a
 * free slot (booking_reschedule: the citizen is told, as in any move), keep
 * it as an exception (it stays; the desk serves it anyway), or cancel it
 * (booking_apply: the citizen is told) — and until every stranded booking
 * has one the change is refused (ERROR_CONFLICT "bookings_stranded", the
 * result listing them, each with up to CALENDAR_PROPOSALS free slots).
 * The change, the moves, the cancellations, their messages and the audit
 * rows commit together (store_begin nests).
 *
 * A preview applies the change in the transaction, reads what it would do
 * — the stranded bookings and the free slots of the next days before and
 * after — and rolls it back: nothing is written.
 *
 * Only admins change calendars (ERROR_FORBIDDEN otherwise).
 */
#ifndef WIZYTA_CALENDAR_H
#define WIZYTA_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "config.h"
#include "error.h"
#include "store.h"

enum calendar_choice {
	CHOICE_NONE,
	CHOICE_MOVE,   /* to start (and desk_id, 0 = any free desk) */
	CHOICE_KEEP,   /* stays where it is: served as an exception */
	CHOICE_CANCEL, /* cancelled; the citizen is told */
};

struct calendar_resolution {
	char reference[16];
	enum calendar_choice choice;
	char start[OTIME_LOCAL_LEN]; /* move: "YYYY-MM-DDTHH:MM" */
	int64_t desk_id;             /* move: 0 = any desk free then */
	char reason[160];            /* cancel: for the audit log */
};

struct calendar_request {
	bool preview;          /* do it, tell what it does, write nothing */
	unsigned preview_days; /* days of slots the preview compares, 1-62
	                          (0: 14) */
	const struct calendar_resolution *resolutions;
	size_t nresolutions;
	/* every booking outside the hours needs a choice, not only those
	 * this change strands (resolving what an earlier change left) */
	bool all_stranded;
};

#define CALENDAR_PROPOSALS 3
#define CALENDAR_PREVIEW_DAYS 14
#define CALENDAR_PREVIEW_MAX 62

struct calendar_proposal {
	time_t start;
	int64_t desk_id;
	char desk_name[96];
};

struct calendar_stranded {
	struct booking booking;
	struct calendar_proposal proposal[CALENDAR_PROPOSALS];
	size_t nproposals;
};

/* the free places of one service on one day, before and after a change
 * (only services where some day changes) */
struct calendar_day {
	int64_t service_id;
	char service[128];
	struct date day;
	unsigned before, after; /* free places */
	char *times;            /* the free times after: "08:00 08:15 …" */
};

struct calendar_result {
	struct calendar_stranded *stranded; /* needing (or given) a choice */
	size_t nstranded;
	struct calendar_day *days; /* preview only */
	size_t ndays;
	unsigned moved, kept, cancelled;
};

void calendar_result_free(struct calendar_result *);

/* the change itself: store writes and its audit rows, inside the
 * transaction */
typedef int (*calendar_apply_fn)(struct store *, void *arg,
    const struct actor *, time_t now, struct error *);

/* calendar_change: apply (may be NULL: only resolve) as described above.
 * res is filled on success, on a preview and on "bookings_stranded". */
int calendar_change(struct store *, const struct config *, calendar_apply_fn,
    void *arg, const struct calendar_request *, const struct actor *,
    time_t now, struct calendar_result *res, struct error *);

/* calendar_stranded_now: the upcoming bookings outside the hours now (an
 * admin did not keep them), with proposals: nothing is changed. */
int calendar_stranded_now(struct store *, const struct config *,
    const struct actor *, time_t now, struct calendar_result *, struct error *);

/* calendar_hours_check: a desk's week is sound: weekdays 1-7, opens <
 * closes within the day, no two windows of the same scope (all services,
 * or one) overlapping on a day. Every problem into list (field
 * "hours.N.opens" …). */
void calendar_hours_check(const struct opening_hours *, size_t n,
    const int64_t *desk_services, size_t nservices, struct error_list *);
/* calendar_hours_set: replace a desk's weekly hours */
int calendar_hours_set(struct store *, const struct config *, int64_t desk_id,
    const struct opening_hours *, size_t n, const struct calendar_request *,
    const struct actor *, time_t now, struct calendar_result *, struct error *);

/* calendar_exception_check: the fields of an exception (day, hours,
 * reason) into list */
void calendar_exception_check(
    const struct calendar_exception *, struct error_list *);
int calendar_exception_add(struct store *, const struct config *,
    const struct calendar_exception *, const struct calendar_request *,
    const struct actor *, time_t now, int64_t *id, struct calendar_result *,
    struct error *);
int calendar_exception_delete(struct store *, const struct config *, int64_t id,
    const struct calendar_request *, const struct actor *, time_t now,
    struct calendar_result *, struct error *);

/* one day of a year's holidays as the office keeps it */
struct calendar_holiday {
	struct date day;
	const char *statutory; /* the statutory holiday's name, or NULL */
	bool closed;           /* the office is closed that day */
	bool own;              /* the office's own setting (else the law's) */
	char name[96];         /* the office's name for the day, or "" */
};

/* calendar_holidays: the statutory holidays of a year and the office's own
 * days, by date (malloc'd) */
int calendar_holidays(struct store *, int year, struct calendar_holiday **,
    size_t *, struct error *);
/* calendar_holiday_set: closed (a day off, named) or open (on a statutory
 * holiday: the weekday's hours) */
int calendar_holiday_set(struct store *, const struct config *,
    const struct holiday_override *, const struct calendar_request *,
    const struct actor *, time_t now, struct calendar_result *, struct error *);
/* calendar_holiday_clear: back to the law's calendar */
int calendar_holiday_clear(struct store *, const struct config *, struct date,
    const struct calendar_request *, const struct actor *, time_t now,
    struct calendar_result *, struct error *);

/* calendar_minutes_format: 510 → "08:30" */
void calendar_minutes_format(int minutes, char out[6]);

#endif
