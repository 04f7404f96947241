/*
 * test_reception.c: the building's door (lib/reception.h) at fixed clocks:
 * codes as typed or scanned; the clock's window and what reception is told
 * (too early — entry from when; late — by how much; too late); a limit of
 * two people inside, the third queued outside and let in when someone
 * finishes, newcomers behind the queue; lateness measured at arrival for
 * the queued; the queue kept by hand; the limit on the status path too;
 * and two receptionists checking people in at once never exceeding it.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reception.h"
#include "testday.h"
#include "testdb.h"

static int
setup(void **state)
{
	struct testday *d = calloc(1, sizeof *d);

	if (d == NULL || testday_open(d, "reception") != 0)
		return -1;
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

/* check_in: reception_check_in by b's code at a time; the error code
 * ("" on success) */
static const char *
check_in(struct testday *d, const struct booking *b, const char *at,
    struct reception_visit *v)
{
	static struct error err;
	struct reception_visit tmp;

	error_clear(&err);
	if (reception_check_in(d->db.store, d->db.config, b->access_code,
	        &d->reception, testday_at(at), v != NULL ? v : &tmp, &err) == 0)
		return "";
	return err.code;
}

static void
door(struct testday *d, const char *at, struct reception_status *st)
{
	struct error err;

	error_clear(&err);
	if (reception_status(
	        d->db.store, d->db.config, testday_at(at), st, &err) != 0)
		fail_msg("status: %s", err.msg);
}

static void
test_codes(void **state)
{
	char out[8];
	struct error err;

	(void)state;
	error_clear(&err);
	assert_int_equal(reception_code_normalize("331854", out, &err), 0);
	assert_string_equal(out, "331854");
	/* what a scanner or a hand may add */
	assert_int_equal(
	    reception_code_normalize(" 331 854\r\n", out, &err), 0);
	assert_string_equal(out, "331854");
	assert_int_equal(reception_code_normalize("331-854", out, &err), 0);
	assert_string_equal(out, "331854");
	assert_int_equal(reception_code_normalize("33185", out, &err), -1);
	assert_string_equal(err.code, "code_invalid");
	assert_string_equal(err.field, "code");
	assert_int_equal(reception_code_normalize("3318545", out, &err), -1);
	assert_int_equal(reception_code_normalize("33185x", out, &err), -1);
	assert_int_equal(reception_code_normalize("", out, &err), -1);
	assert_int_equal(reception_code_normalize(NULL, out, &err), -1);
	assert_int_equal(
	    reception_code_normalize("３３１８５４", out, &err), -1);
}

/* The clock's window (defaults: from 1 h before to 30 min after the start)
 * and what reception is told. */
static void
test_window(void **state)
{
	struct testday *d = *state;
	struct booking noon =
	    testday_book(d, d->service_a, "2026-12-08T12:00", true);
	struct booking late =
	    testday_book(d, d->service_a, "2026-12-08T09:00", true);
	struct booking ontime =
	    testday_book(d, d->service_a, "2026-12-08T10:00", true);
	struct booking tomorrow =
	    testday_book(d, d->service_a, "2026-12-09T09:00", true);
	struct booking gone =
	    testday_book(d, d->service_a, "2026-12-08T11:00", true);
	struct reception_visit v;
	struct error err;
	char when[OTIME_LOCAL_LEN];

	assert_string_equal(
	    check_in(d, &noon, "2026-12-08T10:30", &v), "too_early");
	assert_true(v.found);
	otime_format(v.entry_from, when);
	assert_string_equal(when, "2026-12-08T11:00");
	otime_format(v.entry_until, when);
	assert_string_equal(when, "2026-12-08T12:30");
	assert_int_equal(v.late_minutes, -90);
	assert_string_equal(
	    check_in(d, &late, "2026-12-08T09:31", &v), "too_late");
	assert_int_equal(v.late_minutes, 31);
	/* 20 minutes late is inside the window: in, and reception is told */
	assert_string_equal(check_in(d, &ontime, "2026-12-08T10:20", &v), "");
	assert_int_equal(v.booking.status, BOOKING_WAITING);
	assert_int_equal(v.late_minutes, 20);
	assert_int_equal(v.inside, 1);
	assert_string_equal(v.booking.desk_name, "Pokój 1 stanowisko 1");
	assert_string_equal(v.booking.room, "Pokój 1");
	assert_string_equal(v.booking.service_name, "Rejestracja pojazdu");
	assert_int_equal(testdb_audit_count(
	                     d->db.store, "booking.check_in", ontime.id, NULL),
	    1);
	/* twice: already in, and when */
	assert_string_equal(
	    check_in(d, &ontime, "2026-12-08T10:21", &v), "already_checked_in");
	/* a code of another day, of a cancelled booking, of nobody */
	assert_string_equal(
	    check_in(d, &tomorrow, "2026-12-08T10:30", &v), "unknown_code");
	assert_false(v.found);
	testday_act(d, &gone, ACTION_CANCEL, &d->anna, "2026-12-08T10:00");
	assert_string_equal(
	    check_in(d, &gone, "2026-12-08T10:30", &v), "unknown_code");
	error_clear(&err);
	assert_int_equal(
	    reception_check_in(d->db.store, d->db.config, "000000",
	        &d->reception, testday_at("2026-12-08T10:30"), &v, &err),
	    -1);
	assert_string_equal(err.code, "unknown_code");
	/* a citizen is no receptionist */
	assert_int_equal(
	    reception_check_in(d->db.store, d->db.config, noon.access_code,
	        &d->db.citizen, testday_at("2026-12-08T11:30"), &v, &err),
	    -1);
	assert_string_equal(err.code, "forbidden");
}

/* A limit of two: the third waits outside and enters when someone
 * finishes; a newcomer queues behind; the status path obeys it too. */
static void
test_limit_two(void **state)
{
	struct testday *d = *state;
	static const char *const starts[5] = {"2026-12-08T10:00",
	    "2026-12-08T10:15", "2026-12-08T10:30", "2026-12-08T10:45",
	    "2026-12-08T10:30"};
	struct booking p[5];
	struct reception_visit v;
	struct reception_status st;
	struct error err;
	int i;

	d->db.config->reception_max_inside = 2;
	for (i = 0; i < 5; i++)
		p[i] = testday_book(
		    d, i < 4 ? d->service_a : d->service_b, starts[i], true);
	assert_string_equal(check_in(d, &p[0], "2026-12-08T09:50", &v), "");
	assert_int_equal(v.inside, 1);
	assert_int_equal(v.max_inside, 2);
	assert_string_equal(check_in(d, &p[1], "2026-12-08T09:51", &v), "");
	assert_int_equal(v.inside, 2);
	/* full: refused, queued, told their place */
	assert_string_equal(check_in(d, &p[2], "2026-12-08T09:52", &v), "full");
	assert_int_equal(v.position, 1);
	assert_int_equal(v.inside, 2);
	assert_int_equal(v.queued_at, testday_at("2026-12-08T09:52"));
	assert_string_equal(check_in(d, &p[2], "2026-12-08T09:55", &v), "full");
	assert_int_equal(v.position, 1); /* still first, queued at 09:52 */
	assert_int_equal(v.queued_at, testday_at("2026-12-08T09:52"));
	assert_string_equal(check_in(d, &p[3], "2026-12-08T09:56", &v), "full");
	assert_int_equal(v.position, 2);
	assert_int_equal(
	    testdb_audit_count(d->db.store, "reception.queue", 0, NULL), 2);
	door(d, "2026-12-08T09:57", &st);
	assert_int_equal(st.inside, 2);
	assert_int_equal(st.free, 0);
	assert_int_equal(st.nqueue, 2);
	assert_string_equal(st.queue[0].booking.reference, p[2].reference);
	assert_false(st.queue[0].may_enter);
	reception_status_free(&st);
	/* the status path is refused as well (and queues nobody) */
	error_clear(&err);
	assert_int_equal(booking_set_status(d->db.store, d->db.config,
	                     p[4].reference, BOOKING_WAITING, &d->anna,
	                     testday_at("2026-12-08T09:58"), NULL, &err),
	    -1);
	assert_string_equal(err.code, "full");

	/* someone finishes: the first outside may enter, nobody else */
	testday_act(d, &p[0], ACTION_CALL, &d->anna, "2026-12-08T10:00");
	testday_act(d, &p[0], ACTION_START, &d->anna, "2026-12-08T10:00");
	testday_act(d, &p[0], ACTION_FINISH, &d->anna, "2026-12-08T10:10");
	door(d, "2026-12-08T10:10", &st);
	assert_int_equal(st.inside, 1);
	assert_int_equal(st.free, 1);
	assert_int_equal(st.nqueue, 2);
	assert_true(st.queue[0].may_enter);
	assert_false(st.queue[1].may_enter);
	reception_status_free(&st);
	assert_string_equal(check_in(d, &p[4], "2026-12-08T10:11", &v), "full");
	assert_int_equal(v.position, 3); /* a newcomer queues behind */
	assert_string_equal(check_in(d, &p[3], "2026-12-08T10:11", &v), "full");
	assert_int_equal(v.position, 2);
	assert_string_equal(check_in(d, &p[2], "2026-12-08T10:12", &v), "");
	assert_int_equal(v.inside, 2);
	assert_int_equal(v.position, 0);
	door(d, "2026-12-08T10:12", &st);
	assert_int_equal(st.nqueue, 2);
	assert_string_equal(st.queue[0].booking.reference, p[3].reference);
	reception_status_free(&st);
	/* a no-show frees a place too */
	testday_act(d, &p[1], ACTION_NO_SHOW, &d->anna, "2026-12-08T10:30");
	assert_string_equal(check_in(d, &p[4], "2026-12-08T10:31", &v), "full");
	assert_string_equal(check_in(d, &p[3], "2026-12-08T10:31", &v), "");
	/* no limit: the queue lets everyone in */
	d->db.config->reception_max_inside = 0;
	assert_string_equal(check_in(d, &p[4], "2026-12-08T10:32", &v), "");
	assert_int_equal(v.inside, 3);
}

/* Waiting outside never makes anyone late; the queue is kept by hand. */
static void
test_queue_keeps_arrival(void **state)
{
	struct testday *d = *state;
	struct booking a =
	    testday_book(d, d->service_a, "2026-12-08T10:00", true);
	struct booking b =
	    testday_book(d, d->service_a, "2026-12-08T10:15", true);
	struct booking c =
	    testday_book(d, d->service_b, "2026-12-08T10:10", true);
	struct booking e =
	    testday_book(d, d->service_b, "2026-12-08T10:20", true);
	struct reception_visit v;
	struct reception_status st;
	struct error err;

	d->db.config->reception_max_inside = 1;
	assert_string_equal(check_in(d, &a, "2026-12-08T09:40", &v), "");
	assert_string_equal(check_in(d, &b, "2026-12-08T10:10", &v), "full");
	assert_string_equal(check_in(d, &e, "2026-12-08T10:12", &v), "full");
	/* e walked away */
	error_clear(&err);
	assert_int_equal(
	    reception_dequeue(d->db.store, d->db.config, e.access_code,
	        &d->reception, testday_at("2026-12-08T10:20"), &err),
	    0);
	assert_int_equal(
	    reception_dequeue(d->db.store, d->db.config, e.access_code,
	        &d->reception, testday_at("2026-12-08T10:21"), &err),
	    -1);
	assert_string_equal(err.code, "not_queued");
	assert_int_equal(
	    testdb_audit_count(d->db.store, "reception.dequeue", e.id, NULL),
	    1);
	testday_act(d, &a, ACTION_CALL, &d->anna, "2026-12-08T10:30");
	testday_act(d, &a, ACTION_START, &d->anna, "2026-12-08T10:31");
	testday_act(d, &a, ACTION_FINISH, &d->anna, "2026-12-08T11:00");
	/* 11:00 is past b's window (10:45), but b came at 10:10 */
	assert_string_equal(check_in(d, &b, "2026-12-08T11:00", &v), "");
	assert_int_equal(v.late_minutes, -5);
	assert_int_equal(v.arrival, testday_at("2026-12-08T10:10"));
	/* c came only now: too late */
	assert_string_equal(
	    check_in(d, &c, "2026-12-08T11:00", &v), "too_late");
	door(d, "2026-12-08T11:00", &st);
	assert_int_equal(st.nqueue, 0);
	reception_status_free(&st);
}

/* A citizen told by a live delay notice that the desk runs 20 minutes
 * late was told to come later: the late edge and the lateness count from
 * that time, the early edge from the booked one. */
static void
test_told_later(void **state)
{
	struct testday *d = *state;
	struct booking b =
	    testday_book(d, d->service_a, "2026-12-08T10:00", true);
	struct booking c =
	    testday_book(d, d->service_a, "2026-12-08T10:15", true);
	struct reception_visit v;
	struct error err;

	error_clear(&err);
	if (store_booking_mark_delay(
	        d->db.store, b.id, b.start, 1, 20 * 60, &err) != 0 ||
	    store_booking_mark_delay(
	        d->db.store, c.id, c.start, 1, 20 * 60, &err) != 0)
		fail_msg("mark delay: %s", err.msg);
	assert_string_equal(
	    check_in(d, &b, "2026-12-08T10:51", &v), "too_late");
	assert_int_equal(v.entry_until, testday_at("2026-12-08T10:50"));
	assert_int_equal(v.late_minutes, 31);
	assert_string_equal(check_in(d, &c, "2026-12-08T10:45", &v), "");
	assert_int_equal(v.late_minutes, 10); /* told 10:35: 10 minutes late */
}

/* Two receptionists at once, ten people at a limit of two: exactly two
 * get in, whatever the interleaving. */
struct desk_clerk {
	struct testday *d;
	pthread_barrier_t *barrier;
	const struct booking *people;
	int first, step, n;
	unsigned in, full, other;
	unsigned positions[16]; /* of the refused, in their order */
	char why[256];
};

static void *
clerk(void *arg)
{
	struct desk_clerk *me = arg;
	struct store *s;
	struct error err;
	int i;

	error_clear(&err);
	s = store_open(me->d->db.path, &err);
	for (i = me->first; i < me->n; i += me->step) {
		struct reception_visit v;

		pthread_barrier_wait(me->barrier);
		if (s == NULL) {
			me->other++;
			continue;
		}
		error_clear(&err);
		if (reception_check_in(s, me->d->db.config,
		        me->people[i].access_code, &me->d->reception,
		        testday_at("2026-12-08T09:30"), &v, &err) == 0)
			me->in++;
		else if (strcmp(err.code, "full") == 0)
			me->positions[me->full++ % 16] = v.position;
		else {
			me->other++;
			snprintf(me->why, sizeof me->why, "%s", err.msg);
		}
	}
	store_close(s);
	return NULL;
}

static void
test_two_receptionists(void **state)
{
	enum { PEOPLE = 10 };
	struct testday *d = *state;
	struct booking people[PEOPLE];
	struct desk_clerk clerks[2];
	struct reception_status st;
	pthread_barrier_t barrier;
	pthread_t threads[2];
	int i;

	d->db.config->reception_max_inside = 2;
	d->db.config->reception_check_in_early = 12 * 3600;
	for (i = 0; i < PEOPLE; i++) {
		char start[OTIME_LOCAL_LEN];

		snprintf(start, sizeof start, "2026-12-08T%02d:%02d",
		    10 + i * 15 / 60, i * 15 % 60);
		people[i] = testday_book(d, d->service_a, start, true);
	}
	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	for (i = 0; i < 2; i++) {
		memset(&clerks[i], 0, sizeof clerks[i]);
		clerks[i].d = d;
		clerks[i].barrier = &barrier;
		clerks[i].people = people;
		clerks[i].first = i;
		clerks[i].step = 2;
		clerks[i].n = PEOPLE;
		assert_int_equal(
		    pthread_create(&threads[i], NULL, clerk, &clerks[i]), 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (i = 0; i < 2; i++)
		if (clerks[i].other != 0)
			fail_msg("clerk %d: %u unexpected errors (%s)", i,
			    clerks[i].other, clerks[i].why);
	assert_int_equal(clerks[0].in + clerks[1].in, 2);
	assert_int_equal(clerks[0].full + clerks[1].full, PEOPLE - 2);
	/* all at the same second, yet each refused person got their own
	 * place, in the order they came: 1 … 8 */
	{
		bool seen[PEOPLE + 1] = {false};
		unsigned j, k;

		for (i = 0; i < 2; i++)
			for (j = 0; j < clerks[i].full; j++) {
				k = clerks[i].positions[j];
				if (k < 1 || k > PEOPLE - 2 || seen[k])
					fail_msg("position %u given twice or "
					         "out of range",
					    k);
				seen[k] = true;
				if (j > 0 && k <= clerks[i].positions[j - 1])
					fail_msg(
					    "clerk %d: position %u after %u", i,
					    k, clerks[i].positions[j - 1]);
			}
	}
	door(d, "2026-12-08T09:31", &st);
	assert_int_equal(st.inside, 2);
	assert_int_equal(st.nqueue, PEOPLE - 2);
	reception_status_free(&st);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codes),
	    T(test_window),
	    T(test_limit_two),
	    T(test_queue_keeps_arrival),
	    T(test_told_later),
	    T(test_two_receptionists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
