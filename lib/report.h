/*
 * report.h: the visits report (*Raporty i zestawienia*): planned and
 * handled visits, no-shows, cancellations, expiries, the average wait and
 * service time, over a range of days, by day, ISO week, month, service,
 * desk or hour of day (or day and service: the API's default).
 *
 * Every figure counts the bookings whose *visit* falls in the group (the
 * booking's day, service, desk — the desk that served it when a desk
 * called it — and the hour its visit starts, office time), by their status
 * when the report runs:
 *
 *   planned    every booking but the expired ones: pending + confirmed +
 *              cancelled (an unconfirmed hold that lapsed was never in the
 *              plan; a cancelled visit was)
 *   confirmed  confirmed and not cancelled: booked, waiting, called,
 *              in_service, done, no_show (= open + done + no_show)
 *   pending    still waiting for the citizen's confirmation
 *   open       confirmed, not finished yet: booked, waiting, called,
 *              in_service
 *   done       handled (Zakończ)
 *   no_show    Rezerwacja niezrealizowana
 *   cancelled  cancelled by the citizen or by staff, before or after
 *              confirming
 *   expired    never confirmed within confirm_within
 *   avg_wait   mean of called_at − checked_in_at over the bookings that
 *              were checked in and then called (whatever became of them):
 *              from the check-in to the call the person answered (a recall
 *              moves called_at, so a recalled person's wait runs to the
 *              recall); `waits` says over how many
 *   avg_service mean of ended_at − started_at over the done bookings that
 *              were started; `services` says over how many
 *   refilled   freed places re-filled from the waitlist (lib/waitlist.h):
 *              the offers taken (TAK), whatever became of the visit after
 *
 * A waitlist's offer is a booking held for someone; until they take it it
 * is no visit: an offer not taken (still open, declined, lapsed, released)
 * counts in no figure. Taken, it counts like any booking, and in refilled.
 *
 * So planned = pending + confirmed + cancelled and confirmed = open + done
 * + no_show, in every group and in the total. The averages are in minutes
 * rounded to a tenth, and absent (null, an empty CSV cell) when nothing was
 * measured. The total's averages are over all its measurements, not a mean
 * of the groups' means.
 *
 * The report reads only columns that are not personal data — the day, the
 * service, the desk, the status, the start, the four desk timestamps, the
 * source and whether an offer was taken —
 * so its figures stay the same after [privacy] retention erases names,
 * contacts and messages, as long as the booking rows themselves are kept.
 */
#ifndef WIZYTA_REPORT_H
#define WIZYTA_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "office_time.h"
#include "store.h"

/* at most this many days in one report */
#define REPORT_MAX_DAYS 366

struct report_figures {
	unsigned planned, confirmed, pending, open, done, no_show, cancelled,
	    expired;
	unsigned refilled;    /* offers from the waitlist taken */
	int64_t wait_seconds; /* sum over `waits` measurements */
	unsigned waits;
	int64_t service_seconds; /* sum over `services` measurements */
	unsigned services;
};

/* One cell of the store's scan: a day, service, desk and hour (-1 when the
 * scan was not split by hour). */
struct report_cell {
	struct date day;
	int64_t service_id, desk_id;
	int hour;
	struct report_figures f;
};

enum report_group {
	REPORT_BY_DAY_SERVICE, /* "day_service": the API's default */
	REPORT_BY_DAY,
	REPORT_BY_WEEK, /* ISO 8601 weeks, Monday first */
	REPORT_BY_MONTH,
	REPORT_BY_SERVICE,
	REPORT_BY_DESK,
	REPORT_BY_HOUR, /* the hour the visit starts, 0-23 */
	REPORT_GROUP_COUNT
};

struct report_query {
	struct date from, to; /* both included */
	int64_t service_id;   /* 0 = every service */
	int64_t desk_id;      /* 0 = every desk */
	enum report_group group;
};

struct report_row {
	char key[16]; /* "2026-12-08", "2026-W50", "2026-12", "08" or the id */
	struct date day; /* the day, the week's Monday or the month's 1st */
	int64_t service_id, desk_id; /* by service / desk / day and service */
	int hour;
	char service[128], service_en[128], desk[96];
	struct report_figures f;
};

struct report {
	struct report_query query;
	struct report_row *rows; /* in the group's order */
	size_t n;
	struct report_figures total;
};

const char *report_group_name(enum report_group); /* "day_service", … */
int report_group_parse(const char *name, enum report_group *out);

/* report_query_check: from ≤ to, at most REPORT_MAX_DAYS days:
 * ERROR_INVALID "range_invalid" (field "to") otherwise. */
int report_query_check(const struct report_query *, struct error *);

/* report_build: the report of q (checked first). Days, weeks and months of
 * the range are all listed, empty ones with zeros; services, desks and
 * hours only when they have bookings. */
int report_build(struct store *, const struct report_query *, struct report *,
    struct error *);
void report_free(struct report *);

/* report_add: a += b */
void report_add(struct report_figures *a, const struct report_figures *b);
/* report_avg_tenths: the mean of seconds over n in tenths of a minute,
 * rounded half up; -1 when n is 0 */
long report_avg_tenths(int64_t seconds, unsigned n);
/* report_iso_week: the ISO 8601 week of a day: its year and number, and
 * the Monday that starts it */
void report_iso_week(struct date, int *year, int *week, struct date *monday);

#endif
