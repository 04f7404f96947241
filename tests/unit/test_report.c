/*
 * test_report.c: the visits report (lib/report.h) over a known day built
 * through the domain at fixed clocks — every status, check-in, call,
 * recall, start and finish at chosen minutes — checked number by number in
 * every grouping, with filters, and again after the personal data is
 * erased; the ISO weeks and the rounding of the averages; the range rules.
 *
 * The day, Tuesday 2026-12-08 (bookings made Monday 09:00, confirmed 09:10):
 *   service A (15 min, desk 1)
 *     A1  08:00 in 07:50 call 08:02 start 08:03 end 08:15  done  wait 12 svc 12
 *     A2  08:15 in 08:00 call 08:15 recall 08:16 start 08:17 end 08:40
 *                                                          done  wait 16 svc 23
 *     A3  08:30 no-show 08:40                              no_show
 *     A4  08:45 in 08:40 call 08:50 no-show 08:55          no_show wait 10
 *     A5  09:00 confirmed, cancelled Monday 12:00          cancelled
 *     A6  09:15 never confirmed, expired Monday 10:00      expired
 *     A7  09:30 in 09:20                                   waiting
 *     A8  09:45                                            booked
 *     A9  10:00 not confirmed yet                          pending
 *     A10 10:15 cancelled while pending                    cancelled
 *   service B (10 min, desk 2)
 *     B1  08:00 in 07:55 call 08:05 start 08:05 end 08:14  done  wait 10 svc 9
 *     B2  08:10 in 08:00 call 08:14 start 08:15            in_service wait 14
 *     B3  11:00 expired Monday 10:00                       expired
 *   Wednesday: A11 10:00 booked; Thursday: A12 09:00 booked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "testday.h"
#include "testdb.h"

/* the figures a row must have; wait and svc in tenths of a minute, -1 none */
struct want {
	unsigned planned, confirmed, pending, open, done, no_show, cancelled,
	    expired;
	long wait, svc;
	unsigned waits, services;
};

static void
check(const char *what, const struct report_figures *f, struct want w)
{
	long wait = report_avg_tenths(f->wait_seconds, f->waits),
	     svc = report_avg_tenths(f->service_seconds, f->services);

	if (f->planned != w.planned || f->confirmed != w.confirmed ||
	    f->pending != w.pending || f->open != w.open || f->done != w.done ||
	    f->no_show != w.no_show || f->cancelled != w.cancelled ||
	    f->expired != w.expired || wait != w.wait || svc != w.svc ||
	    f->waits != w.waits || f->services != w.services)
		fail_msg("%s: planned %u/%u confirmed %u/%u pending %u/%u open "
		         "%u/%u done %u/%u no_show %u/%u cancelled %u/%u "
		         "expired %u/%u wait %ld/%ld (%u/%u) service %ld/%ld "
		         "(%u/%u)",
		    what, f->planned, w.planned, f->confirmed, w.confirmed,
		    f->pending, w.pending, f->open, w.open, f->done, w.done,
		    f->no_show, w.no_show, f->cancelled, w.cancelled,
		    f->expired, w.expired, wait, w.wait, f->waits, w.waits, svc,
		    w.svc, f->services, w.services);
	/* the identities report.h promises */
	assert_int_equal(f->planned, f->pending + f->confirmed + f->cancelled);
	assert_int_equal(f->confirmed, f->open + f->done + f->no_show);
}

static const struct want TUE_A = {9, 6, 1, 2, 2, 2, 2, 1, 127, 175, 3, 2};
static const struct want TUE_B = {2, 2, 0, 1, 1, 0, 0, 1, 120, 90, 2, 1};
static const struct want WED_A = {1, 1, 0, 1, 0, 0, 0, 0, -1, -1, 0, 0};
static const struct want TUE = {11, 8, 1, 3, 3, 2, 2, 2, 124, 147, 5, 3};
static const struct want TUE_WED = {12, 9, 1, 4, 3, 2, 2, 2, 124, 147, 5, 3};
static const struct want ZERO = {0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0};

static void
build_day(struct testday *d)
{
	struct booking b;
	const struct actor *in = &d->reception, *clerk = &d->anna;

	b = testday_book(d, d->service_a, "2026-12-08T08:00", true); /* A1 */
	testday_act(d, &b, ACTION_CHECK_IN, in, "2026-12-08T07:50");
	testday_act(d, &b, ACTION_CALL, clerk, "2026-12-08T08:02");
	testday_act(d, &b, ACTION_START, clerk, "2026-12-08T08:03");
	testday_act(d, &b, ACTION_FINISH, clerk, "2026-12-08T08:15");
	b = testday_book(d, d->service_a, "2026-12-08T08:15", true); /* A2 */
	testday_act(d, &b, ACTION_CHECK_IN, in, "2026-12-08T08:00");
	testday_act(d, &b, ACTION_CALL, clerk, "2026-12-08T08:15");
	testday_act(d, &b, ACTION_CALL, clerk, "2026-12-08T08:16");
	testday_act(d, &b, ACTION_START, clerk, "2026-12-08T08:17");
	testday_act(d, &b, ACTION_FINISH, clerk, "2026-12-08T08:40");
	b = testday_book(d, d->service_a, "2026-12-08T08:30", true); /* A3 */
	testday_act(d, &b, ACTION_NO_SHOW, clerk, "2026-12-08T08:40");
	b = testday_book(d, d->service_a, "2026-12-08T08:45", true); /* A4 */
	testday_act(d, &b, ACTION_CHECK_IN, in, "2026-12-08T08:40");
	testday_act(d, &b, ACTION_CALL, clerk, "2026-12-08T08:50");
	testday_act(d, &b, ACTION_NO_SHOW, clerk, "2026-12-08T08:55");
	b = testday_book(d, d->service_a, "2026-12-08T09:00", true); /* A5 */
	testday_act(d, &b, ACTION_CANCEL, &d->db.citizen, "2026-12-07T12:00");
	b = testday_book(d, d->service_a, "2026-12-08T09:15", false); /* A6 */
	testday_act(d, &b, ACTION_EXPIRE, &d->db.system, "2026-12-07T10:00");
	b = testday_book(d, d->service_a, "2026-12-08T09:30", true); /* A7 */
	testday_act(d, &b, ACTION_CHECK_IN, in, "2026-12-08T09:20");
	testday_book(d, d->service_a, "2026-12-08T09:45", true);      /* A8 */
	testday_book(d, d->service_a, "2026-12-08T10:00", false);     /* A9 */
	b = testday_book(d, d->service_a, "2026-12-08T10:15", false); /* A10 */
	testday_act(d, &b, ACTION_CANCEL, &d->db.citizen, "2026-12-07T09:20");

	b = testday_book(d, d->service_b, "2026-12-08T08:00", true); /* B1 */
	testday_act(d, &b, ACTION_CHECK_IN, in, "2026-12-08T07:55");
	testday_act(d, &b, ACTION_CALL, clerk, "2026-12-08T08:05");
	testday_act(d, &b, ACTION_START, clerk, "2026-12-08T08:05");
	testday_act(d, &b, ACTION_FINISH, clerk, "2026-12-08T08:14");
	b = testday_book(d, d->service_b, "2026-12-08T08:10", true); /* B2 */
	testday_act(d, &b, ACTION_CHECK_IN, in, "2026-12-08T08:00");
	testday_act(d, &b, ACTION_CALL, clerk, "2026-12-08T08:14");
	testday_act(d, &b, ACTION_START, clerk, "2026-12-08T08:15");
	b = testday_book(d, d->service_b, "2026-12-08T11:00", false); /* B3 */
	testday_act(d, &b, ACTION_EXPIRE, &d->db.system, "2026-12-07T10:00");

	testday_book(d, d->service_a, "2026-12-09T10:00", true); /* A11 */
	testday_book(d, d->service_a, "2026-12-10T09:00", true); /* A12 */
}

static int
setup(void **state)
{
	struct testday *d = calloc(1, sizeof *d);

	if (d == NULL || testday_open(d, "report") != 0)
		return -1;
	build_day(d);
	*state = d;
	return 0;
}

static int
teardown(void **state)
{
	struct testday *d = *state;

	testday_close(d);
	free(d);
	return 0;
}

static struct date
day(const char *text)
{
	struct date d;

	if (date_parse(text, &d) != 0)
		fail_msg("bad date %s", text);
	return d;
}

static void
run(struct testday *d, const char *from, const char *to, enum report_group g,
    int64_t service, int64_t desk, struct report *r)
{
	struct report_query q;
	struct error err;

	memset(&q, 0, sizeof q);
	q.from = day(from);
	q.to = day(to);
	q.group = g;
	q.service_id = service;
	q.desk_id = desk;
	error_clear(&err);
	if (report_build(d->db.store, &q, r, &err) != 0)
		fail_msg("report: %s", err.msg);
}

static void
expect_row(const struct report *r, size_t i, const char *key, struct want w)
{
	char what[64];

	if (i >= r->n)
		fail_msg("no row %zu (%zu rows)", i, r->n);
	if (strcmp(r->rows[i].key, key) != 0)
		fail_msg("row %zu is %s, not %s", i, r->rows[i].key, key);
	snprintf(what, sizeof what, "row %s", key);
	check(what, &r->rows[i].f, w);
}

static void
test_day_service(void **state)
{
	struct testday *d = *state;
	struct report r;

	run(d, "2026-12-08", "2026-12-09", REPORT_BY_DAY_SERVICE, 0, 0, &r);
	assert_int_equal(r.n, 3);
	expect_row(&r, 0, "2026-12-08", TUE_A);
	assert_string_equal(r.rows[0].service, "Rejestracja pojazdu");
	assert_string_equal(r.rows[0].service_en, "Vehicle registration");
	assert_int_equal(r.rows[0].service_id, d->service_a);
	expect_row(&r, 1, "2026-12-08", TUE_B);
	assert_string_equal(r.rows[1].service, "Wymiana prawa jazdy");
	expect_row(&r, 2, "2026-12-09", WED_A);
	check("total", &r.total, TUE_WED);
	report_free(&r);
}

static void
test_by_time(void **state)
{
	struct testday *d = *state;
	struct report r;
	struct want thu = WED_A, week = TUE_WED;

	run(d, "2026-12-07", "2026-12-10", REPORT_BY_DAY, 0, 0, &r);
	assert_int_equal(r.n, 4); /* Monday is listed, with zeros */
	expect_row(&r, 0, "2026-12-07", ZERO);
	expect_row(&r, 1, "2026-12-08", TUE);
	expect_row(&r, 2, "2026-12-09", WED_A);
	expect_row(&r, 3, "2026-12-10", thu);
	report_free(&r);

	week.planned++;
	week.confirmed++;
	week.open++;
	run(d, "2026-11-30", "2026-12-10", REPORT_BY_WEEK, 0, 0, &r);
	assert_int_equal(r.n, 2);
	expect_row(&r, 0, "2026-W49", ZERO);
	expect_row(&r, 1, "2026-W50", week);
	assert_int_equal(date_compare(r.rows[1].day, day("2026-12-07")), 0);
	report_free(&r);

	run(d, "2026-11-30", "2026-12-10", REPORT_BY_MONTH, 0, 0, &r);
	assert_int_equal(r.n, 2);
	expect_row(&r, 0, "2026-11", ZERO);
	expect_row(&r, 1, "2026-12", week);
	check("total", &r.total, week);
	report_free(&r);
}

static void
test_by_service_desk_hour(void **state)
{
	struct testday *d = *state;
	struct report r;
	struct want a = {10, 7, 1, 3, 2, 2, 2, 1, 127, 175, 3, 2};
	char key[16];

	run(d, "2026-12-08", "2026-12-09", REPORT_BY_SERVICE, 0, 0, &r);
	assert_int_equal(r.n, 2);
	snprintf(key, sizeof key, "%lld", (long long)d->service_a);
	expect_row(&r, 0, key, a);
	snprintf(key, sizeof key, "%lld", (long long)d->service_b);
	expect_row(&r, 1, key, TUE_B);
	report_free(&r);

	run(d, "2026-12-08", "2026-12-09", REPORT_BY_DESK, 0, 0, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.rows[0].desk, "Pokój 1 stanowisko 1");
	check("desk 1", &r.rows[0].f, a);
	assert_string_equal(r.rows[1].desk, "Pokój 2 stanowisko 1");
	check("desk 2", &r.rows[1].f, TUE_B);
	report_free(&r);

	run(d, "2026-12-08", "2026-12-09", REPORT_BY_HOUR, 0, 0, &r);
	assert_int_equal(r.n, 4);
	expect_row(
	    &r, 0, "08", (struct want){6, 6, 0, 1, 3, 2, 0, 0, 124, 147, 5, 3});
	expect_row(
	    &r, 1, "09", (struct want){3, 2, 0, 2, 0, 0, 1, 1, -1, -1, 0, 0});
	expect_row(
	    &r, 2, "10", (struct want){3, 1, 1, 1, 0, 0, 1, 0, -1, -1, 0, 0});
	expect_row(
	    &r, 3, "11", (struct want){0, 0, 0, 0, 0, 0, 0, 1, -1, -1, 0, 0});
	check("total", &r.total, TUE_WED);
	report_free(&r);
}

static void
test_filters(void **state)
{
	struct testday *d = *state;
	struct report r;

	run(d, "2026-12-08", "2026-12-09", REPORT_BY_DAY, d->service_b, 0, &r);
	assert_int_equal(r.n, 2);
	expect_row(&r, 0, "2026-12-08", TUE_B);
	expect_row(&r, 1, "2026-12-09", ZERO);
	report_free(&r);
	run(d, "2026-12-08", "2026-12-09", REPORT_BY_DAY_SERVICE, 0, d->desk_1,
	    &r);
	assert_int_equal(r.n, 2);
	expect_row(&r, 0, "2026-12-08", TUE_A);
	expect_row(&r, 1, "2026-12-09", WED_A);
	report_free(&r);
	run(d, "2026-12-08", "2026-12-08", REPORT_BY_DAY_SERVICE, d->service_a,
	    d->desk_2, &r);
	assert_int_equal(r.n, 0);
	check("nothing", &r.total, ZERO);
	report_free(&r);
}

/* [privacy] retention erases names, contacts, codes, messages and events:
 * the figures do not move */
static void
test_survives_erasure(void **state)
{
	struct testday *d = *state;
	struct report r;

	testdb_sql(d->db.path,
	    "UPDATE bookings SET first_name = '', last_name = '', email = '',"
	    " phone = '', note = '', access_code = '', token = '';"
	    "DELETE FROM outbox; DELETE FROM inbox; DELETE FROM "
	    "booking_events;");
	run(d, "2026-12-08", "2026-12-09", REPORT_BY_DAY_SERVICE, 0, 0, &r);
	assert_int_equal(r.n, 3);
	expect_row(&r, 0, "2026-12-08", TUE_A);
	expect_row(&r, 1, "2026-12-08", TUE_B);
	expect_row(&r, 2, "2026-12-09", WED_A);
	report_free(&r);
}

static void
test_range_rules(void **state)
{
	struct testday *d = *state;
	struct report_query q;
	struct report r;
	struct error err;

	memset(&q, 0, sizeof q);
	q.from = day("2026-12-09");
	q.to = day("2026-12-08");
	error_clear(&err);
	assert_int_equal(report_build(d->db.store, &q, &r, &err), -1);
	assert_string_equal(err.code, "range_invalid");
	assert_string_equal(err.field, "to");
	q.from = day("2025-12-01");
	q.to = day("2026-12-01"); /* 366 days: allowed */
	assert_int_equal(report_query_check(&q, &err), 0);
	q.to = day("2026-12-02");
	assert_int_equal(report_query_check(&q, &err), -1);
	assert_string_equal(err.code, "range_invalid");
	q.to = day("2026-01-01");
	q.group = REPORT_GROUP_COUNT;
	assert_int_equal(report_query_check(&q, &err), -1);
	assert_string_equal(err.code, "group_invalid");
}

static void
test_weeks_and_rounding(void **state)
{
	static const struct {
		const char *day;
		int year, week;
		const char *monday;
	} weeks[] = {
	    {"2026-12-08", 2026, 50, "2026-12-07"},
	    {"2027-01-01", 2026, 53, "2026-12-28"},
	    {"2024-12-30", 2025, 1, "2024-12-30"},
	    {"2021-01-03", 2020, 53, "2020-12-28"},
	    {"2026-03-29", 2026, 13, "2026-03-23"}, /* the DST Sunday */
	};
	enum report_group g;
	struct date monday;
	size_t i;
	int year, week;

	(void)state;
	for (i = 0; i < sizeof weeks / sizeof weeks[0]; i++) {
		report_iso_week(day(weeks[i].day), &year, &week, &monday);
		assert_int_equal(year, weeks[i].year);
		assert_int_equal(week, weeks[i].week);
		assert_int_equal(date_compare(monday, day(weeks[i].monday)), 0);
	}
	assert_int_equal(report_avg_tenths(2280, 3), 127); /* 12.67 */
	assert_int_equal(report_avg_tenths(30, 1), 5);     /* 0.5 */
	assert_int_equal(report_avg_tenths(33, 1), 6);     /* 0.55 → 0.6 */
	assert_int_equal(report_avg_tenths(32, 1), 5);     /* 0.53 */
	assert_int_equal(report_avg_tenths(0, 0), -1);
	assert_int_equal(report_avg_tenths(0, 4), 0);
	for (g = 0; g < REPORT_GROUP_COUNT; g++) {
		enum report_group back;

		assert_int_equal(
		    report_group_parse(report_group_name(g), &back), 0);
		assert_int_equal(back, g);
	}
	assert_int_equal(report_group_parse("year", &g), -1);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_day_service),
	    T(test_by_time),
	    T(test_by_service_desk_hour),
	    T(test_filters),
	    T(test_survives_erasure),
	    T(test_range_rules),
	    cmocka_unit_test(test_weeks_and_rounding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
