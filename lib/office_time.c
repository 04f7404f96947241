/*
 * office_time.c: office-local dates and times over the C library's tz
 * database. The zone is process-wide (TZ), set once by otime_init() before
 * threads start; localtime_r/mktime are thread-safe after that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "office_time.h"

int
otime_init(const char *timezone, struct error *err)
{
	char path[512];

	/* An unknown zone silently becomes UTC in glibc: refuse it instead. */
	if (timezone[0] == '\0' || strstr(timezone, "..") != NULL)
		return error_set(
		    err, ERROR_INVALID, "bad time zone '%s'", timezone);
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", timezone);
	if (strcmp(timezone, "UTC") != 0 && access(path, R_OK) != 0)
		return error_set(err, ERROR_INVALID,
		    "time zone '%s' not found (is tzdata installed?)",
		    timezone);
	if (setenv("TZ", timezone, 1) != 0)
		return error_set(err, ERROR_INTERNAL, "setenv TZ failed");
	tzset();
	return 0;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = {
	    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

bool
date_valid(struct date d)
{
	return d.year >= 1970 && d.year <= 9999 && d.month >= 1 &&
	       d.month <= 12 && d.day >= 1 &&
	       d.day <= days_in_month(d.year, d.month);
}

static int
parse_digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
date_parse(const char *text, struct date *out)
{
	struct date d;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
	    parse_digits(text, 4, &d.year) != 0 ||
	    parse_digits(text + 5, 2, &d.month) != 0 ||
	    parse_digits(text + 8, 2, &d.day) != 0 || !date_valid(d))
		return -1;
	*out = d;
	return 0;
}

void
date_format(struct date d, char out[DATE_LEN])
{
	snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)d.year % 10000,
	    (unsigned)d.month % 100, (unsigned)d.day % 100);
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, no tz involved. */
long
date_to_days(struct date d)
{
	long y = d.year - (d.month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.month + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d.day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static struct date
date_from_days(long z)
{
	struct date d;
	long era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(y + (d.month <= 2));
	return d;
}

int
date_weekday(struct date d)
{
	long days = date_to_days(d); /* 1970-01-01 was a Thursday (4) */
	long w = (days + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

struct date
date_add_days(struct date d, int days)
{
	return date_from_days(date_to_days(d) + days);
}

int
date_compare(struct date a, struct date b)
{
	long x = date_to_days(a), y = date_to_days(b);

	return x < y ? -1 : x > y;
}

struct date
date_of(time_t t)
{
	struct tm tm;
	struct date d;

	localtime_r(&t, &tm);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	return d;
}

int
otime_make(struct date d, int minute_of_day, time_t *out)
{
	struct tm tm, back;
	time_t t;

	if (!date_valid(d) || minute_of_day < 0 || minute_of_day >= 24 * 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_hour = minute_of_day / 60;
	tm.tm_min = minute_of_day % 60;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	/* mktime normalises a time in the spring gap to one that exists:
	 * reading it back shows the difference, and we refuse it. */
	localtime_r(&t, &back);
	if (back.tm_hour != minute_of_day / 60 ||
	    back.tm_min != minute_of_day % 60 || back.tm_mday != d.day)
		return -1;
	/* In the autumn overlap prefer the first (summer-time) instant. */
	if (back.tm_isdst == 0) {
		time_t earlier = t - 3600;
		struct tm e;

		localtime_r(&earlier, &e);
		if (e.tm_isdst > 0 && e.tm_hour == back.tm_hour &&
		    e.tm_min == back.tm_min && e.tm_mday == back.tm_mday)
			t = earlier;
	}
	*out = t;
	return 0;
}

int
otime_parse_hhmm(const char *text, int *minute_of_day)
{
	int h, m;

	if (strlen(text) != 5 || text[2] != ':' ||
	    parse_digits(text, 2, &h) != 0 ||
	    parse_digits(text + 3, 2, &m) != 0 || h > 23 || m > 59)
		return -1;
	*minute_of_day = h * 60 + m;
	return 0;
}

int
otime_parse(const char *text, time_t *out)
{
	struct date d;
	int minute;

	if (strlen(text) != 16 || text[4] != '-' || text[7] != '-' ||
	    text[10] != 'T' || parse_digits(text, 4, &d.year) != 0 ||
	    parse_digits(text + 5, 2, &d.month) != 0 ||
	    parse_digits(text + 8, 2, &d.day) != 0 ||
	    otime_parse_hhmm(text + 11, &minute) != 0)
		return OTIME_MALFORMED;
	if (d.year < 1970)
		return OTIME_MALFORMED; /* before what an instant here can be */
	if (!date_valid(d))
		return OTIME_NO_SUCH_DAY;
	/* a valid day and minute that mktime cannot keep: the spring gap */
	return otime_make(d, minute, out) != 0 ? OTIME_CLOCK_GAP : 0;
}

void
otime_format(time_t t, char out[OTIME_LOCAL_LEN])
{
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(out, OTIME_LOCAL_LEN, "%04u-%02u-%02uT%02u:%02u",
	    (unsigned)(tm.tm_year + 1900) % 10000,
	    (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100,
	    (unsigned)tm.tm_hour % 100, (unsigned)tm.tm_min % 100);
}

int
otime_minute_of_day(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}
