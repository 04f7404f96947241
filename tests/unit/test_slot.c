/*
 * test_slot.c: slot_generate, the pure function behind every "which times
 * are free" answer: steps within windows, lead time and horizon, capacity,
 * several desks, DST days and bookings of other durations.
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

#include "office_time.h"
#include "slot.h"

static const struct date TUESDAY = { 2026, 12, 8 };
static const struct date SPRING = { 2026, 3, 29 };
static const struct date AUTUMN = { 2026, 10, 25 };

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

static time_t
at(struct date d, int hour, int minute)
{
	time_t t;

	if (otime_make(d, hour * 60 + minute, &t) != 0)
		fail_msg("no such local time %02d:%02d", hour, minute);
	return t;
}

static struct slot_window
window(int64_t desk, unsigned capacity, int opens, int closes)
{
	struct slot_window w;

	memset(&w, 0, sizeof w);
	w.desk_id = desk;
	snprintf(w.desk_name, sizeof w.desk_name, "Pokój %lld stanowisko 1",
	    (long long)desk);
	w.capacity = capacity;
	w.opens = opens;
	w.closes = closes;
	return w;
}

/* request: the whole day bookable (now long before, horizon far away). */
static struct slot_request
request(struct date day, unsigned duration, const struct slot_window *w, size_t nw,
    const struct slot_busy *busy, size_t nbusy)
{
	struct slot_request r;

	memset(&r, 0, sizeof r);
	r.day = day;
	r.duration_minutes = duration;
	r.now = at(date_add_days(day, -7), 9, 0);
	r.earliest = r.now + 3600;
	r.latest = r.now + 60 * 86400;
	r.windows = w;
	r.nwindows = nw;
	r.busy = busy;
	r.nbusy = nbusy;
	return r;
}

static void
assert_slot(const struct slot *s, const char *start, int64_t desk, unsigned free_places)
{
	char text[OTIME_LOCAL_LEN];

	otime_format(s->start, text);
	if (strcmp(text, start) != 0 || s->desk_id != desk || s->free != free_places)
		fail_msg("slot %s desk %lld free %u, want %s desk %lld free %u", text,
		    (long long)s->desk_id, s->free, start, (long long)desk, free_places);
}

static void
test_steps_within_window(void **state)
{
	struct slot_window w[] = { window(1, 1, 8 * 60, 10 * 60) };
	struct slot_request r = request(TUESDAY, 15, w, 1, NULL, 0);
	struct slot *s;
	size_t n, i;

	(void)state;
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++) {
		assert_int_equal(s[i].start, at(TUESDAY, 8, 0) + (time_t)i * 900);
		assert_int_equal(s[i].end - s[i].start, 900);
		assert_int_equal(s[i].desk_id, 1);
		assert_int_equal(s[i].free, 1);
		assert_string_equal(s[i].desk_name, "Pokój 1 stanowisko 1");
	}
	assert_slot(&s[7], "2026-12-08T09:45", 1, 1);
	free(s);

	/* a window that does not divide by the duration: the last slot must
	 * end by closing time (08:00-09:50, 20 min: 08:00 … 09:20) */
	w[0] = window(1, 1, 8 * 60, 9 * 60 + 50);
	r = request(TUESDAY, 20, w, 1, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 5);
	assert_slot(&s[4], "2026-12-08T09:20", 1, 1);
	free(s);

	/* two windows of one desk (a lunch break) */
	{
		struct slot_window two[] = { window(1, 1, 8 * 60, 9 * 60),
			window(1, 1, 13 * 60, 14 * 60) };

		r = request(TUESDAY, 30, two, 2, NULL, 0);
		assert_int_equal(slot_generate(&r, &s, &n), 0);
		assert_int_equal(n, 4);
		assert_slot(&s[0], "2026-12-08T08:00", 1, 1);
		assert_slot(&s[1], "2026-12-08T08:30", 1, 1);
		assert_slot(&s[2], "2026-12-08T13:00", 1, 1);
		assert_slot(&s[3], "2026-12-08T13:30", 1, 1);
		free(s);
	}
}

static void
test_lead_time_and_horizon(void **state)
{
	struct slot_window w[] = { window(1, 1, 8 * 60, 10 * 60) };
	struct slot_request r = request(TUESDAY, 15, w, 1, NULL, 0);
	struct slot *s;
	size_t n;

	(void)state;
	/* now 07:25, lead time 1h: the first slot is 08:30 (08:25 is no slot) */
	r.now = at(TUESDAY, 7, 25);
	r.earliest = r.now + 3600;
	r.latest = r.now + 60 * 86400;
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 6);
	assert_slot(&s[0], "2026-12-08T08:30", 1, 1);
	free(s);

	/* exactly at the lead time is still bookable */
	r.earliest = at(TUESDAY, 8, 45);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 5);
	assert_slot(&s[0], "2026-12-08T08:45", 1, 1);
	free(s);

	/* the horizon ends at 09:00: 08:00 … 09:00 inclusive */
	r = request(TUESDAY, 15, w, 1, NULL, 0);
	r.latest = at(TUESDAY, 9, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 5);
	assert_slot(&s[4], "2026-12-08T09:00", 1, 1);
	free(s);

	/* the whole day in the past, or beyond the horizon: nothing */
	r = request(TUESDAY, 15, w, 1, NULL, 0);
	r.earliest = at(TUESDAY, 12, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 0);
	free(s);
	r = request(TUESDAY, 15, w, 1, NULL, 0);
	r.latest = at(date_add_days(TUESDAY, -1), 23, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 0);
	free(s);
}

static void
test_full_desk(void **state)
{
	struct slot_window w[] = { window(1, 1, 8 * 60, 9 * 60) };
	struct slot_busy busy[] = { { 1, 0, 0 } };
	struct slot_request r;
	struct slot *s;
	size_t n;

	(void)state;
	busy[0].start = at(TUESDAY, 8, 15);
	busy[0].end = at(TUESDAY, 8, 30);
	r = request(TUESDAY, 15, w, 1, busy, 1);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 3);		/* 08:15 is taken */
	assert_slot(&s[0], "2026-12-08T08:00", 1, 1);
	assert_slot(&s[1], "2026-12-08T08:30", 1, 1);
	assert_slot(&s[2], "2026-12-08T08:45", 1, 1);
	free(s);

	/* capacity 2: the same booking leaves one place */
	w[0].capacity = 2;
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 4);
	assert_slot(&s[0], "2026-12-08T08:00", 1, 2);
	assert_slot(&s[1], "2026-12-08T08:15", 1, 1);
	assert_slot(&s[2], "2026-12-08T08:30", 1, 2);
	free(s);

	/* two bookings fill capacity 2 */
	{
		struct slot_busy two[] = { busy[0], busy[0] };

		r = request(TUESDAY, 15, w, 1, two, 2);
		assert_int_equal(slot_generate(&r, &s, &n), 0);
		assert_int_equal(n, 3);
		assert_slot(&s[1], "2026-12-08T08:30", 1, 2);
		free(s);
	}
}

static void
test_two_desks(void **state)
{
	struct slot_window w[] = { window(2, 1, 8 * 60, 9 * 60),
		window(1, 1, 8 * 60, 9 * 60) };
	struct slot_busy busy[] = { { 1, 0, 0 } };
	struct slot_request r;
	struct slot *s;
	size_t n, i;

	(void)state;
	r = request(TUESDAY, 30, w, 2, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 4);
	/* sorted by start, then desk */
	assert_slot(&s[0], "2026-12-08T08:00", 1, 1);
	assert_slot(&s[1], "2026-12-08T08:00", 2, 1);
	assert_slot(&s[2], "2026-12-08T08:30", 1, 1);
	assert_slot(&s[3], "2026-12-08T08:30", 2, 1);
	assert_string_equal(s[1].desk_name, "Pokój 2 stanowisko 1");
	free(s);

	/* a booking on desk 1 leaves desk 2 free at that time */
	busy[0].start = at(TUESDAY, 8, 0);
	busy[0].end = at(TUESDAY, 8, 30);
	r = request(TUESDAY, 30, w, 2, busy, 1);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 3);
	assert_slot(&s[0], "2026-12-08T08:00", 2, 1);
	for (i = 0; i < n; i++)
		assert_false(s[i].desk_id == 1 && s[i].start == busy[0].start);
	free(s);
}

static void
test_other_durations_overlap(void **state)
{
	struct slot_window w[] = { window(1, 1, 8 * 60, 10 * 60) };
	struct slot_busy busy[] = {
		{ 1, 0, 0 },	/* 08:10-08:50, a 40-minute service */
		{ 1, 0, 0 },	/* 09:30-09:35: five minutes */
		{ 3, 0, 0 },	/* another desk: no effect */
	};
	struct slot_request r;
	struct slot *s;
	size_t n;

	(void)state;
	busy[0].start = at(TUESDAY, 8, 10);
	busy[0].end = at(TUESDAY, 8, 50);
	busy[1].start = at(TUESDAY, 9, 30);
	busy[1].end = at(TUESDAY, 9, 35);
	busy[2].start = at(TUESDAY, 8, 0);
	busy[2].end = at(TUESDAY, 10, 0);
	r = request(TUESDAY, 15, w, 1, busy, 3);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	/* 08:00 08:15 08:30 08:45 touch the 40-minute one; 09:30 the short one;
	 * left: 09:00 09:15 09:45 */
	assert_int_equal(n, 3);
	assert_slot(&s[0], "2026-12-08T09:00", 1, 1);
	assert_slot(&s[1], "2026-12-08T09:15", 1, 1);
	assert_slot(&s[2], "2026-12-08T09:45", 1, 1);
	free(s);

	/* a booking that ends when a slot starts does not overlap it */
	assert_int_equal(slot_overlaps(busy, 3, 1, at(TUESDAY, 8, 50),
	    at(TUESDAY, 9, 5)), 0);
	assert_int_equal(slot_overlaps(busy, 3, 1, at(TUESDAY, 7, 55),
	    at(TUESDAY, 8, 10)), 0);
	assert_int_equal(slot_overlaps(busy, 3, 1, at(TUESDAY, 8, 49),
	    at(TUESDAY, 9, 31)), 2);
	assert_int_equal(slot_overlaps(busy, 3, 3, at(TUESDAY, 8, 49),
	    at(TUESDAY, 9, 31)), 1);
	assert_int_equal(slot_overlaps(NULL, 0, 1, at(TUESDAY, 8, 0),
	    at(TUESDAY, 9, 0)), 0);
}

static void
test_dst_days(void **state)
{
	struct slot_window w[] = { window(1, 1, 1 * 60, 4 * 60) };
	struct slot_request r;
	struct slot *s;
	size_t n;

	(void)state;
	/* spring: 02:00 and 02:30 do not exist; 01:30 lasts until 03:00 */
	r = request(SPRING, 30, w, 1, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 4);
	assert_slot(&s[0], "2026-03-29T01:00", 1, 1);
	assert_slot(&s[1], "2026-03-29T01:30", 1, 1);
	assert_slot(&s[2], "2026-03-29T03:00", 1, 1);
	assert_slot(&s[3], "2026-03-29T03:30", 1, 1);
	assert_int_equal(s[1].end, s[2].start);
	assert_int_equal(s[1].end - s[1].start, 1800);
	free(s);

	/* autumn: 02:00 is the first (summer-time) 02:00 */
	w[0] = window(1, 1, 1 * 60, 4 * 60);
	r = request(AUTUMN, 60, w, 1, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 3);
	assert_slot(&s[0], "2026-10-25T01:00", 1, 1);
	assert_slot(&s[1], "2026-10-25T02:00", 1, 1);
	assert_slot(&s[2], "2026-10-25T03:00", 1, 1);
	assert_int_equal(s[2].start - s[1].start, 2 * 3600);
	free(s);

	/* an ordinary office day around DST is unaffected */
	{
		struct date monday = { 2026, 3, 30 };

		w[0] = window(1, 1, 8 * 60, 16 * 60);
		r = request(monday, 15, w, 1, NULL, 0);
		assert_int_equal(slot_generate(&r, &s, &n), 0);
		assert_int_equal(n, 32);
		assert_slot(&s[0], "2026-03-30T08:00", 1, 1);
		assert_slot(&s[31], "2026-03-30T15:45", 1, 1);
		free(s);
	}
}

static void
test_nonsense_and_empty(void **state)
{
	struct slot_window w[] = { window(1, 1, 8 * 60, 9 * 60) };
	struct slot_request r;
	struct slot *s = (struct slot *)&r;
	size_t n = 99;

	(void)state;
	r = request(TUESDAY, 0, w, 1, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), -1);
	assert_null(s);
	assert_int_equal(n, 0);
	r = request(TUESDAY, 24 * 60 + 1, w, 1, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), -1);
	/* no windows: no slots, and nothing to free */
	r = request(TUESDAY, 15, NULL, 0, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 0);
	assert_null(s);
	/* a window shorter than the service */
	w[0] = window(1, 1, 8 * 60, 8 * 60 + 10);
	r = request(TUESDAY, 15, w, 1, NULL, 0);
	assert_int_equal(slot_generate(&r, &s, &n), 0);
	assert_int_equal(n, 0);
	free(s);
}
/* The sweep over sorted bookings gives exactly what counting every
 * booking of the day for every slot gives: random days of three desks with
 * capacity 1-3, bookings of 5-120 minutes in any order (seeded, so a
 * failure repeats). */
static void
test_sweep_matches_naive_count(void **state)
{
	struct slot_window windows[3];
	struct slot_busy busy[200];
	struct slot_request req;
	unsigned seed = 20261208;
	time_t midnight = at(TUESDAY, 0, 0);
	int round;

	(void)state;
	for (round = 0; round < 200; round++) {
		struct slot *slots;
		size_t n, nbusy = (size_t)(rand_r(&seed) % 200), i, w, k = 0;
		int minute;

		for (w = 0; w < 3; w++) {
			memset(&windows[w], 0, sizeof windows[w]);
			windows[w].desk_id = (int64_t)(w + 1);
			windows[w].capacity = 1 + (unsigned)(rand_r(&seed) % 3);
			windows[w].opens = 8 * 60 + 5 * (rand_r(&seed) % 6);
			windows[w].closes = 16 * 60;
		}
		for (i = 0; i < nbusy; i++) {
			busy[i].desk_id = 1 + rand_r(&seed) % 4; /* desk 4 has no window */
			busy[i].start = midnight + 60 * (7 * 60 + rand_r(&seed) % (10 * 60));
			busy[i].end = busy[i].start + 60 * (5 + rand_r(&seed) % 116);
		}
		memset(&req, 0, sizeof req);
		req.day = TUESDAY;
		req.duration_minutes = 10 + 5 * (unsigned)(rand_r(&seed) % 4);
		req.earliest = midnight;
		req.latest = midnight + 86400;
		req.windows = windows;
		req.nwindows = 3;
		req.busy = busy;
		req.nbusy = nbusy;
		assert_int_equal(slot_generate(&req, &slots, &n), 0);
		/* every free slot the naive count finds, in the same order */
		for (minute = 0; minute < 24 * 60; minute += 5)
			for (w = 0; w < 3; w++) {
				const struct slot_window *win = &windows[w];
				time_t start = midnight + 60 * minute;
				time_t end = start + 60 * (time_t)req.duration_minutes;
				unsigned taken;

				if (minute < win->opens ||
				    minute + (int)req.duration_minutes > win->closes ||
				    (minute - win->opens) % (int)req.duration_minutes != 0)
					continue;
				taken = slot_overlaps(busy, nbusy, win->desk_id, start, end);
				if (taken >= win->capacity)
					continue;
				assert_true(k < n);
				assert_int_equal(slots[k].start, start);
				assert_int_equal(slots[k].desk_id, win->desk_id);
				assert_int_equal(slots[k].free, win->capacity - taken);
				k++;
			}
		assert_int_equal(k, n);
		free(slots);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_within_window),
		cmocka_unit_test(test_lead_time_and_horizon),
		cmocka_unit_test(test_full_desk),
		cmocka_unit_test(test_two_desks),
		cmocka_unit_test(test_other_durations_overlap),
		cmocka_unit_test(test_dst_days),
		cmocka_unit_test(test_nonsense_and_empty),
		cmocka_unit_test(test_sweep_matches_naive_count),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
