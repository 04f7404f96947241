/*
 * office_time.h: dates and times in the office's zone (Europe/Warsaw).
 *
 * The process runs in one office zone (TZ is set at start-up), so local
 * conversions use the C library's tz database and get DST right: a local
 * time in the spring gap does not exist and is refused; one in the autumn
 * overlap is taken as its first (summer-time) occurrence.
 * Times on the wire are local "YYYY-MM-DDTHH:MM"; instants are time_t.
 */
#ifndef WIZYTA_OFFICE_TIME_H
#define WIZYTA_OFFICE_TIME_H

#include <stdbool.h>
#include <time.h>

#include "error.h"

struct date {
	int year, month, day; /* 2026, 1..12, 1..31 */
};

#define OTIME_LOCAL_LEN 17 /* "YYYY-MM-DDTHH:MM" + NUL */
#define DATE_LEN 11        /* "YYYY-MM-DD" + NUL */

int otime_init(const char *timezone, struct error *);

int date_parse(const char *text, struct date *out); /* "YYYY-MM-DD" */
void date_format(struct date, char out[DATE_LEN]);
bool date_valid(struct date);
int date_weekday(struct date); /* 1 = Monday … 7 = Sunday (ISO) */
struct date date_add_days(struct date, int days);
int date_compare(struct date, struct date);
long date_to_days(struct date); /* days since 1970-01-01 */
struct date date_of(time_t);    /* the office-local date of an instant */

/* otime_make: local date + minutes after midnight → instant; -1 if that
 * local time does not exist (DST gap). */
int otime_make(struct date, int minute_of_day, time_t *out);
/* otime_parse: "YYYY-MM-DDTHH:MM" local → instant: 0, or why not —
 * OTIME_MALFORMED (not that shape, or no such hour/minute),
 * OTIME_NO_SUCH_DAY (the shape, but a day the calendar lacks: 2026-02-30),
 * OTIME_CLOCK_GAP (a minute the clocks skip when they go forward). */
enum {
	OTIME_MALFORMED = -1,
	OTIME_NO_SUCH_DAY = -2,
	OTIME_CLOCK_GAP = -3,
};
int otime_parse(const char *text, time_t *out);
void otime_format(time_t, char out[OTIME_LOCAL_LEN]);
/* otime_minute_of_day: local minutes since midnight of an instant. */
int otime_minute_of_day(time_t);
/* "08:30" → 510 */
int otime_parse_hhmm(const char *text, int *minute_of_day);

#endif
