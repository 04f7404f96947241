/*
 * test_office_time.c: office-local dates and times in Europe/Warsaw (DST
 * gap and overlap, date arithmetic, weekdays, parsing and formatting) and
 * the Polish public holidays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "holiday.h"
#include "office_time.h"

static struct date
D(int y, int m, int d)
{
	struct date x = { y, m, d };

	return x;
}

/* utc: an instant from UTC fields, independent of TZ. */
static time_t
utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return timegm(&tm);
}

static void
assert_date(struct date got, int y, int m, int d)
{
	if (got.year != y || got.month != m || got.day != d)
		fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", got.year,
		    got.month, got.day, y, m, d);
}

static int
setup(void **state)
{
	struct error err;

	(void)state;
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0) {
		print_error("otime_init: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void
test_init_refuses_unknown_zones(void **state)
{
	struct error err;

	(void)state;
	error_clear(&err);
	assert_int_equal(otime_init("Mars/Olympus_Mons", &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_non_null(strstr(err.msg, "Mars/Olympus_Mons"));
	error_clear(&err);
	assert_int_equal(otime_init("", &err), -1);
	error_clear(&err);
	assert_int_equal(otime_init("../../etc/passwd", &err), -1);
	/* the zone in force is still Warsaw */
	assert_int_equal(otime_init("Europe/Warsaw", &err), 0);
}

static void
test_winter_and_summer(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(otime_make(D(2026, 1, 15), 9 * 60, &t), 0);
	assert_int_equal(t, utc(2026, 1, 15, 8, 0));		/* CET = UTC+1 */
	assert_int_equal(otime_make(D(2026, 7, 15), 9 * 60, &t), 0);
	assert_int_equal(t, utc(2026, 7, 15, 7, 0));		/* CEST = UTC+2 */
	assert_int_equal(otime_make(D(2026, 12, 8), 12 * 60, &t), 0);
	assert_int_equal(t, utc(2026, 12, 8, 11, 0));
}

static void
test_spring_gap(void **state)
{
	time_t before, after, t;
	int minute;

	(void)state;
	/* 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST */
	assert_int_equal(otime_make(D(2026, 3, 29), 1 * 60 + 59, &before), 0);
	assert_int_equal(before, utc(2026, 3, 29, 0, 59));
	assert_int_equal(otime_make(D(2026, 3, 29), 3 * 60, &after), 0);
	assert_int_equal(after, utc(2026, 3, 29, 1, 0));
	assert_int_equal(after - before, 60);
	for (minute = 2 * 60; minute < 3 * 60; minute++)
		if (otime_make(D(2026, 3, 29), minute, &t) != -1)
			fail_msg("minute %d of the spring gap accepted", minute);
	assert_int_equal(otime_parse("2026-03-29T02:30", &t), OTIME_CLOCK_GAP);
	assert_int_equal(otime_parse("2026-03-29T02:00", &t), OTIME_CLOCK_GAP);
	assert_int_equal(otime_parse("2026-03-29T03:00", &t), 0);
	assert_int_equal(t, after);
	/* the same wall time a day earlier and later exists */
	assert_int_equal(otime_parse("2026-03-28T02:30", &t), 0);
	assert_int_equal(otime_parse("2026-03-30T02:30", &t), 0);
	/* and the gap of another year (2025-03-30) too */
	assert_int_equal(otime_parse("2025-03-30T02:30", &t), OTIME_CLOCK_GAP);
}

static void
test_autumn_overlap(void **state)
{
	time_t t, t2;
	char text[OTIME_LOCAL_LEN];

	(void)state;
	/* 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:xx happens twice and
	 * the first (summer-time) occurrence is the one we mean */
	assert_int_equal(otime_make(D(2026, 10, 25), 2 * 60 + 30, &t), 0);
	assert_int_equal(t, utc(2026, 10, 25, 0, 30));
	assert_int_equal(otime_parse("2026-10-25T02:30", &t2), 0);
	assert_int_equal(t2, t);
	assert_int_equal(otime_make(D(2026, 10, 25), 2 * 60, &t), 0);
	assert_int_equal(t, utc(2026, 10, 25, 0, 0));
	assert_int_equal(otime_make(D(2026, 10, 25), 1 * 60 + 30, &t), 0);
	assert_int_equal(t, utc(2026, 10, 24, 23, 30));
	assert_int_equal(otime_make(D(2026, 10, 25), 3 * 60, &t), 0);
	assert_int_equal(t, utc(2026, 10, 25, 2, 0));
	/* the second occurrence formats as the same wall time */
	otime_format(utc(2026, 10, 25, 1, 30), text);
	assert_string_equal(text, "2026-10-25T02:30");
	otime_format(utc(2026, 10, 25, 0, 30), text);
	assert_string_equal(text, "2026-10-25T02:30");
	/* the local day is 25 hours long */
	assert_int_equal(otime_make(D(2026, 10, 25), 0, &t), 0);
	assert_int_equal(otime_make(D(2026, 10, 26), 0, &t2), 0);
	assert_int_equal(t2 - t, 25 * 3600);
	assert_int_equal(otime_make(D(2026, 3, 29), 0, &t), 0);
	assert_int_equal(otime_make(D(2026, 3, 30), 0, &t2), 0);
	assert_int_equal(t2 - t, 23 * 3600);
}

static void
test_round_trips(void **state)
{
	static const char *const days[] = { "2026-01-01", "2026-03-29", "2026-06-30",
		"2026-10-25", "2026-12-31", "2028-02-29" };
	size_t i;
	int minute;

	(void)state;
	for (i = 0; i < sizeof days / sizeof days[0]; i++)
		for (minute = 0; minute < 24 * 60; minute += 5) {
			char text[OTIME_LOCAL_LEN], back[OTIME_LOCAL_LEN];
			time_t t;

			snprintf(text, sizeof text, "%sT%02d:%02d", days[i], minute / 60,
			    minute % 60);
			if (otime_parse(text, &t) != 0) {
				if (strcmp(days[i], "2026-03-29") == 0 &&
				    minute >= 120 && minute < 180)
					continue;	/* the spring gap */
				fail_msg("%s refused", text);
			}
			otime_format(t, back);
			assert_string_equal(back, text);
			assert_int_equal(otime_minute_of_day(t), minute);
			assert_int_equal(date_compare(date_of(t), D(atoi(days[i]),
			    atoi(days[i] + 5), atoi(days[i] + 8))), 0);
		}
	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct date d;
		char back[DATE_LEN];

		assert_int_equal(date_parse(days[i], &d), 0);
		date_format(d, back);
		assert_string_equal(back, days[i]);
	}
}

static void
test_date_of_near_midnight(void **state)
{
	(void)state;
	/* 22:30 UTC on 30 June is 00:30 on 1 July in Warsaw */
	assert_date(date_of(utc(2026, 6, 30, 22, 30)), 2026, 7, 1);
	assert_date(date_of(utc(2026, 6, 30, 21, 59)), 2026, 6, 30);
	/* 23:30 UTC on 31 December is New Year in Warsaw */
	assert_date(date_of(utc(2026, 12, 31, 23, 30)), 2027, 1, 1);
	assert_int_equal(otime_minute_of_day(utc(2026, 12, 31, 23, 30)), 30);
}

static void
test_date_arithmetic(void **state)
{
	(void)state;
	assert_date(date_add_days(D(2026, 1, 31), 1), 2026, 2, 1);
	assert_date(date_add_days(D(2026, 2, 28), 1), 2026, 3, 1);
	assert_date(date_add_days(D(2028, 2, 28), 1), 2028, 2, 29);
	assert_date(date_add_days(D(2028, 2, 29), 1), 2028, 3, 1);
	assert_date(date_add_days(D(2026, 12, 31), 1), 2027, 1, 1);
	assert_date(date_add_days(D(2027, 1, 1), -1), 2026, 12, 31);
	assert_date(date_add_days(D(2026, 3, 1), -1), 2026, 2, 28);
	assert_date(date_add_days(D(2024, 3, 1), -1), 2024, 2, 29);
	assert_date(date_add_days(D(2026, 12, 8), 60), 2027, 2, 6);
	assert_date(date_add_days(D(2026, 1, 1), 365), 2027, 1, 1);
	assert_date(date_add_days(D(2028, 1, 1), 366), 2029, 1, 1);
	assert_date(date_add_days(D(2026, 5, 5), 0), 2026, 5, 5);
	assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(D(1970, 1, 2)), 1);
	assert_int_equal(date_to_days(D(2000, 3, 1)) - date_to_days(D(2000, 2, 28)), 2);
	assert_int_equal(date_to_days(D(2100, 3, 1)) - date_to_days(D(2100, 2, 28)), 1);
	assert_int_equal(date_compare(D(2026, 1, 1), D(2025, 12, 31)), 1);
	assert_int_equal(date_compare(D(2025, 12, 31), D(2026, 1, 1)), -1);
	assert_int_equal(date_compare(D(2026, 4, 5), D(2026, 4, 5)), 0);
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(D(1970, 1, 1)), 4);	/* Thursday */
	assert_int_equal(date_weekday(D(2026, 1, 1)), 4);
	assert_int_equal(date_weekday(D(2026, 12, 7)), 1);	/* Monday */
	assert_int_equal(date_weekday(D(2026, 12, 8)), 2);	/* Tuesday */
	assert_int_equal(date_weekday(D(2026, 3, 29)), 7);	/* Sunday */
	assert_int_equal(date_weekday(D(2026, 10, 25)), 7);
	assert_int_equal(date_weekday(D(2000, 2, 29)), 2);
	assert_int_equal(date_weekday(D(2026, 11, 14)), 6);	/* Saturday */
	assert_int_equal(date_weekday(D(2027, 1, 1)), 5);	/* Friday */
}

static void
test_bad_inputs(void **state)
{
	static const char *const bad_dates[] = { "", "2026", "2026-02-29", "2026-13-01",
		"2026-00-10", "2026-01-00", "2026-04-31", "2026-1-01", "2026/01/01",
		"2026-01-011", " 2026-01-01", "abcd-ef-gh", "1969-12-31", "2026-01-0a",
		"+026-01-01" };
	static const char *const bad_times[] = { "", "2026-01-01", "2026-01-01 10:00",
		"2026-01-01T10:00Z", "2026-01-01T10:00:00", "2026-01-01T25:00",
		"2026-01-01T10:60", "2026-01-01T1:00", "1969-12-31T10:00",
		"2026-01-01t10:00", "2026-01-01T24:00", "2026-01-01T10:0a" };
	/* the shape, but a day the calendar lacks */
	static const char *const no_such_days[] = { "2026-02-30T10:00",
		"2026-02-29T10:00", "2026-13-01T10:00", "2026-00-10T10:00",
		"2026-04-31T10:00" };
	static const char *const bad_hhmm[] = { "", "8:30", "08:3", "24:00", "08:60",
		"08-30", "0830", " 8:30", "08:30 " };
	struct date d = { 1, 1, 1 };
	time_t t = 7;
	int minute = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++)
		if (date_parse(bad_dates[i], &d) != -1)
			fail_msg("date '%s' accepted", bad_dates[i]);
	assert_int_equal(d.year, 1);	/* untouched */
	for (i = 0; i < sizeof bad_times / sizeof bad_times[0]; i++)
		if (otime_parse(bad_times[i], &t) != OTIME_MALFORMED)
			fail_msg("time '%s' not malformed", bad_times[i]);
	for (i = 0; i < sizeof no_such_days / sizeof no_such_days[0]; i++)
		if (otime_parse(no_such_days[i], &t) != OTIME_NO_SUCH_DAY)
			fail_msg("'%s' not a day the calendar lacks",
			    no_such_days[i]);
	assert_int_equal(otime_parse("2028-02-29T10:00", &t), 0); /* leap */
	for (i = 0; i < sizeof bad_hhmm / sizeof bad_hhmm[0]; i++)
		if (otime_parse_hhmm(bad_hhmm[i], &minute) != -1)
			fail_msg("hh:mm '%s' accepted", bad_hhmm[i]);
	assert_int_equal(otime_parse_hhmm("08:30", &minute), 0);
	assert_int_equal(minute, 510);
	assert_int_equal(otime_parse_hhmm("00:00", &minute), 0);
	assert_int_equal(minute, 0);
	assert_int_equal(otime_parse_hhmm("23:59", &minute), 0);
	assert_int_equal(minute, 1439);
	assert_int_equal(otime_make(D(2026, 1, 1), -1, &t), -1);
	assert_int_equal(otime_make(D(2026, 1, 1), 24 * 60, &t), -1);
	assert_int_equal(otime_make(D(2026, 2, 29), 600, &t), -1);
	assert_false(date_valid(D(2026, 2, 29)));
	assert_true(date_valid(D(2028, 2, 29)));
	assert_false(date_valid(D(2100, 2, 29)));
	assert_true(date_valid(D(2000, 2, 29)));
}

/* ---- holidays ------------------------------------------------------------ */

static void
expect_holiday(int y, int m, int d, const char *name)
{
	const char *got = NULL;

	if (!holiday_pl(D(y, m, d), &got))
		fail_msg("%04d-%02d-%02d is not a holiday", y, m, d);
	if (name != NULL && (got == NULL || strcmp(got, name) != 0))
		fail_msg("%04d-%02d-%02d is '%s', want '%s'", y, m, d,
		    got ? got : "(null)", name);
}

static void
expect_workday(int y, int m, int d)
{
	if (holiday_pl(D(y, m, d), NULL))
		fail_msg("%04d-%02d-%02d is a holiday", y, m, d);
}

static void
test_fixed_holidays(void **state)
{
	int year;

	(void)state;
	for (year = 2024; year <= 2030; year++) {
		expect_holiday(year, 1, 1, "Nowy Rok");
		expect_holiday(year, 1, 6, "Święto Trzech Króli");
		expect_holiday(year, 5, 1, "Święto Pracy");
		expect_holiday(year, 5, 3, "Święto Konstytucji 3 Maja");
		expect_holiday(year, 8, 15, "Wniebowzięcie Najświętszej Maryi Panny");
		expect_holiday(year, 11, 1, "Wszystkich Świętych");
		expect_holiday(year, 11, 11, "Narodowe Święto Niepodległości");
		expect_holiday(year, 12, 25, NULL);
		expect_holiday(year, 12, 26, NULL);
		expect_workday(year, 11, 10);
		expect_workday(year, 11, 12);
		expect_workday(year, 12, 23);
		expect_workday(year, 12, 27);
		expect_workday(year, 5, 2);
	}
	/* Wigilia is a day off from 2025 on */
	expect_workday(2024, 12, 24);
	expect_holiday(2025, 12, 24, "Wigilia Bożego Narodzenia");
	expect_holiday(2026, 12, 24, "Wigilia Bożego Narodzenia");
	/* Trzech Króli from 2011 */
	expect_workday(2010, 1, 6);
	expect_holiday(2011, 1, 6, NULL);
	/* name is optional */
	assert_true(holiday_pl(D(2026, 11, 11), NULL));
}

static void
test_easter(void **state)
{
	static const struct {
		int year, month, day;
	} easter[] = {
		{ 2008, 3, 23 }, { 2011, 4, 24 }, { 2019, 4, 21 }, { 2024, 3, 31 },
		{ 2025, 4, 20 }, { 2026, 4, 5 }, { 2027, 3, 28 }, { 2028, 4, 16 },
		{ 2038, 4, 25 }, { 2049, 4, 18 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof easter / sizeof easter[0]; i++) {
		struct date e = holiday_easter(easter[i].year);
		struct date monday = date_add_days(e, 1);

		assert_date(e, easter[i].year, easter[i].month, easter[i].day);
		assert_int_equal(date_weekday(e), 7);
		expect_holiday(e.year, e.month, e.day, "Wielkanoc");
		expect_holiday(monday.year, monday.month, monday.day,
		    "Poniedziałek Wielkanocny");
		monday = date_add_days(e, 2);
		expect_workday(monday.year, monday.month, monday.day);
		monday = date_add_days(e, -2);	/* Good Friday is a workday */
		expect_workday(monday.year, monday.month, monday.day);
	}
	expect_holiday(2026, 4, 6, "Poniedziałek Wielkanocny");
	expect_holiday(2025, 4, 21, "Poniedziałek Wielkanocny");
	expect_holiday(2027, 3, 29, "Poniedziałek Wielkanocny");
}

static void
test_pentecost_and_corpus_christi(void **state)
{
	(void)state;
	expect_holiday(2026, 5, 24, "Zielone Świątki");
	expect_holiday(2026, 6, 4, "Boże Ciało");
	expect_workday(2026, 6, 5);
	expect_workday(2026, 5, 25);
	expect_holiday(2025, 6, 8, "Zielone Świątki");
	expect_holiday(2025, 6, 19, "Boże Ciało");
	expect_holiday(2027, 5, 16, "Zielone Świątki");
	expect_holiday(2027, 5, 27, "Boże Ciało");
	assert_int_equal(date_weekday(D(2026, 6, 4)), 4);	/* always a Thursday */
}

static void
test_holidays_per_year(void **state)
{
	static const struct {
		int year;
		int count;
	} years[] = {
		/* 2024: 13 (no Wigilia); 2025, 2026: 14. No two coincide. */
		{ 2024, 13 }, { 2025, 14 }, { 2026, 14 }, { 2027, 14 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof years / sizeof years[0]; i++) {
		struct date d = D(years[i].year, 1, 1);
		int count = 0;

		while (d.year == years[i].year) {
			if (holiday_pl(d, NULL))
				count++;
			d = date_add_days(d, 1);
		}
		if (count != years[i].count)
			fail_msg("%d has %d holidays, want %d", years[i].year, count,
			    years[i].count);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_refuses_unknown_zones),
		cmocka_unit_test(test_winter_and_summer),
		cmocka_unit_test(test_spring_gap),
		cmocka_unit_test(test_autumn_overlap),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_date_of_near_midnight),
		cmocka_unit_test(test_date_arithmetic),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_fixed_holidays),
		cmocka_unit_test(test_easter),
		cmocka_unit_test(test_pentecost_and_corpus_christi),
		cmocka_unit_test(test_holidays_per_year),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
