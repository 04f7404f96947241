/*
 * test_concurrency: what must hold when several connections (threads here,
 * processes in production) write at once, on either backend: a place of a
 * desk of capacity 3 goes to exactly 3 of 8 racers; every outbox row is
 * claimed by exactly one of 4 claimers; codes of a day stay unique; a
 * gateway whose connection is gone loses its leases and its job lock; a
 * waiting connection wakes when another commits. On PostgreSQL also: a
 * code taken twice is refused by the database and the transaction goes on,
 * and a deadlock comes back as "run it again" (store_retry_wanted).
 *
 * The suite's PostgreSQL run (tests/pg.mk) runs this file against
 * PostgreSQL; its tests that only PostgreSQL can have come last.
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

#include "booking.h"
#include "log.h"
#include "office_time.h"
#include "store.h"
#include "testdb.h"

#define MONDAY_9 "2026-12-07T09:00"

static struct store *
open_other(struct testdb *f)
{
	struct error err;
	struct store *s;

	error_clear(&err);
	if ((s = store_open(f->path, &err)) == NULL)
		fail_msg("store_open: %s", err.msg);
	return s;
}

/* ---- a place of capacity 3, 8 racers ------------------------------------ */

#define RACERS 8
#define CAPACITY 3
#define SLOTS 6

struct racer {
	struct testdb *f;
	pthread_barrier_t *barrier;
	int id;
	unsigned won[SLOTS], lost, other;
	char why[256];
};

static void *
race(void *arg)
{
	struct racer *me = arg;
	struct error err;
	struct store *s;
	int i;

	error_clear(&err);
	s = store_open(me->f->path, &err);
	for (i = 0; i < SLOTS; i++) {
		struct booking_request r;
		struct booking b;
		char email[64], start[32];

		pthread_barrier_wait(me->barrier);
		if (s == NULL) {
			me->other++;
			snprintf(me->why, sizeof me->why, "%s", err.msg);
			continue;
		}
		snprintf(start, sizeof start, "2026-12-08T%02d:%02d", 8 + i / 4,
		    (i % 4) * 15);
		snprintf(email, sizeof email, "r%d.%d@example.pl", me->id, i);
		r = testdb_request(me->f, start, email, NULL);
		error_clear(&err);
		if (booking_create(s, me->f->config, &r, &me->f->citizen,
		        testdb_local(MONDAY_9), &b, &err) == 0)
			me->won[i]++;
		else if (err.kind == ERROR_CONFLICT &&
		         strcmp(err.code, "slot_taken") == 0)
			me->lost++;
		else {
			me->other++;
			snprintf(me->why, sizeof me->why, "%s", err.msg);
		}
	}
	store_close(s);
	return NULL;
}

static void
test_capacity_race(void **state)
{
	struct testdb *f = *state;
	struct racer racers[RACERS];
	pthread_t threads[RACERS];
	pthread_barrier_t barrier;
	struct error err;
	struct desk d;
	unsigned lost = 0;
	int i, t;

	error_clear(&err);
	assert_int_equal(store_desk_get(f->store, f->desk, &d, &err), 0);
	d.capacity = CAPACITY;
	assert_int_equal(store_desk_update(f->store, &d, &err), 0);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, RACERS), 0);
	for (t = 0; t < RACERS; t++) {
		memset(&racers[t], 0, sizeof racers[t]);
		racers[t].f = f;
		racers[t].barrier = &barrier;
		racers[t].id = t;
		assert_int_equal(
		    pthread_create(&threads[t], NULL, race, &racers[t]), 0);
	}
	for (t = 0; t < RACERS; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&barrier);
	for (t = 0; t < RACERS; t++) {
		if (racers[t].other != 0)
			fail_msg("racer %d: %u errors (%s)", t, racers[t].other,
			    racers[t].why);
		lost += racers[t].lost;
	}
	for (i = 0; i < SLOTS; i++) {
		unsigned won = 0;
		char start[32];
		unsigned busy;

		for (t = 0; t < RACERS; t++)
			won += racers[t].won[i];
		if (won != CAPACITY)
			fail_msg("slot %d: %u bookings, capacity %d", i, won,
			    CAPACITY);
		snprintf(start, sizeof start, "2026-12-08T%02d:%02d", 8 + i / 4,
		    (i % 4) * 15);
		assert_int_equal(
		    store_busy_count(f->store, f->desk, testdb_local(start),
		        testdb_local(start) + 15 * 60, 0, &busy, &err),
		    0);
		assert_int_equal(busy, CAPACITY);
	}
	assert_int_equal(lost, (RACERS - CAPACITY) * SLOTS);
}

/* ---- every outbox row once ---------------------------------------------- */

#define MESSAGES 400
#define CLAIMERS 4

struct claimer {
	struct testdb *f;
	pthread_barrier_t *barrier;
	unsigned char *seen; /* per message id, shared: each claimer its own
	                        bytes are written only by one thread each */
	int64_t first_id;
	int id;
	unsigned claimed, other;
	char why[256];
};

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void *
claim_all(void *arg)
{
	struct claimer *me = arg;
	time_t now = testdb_local(MONDAY_9);
	struct error err;
	struct store *s;

	error_clear(&err);
	s = store_open(me->f->path, &err);
	pthread_barrier_wait(me->barrier);
	while (s != NULL) {
		struct outbox_message *m = NULL;
		size_t n = 0, i;

		if (store_outbox_claim(
		        s, "sms", now, now + 300, 7, &m, &n, &err) != 0) {
			me->other++;
			snprintf(me->why, sizeof me->why, "%s", err.msg);
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			pthread_mutex_lock(&seen_lock);
			me->seen[m[i].id - me->first_id]++;
			pthread_mutex_unlock(&seen_lock);
			if (store_outbox_mark_sent(
			        s, m[i].id, now, "p", "", &err) != 0) {
				me->other++;
				snprintf(
				    me->why, sizeof me->why, "%s", err.msg);
			}
		}
		me->claimed += (unsigned)n;
		outbox_list_free(m, n);
	}
	if (s == NULL)
		me->other++;
	store_close(s);
	return NULL;
}

static int64_t
queue_messages(struct store *s, unsigned count, time_t now)
{
	struct outbox_message m;
	struct error err;
	int64_t first = 0;
	unsigned i;

	error_clear(&err);
	assert_int_equal(store_begin(s, &err), 0);
	for (i = 0; i < count; i++) {
		char text[32];

		memset(&m, 0, sizeof m);
		snprintf(m.channel, sizeof m.channel, "sms");
		snprintf(m.kind, sizeof m.kind, "test");
		snprintf(m.recipient, sizeof m.recipient, "+48600700%03u", i);
		snprintf(text, sizeof text, "message %u", i);
		m.payload = text;
		m.payload_len = strlen(text);
		m.created_at = now;
		m.next_attempt_at = now;
		assert_int_equal(store_outbox_add(s, &m, &err), 0);
		if (i == 0)
			first = m.id;
	}
	assert_int_equal(store_commit(s, &err), 0);
	return first;
}

static void
test_outbox_claims_once(void **state)
{
	struct testdb *f = *state;
	struct claimer claimers[CLAIMERS];
	pthread_t threads[CLAIMERS];
	pthread_barrier_t barrier;
	unsigned char seen[MESSAGES];
	unsigned total = 0, busy = 0;
	int64_t first;
	int t, i;

	first = queue_messages(f->store, MESSAGES, testdb_local(MONDAY_9));
	memset(seen, 0, sizeof seen);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, CLAIMERS), 0);
	for (t = 0; t < CLAIMERS; t++) {
		memset(&claimers[t], 0, sizeof claimers[t]);
		claimers[t].f = f;
		claimers[t].barrier = &barrier;
		claimers[t].seen = seen;
		claimers[t].first_id = first;
		claimers[t].id = t;
		assert_int_equal(
		    pthread_create(&threads[t], NULL, claim_all, &claimers[t]),
		    0);
	}
	for (t = 0; t < CLAIMERS; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&barrier);
	for (t = 0; t < CLAIMERS; t++) {
		if (claimers[t].other != 0)
			fail_msg("claimer %d: %s", t, claimers[t].why);
		total += claimers[t].claimed;
		busy += claimers[t].claimed > 0;
	}
	assert_int_equal(total, MESSAGES);
	for (i = 0; i < MESSAGES; i++)
		if (seen[i] != 1)
			fail_msg("message %d claimed %u times", i, seen[i]);
	/* nobody waited for another's batch: more than one of them had work */
	assert_true(busy >= 1);
}

/* ---- a gateway that is gone --------------------------------------------- */

static void
test_leases_of_a_gone_gateway(void **state)
{
	struct testdb *f = *state;
	time_t now = testdb_local(MONDAY_9);
	struct outbox_message *m;
	struct store *a, *b;
	struct error err;
	size_t n;

	queue_messages(f->store, 5, now);
	a = open_other(f);
	b = open_other(f);
	error_clear(&err);
	assert_int_equal(
	    store_outbox_claim(a, "sms", now, now + 300, 50, &m, &n, &err), 0);
	assert_int_equal(n, 5);
	outbox_list_free(m, n);
	/* a's lease holds while a lives */
	assert_int_equal(
	    store_outbox_claim(b, "sms", now, now + 300, 50, &m, &n, &err), 0);
	assert_int_equal(n, 0);
	if (testdb_postgresql()) {
		/* several gateways share the database: one starting does
		 * not take a live one's rows */
		assert_int_equal(store_outbox_release_leases(b, &err), 0);
		assert_int_equal(store_outbox_claim(b, "sms", now, now + 300,
		                     50, &m, &n, &err),
		    0);
		assert_int_equal(n, 0);
	}
	/* a is killed: its connection goes */
	store_close(a);
	/* one gateway per SQLite file: the next one releases at start; on
	 * PostgreSQL the claim itself sees the holder is gone */
	if (!testdb_postgresql())
		assert_int_equal(store_outbox_release_leases(b, &err), 0);
	{
		size_t got = 0, tries;

		/* the server ends a's backend as its connection closes, a
		 * moment later: look until it has */
		for (tries = 0; tries < 500 && got == 0; tries++) {
			assert_int_equal(store_outbox_claim(b, "sms", now,
			                     now + 300, 50, &m, &n, &err),
			    0);
			got = n;
			outbox_list_free(m, n);
			if (got == 0) {
				struct timespec ts = {0, 10 * 1000000L};

				nanosleep(&ts, NULL);
			}
		}
		assert_int_equal(got, 5);
	}
	store_close(b);
}

static void
test_job_lock(void **state)
{
	struct testdb *f = *state;
	struct store *a = open_other(f), *b = open_other(f);
	struct error err;
	bool mine;
	size_t tries;

	error_clear(&err);
	assert_int_equal(store_job_lock(a, "scheduler", &mine, &err), 0);
	assert_true(mine);
	assert_int_equal(store_job_lock(a, "scheduler", &mine, &err), 0);
	assert_true(mine); /* again: still ours */
	assert_int_equal(store_job_lock(b, "scheduler", &mine, &err), 0);
	/* SQLite: one process per file, every job its own */
	assert_int_equal(mine, !testdb_postgresql());
	if (testdb_postgresql()) {
		/* another office kept as a schema of the same database runs
		 * its own scheduler: advisory locks are the database's */
		char dir[256], path[512];
		struct store *other;

		assert_int_equal(
		    testdb_make("jobother", dir, sizeof dir, path, sizeof path),
		    0);
		assert_non_null(other = store_open(path, &err));
		assert_int_equal(
		    store_job_lock(other, "scheduler", &mine, &err), 0);
		assert_true(mine);
		store_close(other);
		testdb_remove(dir, path);
	}
	store_job_unlock(a, "scheduler");
	assert_int_equal(store_job_lock(b, "scheduler", &mine, &err), 0);
	assert_true(mine);
	store_job_unlock(b, "scheduler");
	/* a holder killed: the lock goes with its connection */
	assert_int_equal(store_job_lock(a, "scheduler", &mine, &err), 0);
	assert_true(mine);
	store_close(a);
	mine = false;
	for (tries = 0; tries < 500 && !mine; tries++) {
		assert_int_equal(
		    store_job_lock(b, "scheduler", &mine, &err), 0);
		if (!mine) {
			struct timespec ts = {0, 10 * 1000000L};

			nanosleep(&ts, NULL);
		}
	}
	assert_true(mine);
	store_close(b);
}

/* ---- a waiting connection wakes ----------------------------------------- */

static void
test_wait_wakes(void **state)
{
	struct testdb *f = *state;
	struct store *watcher = open_other(f);
	struct error err;

	error_clear(&err);
	assert_int_equal(store_wait(watcher, 0, &err), 1);  /* the first look */
	assert_int_equal(store_wait(watcher, 30, &err), 0); /* nothing new */
	if (testdb_postgresql()) {
		/* another office kept as a schema of the same database: its
		 * writes notify every listener there, and must not wake ours */
		char dir[256], path[512];
		struct store *other;
		int from, to;

		assert_int_equal(testdb_make("concother", dir, sizeof dir, path,
		                     sizeof path),
		    0);
		assert_non_null(other = store_open(path, &err));
		assert_int_equal(store_migrate(other, &from, &to, &err), 0);
		queue_messages(other, 1, testdb_local(MONDAY_9));
		assert_int_equal(store_wait(watcher, 300, &err), 0);
		store_close(other);
		testdb_remove(dir, path);
	}
	queue_messages(f->store, 1, testdb_local(MONDAY_9));
	/* a long limit: it must come back because of the commit, not of it */
	assert_int_equal(store_wait(watcher, 60000, &err), 1);
	store_close(watcher);
}

/* ---- codes of a day ----------------------------------------------------- */

static void
test_codes_unique(void **state)
{
	struct testdb *f = *state;
	struct booking a, b, got;
	struct booking_request r;
	struct error err;
	int64_t events_before;

	memset(&r, 0, sizeof r);
	r.service_id = f->service;
	r.first_name = "Jan";
	r.last_name = "Kowalski";
	r.skip_confirmation = true;
	error_clear(&err);
	{
		struct actor staff;

		assert_int_equal(
		    testdb_operator(f->store, "anna", ROLE_STAFF, &staff, &err),
		    0);
		r.start = "2026-12-08T09:00";
		r.email = "a@example.pl";
		assert_int_equal(booking_create(f->store, f->config, &r, &staff,
		                     testdb_local(MONDAY_9), &a, &err),
		    0);
		r.start = "2026-12-08T09:15";
		r.email = "b@example.pl";
		assert_int_equal(booking_create(f->store, f->config, &r, &staff,
		                     testdb_local(MONDAY_9), &b, &err),
		    0);
	}
	assert_string_not_equal(a.access_code, b.access_code);
	if (!testdb_postgresql())
		return; /* one writer at a time: the domain's check is enough */
	/* a second writer that drew a's code: the database refuses it, and
	 * the rest of the transaction still commits */
	events_before = testdb_sql_int(f->path, "SELECT count(*) FROM"
	                                        " booking_events");
	assert_int_equal(store_begin(f->store, &err), 0);
	assert_int_equal(
	    store_booking_set_code(f->store, b.id, a.access_code, &err), -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "code_taken");
	assert_int_equal(store_event_add(f->store, b.id, testdb_local(MONDAY_9),
	                     "system", "note", "after", &err),
	    0);
	assert_int_equal(store_commit(f->store, &err), 0);
	assert_int_equal(testdb_sql_int(f->path, "SELECT count(*) FROM"
	                                         " booking_events"),
	    events_before + 1);
	assert_int_equal(store_booking_get(f->store, b.id, &got, &err), 0);
	assert_string_equal(got.access_code, b.access_code);
}

/* ---- PostgreSQL: a deadlock is "run it again" ---------------------------- */

struct locker {
	struct testdb *f;
	pthread_barrier_t *barrier;
	int64_t first, second; /* desks, in this thread's order */
	int rc;
	struct error err;
};

static void *
lock_two(void *arg)
{
	struct locker *me = arg;
	time_t start = testdb_local("2026-12-08T09:00");
	struct store *s = open_other(me->f);
	unsigned busy;

	error_clear(&me->err);
	me->rc = store_begin(s, &me->err);
	if (me->rc == 0)
		me->rc = store_busy_count(
		    s, me->first, start, start + 900, 0, &busy, &me->err);
	pthread_barrier_wait(me->barrier);
	if (me->rc == 0)
		me->rc = store_busy_count(
		    s, me->second, start, start + 900, 0, &busy, &me->err);
	if (me->rc == 0)
		me->rc = store_commit(s, &me->err);
	else
		store_rollback(s);
	store_close(s);
	return NULL;
}

static void
test_deadlock_is_retry(void **state)
{
	struct testdb *f = *state;
	struct locker l[2];
	pthread_barrier_t barrier;
	pthread_t threads[2];
	struct error err;
	struct desk d;
	int64_t other;
	int t;

	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 2");
	snprintf(d.name, sizeof d.name, "Pokój 2 stanowisko 1");
	d.capacity = 1;
	error_clear(&err);
	assert_int_equal(store_desk_add(f->store, &d, &other, &err), 0);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	for (t = 0; t < 2; t++) {
		memset(&l[t], 0, sizeof l[t]);
		l[t].f = f;
		l[t].barrier = &barrier;
		l[t].first = t == 0 ? f->desk : other;
		l[t].second = t == 0 ? other : f->desk;
		assert_int_equal(
		    pthread_create(&threads[t], NULL, lock_two, &l[t]), 0);
	}
	for (t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&barrier);
	/* one of them was chosen to fail, and told to run again */
	assert_int_equal((l[0].rc == 0) + (l[1].rc == 0), 1);
	t = l[0].rc != 0 ? 0 : 1;
	assert_true(store_retry_wanted(&l[t].err));
	assert_int_equal(l[t].err.kind, ERROR_TEMPORARY);
}

int
main(void)
{
#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, testdb_setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_capacity_race),
	    T(test_outbox_claims_once),
	    T(test_leases_of_a_gone_gateway),
	    T(test_job_lock),
	    T(test_wait_wakes),
	    T(test_codes_unique),
	    /* PostgreSQL only: SQLite's writers never wait for each other
	     * inside a transaction, so they cannot deadlock */
	    T(test_deadlock_is_retry),
	};
#undef T
	size_t n = sizeof tests / sizeof tests[0];

	return _cmocka_run_group_tests(
	    "tests", tests, testdb_postgresql() ? n : n - 1, NULL, NULL);
}
