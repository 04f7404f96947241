/*
 * test_delay.c: the live delay notices (lib/delay.h, lib/delay_notice.h).
 *
 * Pure, at fixed clocks: the expected start of every visit still to come
 * at a desk (a visit running long, a called one, the typical service time
 * from the day's finished visits, citizens past their time who are not
 * there, capacity, desks apart), the step rule, whom a notice is due to,
 * and whole office days replayed minute by minute (a slow clerk, a clerk
 * on time, one very long visit, on ordinary and DST days), checking what a
 * citizen must be able to rely on: at most one notice per step, never to
 * someone checked in, never after the visit's time, never more than
 * `ahead` before it, never a delay larger than what happened.
 *
 * Over a real SQLite file, through the domain: the gateway's timer writes
 * the e-mail and the SMS, the step and a booking event together, once per
 * step; nothing for those checked in or past their time; a move starts
 * again from step 0; a notice that cannot be written leaves no trace; the
 * reception's and the desk's guards count from the time the citizen was
 * told.
 */
#include <ctype.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "booking.h"
#include "delay.h"
#include "delay_notice.h"
#include "log.h"
#include "notify.h"
#include "office_time.h"
#include "sms_text.h"
#include "store.h"
#include "testdb.h"

#define MIN 60

static time_t
at(const char *local)
{
	return testdb_local(local);
}

static struct booking
visit(int64_t id, time_t start, int64_t desk, int64_t service,
    enum booking_status status)
{
	struct booking b;

	memset(&b, 0, sizeof b);
	b.id = id;
	snprintf(b.reference, sizeof b.reference, "REF%07lld", (long long)id);
	b.start = start;
	b.end = start + 15 * MIN;
	b.desk_id = desk;
	b.service_id = service;
	b.status = status;
	return b;
}

static const struct delay_estimate *
estimate_of(const struct delay_estimate *e, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e[i].booking_id == id)
			return &e[i];
	return NULL;
}

/* expect: booking id is expected to start at local time hhmm */
static void
expect(const struct delay_estimate *e, size_t n, int64_t id, const char *when)
{
	const struct delay_estimate *x = estimate_of(e, n, id);
	time_t want = at(when);

	if (x == NULL)
		fail_msg("no estimate for booking %lld", (long long)id);
	if (x->expected != want)
		fail_msg("booking %lld: expected at %lld, want %s (%+lld s)",
		    (long long)id, (long long)x->expected, when,
		    (long long)(x->expected - want));
}

/* A quiet morning: nothing is running, nobody is late. */
static void
test_quiet_desk(void **state)
{
	struct booking day[3];
	struct delay_estimate e[3];
	size_t n, i;

	(void)state;
	day[0] = visit(1, at("2026-12-08T08:00"), 1, 1, BOOKING_BOOKED);
	day[1] = visit(2, at("2026-12-08T08:15"), 1, 1, BOOKING_BOOKED);
	day[2] = visit(3, at("2026-12-08T08:30"), 1, 1, BOOKING_BOOKED);
	n = delay_estimate(day, 3, NULL, 0, at("2026-12-08T07:30"), e);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(e[i].delay, 0);
		assert_int_equal(e[i].index, i);
	}
}

/* The clerk's visit runs long: 08:00 in service at 08:40, typical 15 min.
 * It is taken to end now; the waiting 08:15 goes next; the 08:30 who has
 * not come takes no time; the rest follow 15 minutes apart. */
static void
test_visit_running_long(void **state)
{
	struct booking day[6];
	struct delay_estimate e[6];
	size_t n;

	(void)state;
	day[0] = visit(1, at("2026-12-08T08:00"), 1, 1, BOOKING_IN_SERVICE);
	day[0].called_at = at("2026-12-08T07:59");
	day[0].started_at = at("2026-12-08T08:00");
	day[1] = visit(2, at("2026-12-08T08:15"), 1, 1, BOOKING_WAITING);
	day[2] = visit(3, at("2026-12-08T08:30"), 1, 1, BOOKING_BOOKED);
	day[3] = visit(4, at("2026-12-08T08:45"), 1, 1, BOOKING_BOOKED);
	day[4] = visit(5, at("2026-12-08T09:00"), 1, 1, BOOKING_BOOKED);
	day[5] = visit(6, at("2026-12-08T10:00"), 1, 1, BOOKING_BOOKED);
	n = delay_estimate(day, 6, NULL, 0, at("2026-12-08T08:40"), e);
	assert_int_equal(n, 4); /* the waiting one and three booked */
	assert_null(estimate_of(e, n, 1));
	assert_null(estimate_of(e, n, 3));
	expect(e, n, 2, "2026-12-08T08:40");
	expect(e, n, 4, "2026-12-08T08:55");
	expect(e, n, 5, "2026-12-08T09:10");
	expect(e, n, 6, "2026-12-08T10:00"); /* the gap absorbs it */
	assert_int_equal(estimate_of(e, n, 4)->delay, 10 * MIN);
	assert_int_equal(estimate_of(e, n, 6)->delay, 0);

	/* early in the visit: it is taken to last its typical time */
	n = delay_estimate(day, 6, NULL, 0, at("2026-12-08T08:05"), e);
	expect(e, n, 2, "2026-12-08T08:15");
	expect(e, n, 3, "2026-12-08T08:30");
	expect(e, n, 4, "2026-12-08T08:45");
}

/* Called but not started: the visit counts from the call. */
static void
test_called_visit(void **state)
{
	struct booking day[2];
	struct delay_estimate e[2];
	size_t n;

	(void)state;
	day[0] = visit(1, at("2026-12-08T09:00"), 1, 1, BOOKING_CALLED);
	day[0].called_at = at("2026-12-08T09:20");
	day[1] = visit(2, at("2026-12-08T09:15"), 1, 1, BOOKING_BOOKED);
	n = delay_estimate(day, 2, NULL, 0, at("2026-12-08T09:10"), e);
	assert_int_equal(n, 1);
	expect(e, n, 2, "2026-12-08T09:35");
}

/* The typical time: the lower median of the finished visits of the
 * service and its booked length. */
static void
test_typical_time(void **state)
{
	struct booking day[5];
	time_t nine = at("2026-12-08T09:00");
	int i;

	(void)state;
	for (i = 0; i < 5; i++)
		day[i] = visit(i + 1, nine, 1, 1, BOOKING_BOOKED);
	assert_int_equal(delay_typical(day, 5, 1, 15 * MIN), 15 * MIN);
	/* one long visit alone moves nothing */
	day[0].status = BOOKING_DONE;
	day[0].started_at = nine;
	day[0].ended_at = nine + 40 * MIN;
	assert_int_equal(delay_typical(day, 5, 1, 15 * MIN), 15 * MIN);
	/* two do: the median of 15, 35, 40 */
	day[1].status = BOOKING_DONE;
	day[1].started_at = nine;
	day[1].ended_at = nine + 35 * MIN;
	assert_int_equal(delay_typical(day, 5, 1, 15 * MIN), 35 * MIN);
	/* quick ones pull it back: 10, 12, 15, 35, 40 */
	day[2].status = day[3].status = BOOKING_DONE;
	day[2].started_at = day[3].started_at = nine;
	day[2].ended_at = nine + 10 * MIN;
	day[3].ended_at = nine + 12 * MIN;
	assert_int_equal(delay_typical(day, 5, 1, 15 * MIN), 15 * MIN);
	/* another service's visits do not count; a done visit without a
	 * start (finished from another state) neither */
	day[4].status = BOOKING_DONE;
	day[4].service_id = 2;
	day[4].started_at = nine;
	day[4].ended_at = nine + 90 * MIN;
	assert_int_equal(delay_typical(day, 5, 2, 5 * MIN), 5 * MIN);
	assert_int_equal(delay_typical(day, 5, 3, 5 * MIN), 5 * MIN);
	day[4].started_at = 0;
	assert_int_equal(delay_typical(day, 5, 2, 5 * MIN), 5 * MIN);
}

/* The finished visits set the pace of the queue. */
static void
test_queue_at_measured_pace(void **state)
{
	struct booking day[5];
	struct delay_estimate e[5];
	time_t eight = at("2026-12-08T08:00");
	size_t n;

	(void)state;
	day[0] = visit(1, eight, 1, 1, BOOKING_DONE);
	day[0].started_at = eight;
	day[0].ended_at = eight + 25 * MIN;
	day[1] = visit(2, eight + 15 * MIN, 1, 1, BOOKING_DONE);
	day[1].started_at = eight + 25 * MIN;
	day[1].ended_at = eight + 50 * MIN;
	day[2] = visit(3, eight + 30 * MIN, 1, 1, BOOKING_IN_SERVICE);
	day[2].started_at = eight + 50 * MIN;
	day[3] = visit(4, eight + 45 * MIN, 1, 1, BOOKING_WAITING);
	day[4] = visit(5, eight + 60 * MIN, 1, 1, BOOKING_BOOKED);
	/* typical: median of 15, 25, 25 = 25 */
	n = delay_estimate(day, 5, NULL, 0, eight + 55 * MIN, e);
	assert_int_equal(n, 2);
	expect(e, n, 4, "2026-12-08T09:15");
	expect(e, n, 5, "2026-12-08T09:40");
	assert_int_equal(estimate_of(e, n, 5)->delay, 40 * MIN);
}

/* Two places at one desk serve two at once; desks do not share queues. */
static void
test_capacity_and_desks(void **state)
{
	struct booking day[6];
	struct delay_estimate e[6];
	struct desk desks[2];
	time_t eight = at("2026-12-08T08:00");
	size_t n;

	(void)state;
	memset(desks, 0, sizeof desks);
	desks[0].id = 1;
	desks[0].capacity = 2;
	desks[1].id = 2;
	desks[1].capacity = 1;
	/* desk 1: two in service since 08:00, two booked at 08:15 */
	day[0] = visit(1, eight, 1, 1, BOOKING_IN_SERVICE);
	day[1] = visit(2, eight, 1, 1, BOOKING_IN_SERVICE);
	day[0].started_at = day[1].started_at = eight;
	day[2] = visit(3, eight + 15 * MIN, 1, 1, BOOKING_WAITING);
	day[3] = visit(4, eight + 15 * MIN, 1, 1, BOOKING_WAITING);
	/* desk 2: the same, with one place */
	day[4] = visit(5, eight, 2, 1, BOOKING_IN_SERVICE);
	day[4].started_at = eight;
	day[5] = visit(6, eight + 15 * MIN, 2, 1, BOOKING_BOOKED);
	n = delay_estimate(day, 6, desks, 2, eight + 10 * MIN, e);
	assert_int_equal(n, 3);
	expect(e, n, 3, "2026-12-08T08:15");
	expect(e, n, 4, "2026-12-08T08:15");
	expect(e, n, 6, "2026-12-08T08:15");
	/* at 08:20 both places of desk 1 run over (the two waiting are
	 * still to come; desk 2's booked 08:15 has not come) */
	n = delay_estimate(day, 6, desks, 2, eight + 20 * MIN, e);
	expect(e, n, 3, "2026-12-08T08:20");
	expect(e, n, 4, "2026-12-08T08:20");
	assert_null(estimate_of(e, n, 6));
	/* without the desks' list every desk has one place: both visits
	 * running over are taken to end now */
	n = delay_estimate(day, 6, NULL, 0, eight + 20 * MIN, e);
	expect(e, n, 4, "2026-12-08T08:35");
}

static void
test_step_rule(void **state)
{
	struct delay_policy p = {20 * MIN, 15 * MIN, 2 * 3600};

	(void)state;
	assert_int_equal(delay_step(&p, 0), 0);
	assert_int_equal(delay_step(&p, 20 * MIN - 1), 0);
	assert_int_equal(delay_step(&p, 20 * MIN), 1);
	assert_int_equal(delay_step(&p, 35 * MIN - 1), 1);
	assert_int_equal(delay_step(&p, 35 * MIN), 2);
	assert_int_equal(delay_step(&p, 50 * MIN), 3);
	assert_int_equal(delay_step(&p, 3 * 3600), 11);
	p.step = 0; /* one notice only */
	assert_int_equal(delay_step(&p, 20 * MIN), 1);
	assert_int_equal(delay_step(&p, 3 * 3600), 1);
	p.after = 0; /* off */
	assert_int_equal(delay_step(&p, 3 * 3600), 0);

	assert_int_equal(delay_told(0), 5 * MIN);
	assert_int_equal(delay_told(20 * MIN), 20 * MIN);
	assert_int_equal(delay_told(24 * MIN + 59), 20 * MIN);
	assert_int_equal(delay_told(35 * MIN), 35 * MIN);
}

/* Whom a notice is due to. */
static void
test_notice_due(void **state)
{
	struct delay_policy p = {20 * MIN, 15 * MIN, 2 * 3600};
	struct booking b =
	    visit(1, at("2026-12-08T10:00"), 1, 1, BOOKING_BOOKED);
	struct delay_estimate e = {0, 1, 0, 25 * MIN};
	time_t nine = at("2026-12-08T09:00");

	(void)state;
	e.expected = b.start + e.delay;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 1);
	/* told of step 1: nothing until step 2 */
	b.delay_step = 1;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
	e.delay = 34 * MIN;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
	e.delay = 36 * MIN;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 2);
	/* a step skipped is fine: told of 1, now at 3 */
	e.delay = 55 * MIN;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 3);
	b.delay_step = 0;
	e.delay = 25 * MIN;
	/* too far ahead: the estimate is guesswork */
	assert_int_equal(
	    delay_notice_step(&p, &b, &e, at("2026-12-08T07:59")), 0);
	assert_int_equal(
	    delay_notice_step(&p, &b, &e, at("2026-12-08T08:00")), 1);
	/* up to the visit's time, not at it or after */
	assert_int_equal(
	    delay_notice_step(&p, &b, &e, at("2026-12-08T09:59")), 1);
	assert_int_equal(delay_notice_step(&p, &b, &e, b.start), 0);
	assert_int_equal(delay_notice_step(&p, &b, &e, b.start + 60), 0);
	/* checked in, called, in service, pending, cancelled: nothing */
	b.status = BOOKING_WAITING;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
	b.status = BOOKING_CALLED;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
	b.status = BOOKING_PENDING;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
	b.status = BOOKING_CANCELLED;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
	/* another day (an "ahead" of a whole day) */
	b.status = BOOKING_BOOKED;
	p.ahead = 86400;
	assert_int_equal(
	    delay_notice_step(&p, &b, &e, at("2026-12-07T23:00")), 0);
	/* notices off */
	p.after = 0;
	assert_int_equal(delay_notice_step(&p, &b, &e, nine), 0);
}

/*
 * A whole office day replayed minute by minute. One desk, 15-minute
 * visits booked from 08:00 every 15 minutes; citizens come `early`
 * minutes before their time and check in; the clerk calls the next one
 * waiting whose time has come as soon as the desk is free and starts at
 * once; visit k takes
 * length[k] minutes. Each minute the timer runs: estimates, notices due
 * (their step stored as the store would). Returns notices written.
 */
#define DAY_VISITS 30

struct day_run {
	time_t told_at[DAY_VISITS][12]; /* per visit, per step */
	int64_t told[DAY_VISITS][12];
	time_t actual[DAY_VISITS]; /* when the visit started */
	unsigned notices;
};

static void
run_day(const char *date, const unsigned *length, int early,
    const struct delay_policy *p, struct day_run *out)
{
	struct booking day[DAY_VISITS];
	struct delay_estimate e[DAY_VISITS];
	char text[32];
	time_t first, now, last, busy_until = 0;
	size_t i, n;
	int current = -1;

	memset(out, 0, sizeof *out);
	snprintf(text, sizeof text, "%sT08:00", date);
	first = at(text);
	snprintf(text, sizeof text, "%sT00:30", date);
	now = at(text);
	snprintf(text, sizeof text, "%sT20:00", date);
	last = at(text);
	for (i = 0; i < DAY_VISITS; i++)
		day[i] = visit((int64_t)i + 1, first + (time_t)i * 15 * MIN, 1,
		    1, BOOKING_BOOKED);
	for (; now <= last; now += MIN) {
		/* the hall: arrivals, the end of a visit, the next call */
		for (i = 0; i < DAY_VISITS; i++)
			if (day[i].status == BOOKING_BOOKED &&
			    now >= day[i].start - early * MIN) {
				day[i].status = BOOKING_WAITING;
				day[i].checked_in_at = now;
			}
		if (current >= 0 && now >= busy_until) {
			day[current].status = BOOKING_DONE;
			day[current].ended_at = now;
			current = -1;
		}
		if (current < 0)
			for (i = 0; i < DAY_VISITS; i++)
				if (day[i].status == BOOKING_WAITING &&
				    day[i].start <= now) {
					current = (int)i;
					day[i].status = BOOKING_IN_SERVICE;
					day[i].called_at = day[i].started_at =
					    now;
					out->actual[i] = now;
					busy_until = now + length[i] * MIN;
					break;
				}
		/* the timer */
		n = delay_estimate(day, DAY_VISITS, NULL, 0, now, e);
		for (i = 0; i < n; i++) {
			struct booking *b = &day[e[i].index];
			unsigned step = delay_notice_step(p, b, &e[i], now);

			if (step == 0)
				continue;
			assert_true(step < 12);
			if (out->told_at[e[i].index][step] != 0)
				fail_msg("visit %zu told of step %u twice",
				    e[i].index, step);
			out->told_at[e[i].index][step] = now;
			out->told[e[i].index][step] = delay_told(e[i].delay);
			b->delay_step = step;
			b->delay_notified = delay_told(e[i].delay);
			out->notices++;
		}
	}
	for (i = 0; i < DAY_VISITS; i++)
		if (out->actual[i] == 0)
			fail_msg("visit %zu never started", i);
}

/* what a citizen relies on, whatever the day was like; at a steady pace
 * (the past predicts the rest of the day) also: never told a delay larger
 * than what happened */
static void
check_day(const struct delay_policy *p, int early, const struct day_run *r,
    const char *date, bool steady)
{
	char text[32];
	time_t first;
	size_t i, k;

	snprintf(text, sizeof text, "%sT08:00", date);
	first = at(text);
	for (i = 0; i < DAY_VISITS; i++) {
		time_t start = first + (time_t)i * 15 * MIN;
		int64_t actual = (int64_t)(r->actual[i] - start);
		unsigned last = 0;

		for (k = 1; k < 12; k++) {
			time_t when = r->told_at[i][k];

			if (when == 0)
				continue;
			last = (unsigned)k;
			/* before their time, within `ahead`, before they
			 * came in */
			assert_true(when < start);
			assert_true(start - when <= p->ahead);
			assert_true(when < start - early * MIN);
			/* never later than what happened */
			if (steady && r->told[i][k] > actual)
				fail_msg("%s visit %zu told %lld min, started "
				         "%lld min late",
				    date, i, (long long)r->told[i][k] / MIN,
				    (long long)actual / MIN);
		}
		/* and never of a step it did not reach */
		if (steady)
			assert_true(last <= delay_step(p, actual));
	}
}

/* A slow clerk: every visit takes 18 minutes of 15. Visit k starts 3k
 * minutes late: +21 min from the 8th visit (09:45) on, +36 from the 13th
 * (11:00), +51 from the 18th (12:15), …, +87 for the last (15:15). */
static void
test_day_slow_clerk(void **state)
{
	struct delay_policy p = {20 * MIN, 15 * MIN, 2 * 3600};
	unsigned length[DAY_VISITS];
	struct day_run r;
	size_t i;

	(void)state;
	for (i = 0; i < DAY_VISITS; i++)
		length[i] = 18;
	run_day("2026-12-08", length, 5, &p, &r);
	check_day(&p, 5, &r, "2026-12-08", true);
	for (i = 0; i < DAY_VISITS; i++) {
		int64_t late = (int64_t)i * 3 * MIN;

		assert_int_equal(
		    r.actual[i] - at("2026-12-08T08:00") - (time_t)i * 15 * MIN,
		    late);
		/* whoever ends up 20 minutes late or more was told so */
		unsigned told = 0, k;

		for (k = 1; k < 12; k++)
			told += r.told_at[i][k] != 0;
		if ((late >= 20 * MIN) != (told > 0))
			fail_msg("visit %zu, %lld min late: %u notice(s)", i,
			    (long long)late / MIN, told);
	}
	/* the last one (15:15) hears once, when its two hours begin: the
	 * pace is known by then, +87 is step 5, said as "about 85 min" */
	for (i = 1; i < 12; i++)
		assert_int_equal(
		    r.told_at[29][i], i == 5 ? at("2026-12-08T13:15") : 0);
	assert_int_equal(r.told[29][5], 85 * MIN);
	/* and the same clock laws on the days the clocks change */
	run_day("2026-03-29", length, 5, &p, &r);
	check_day(&p, 5, &r, "2026-03-29", true);
	run_day("2026-10-25", length, 5, &p, &r);
	check_day(&p, 5, &r, "2026-10-25", true);
}

/* A clerk on time, or a little quicker: nobody hears anything. */
static void
test_day_on_time(void **state)
{
	struct delay_policy p = {20 * MIN, 15 * MIN, 2 * 3600};
	unsigned length[DAY_VISITS];
	struct day_run r;
	size_t i;

	(void)state;
	for (i = 0; i < DAY_VISITS; i++)
		length[i] = i % 2 ? 15 : 12;
	run_day("2026-12-08", length, 10, &p, &r);
	assert_int_equal(r.notices, 0);
}

/* One very long visit at 10:00 (75 minutes of 15), the rest on time: the
 * desk is an hour late from then on. The one behind it and the next are
 * in the hall already when it shows (nothing for them); from 10:35, when
 * it has run 35 minutes, everyone booked within two hours hears of +20,
 * then +35 at 10:50 and +50 at 11:05; later visits hear once, of +60,
 * when their two hours begin. The one long visit does not change the
 * typical time: the estimate stays exact. */
static void
test_day_one_long_visit(void **state)
{
	struct delay_policy p = {20 * MIN, 15 * MIN, 2 * 3600};
	unsigned length[DAY_VISITS];
	struct day_run r;
	size_t i, k;

	(void)state;
	for (i = 0; i < DAY_VISITS; i++)
		length[i] = 15;
	length[8] = 75; /* 10:00 */
	run_day("2026-12-08", length, 5, &p, &r);
	check_day(&p, 5, &r, "2026-12-08", true);
	for (i = 0; i < DAY_VISITS; i++) {
		unsigned told = 0;

		for (k = 1; k < 12; k++)
			told += r.told_at[i][k] != 0;
		if ((told > 0) != (i >= 11))
			fail_msg("visit %zu: %u notice(s)", i, told);
	}
	assert_int_equal(r.actual[9], at("2026-12-08T11:15"));
	assert_int_equal(r.actual[29], at("2026-12-08T16:15"));
	for (i = 11; i <= 18; i++)
		assert_int_equal(r.told_at[i][1], at("2026-12-08T10:35"));
	assert_int_equal(r.told_at[13][2], at("2026-12-08T10:50"));
	assert_int_equal(r.told_at[13][3], at("2026-12-08T11:05"));
	assert_int_equal(r.told[13][3], 50 * MIN);
	/* 15:15 hears once, at 13:15, of the hour */
	assert_int_equal(r.told_at[29][1] + r.told_at[29][2], 0);
	assert_int_equal(r.told_at[29][3], at("2026-12-08T13:15"));
	assert_int_equal(r.told[29][3], 60 * MIN);
	assert_int_equal(r.told_at[29][4], 0);
}

/* ---- over a real database, through the domain ---- */

struct fixture {
	struct testdb db;
	struct actor reception, clerk;
	struct booking b[6]; /* 08:00 … 09:15, Tuesday 2026-12-08 */
};

static void
act(struct fixture *f, int i, enum booking_action action, const char *when)
{
	const struct actor *who = action == ACTION_CHECK_IN  ? &f->reception
	                          : action == ACTION_CONFIRM ? &f->db.citizen
	                                                     : &f->clerk;

	testdb_apply(&f->db, &f->b[i], action, who, at(when));
}

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "delay", true);
	static const char *const starts[6] = {"2026-12-08T08:00",
	    "2026-12-08T08:15", "2026-12-08T08:30", "2026-12-08T08:45",
	    "2026-12-08T09:00", "2026-12-08T09:15"};
	struct error err;
	int i;

	if (f == NULL)
		return -1;
	/* a notice from +10 min, again every 15 */
	f->db.config->delay_notice_after = 10 * MIN;
	f->db.config->delay_notice_step = 15 * MIN;
	error_clear(&err);
	if (testdb_operator(
	        f->db.store, "ola", ROLE_RECEPTION, &f->reception, &err) != 0 ||
	    testdb_operator(f->db.store, "anna", ROLE_STAFF, &f->clerk, &err) !=
	        0) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	for (i = 0; i < 6; i++) {
		char email[64], phone[16];

		snprintf(email, sizeof email, "obywatel%d@example.pl", i);
		snprintf(phone, sizeof phone, "60070080%d", i);
		f->b[i] = testdb_book(
		    &f->db, starts[i], email, phone, at("2026-12-07T09:00"));
	}
	*state = f;
	return 0;
}

/* morning: all six confirmed the day before; 08:00 checks in, is called
 * and started at 08:00 (the visit that will run long); 08:15 checks in
 * at 08:10 */
static void
morning(struct fixture *f)
{
	int i;

	for (i = 0; i < 6; i++)
		act(f, i, ACTION_CONFIRM, "2026-12-07T09:05");
	act(f, 0, ACTION_CHECK_IN, "2026-12-08T07:50");
	act(f, 0, ACTION_CALL, "2026-12-08T08:00");
	act(f, 0, ACTION_START, "2026-12-08T08:00");
	act(f, 1, ACTION_CHECK_IN, "2026-12-08T08:10");
}

static unsigned
due(struct fixture *f, const char *when)
{
	struct error err;
	unsigned n;

	error_clear(&err);
	if (delay_notify_due(f->db.store, f->db.config, at(when), &n, &err) !=
	    0)
		fail_msg("delay_notify_due at %s: %s", when, err.msg);
	return n;
}

/* qp_decode: our own quoted-printable (soft breaks and =XX) into out */
static void
qp_decode(const char *in, char *out, size_t size)
{
	size_t w = 0;

	while (*in != '\0' && w + 1 < size) {
		if (in[0] == '=' && in[1] == '\r' && in[2] == '\n')
			in += 3;
		else if (in[0] == '=' && in[1] == '\n')
			in += 2;
		else if (in[0] == '=' && isxdigit((unsigned char)in[1]) &&
		         isxdigit((unsigned char)in[2])) {
			char hex[3] = {in[1], in[2], '\0'};

			out[w++] = (char)strtol(hex, NULL, 16);
			in += 3;
		} else
			out[w++] = *in++;
	}
	out[w] = '\0';
}

/* the booking's delay rows in the outbox, by channel; the newest's text
 * (an e-mail decoded) into last */
static size_t
delay_rows(
    struct fixture *f, int i, const char *channel, char *last, size_t size)
{
	struct outbox_message newest;
	size_t count = testdb_outbox_count(
	    f->db.store, f->b[i].id, channel, "delay", &newest);

	if (count > 0) {
		if (last != NULL)
			qp_decode(newest.payload, last, size);
		outbox_message_free(&newest);
	}
	return count;
}

static struct booking
reread(struct fixture *f, int i)
{
	return testdb_booking(&f->db, f->b[i].id);
}

static size_t
events(struct fixture *f, int i)
{
	struct booking_mark *marks;
	struct error err;
	size_t n, k, found = 0;

	error_clear(&err);
	if (store_day_marks(f->db.store, date_of(f->b[i].start), "delay_notice",
	        &marks, &n, &err) != 0)
		fail_msg("marks: %s", err.msg);
	for (k = 0; k < n; k++)
		found += marks[k].booking_id == f->b[i].id;
	free(marks);
	return found;
}

/*
 * The 08:00 visit runs long; 08:15 has checked in; 08:30 has not come.
 * At 08:40: 08:45, 09:00 and 09:15 are expected 10 minutes late: one
 * e-mail and one SMS each, their step and a booking event; the one
 * waiting and the one who has not come get nothing. At 08:50 (+20)
 * nothing new; 08:45 checks in; at 08:56 (+26, the second step) one more
 * for 09:00 and 09:15, and so on while the visit goes on, until each is
 * past the time they were told.
 */
static void
test_timer_writes_once_per_step(void **state)
{
	struct fixture *f = *state;
	static char sms[512], mail[16384];
	struct booking b;
	int i;

	morning(f);
	assert_int_equal(due(f, "2026-12-08T08:05"), 0);
	assert_int_equal(due(f, "2026-12-08T08:40"), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(delay_rows(f, i, "email", NULL, 0), 0);
		assert_int_equal(delay_rows(f, i, "sms", NULL, 0), 0);
		assert_int_equal(events(f, i), 0);
	}
	for (i = 3; i < 6; i++) {
		assert_int_equal(delay_rows(f, i, "sms", sms, sizeof sms), 1);
		assert_int_equal(
		    delay_rows(f, i, "email", mail, sizeof mail), 1);
		assert_int_equal(events(f, i), 1);
		b = reread(f, i);
		assert_int_equal(b.delay_step, 1);
		assert_int_equal(b.delay_notified, 10 * MIN);
		assert_non_null(strstr(sms, "ok. 10 min"));
		assert_non_null(strstr(sms, f->b[i].reference));
		assert_non_null(strstr(mail, "ok. 10 min"));
	}
	assert_non_null(strstr(sms, "Wizyta 08.12 09:15"));
	assert_non_null(strstr(sms, "ok. 09:25"));
	assert_non_null(strstr(sms, "SPÓŹNIĘ SIĘ"));
	/* again at the same clock, or as it grows within the step: no */
	assert_int_equal(due(f, "2026-12-08T08:40"), 0);
	assert_int_equal(due(f, "2026-12-08T08:50"), 0);
	/* 08:45 checks in: nothing more for them, whatever happens; at 08:56
	 * 09:00 and 09:15 are 26 minutes late: the second step */
	act(f, 3, ACTION_CHECK_IN, "2026-12-08T08:53");
	assert_int_equal(due(f, "2026-12-08T08:56"), 2);
	for (i = 4; i < 6; i++) {
		assert_int_equal(delay_rows(f, i, "sms", sms, sizeof sms), 2);
		assert_int_equal(delay_rows(f, i, "email", NULL, 0), 2);
		assert_int_equal(events(f, i), 1); /* the latest per day */
		b = reread(f, i);
		assert_int_equal(b.delay_step, 2);
		assert_int_equal(b.delay_notified, 25 * MIN);
		assert_non_null(strstr(sms, "ok. 25 min"));
	}
	assert_int_equal(delay_rows(f, 3, "sms", NULL, 0), 1);
	assert_int_equal(delay_rows(f, 1, "sms", NULL, 0), 0);
	assert_int_equal(delay_rows(f, 2, "sms", NULL, 0), 0);
	/* 09:12, the 08:00 visit still on: +42, the third step */
	assert_int_equal(due(f, "2026-12-08T09:12"), 2);
	assert_int_equal(delay_rows(f, 3, "sms", NULL, 0), 1);
	assert_int_equal(delay_rows(f, 4, "sms", sms, sizeof sms), 3);
	assert_non_null(strstr(sms, "ok. 40 min później, ok. 09:40"));
	/* 09:41: 09:00 was told 09:40 and has not come: nothing more for
	 * them; 09:15 (told 09:55) hears of +56 */
	assert_int_equal(due(f, "2026-12-08T09:41"), 1);
	assert_int_equal(delay_rows(f, 4, "sms", NULL, 0), 3);
	assert_int_equal(delay_rows(f, 5, "sms", sms, sizeof sms), 4);
	assert_non_null(strstr(sms, "ok. 55 min później, ok. 10:10"));
	/* past the time they were told: nothing, however late */
	assert_int_equal(due(f, "2026-12-08T10:11"), 0);
	assert_int_equal(due(f, "2026-12-08T11:00"), 0);
}

/* The guards count from the time the citizen was told: 09:00 told +25
 * may check in until 09:55 and is no no-show before 09:30. */
static void
test_guards_follow_the_notice(void **state)
{
	struct fixture *f = *state;
	struct error err;

	morning(f);
	assert_int_equal(due(f, "2026-12-08T08:40"), 3);
	act(f, 3, ACTION_CHECK_IN, "2026-12-08T08:53");
	assert_int_equal(due(f, "2026-12-08T08:56"), 2);
	assert_int_equal(reread(f, 4).delay_notified, 25 * MIN);
	/* no-show: not before 09:00 + 25 + 5 */
	error_clear(&err);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, f->b[4].reference,
	        ACTION_NO_SHOW, &f->clerk, at("2026-12-08T09:29"), NULL, &err),
	    -1);
	assert_string_equal(err.code, "too_early");
	assert_non_null(strstr(err.msg, "09:25"));
	/* 08:30, told nothing, is a no-show from 08:35 as ever */
	act(f, 2, ACTION_NO_SHOW, "2026-12-08T08:56");
	/* check-in: until 09:00 + 25 + 30 */
	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config,
	                     f->b[4].reference, ACTION_CHECK_IN, &f->reception,
	                     at("2026-12-08T09:56"), NULL, &err),
	    -1);
	assert_string_equal(err.code, "too_late");
	act(f, 4, ACTION_CHECK_IN, "2026-12-08T09:55");
}

/* A move starts the steps again; a notice that cannot be written leaves
 * no trace (the outbox rows, the step and the event are one
 * transaction). */
static void
test_move_and_failure(void **state)
{
	struct fixture *f = *state;
	struct booking b;
	struct error err;
	int i;

	morning(f);
	/* an office whose reply address is broken cannot write e-mail */
	testdb_set(&f->db.config->mail_reply_address, "broken");
	error_clear(&err);
	assert_int_equal(delay_notify_due(f->db.store, f->db.config,
	                     at("2026-12-08T08:40"), &(unsigned){0}, &err),
	    -1);
	for (i = 3; i < 6; i++) {
		b = reread(f, i);
		assert_int_equal(b.delay_step, 0);
		assert_int_equal(delay_rows(f, i, "sms", NULL, 0), 0);
		assert_int_equal(events(f, i), 0);
	}
	testdb_set(&f->db.config->mail_reply_address, "wizyta@urzad.example");
	assert_int_equal(due(f, "2026-12-08T08:40"), 3);
	/* 09:15 moves to 11:00: a new time, no step told */
	error_clear(&err);
	if (booking_reschedule(f->db.store, f->db.config, f->b[5].reference,
	        "2026-12-08T11:00", 0, &f->clerk, at("2026-12-08T08:41"),
	        &f->b[5], &err) != 0)
		fail_msg("reschedule: %s", err.msg);
	b = reread(f, 5);
	assert_int_equal(b.delay_step, 0);
	assert_int_equal(b.delay_notified, 0);
	/* a store refuses a step already told, or a booking changed */
	error_clear(&err);
	assert_int_equal(store_booking_mark_delay(f->db.store, f->b[4].id,
	                     f->b[4].start, 1, 10 * MIN, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	error_clear(&err);
	assert_int_equal(store_booking_mark_delay(f->db.store, f->b[5].id,
	                     f->b[4].start, 1, 10 * MIN, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
}

/* The notice's SMS fits one GSM-7 segment in both languages, whether
 * phones can answer or not, with a three-digit delay; the e-mail says
 * that no reply is needed. */
static void
test_notice_text(void **state)
{
	struct fixture *f = *state;
	static const char *const languages[] = {"pl", "en"};
	struct booking b;
	static char mail[16384];
	size_t l, way;

	act(f, 5, ACTION_CONFIRM, "2026-12-07T09:05");
	b = reread(f, 5);
	snprintf(b.reference, sizeof b.reference, "ABCDEFGHJKLM");
	for (way = 0; way < 2; way++) {
		/* one-way: an alphanumeric sender cannot be answered */
		testdb_set(
		    &f->db.config->sms_sender, way ? "URZAD" : "48500100200");
		for (l = 0; l < 2; l++) {
			struct outbox_message *list;
			struct sms_measure m;
			struct error err;
			size_t n;
			char *plain;

			snprintf(
			    b.language, sizeof b.language, "%s", languages[l]);
			error_clear(&err);
			assert_int_equal(
			    notify_booking_delay(f->db.store, f->db.config, &b,
			        NOTIFY_ALL, 125 * MIN, at("2026-12-08T08:00"),
			        &err),
			    0);
			assert_int_equal(store_outbox_list(f->db.store, "sms",
			                     b.id, 1, &list, &n, &err),
			    0);
			assert_int_equal(n, 1);
			plain = sms_transliterate(list[0].payload);
			sms_measure(plain, &m);
			if (m.encoding != SMS_GSM7 || m.segments != 1)
				fail_msg("%s: %u segment(s): %s", languages[l],
				    m.segments, plain);
			assert_non_null(strstr(plain, "125 min"));
			assert_non_null(strstr(plain, "11:20"));
			/* a reply is offered only where it can come back */
			assert_true((strstr(plain, l ? "LATE" : "SPOZNIE") !=
			                NULL) == (way == 0));
			free(plain);
			outbox_list_free(list, n);
			assert_int_equal(store_outbox_list(f->db.store, "email",
			                     b.id, 1, &list, &n, &err),
			    0);
			qp_decode(list[0].payload, mail, sizeof mail);
			assert_non_null(
			    strstr(mail, l ? "There is no need to reply"
			                   : "Nie trzeba odpowiadać"));
			outbox_list_free(list, n);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quiet_desk),
	    cmocka_unit_test(test_visit_running_long),
	    cmocka_unit_test(test_called_visit),
	    cmocka_unit_test(test_typical_time),
	    cmocka_unit_test(test_queue_at_measured_pace),
	    cmocka_unit_test(test_capacity_and_desks),
	    cmocka_unit_test(test_step_rule),
	    cmocka_unit_test(test_notice_due),
	    cmocka_unit_test(test_day_slow_clerk),
	    cmocka_unit_test(test_day_on_time),
	    cmocka_unit_test(test_day_one_long_visit),
	    cmocka_unit_test_setup_teardown(
	        test_timer_writes_once_per_step, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_guards_follow_the_notice, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_move_and_failure, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_notice_text, setup, testdb_teardown),
	};

	/* the pure tests need the office zone too */
	struct error err;

	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
